"""A seat's view changes, record by record (:func:`seat_items`): what the live stream sends and
``accord room export --seat`` writes. An item depends only on its record and on what was known
when it was committed, so the export equals what was sent live.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from accord.domain import Role
from accord.protocols import Event
from accord.room.records import (
    ActionTaken,
    Adjourned,
    LinkRequested,
    MessageForwarded,
    MessageSent,
    PreferencesDisclosed,
    PreferencesSet,
    ProtocolEvent,
    Reconvened,
    RecordData,
    RoomCreated,
    SeatHanded,
    Stored,
    TextChanged,
)
from accord.room.state import RoomState
from accord.room.text_view import text_item
from accord.room.views.messages import forward_for, message_for
from accord.room.views.seat import event_data, role_of, visible

__all__ = ["seat_items"]


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
            {"kind": "event", "event": event_data(record.seq, event)} if visible(event, seat, role) else None
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
        shown = message_for(state, message, seat, role)
        return None if shown is None else {"kind": "message", "message": shown}
    if isinstance(data, MessageForwarded):
        shown = forward_for(state.forwards[data.id], seat, role)
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
    if isinstance(data, Adjourned | Reconvened):
        return {"kind": data.kind, "round": data.round, "by": data.by}
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
            "round": state.rounds[0].label,
        }
    return None  # links: their hashes are the room's business, not a seat's


def seat_items(state: RoomState, seat: str, *, after_seq: int = 0) -> list[dict[str, Any]]:
    """The seat's view changes after record ``after_seq``, in order: one item per record it may know of.

    Each item has ``seq``, ``at`` (when the record was committed) and ``kind`` (``room-created``,
    ``event``, ``action`` (its own), ``message``, ``seat-handed``, ``preferences-disclosed``,
    ``preferences-set``, ``link-requested`` (the mediator's), ``text``, ``adjourned`` and ``reconvened``
    with the round's label, or ``turn`` alone); ``turn`` is added wherever the seat's turn changed.
    Every member of a seat gets the same items.
    """
    role = role_of(state, seat)
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
