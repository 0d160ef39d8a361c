"""The room's rules: each command takes the state and returns the records to append, or refuses.

Pure decisions: no store, no clock (time is passed in), no randomness (ids and
token hashes are passed in). A refusal is a :class:`~accord.room.errors.RoomError`
naming the seat, the action and why, and nothing is recorded. Illegal protocol
actions are refused with the protocol's own reason.

>>> from accord.room.testing import ROOM_SCENARIO, stored
>>> records = create_room(scenario_text=ROOM_SCENARIO, protocol="alternating-offers",
...                       agents={"south": "boulware"}, settings=Settings(),
...                       credentials=lambda seat: ("m-1", "0" * 64))
>>> [record.kind for record in records]
['room-created', 'protocol-event', 'link-issued']
>>> state = stored("r1", records)
>>> north = SeatAccess(room="r1", seat="north", member="m-1", role=Role.DELEGATION)
>>> [record.kind for record in act(state, north, {"kind": "offer", "outcome": ["oslo", "two"]})]
['action', 'protocol-event']
>>> act(state, north, {"kind": "accept"})
Traceback (most recent call last):
...
accord.room.errors.RefusedError: seat 'north' may not accept: in phase 'offers' this seat may only ...
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accord.agents.registry import AGENTS, check_seat
from accord.domain import Role
from accord.domain.names import resolve_names
from accord.errors import InputError, ProtocolError
from accord.frozen import thaw
from accord.io import parse_scenario
from accord.io.preferences_form import parse_preferences, preferences_to_data
from accord.protocols import (
    Action,
    Critique,
    Setup,
    Wait,
    WalkAway,
    action_from_data,
    action_kind,
    action_to_data,
)
from accord.protocols.legality import describe
from accord.protocols.registry import protocol_by_id
from accord.room.errors import ForbiddenError, NotFoundError, RefusedError
from accord.room.records import (
    ActionTaken,
    LinkIssued,
    LinkRequested,
    LinkRevoked,
    PreferencesDisclosed,
    PreferencesSet,
    ProtocolEvent,
    Record,
    RoomCreated,
    ScenarioText,
    SeatHanded,
    SeatHolder,
    Settings,
)
from accord.room.state import OBSERVERS, RoomState
from accord.session import seating

__all__ = [
    "SCENARIO_FORMAT",
    "SeatAccess",
    "act",
    "create_room",
    "deadline",
    "hand_seat",
    "issue_link",
    "overdue_action",
    "request_link",
    "revoke_link",
    "set_disclosure",
    "set_preferences",
    "submit",
]

#: How much larger than the room's whole scenario file a delegation's new preferences may be (characters).
PREFERENCES_MARGIN = 65_536

#: The format a room records its scenario in (the text of an Accord scenario file, YAML or JSON).
SCENARIO_FORMAT = "accord-scenario/1"


@dataclass(frozen=True, slots=True, kw_only=True)
class SeatAccess:
    """Who is asking: a member holding a link to a seat of a room, with the seat's role."""

    room: str
    seat: str
    member: str
    role: Role


def _fits(agent: str, role: Role, seat: str, protocol: str) -> str:
    """The agent's versioned id, if it can take ``seat`` (of ``role``) in ``protocol``."""
    check_seat(agent, seat=seat, role=role, protocol=protocol)
    return AGENTS.canonical(agent)


