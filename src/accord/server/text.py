"""Routes of the room's negotiating text: the seat's text, its changes, and exports of it.

Thin over the room's service, like :mod:`accord.server.rooms`: the seat comes from
``Depends(seat_access)``; which change is legal now is the text's own rule
(:func:`accord.text.apply`, through the room). Every answer is the seat's own view of the
text: the JSON, and the exports (``docx``, ``pdf``, ``md``, ``html``, or a comparison with an
earlier revision), which render only what the seat may see.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Response

from accord.server.rooms import IdempotencyKey, Seat, Service
from accord.server.schemas import ERROR_RESPONSES, EXPORT_TYPES, Created, TextChangeRequest, TextView

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/rooms/{room}/text", responses=ERROR_RESPONSES, tags=["text"])


@router.get("", response_model=TextView, summary="The room's text as this seat may see it")
def text(access: Seat, service: Service) -> dict[str, Any]:
    shown: dict[str, Any] | None = service.view(access)["text"]
    if shown is None:
        raise HTTPException(404, "this room's procedure seats no mediator, so it holds no text")
    return shown


@router.post(
    "/changes",
    status_code=201,
    response_model=Created,
    summary="Change the text: the mediator drafts; a delegation proposes, supports, comments, accepts",
)
def change(change: TextChangeRequest, access: Seat, service: Service, key: IdempotencyKey = None) -> Created:
    data = change.model_dump(mode="json", exclude_none=True)
    issued = service.change_text(access, data, idempotency_key=key)
    return Created(seq=issued.seq)


@router.get(
    "/export",
    response_class=Response,
    responses={
        200: {
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}} for media in EXPORT_TYPES.values()
            },
            "description": "The seat's text as a document (or the comparison with revision `compare`).",
        }
    },
    summary="The text as this seat may see it, as a document: DOCX, PDF, Markdown or HTML",
)
def export(
    access: Seat,
    service: Service,
    format: Literal["docx", "pdf", "md", "html"] = "html",
    compare: Annotated[int | None, Query(ge=0, description="An earlier revision to compare with.")] = None,
    language: Annotated[str | None, Query(min_length=1, max_length=20)] = None,
) -> Response:
    document = service.text_export(access, format, compare=compare, language=language)
    name = f"text-{access.room}" + (f"-compared-with-rev{compare}" if compare is not None else "")
    return Response(
        document,
        media_type=EXPORT_TYPES[format],
        headers={
            "content-disposition": f'attachment; filename="{name}.{format}"',
            "cache-control": "no-store",
        },
    )
