"""A seat's whole view now (:func:`seat_view`), and the parts of it every view shares: the seat's
role, the events it may read, the agenda, the seats, the rounds of talks.
"""

from __future__ import annotations

from typing import Any

from accord.domain import Agenda, DiscreteIssue, Role
from accord.frozen import thaw
from accord.protocols import Event, Observation
from accord.room.state import RoomState
from accord.room.text_view import seat_text, text_data
from accord.room.views.messages import seat_messages
from accord.room.views.preferences import held_preferences, seat_preferences
from accord.text import Text

__all__ = [
    "agenda_data",
    "event_data",
    "role_of",
    "rounds_data",
    "seat_document",
    "seat_view",
    "seats_data",
    "visible",
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


def rounds_data(state: RoomState) -> dict[str, Any]:
    """The rounds of talks: the current (or last) round's label, whether the talks stand adjourned,
    and every round held with the records that opened and adjourned it (the record's chapters)."""
    return {
        "current": state.round_label,
        "adjourned": state.adjourned,
        "held": [
            {"label": round_.label, "opened": round_.opened, "closed": round_.closed}
            for round_ in state.rounds
        ],
    }


def role_of(state: RoomState, seat: str) -> Role:
    """``seat``'s role in the room; ``KeyError`` naming the room for a seat it does not have."""
    try:
        return state.role_of(seat)
    except KeyError:
        raise KeyError(f"room {state.room!r} has no seat {seat!r}") from None


def visible(event: Event, seat: str, role: Role) -> bool:
    """Whether ``seat`` may read ``event``: an observer the public ones, any other seat those shown to it."""
    if role is Role.OBSERVER:
        return event.visible_to is None
    return event.visible_for(seat)


def event_data(seq: int, event: Event) -> dict[str, Any]:
    """A protocol event as a view shows it: its data with the ``seq`` of the record that carries it."""
    return {"seq": seq, **event.to_data()}


def seats_data(state: RoomState, role: Role) -> dict[str, Any]:
    """The seats; for the mediator also who holds each (a person or which agent) and who is awaited now."""
    seats: dict[str, Any] = {"mediator": state.mediator, "delegations": list(state.setup.delegations)}
    if role is Role.MEDIATOR:
        seats["holders"] = {seat: holder.model_dump(mode="json") for seat, holder in state.holders.items()}
        seats["awaited"] = [seat for seat in state.setup.seats if seat in state.awaited]
        seats["link_requests"] = [seat for seat in state.setup.seats if seat in state.link_requests]
    return seats


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


def _result(state: RoomState) -> dict[str, Any] | None:
    result = state.result
    if result is None:
        return None
    agreement = None
    if result.agreement is not None:
        agreement = dict(zip(state.setup.agenda.names, result.agreement, strict=True))
    return {"reason": result.reason, "agreement": agreement, "rounds": result.rounds}


def seat_view(state: RoomState, seat: str, member: str = "") -> dict[str, Any]:
    """The seat's whole view now: the JSON of ``GET /api/v1/rooms/{room}/view``.

    Keys: ``room``, ``seq`` (the last record it reflects), ``seat``, ``member``, ``role``,
    ``holder``, ``protocol``, ``seats``, ``agenda``, ``preferences``, ``turn``, ``events``
    (each with the ``seq`` of its record), ``messages``, ``result`` (``None`` while the talks go on),
    ``text`` (the negotiating text as the seat may see it, :mod:`accord.room.text_view`; ``None`` in a
    room whose procedure seats no mediator), ``rounds`` (:func:`rounds_data`).
    """
    role = role_of(state, seat)
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
        "seats": seats_data(state, role),
        "agenda": {
            "name": state.scenario.name,
            "description": state.scenario.description,
            "issues": agenda_data(state.setup.agenda),
        },
        "preferences": seat_preferences(state, seat, role),
        "turn": {
            **turn.to_data(),
            "since": state.turn_started if turn.must_act else None,
            "round_seconds": limit,
        },
        "events": [event_data(seq, event) for seq, event in state.events if visible(event, seat, role)],
        "messages": seat_messages(state, seat, role),
        "result": _result(state),
        "text": text_data(state, seat, held_preferences(state, seat, role)),
        "rounds": rounds_data(state),
    }


def seat_document(state: RoomState, seat: str, *, revision: int | None = None) -> Text | None:
    """The room's text as ``seat`` may see it (at Rev.``revision``; default: now), for exports; ``None``
    in a room without a text. ``KeyError`` for an unknown seat or a revision not reached."""
    return seat_text(state, seat, held_preferences(state, seat, role_of(state, seat)), revision=revision)