def create_room(
    *,
    scenario_text: str,
    protocol: str,
    agents: Mapping[str, str],
    settings: Settings,
    observers: int = 0,
    credentials: Callable[[str], tuple[str, str]] | None = None,
    source: str = "",
) -> list[Record]:
    """The records that open a room: ``room-created``, the protocol's opening events, then a
    ``link-issued`` for each seat held by a person and for each of the ``observers``.

    ``agents`` maps seats to agent ids; other seats are held by people. A seat may be named in any
    case, by its slug, initials or an unambiguous start (:func:`accord.domain.names.resolve_name`).
    ``credentials(seat)`` gives each link its ``(member, token_hash)`` (the caller makes the secrets;
    without it, no links).

    Bad input is an :class:`~accord.errors.InputError` naming where (the scenario, ``agents``) and why.
    """
    scenario = parse_scenario(scenario_text, source=source)
    chosen = protocol_by_id(protocol)
    mediator, delegations = seating(scenario, chosen)
    setup = Setup(agenda=scenario.agenda, delegations=delegations, mediator=mediator, rounds=settings.rounds)
    if OBSERVERS in setup.seats:
        raise InputError(source, "parties", f"{OBSERVERS!r} is reserved for the room's observers")
    holders: dict[str, SeatHolder] = {}
    seated = resolve_names(agents, setup.seats, what="seat", argument="agents")
    agents = dict(zip(seated, agents.values(), strict=True))
    for seat in setup.seats:
        role = Role.MEDIATOR if seat == mediator else Role.DELEGATION
        agent = agents.get(seat)
        holders[seat] = (
            SeatHolder(holder="person")
            if agent is None
            else SeatHolder(holder="agent", agent=_fits(agent, role, seat, chosen.id))
        )
    try:
        opening = chosen.start(setup).events
    except ProtocolError as error:
        raise InputError(source, "parties", str(error)) from None
    created = RoomCreated(
        scenario=ScenarioText(format=SCENARIO_FORMAT, text=scenario_text),
        protocol=chosen.id,
        settings=settings,
        mediator=mediator,
        delegations=delegations,
        holders=holders,
    )
    records = [Record.of(created)]
    records.extend(Record.of(ProtocolEvent(event=event.to_data())) for event in opening)
    if observers < 0:
        raise InputError("--observers", str(observers), "cannot be negative")
    if credentials is not None:
        people = [seat for seat in setup.seats if holders[seat].holder == "person"]
        for seat in people + [OBSERVERS] * observers:
            member, hashed = credentials(seat)
            records.append(Record.of(LinkIssued(seat=seat, member=member, token_hash=hashed)))
    return records


# ---------------------------------------------------------------------------------------------- actions


def _kind_of(data: Mapping[str, Any]) -> str:
    kind = data.get("kind") if isinstance(data, Mapping) else None
    return kind if isinstance(kind, str) and kind else "act"


def _refusal(error: ProtocolError, seat: str, action: Action) -> RefusedError:
    """The protocol's reason, as a refusal naming the seat and the action."""
    return RefusedError(error.seat or seat, describe(action), error.reason)


def submit(state: RoomState, taken: Sequence[ActionTaken]) -> list[Record]:
    """The records for these seats' actions (one each), with the protocol's events once every awaited
    seat has acted. RefusedError, with the protocol's reason, when one of them is illegal now.
    """
    if not state.pending:
        kind = _kind_of(taken[0].action) if taken else "act"
        raise RefusedError(taken[0].seat if taken else "", kind, "the talks are over")
    actions: dict[str, Action] = {seat: item.action for seat, item in state.submitted.items()}
    awaited = state.awaited
    for item in taken:
        kind = _kind_of(item.action)
        if item.seat not in awaited:
            why = "it has already acted in this step" if item.seat in state.pending else "it is not its turn"
            raise RefusedError(item.seat, kind, f"{why} (awaited: {', '.join(awaited)})")
        try:
            action = action_from_data(item.action)
            action_kind(action)
        except (KeyError, TypeError, ValueError) as error:
            raise RefusedError(item.seat, kind, f"malformed action {dict(item.action)!r} ({error})") from None
        if item.seat in actions:
            raise RefusedError(item.seat, kind, "it acts once per step")
        actions[item.seat] = action
    complete = all(seat in actions for seat in state.pending)
    # Until every awaited seat has acted, the step is tried with the missing ones walking away (legal for
    # every awaited seat): the protocol then checks the new actions as it will when the step is taken.
    trial = dict(actions)
    trial.update({seat: WalkAway() for seat in state.pending if seat not in actions})
    try:
        transition = state.protocol.step(state.protocol_state, trial)
    except ProtocolError as error:
        seat = error.seat if error.seat in actions else taken[-1].seat
        raise _refusal(error, seat, actions[seat]) from None
    records = [
        Record.of(item.model_copy(update={"action": action_to_data(actions[item.seat])})) for item in taken
    ]
    if complete:
        records.extend(Record.of(ProtocolEvent(event=event.to_data())) for event in transition.events)
    return records


