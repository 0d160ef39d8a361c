"""What leaves a room as a file: the seat's text as a document, the record, a seat's items.

Like every read, each renders from :mod:`accord.room.views` only, except the whole record
(the mediator's copy), which is the store's own records.
"""

from __future__ import annotations

from typing import Any

from accord.domain.names import resolve_name
from accord.errors import ArgumentError
from accord.io.text_export import export_text
from accord.room.errors import NotFoundError, RefusedError
from accord.room.state import OBSERVERS, RoomState
from accord.room.views import seat_document, seat_items
from accord.store import Store

__all__ = ["export", "text_export"]


def text_export(
    state: RoomState, seat: str, format: str, *, compare: int | None = None, language: str | None = None
) -> bytes:
    """The room's text as ``seat`` may see it, as a document in ``format`` (``docx``, ``pdf``, ``md``,
    ``html``); with ``compare``, its comparison with that revision (as the seat may see it too)."""
    text = seat_document(state, seat)
    what = "export the text"
    if text is None:
        raise RefusedError(seat, what, "this room's procedure seats no mediator, so it holds no text")
    older = None
    if compare is not None:
        try:
            older = seat_document(state, seat, revision=compare)
        except KeyError:
            raise NotFoundError(
                seat, f"compare with Rev.{compare}", f"the text is at Rev.{text.revision}"
            ) from None
    return export_text(text, format, language=language, older=older)


def export(store: Store, state: RoomState, *, seat: str | None = None) -> list[dict[str, Any]]:
    """The whole record (the mediator's copy, every stored field), or what ``seat`` was shown and when."""
    if seat is None:
        return [record.to_dict() for record in store.read(state.room)]
    if seat != OBSERVERS:
        try:  # the seat as a person typed it (accord.domain.names)
            seat = resolve_name(seat, state.seats, what="seat", argument="seat")
        except ArgumentError as error:
            raise NotFoundError("", f"export seat {seat!r}", error.reason) from None
    return seat_items(state, seat)
