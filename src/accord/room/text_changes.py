"""The room's rule for its negotiating text: every change is the text's own rule's to decide.

A room whose protocol seats a mediator (the one-text and single-text procedures, and the
proximity talks of the shuttle, which carry a text alongside) holds a text drafted from its
scenario when it opens (:func:`accord.text.text_from_scenario`, in the fold). A seat changes
it with :func:`change_text`: the room only checks who is asking (observers only watch; a
change the text gives to the mediator alone is forbidden to a delegation, and the other way
round, by :func:`accord.text.author_role`) and that the change is well formed; whether it is
legal now is :func:`accord.text.apply`'s to say, and its refusal, naming the seat, the change
and the reason, is the room's. Nothing here keeps time: the change is made at its record's time.

>>> from accord.domain import Role
>>> from accord.room.records import Settings
>>> from accord.room.rules import SeatAccess, create_room
>>> from accord.room.testing import ROOM_SCENARIO, stored
>>> state = stored("r1", create_room(scenario_text=ROOM_SCENARIO, protocol="one-text", agents={},
...                                  settings=Settings()))
>>> north = SeatAccess(room="r1", seat="north", member="m-1", role=Role.DELEGATION)
>>> records = change_text(state, north, {"kind": "support", "paragraph": "venue", "alternative": "oslo"})
>>> [record.kind for record in records], records[0].data["change"]["alternative"]
(['text-change'], 'oslo')
>>> change_text(state, north, {"kind": "confirm", "paragraph": "venue"})
Traceback (most recent call last):
...
accord.room.errors.ForbiddenError: seat 'north' may not confirm: only the mediator may do this
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.domain import Role
from accord.errors import TextError
from accord.room.errors import ForbiddenError, RefusedError
from accord.room.records import Record, TextChanged
from accord.room.rules import SeatAccess
from accord.room.state import RoomState
from accord.text import apply, author_role, change_from_data

__all__ = ["MAX_KEY", "MAX_WORDING", "change_text"]

#: The longest wording, comment or translation, in characters.
MAX_WORDING = 20_000
#: The longest paragraph or alternative key, language code or other name in a change.
MAX_KEY = 200

_LONG_FIELDS = frozenset({"text", "wording"})


def _kind(change: Mapping[str, Any]) -> str:
    kind = change.get("kind") if isinstance(change, Mapping) else None
    return kind if isinstance(kind, str) and kind else "change the text"


def _sizes(seat: str, kind: str, change: Mapping[str, Any]) -> None:
    """Refuse a change whose texts or names are too long to be a text's."""
    for name, value in change.items():
        limit = MAX_WORDING if name in _LONG_FIELDS else MAX_KEY
        texts = [value] if isinstance(value, str) else []
        if name == "wording" and isinstance(value, Mapping):
            texts = [*map(str, value.keys()), *map(str, value.values())]
        elif name == "wording" and isinstance(value, list | tuple):
            texts = [str(part) for pair in value if isinstance(pair, list | tuple) for part in pair]
        if any(len(text) > limit for text in texts):
            raise RefusedError(seat, kind, f"{name} is longer than {limit} characters")


def change_text(state: RoomState, access: SeatAccess, change: Mapping[str, Any]) -> list[Record]:
    """The record of ``access``'s change to the room's text (``change``: its kind and fields, as
    :func:`accord.text.change_to_data` gives them, without ``seat`` and ``time``, which are the room's).

    :class:`ForbiddenError` for an observer, or a seat of the wrong role for this kind of change;
    :class:`RefusedError` for a room without a text, a malformed change, or one the text refuses now.
    """
    kind = _kind(change)
    if access.role is Role.OBSERVER:
        raise ForbiddenError(access.seat, kind, "observers only watch")
    if state.text is None:
        raise RefusedError(access.seat, kind, "this room's procedure seats no mediator, so it holds no text")
    if not isinstance(change, Mapping) or "seat" in change or "time" in change:
        raise RefusedError(access.seat, kind, "a change names no seat or time: they are the room's")
    _sizes(access.seat, kind, change)
    try:
        made = change_from_data({**change, "seat": access.seat, "time": ""})
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RefusedError(access.seat, kind, f"malformed change ({error})") from None
    allowed = author_role(made)
    if allowed != "either" and allowed != access.role.value:
        raise ForbiddenError(
            access.seat,
            kind,
            f"only {'the mediator' if allowed == 'mediator' else 'a delegation'} may do this",
        )
    try:
        apply(state.text.text, made)
    except TextError as error:
        raise RefusedError(error.seat, error.action, error.reason) from None
    return [Record.of(TextChanged.of(made, access.member))]