def _person_seat(state: RoomState, access: SeatAccess, what: str) -> None:
    """Only a member of a seat held by a person acts for it; observers never do."""
    if access.role is Role.OBSERVER:
        raise ForbiddenError(access.seat, what, "observers only watch")
    holder = state.holders.get(access.seat)
    if holder is None:
        raise NotFoundError(access.seat, what, "no such seat in this room")
    if holder.holder != "person":
        raise RefusedError(access.seat, what, f"the seat is held by the agent {holder.agent}")


def act(state: RoomState, access: SeatAccess, action: Mapping[str, Any]) -> list[Record]:
    """A person's protocol action (as :func:`~accord.protocols.action_to_data` gives it) for their seat."""
    _person_seat(state, access, _kind_of(action))
    return submit(state, [ActionTaken(seat=access.seat, member=access.member, action=dict(action))])


def overdue_action(allowed: Sequence[str]) -> Action:
    """What a seat that let its time pass is recorded as doing: passing where the protocol has a way
    to pass (``wait``; an empty critique, which objects to nothing), walking away otherwise.

    >>> overdue_action(("message", "wait", "walk-away")), overdue_action(("vote", "walk-away"))
    (Wait(), WalkAway(reason='the time limit passed'))
    """
    if "wait" in allowed:
        return Wait()
    if "critique" in allowed:
        return Critique(())
    return WalkAway("the time limit passed")


def deadline(state: RoomState, now: datetime) -> list[Record]:
    """The records for every person-held seat still awaited when its time (``round_seconds``) is up.

    Nothing when the room has no time limit or nobody is overdue. ``now`` must be timezone-aware.
    """
    limit = state.created.settings.round_seconds
    if limit is None or not state.pending:
        return []
    started = datetime.fromisoformat(state.turn_started)
    if (now - started).total_seconds() < limit:
        return []
    overdue = [seat for seat in state.awaited if state.holders[seat].holder == "person"]
    note = f"the time limit of {limit:g} s passed"
    taken = [
        ActionTaken(seat=seat, action=action_to_data(overdue_action(state.turn(seat).allowed)), note=note)
        for seat in overdue
    ]
    return submit(state, taken) if taken else []


# ----------------------------------------------------------------------------------- seats and links


def hand_seat(state: RoomState, by: SeatAccess | None, seat: str, agent: str | None) -> list[Record]:
    """Hand ``seat`` to the agent ``agent`` (an id), or back to people (``None``).

    ``by`` is the mediator's member, or ``None`` for the organiser (the room's owner, outside the talks).
    """
    what = f"hand seat {seat!r} to {agent or 'a person'}"
    who = "" if by is None else by.seat
    if by is not None and by.role is not Role.MEDIATOR:
        raise ForbiddenError(who, what, "only the mediator or the organiser hands seats over")
    if seat == OBSERVERS:
        raise RefusedError(who, what, "observers' links are not a seat that can be handed over")
    if seat not in state.seats:
        raise NotFoundError(who, what, "no such seat in this room")
    role = state.role_of(seat)
    if agent is None:
        holder = SeatHolder(holder="person")
    else:
        try:
            holder = SeatHolder(holder="agent", agent=_fits(agent, role, seat, state.protocol.id))
        except InputError as error:
            raise RefusedError(who, what, error.reason.removeprefix(f"seat {seat!r}: ")) from None
    if state.holders[seat] == holder:
        raise RefusedError(who, what, "it already holds the seat")
    return [Record.of(SeatHanded(seat=seat, holder=holder, by=who))]


def issue_link(state: RoomState, seat: str, member: str, token_hash: str) -> list[Record]:
    """A new link for ``member`` of ``seat`` (a member that had one: its old link stops working)."""
    if seat not in state.seats and seat != OBSERVERS:
        raise NotFoundError("", f"issue a link to seat {seat!r}", "no such seat in this room")
    old = state.links.get(member)
    if old is not None and old.seat != seat:
        raise RefusedError(
            "", f"issue a link to seat {seat!r}", f"member {member!r} belongs to seat {old.seat!r}"
        )
    return [Record.of(LinkIssued(seat=seat, member=member, token_hash=token_hash))]


