"""The room's rules: each command takes the state and returns the records to append, or refuses.

Pure decisions: no store, no clock (time is passed in), no randomness (ids and
token hashes are passed in). A refusal is a :class:`~accord.room.errors.RoomError`
naming the seat, the action and why, and nothing is recorded. Illegal protocol
actions are refused with the protocol's own reason. The rules for seats and links
(:mod:`accord.room.seats`) and for a delegation's preferences (:mod:`accord.room.preferences`)
live in modules of their own and are named here too.

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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from accord.domain import Role
from accord.domain.names import resolve_names
from accord.errors import InputError, ProtocolError
from accord.io import parse_scenario
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
from accord.room.linking import Agreed, refuse_if_linked
from accord.room.preferences import set_disclosure, set_preferences
from accord.room.records import (
    ActionTaken,
    LinkIssued,
    ProcessLink,
    ProtocolEvent,
    Record,
    RoomCreated,
    ScenarioText,
    SeatHolder,
    Settings,
)
from accord.room.rounds import refuse_if_adjourned
from accord.room.seats import hand_seat, issue_link, request_link, revoke_link, seated_agent
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

#: The format a room records its scenario in (the text of an Accord scenario file, YAML or JSON).
SCENARIO_FORMAT = "accord-scenario/1"


@dataclass(frozen=True, slots=True, kw_only=True)
class SeatAccess:
    """Who is asking: a member holding a link to a seat of a room, with the seat's role."""

    room: str
    seat: str
    member: str
    role: Role


def create_room(
    *,
    scenario_text: str,
    protocol: str,
    agents: Mapping[str, str],
    settings: Settings,
    observers: int = 0,
    credentials: Callable[[str], tuple[str, str]] | None = None,
    source: str = "",
    process: ProcessLink | None = None,
) -> list[Record]:
    """The records that open a room: ``room-created``, the protocol's opening events, then a
    ``link-issued`` for each seat held by a person and for each of the ``observers``.

    ``agents`` maps seats to agent ids; other seats are held by people. A seat may be named in any
    case, by its slug, initials or an unambiguous start (:func:`accord.domain.names.resolve_name`).
    ``credentials(seat)`` gives each link its ``(member, token_hash)`` (the caller makes the secrets;
    without it, no links). ``process``: the process the room belongs to (a track's room).

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
            else SeatHolder(holder="agent", agent=seated_agent(agent, role, seat, chosen.id))
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
        process=process,
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


def submit(
    state: RoomState, taken: Sequence[ActionTaken], *, elsewhere: Agreed | None = None
) -> list[Record]:
    """The records for these seats' actions (one each), with the protocol's events once every awaited
    seat has acted. RefusedError, with the protocol's reason, when one of them is illegal now.

    ``elsewhere``: in a process's room, what the other tracks have agreed (the service reads them);
    a step that would break a cross-track condition is refused naming it (:mod:`accord.room.linking`).
    """
    if not state.pending:
        kind = _kind_of(taken[0].action) if taken else "act"
        raise RefusedError(taken[0].seat if taken else "", kind, "the talks are over")
    if taken:
        refuse_if_adjourned(state, taken[0].seat, _kind_of(taken[0].action))
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
    if complete:
        refuse_if_linked(state, transition.state, taken[-1].seat, _kind_of(taken[-1].action), elsewhere)
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


def act(
    state: RoomState, access: SeatAccess, action: Mapping[str, Any], *, elsewhere: Agreed | None = None
) -> list[Record]:
    """A person's protocol action (as :func:`~accord.protocols.action_to_data` gives it) for their seat
    (``elsewhere`` as :func:`submit` takes it)."""
    _person_seat(state, access, _kind_of(action))
    taken = ActionTaken(seat=access.seat, member=access.member, action=dict(action))
    return submit(state, [taken], elsewhere=elsewhere)


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


def deadline(state: RoomState, now: datetime, *, elsewhere: Agreed | None = None) -> list[Record]:
    """The records for every person-held seat still awaited when its time (``round_seconds``) is up.

    Nothing when the room has no time limit or nobody is overdue. ``now`` must be timezone-aware.
    """
    limit = state.created.settings.round_seconds
    if limit is None or not state.pending or state.adjourned:
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
    return submit(state, taken, elsewhere=elsewhere) if taken else []
