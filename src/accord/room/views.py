"""THE one choke point for confidentiality: what one seat may see, built from the room's state.

Every page, endpoint, event stream and export renders from these functions and
nothing else, so a leak has one place to be:

* :func:`seat_view` — the seat's whole view now, exactly the JSON of
  ``GET /api/v1/rooms/{room}/view``;
* :func:`seat_items` — the seat's view changes after a ``seq``: one item per record
  the seat may know of (with that record's ``seq`` and time ``at``), which the live
  stream sends and ``accord room export --seat`` writes. Items depend only on the
  record and on what was known when it was committed, so the export equals what
  was sent live;
* :func:`organiser_view` — the organiser's (outside the talks; the room's owner, who holds its
  whole record): every event and preferences, for the rooms' list and the debrief.

What a seat sees:

* a delegation: its own preferences (as last set, and whether it may change them now), the
  protocol events its seat may read, its own messages (to the mediator and its team's channel),
  and what the mediator passed on to it — a verbatim ``attributed`` message with its author's seat, an
  ``unattributed`` one or a paraphrase with nothing of its source (a fresh id, the
  forward's own time);
* the mediator: every delegation's preferences (``preferences: all``) or those
  disclosed to it, naming the delegations missing (``disclosed``), as last set (a change while it
  does not hold them reaches it only with the disclosure: the record of the change never does); the
  seats awaiting a new link from the organiser (never a token); every message
  sent to it, its team's channel, its forwards with their sources;
* observers: the events visible to everyone, and nothing else.

Never another delegation's preferences, private events, messages, team channel,
or anything computed from them.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from typing import Any

from accord.analysis import analyze
from accord.domain import Agenda, DiscreteIssue, Role
from accord.errors import AnalysisError
from accord.frozen import thaw
from accord.protocols import Event, Observation
from accord.room.records import (
    ActionTaken,
    LinkRequested,
    MessageForwarded,
    MessageSent,
    PreferencesDisclosed,
    PreferencesSet,
    ProtocolEvent,
    RecordData,
    RoomCreated,
    SeatHanded,
    Stored,
    TextChanged,
)
from accord.room.state import OBSERVERS, Forwarded, RoomMessage, RoomState
from accord.room.text_view import seat_text, text_data, text_item
from accord.text import Text

__all__ = [
    "agenda_data",
    "mediator_analysis",
    "organiser_view",
    "preferences_data",
    "seat_document",
    "seat_items",
    "seat_view",
]


def agenda_data(agenda: Agenda) -> list[dict[str, Any]]:
    """The issues, each with its options and their clause text (public to every seat).

    >>> from accord.domain import Option
    >>> agenda_data(Agenda((DiscreteIssue("venue", (Option("geneva", "In Geneva."),)),)))[0]["options"]
    [{'name': 'geneva', 'text': 'In Geneva.'}]
    """
    issues = []
    for issue in agenda.issues:
        data: dict[str, Any] = {"name": issue.name, "description": issue.description}
        if isinstance(issue, DiscreteIssue):
            data["type"] = "options"
            data["options"] = [{"name": option.name, "text": option.text} for option in issue.options]
        else:
            data["type"] = "integer" if type(issue).__name__ == "IntegerIssue" else "real"
            data.update({"low": issue.low, "high": issue.high})
            step = getattr(issue, "step", None)
            if step is not None:
                data["step"] = step
        issues.append(data)
    return issues


def preferences_data(state: RoomState, delegation: str) -> dict[str, Any]:
    """One delegation's confidential preferences, in the scenario file's form (weights, values, …)."""
    preferences: dict[str, Any] = thaw(state.preferences[delegation])
    return preferences


#: The mediator's analyses, by room, scenario and the delegations they cover (bounded).
_ANALYSES: dict[tuple[str, str, tuple[str, ...], tuple[int, ...]], dict[str, Any] | None] = {}
_ANALYSES_LOCK = threading.Lock()
_ANALYSES_SIZE = 64


def mediator_analysis(state: RoomState, held: tuple[str, ...]) -> dict[str, Any] | None:
    """The analysis (``accord analyze``'s JSON) of the delegations whose preferences the mediator
    holds, and of nobody else's; ``None`` while it holds fewer than two."""
    if len(held) < 2:
        return None
    revisions = tuple(state.preferences_set.get(delegation, 0) for delegation in held)
    key = (state.room, state.created.scenario.text, held, revisions)
    with _ANALYSES_LOCK:
        if key in _ANALYSES:
            return _ANALYSES[key]
    try:
        result: dict[str, Any] | None = analyze(state.scenario.restricted_to(held)).to_dict()
    except AnalysisError:
        result = None
    with _ANALYSES_LOCK:
        if len(_ANALYSES) >= _ANALYSES_SIZE:
            _ANALYSES.pop(next(iter(_ANALYSES)))
        _ANALYSES[key] = result
    return result


def _mediator_holds(state: RoomState) -> tuple[str, ...]:
    """The delegations whose preferences the mediator holds, in seating order."""
    return tuple(seat for seat in state.setup.delegations if state.mediator_holds(seat))


def _held(state: RoomState, seat: str, role: Role) -> tuple[str, ...]:
    """The delegations whose preferences ``seat`` holds: its own, the mediator's held ones, or none."""
    if role is Role.MEDIATOR:
        return _mediator_holds(state)
    return (seat,) if role is Role.DELEGATION else ()


def seat_document(state: RoomState, seat: str, *, revision: int | None = None) -> Text | None:
    """The room's text as ``seat`` may see it (at Rev.``revision``; default: now), for exports; ``None``
    in a room without a text. ``KeyError`` for an unknown seat or a revision not reached."""
    return seat_text(state, seat, _held(state, seat, _role(state, seat)), revision=revision)


def _preferences(state: RoomState, seat: str, role: Role) -> dict[str, Any]:
    setting = state.created.settings.preferences
    if role is Role.MEDIATOR:
        held = _mediator_holds(state)
        return {
            "setting": setting,
            "delegations": {delegation: preferences_data(state, delegation) for delegation in held},
            "missing": [delegation for delegation in state.setup.delegations if delegation not in held],
            "analysis": mediator_analysis(state, held),
        }
    if role is Role.DELEGATION:
        refused = state.preferences_editable()
        return {
            "setting": setting,
            "delegations": {seat: preferences_data(state, seat)},
            "missing": [],
            "disclosed": state.mediator_holds(seat),
            "edit_preferences": state.created.settings.edit_preferences,
            "editable": refused is None,
            "edit_refused": refused,
        }
    return {"setting": setting, "delegations": {}, "missing": []}


def _details(observation: Observation) -> dict[str, Any]:
    """The protocol's own facts in the seat's observation (each field after ``history`` that is set;
    a mediator's criticism received…), as plain JSON data."""
    names = Observation._fields[Observation._fields.index("history") + 1 :]
    defaults = Observation._field_defaults
    return {
        name: thaw(getattr(observation, name))
        for name in names
        if getattr(observation, name) != defaults[name]
    }


def _visible(event: Event, seat: str, role: Role) -> bool:
    if role is Role.OBSERVER:
        return event.visible_to is None
    return event.visible_for(seat)


def _event_data(seq: int, event: Event) -> dict[str, Any]:
    return {"seq": seq, **event.to_data()}


def _protocol(state: RoomState, seat: str, role: Role) -> dict[str, Any]:
    data: dict[str, Any] = {"id": state.protocol.id, "rounds": state.setup.rounds}
    if role is Role.OBSERVER:
        public = [event for _, event in state.events if event.visible_to is None]
        data["round"] = public[-1].round if public else 0
        return data
    observation = state.protocol.observe(state.protocol_state, seat)
    data.update(
        round=observation.round,
        phase=observation.phase,
        on_table=None if observation.on_table is None else list(observation.on_table),
        details=_details(observation),
    )
    return data


def _message(message: RoomMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "seq": message.seq,
        "at": message.at,
        "from": message.seat,
        "member": message.member,
        "to": message.to,
        "text": message.text,
        "disclosure": message.disclosure,
    }


def _forward_for_mediator(forward: Forwarded) -> dict[str, Any]:
    return {
        "id": forward.id,
        "seq": forward.seq,
        "at": forward.at,
        "from": forward.seat,
        "member": forward.member,
        "to": list(forward.to),
        "text": forward.text,
        "verbatim": forward.verbatim,
        "author": forward.author,
        "source": forward.source,
    }


def _forward_for_recipient(forward: Forwarded, recipient: str) -> dict[str, Any]:
    """A recipient's copy: its own id and time, the author's seat only for an attributed verbatim forward."""
    return {
        "id": forward.id,
        "seq": forward.seq,
        "at": forward.at,
        "from": forward.seat,
        "to": recipient,
        "text": forward.text,
        "verbatim": forward.verbatim,
        "author": forward.author,
    }


def _message_for(state: RoomState, message: RoomMessage, seat: str, role: Role) -> dict[str, Any] | None:
    if message.seat == seat or (role is Role.MEDIATOR and message.to == "mediator"):
        return _message(message)
    return None


def _forward_for(forward: Forwarded, seat: str, role: Role) -> dict[str, Any] | None:
    if role is Role.MEDIATOR and forward.seat == seat:
        return _forward_for_mediator(forward)
    if role is Role.DELEGATION and seat in forward.to:
        return _forward_for_recipient(forward, seat)
    return None


def _messages(state: RoomState, seat: str, role: Role) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = []
    for message in state.messages.values():
        if (item := _message_for(state, message, seat, role)) is not None:
            shown.append(item)
    for forward in state.forwards.values():
        if (item := _forward_for(forward, seat, role)) is not None:
            shown.append(item)
    shown.sort(key=lambda item: int(item["seq"]))
    return shown


def _result(state: RoomState) -> dict[str, Any] | None:
    result = state.result
    if result is None:
        return None
    agreement = None
    if result.agreement is not None:
        agreement = dict(zip(state.setup.agenda.names, result.agreement, strict=True))
    return {"reason": result.reason, "agreement": agreement, "rounds": result.rounds}


def _seats(state: RoomState, role: Role) -> dict[str, Any]:
    """The seats; for the mediator also who holds each (a person or which agent) and who is awaited now."""
    seats: dict[str, Any] = {"mediator": state.mediator, "delegations": list(state.setup.delegations)}
    if role is Role.MEDIATOR:
        seats["holders"] = {seat: holder.model_dump(mode="json") for seat, holder in state.holders.items()}
        seats["awaited"] = [seat for seat in state.setup.seats if seat in state.awaited]
        seats["link_requests"] = [seat for seat in state.setup.seats if seat in state.link_requests]
    return seats


def _role(state: RoomState, seat: str) -> Role:
    try:
        return state.role_of(seat)
    except KeyError:
        raise KeyError(f"room {state.room!r} has no seat {seat!r}") from None


def seat_view(state: RoomState, seat: str, member: str = "") -> dict[str, Any]:
    """The seat's whole view now: the JSON of ``GET /api/v1/rooms/{room}/view``.

    Keys: ``room``, ``seq`` (the last record it reflects), ``seat``, ``member``, ``role``,
    ``holder``, ``protocol``, ``seats``, ``agenda``, ``preferences``, ``turn``, ``events``
    (each with the ``seq`` of its record), ``messages``, ``result`` (``None`` while the talks go on),
    ``text`` (the negotiating text as the seat may see it, :mod:`accord.room.text_view`; ``None`` in a
    room whose procedure seats no mediator).
    """
    role = _role(state, seat)
    holder = state.holders.get(seat)
    turn = state.turn(seat)
    limit = state.created.settings.round_seconds
    return {
        "room": state.room,
        "seq": state.last_seq,
        "seat": seat,
        "member": member,
        "role": role.value,
        "holder": None if holder is None else holder.model_dump(mode="json"),
        "protocol": _protocol(state, seat, role),
        "seats": _seats(state, role),
        "agenda": {
            "name": state.scenario.name,
            "description": state.scenario.description,
            "issues": agenda_data(state.setup.agenda),
        },
        "preferences": _preferences(state, seat, role),
        "turn": {
            **turn.to_data(),
            "since": state.turn_started if turn.must_act else None,
            "round_seconds": limit,
        },
        "events": [_event_data(seq, event) for seq, event in state.events if _visible(event, seat, role)],
        "messages": _messages(state, seat, role),
        "result": _result(state),
        "text": text_data(state, seat, _held(state, seat, role)),
    }


def organiser_view(state: RoomState, *, analysis: bool = True) -> dict[str, Any]:
    """What the organiser sees of a room (its owner, outside the talks, who holds its whole record):
    shaped like the mediator's view, with every protocol event, every delegation's preferences as last
    set (and ``accord analyze``'s JSON over them, unless ``analysis`` is false), who holds each seat and
    which seats await a new link. No messages (the record's download has them), no token or hash.
    """
    view = seat_view(state, OBSERVERS)
    watched = state.mediator or state.setup.delegations[0]
    observation = state.protocol.observe(state.protocol_state, watched)
    delegations = state.setup.delegations
    view.update(
        role="organiser",
        seat="",
        holder=None,
        seats={
            **_seats(state, Role.MEDIATOR),
            "link_requests": [seat for seat in state.setup.seats if seat in state.link_requests],
        },
        preferences={
            "setting": state.created.settings.preferences,
            "delegations": {delegation: preferences_data(state, delegation) for delegation in delegations},
            "missing": [],
            "analysis": mediator_analysis(state, delegations) if analysis else None,
        },
        events=[_event_data(seq, event) for seq, event in state.events],
    )
    view["protocol"].update(
        phase=observation.phase,
        on_table=None if observation.on_table is None else list(observation.on_table),
        details={},
    )
    return view


def _event_at(state: RoomState, seq: int) -> Event:
    """The protocol event record ``seq`` carries (as the fold confirmed it against the replay)."""
    index = bisect_left(state.events, seq, key=lambda pair: pair[0])
    found, event = state.events[index]
    assert found == seq, f"record {seq} carries no confirmed protocol event"
    return event


def _record_item(
    state: RoomState, record: Stored, data: RecordData, seat: str, role: Role
) -> dict[str, Any] | None:
    """What ``seat`` may know of one record (``data``: its data as the fold parsed it), or ``None``."""
    if isinstance(data, ProtocolEvent):
        event = _event_at(state, record.seq)
        return (
            {"kind": "event", "event": _event_data(record.seq, event)}
            if _visible(event, seat, role)
            else None
        )
    if isinstance(data, ActionTaken):
        if data.seat != seat:
            return None
        return {
            "kind": "action",
            "member": data.member,
            "agent": data.agent,
            "action": data.action,
            "note": data.note,
        }
    if isinstance(data, MessageSent):
        message = state.messages[data.id]
        shown = _message_for(state, message, seat, role)
        return None if shown is None else {"kind": "message", "message": shown}
    if isinstance(data, MessageForwarded):
        shown = _forward_for(state.forwards[data.id], seat, role)
        return None if shown is None else {"kind": "message", "message": shown}
    if isinstance(data, SeatHanded | PreferencesDisclosed):
        if data.seat != seat and role is not Role.MEDIATOR:
            return None
        if isinstance(data, SeatHanded):
            return {"kind": "seat-handed", "seat": data.seat, **data.holder.model_dump(mode="json")}
        return {"kind": "preferences-disclosed", "seat": data.seat, "disclosed": data.disclosed}
    if isinstance(data, PreferencesSet):
        # Its own seat, and the mediator when it held the seat's preferences as they were set.
        if data.seat == seat or (role is Role.MEDIATOR and record.seq in state.shared_preferences):
            return {"kind": "preferences-set", "seat": data.seat, "preferences": data.preferences}
        return None
    if isinstance(data, LinkRequested):
        return {"kind": "link-requested", "seat": data.seat} if role is Role.MEDIATOR else None
    if isinstance(data, TextChanged):
        return text_item(state.text_notes[record.seq], data.change, seat, role)
    if isinstance(data, RoomCreated):
        return {
            "kind": "room-created",
            "protocol": data.protocol,
            "mediator": data.mediator,
            "delegations": list(data.delegations),
            "rounds": data.settings.rounds,
            "preferences": data.settings.preferences,
            "round_seconds": data.settings.round_seconds,
            "edit_preferences": data.settings.edit_preferences,
        }
    return None  # links: their hashes are the room's business, not a seat's


def seat_items(state: RoomState, seat: str, *, after_seq: int = 0) -> list[dict[str, Any]]:
    """The seat's view changes after record ``after_seq``, in order: one item per record it may know of.

    Each item has ``seq``, ``at`` (when the record was committed) and ``kind`` (``room-created``,
    ``event``, ``action`` (its own), ``message``, ``seat-handed``, ``preferences-disclosed``,
    ``preferences-set``, ``link-requested`` (the mediator's), ``text``, or ``turn`` alone); ``turn`` is
    added wherever the seat's turn changed. Every member of a seat gets the same items.
    """
    role = _role(state, seat)
    items = []
    start = max(0, after_seq)  # records[i] is record i + 1
    for record, data in zip(state.records[start:], state.parsed[start:], strict=True):
        item = _record_item(state, record, data, seat, role)
        change = state.turns.get(record.seq, {}).get(seat)
        if item is None and change is None:
            continue
        shown: dict[str, Any] = {"seq": record.seq, "at": record.created_at}
        shown.update(item if item is not None else {"kind": "turn"})
        if change is not None:
            shown["turn"] = change.to_data()
        items.append(shown)
    return items