def revoke_link(state: RoomState, seat: str, member: str) -> list[Record]:
    """``member``'s link to ``seat`` stops working."""
    link = state.links.get(member)
    if link is None or link.seat != seat:
        raise NotFoundError("", f"revoke member {member!r}'s link", f"seat {seat!r} has no such member")
    if not link.active:
        raise RefusedError("", f"revoke member {member!r}'s link", "it is already revoked")
    return [Record.of(LinkRevoked(seat=seat, member=member))]


def set_disclosure(state: RoomState, access: SeatAccess, disclosed: bool) -> list[Record]:
    """A delegation allows (or withdraws) the mediator's access to its preferences (``disclosed`` rooms)."""
    what = "disclose its preferences" if disclosed else "withdraw its preferences"
    if access.role is not Role.DELEGATION:
        raise ForbiddenError(access.seat, what, "only a delegation has preferences to disclose")
    if state.created.settings.preferences != "disclosed":
        raise RefusedError(
            access.seat, what, "in this room the mediator holds every delegation's preferences"
        )
    if (access.seat in state.disclosed) == disclosed:
        raise RefusedError(access.seat, what, "it already has")
    return [Record.of(PreferencesDisclosed(seat=access.seat, member=access.member, disclosed=disclosed))]


def set_preferences(state: RoomState, access: SeatAccess, preferences: Mapping[str, Any]) -> list[Record]:
    """A delegation's new preferences (a scenario file's ``preferences`` block: weights, values,
    reservation, red lines…), replacing its own: before the talks, or during them where the room's
    ``edit_preferences`` is ``during``. Checked as a scenario file's are; a refusal names the field.

    >>> from accord.room.testing import ROOM_SCENARIO, stored
    >>> state = stored("r1", create_room(scenario_text=ROOM_SCENARIO, protocol="one-text", agents={},
    ...                                  settings=Settings()))
    >>> north = SeatAccess(room="r1", seat="north", member="m-1", role=Role.DELEGATION)
    >>> set_preferences(state, north, {"weights": {"venue": 1.0}, "reservation": -1})
    Traceback (most recent call last):
    ...
    accord.room.errors.RefusedError: seat 'north' may not set its preferences: reservation: must lie in ...
    """
    what = "set its preferences"
    if access.role is not Role.DELEGATION:
        raise ForbiddenError(access.seat, what, "only a delegation has preferences")
    if access.seat not in state.setup.delegations:
        raise NotFoundError(access.seat, what, "no such delegation in this room")
    refused = state.preferences_editable()
    if refused is not None:
        raise RefusedError(access.seat, what, refused)
    size, limit = len(json.dumps(thaw(preferences))), len(state.created.scenario.text) + PREFERENCES_MARGIN
    if size > limit:
        reason = f"{size} characters of preferences; at most {limit} (the scenario's own size and 64 kB)"
        raise RefusedError(access.seat, what, reason)
    try:
        built = parse_preferences(thaw(preferences), state.setup.agenda, source="")
    except InputError as error:
        raise RefusedError(
            access.seat, what, f"{error.location}: {error.reason}" if error.location else error.reason
        ) from None
    data = preferences_to_data(built)
    if data == thaw(state.preferences[access.seat]):
        raise RefusedError(access.seat, what, "they are the preferences it holds already")
    return [Record.of(PreferencesSet(seat=access.seat, member=access.member, preferences=data))]


def request_link(state: RoomState, by: SeatAccess, seat: str) -> list[Record]:
    """The mediator revokes every link of ``seat`` at once (a lost laptop); the seat's people get a new
    link from the organiser (who sees the request), never from the mediator, who never holds a token."""
    what = f"reissue the link of seat {seat!r}"
    if by.role is not Role.MEDIATOR:
        raise ForbiddenError(by.seat, what, "only the mediator or the organiser reissues a seat's links")
    if seat == by.seat:
        raise RefusedError(by.seat, what, "replace your own link from your own page")
    if seat not in state.seats:
        raise NotFoundError(by.seat, what, "no such seat in this room")
    if state.holders[seat].holder != "person":
        raise RefusedError(by.seat, what, f"the seat is held by the agent {state.holders[seat].agent}")
    records = [Record.of(LinkRevoked(seat=seat, member=member)) for member in state.members(seat)]
    if not records and seat in state.link_requests:
        raise RefusedError(by.seat, what, "its new link already waits for the organiser")
    return records + [Record.of(LinkRequested(seat=seat, by=by.seat))]
