"""Routes of a room and its seats: the view, actions, the live stream, the record, seats and links.

Every route takes the authenticated seat through ``Depends(seat_access)`` (see
:mod:`accord.server.access`), so none can forget to check it; each is a thin
call into the room's service, whose blocking work runs in the threadpool
(plain ``def`` routes) and whose refusals become ``403``/``404``/``409``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request
from sse_starlette import EventSourceResponse

from accord.server.access import seat_access
from accord.server.live import seat_events
from accord.server.schemas import ERROR_RESPONSES, ActionRequest, Created, HolderRequest, Link

__all__ = ["IdempotencyKey", "Seat", "Service", "router"]


def room_service(request: Request) -> Any:
    """The room service the app was built with."""
    return request.app.state.service


Seat = Annotated[Any, Depends(seat_access)]
Service = Annotated[Any, Depends(room_service)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="A client-chosen key: a retried request with the same key is applied once.",
    ),
]

router = APIRouter(prefix="/api/v1/rooms/{room}", responses=ERROR_RESPONSES, tags=["rooms"])


@router.get("/view", response_model=dict[str, Any], summary="The seat's whole view")
def view(access: Seat, service: Service) -> Any:
    return service.view(access)


@router.post("/actions", status_code=201, response_model=Created, summary="Act at the seat's turn")
def act(action: ActionRequest, access: Seat, service: Service, key: IdempotencyKey = None) -> Created:
    seq = service.act(access, action.model_dump(), idempotency_key=key)
    return Created(seq=seq)


@router.get("/record", response_model=list[dict[str, Any]], summary="The whole record (mediator)")
def record(access: Seat, service: Service) -> Any:
    return service.record(access)


@router.post(
    "/seats/{seat}/holder",
    status_code=201,
    response_model=Created,
    summary="Hand a seat to a person or agent",
)
def hand_seat(
    seat: str,
    holder: HolderRequest,
    access: Seat,
    service: Service,
    key: IdempotencyKey = None,
) -> Created:
    seq = service.hand_seat(access, seat, holder.holder, holder.agent, idempotency_key=key)
    return Created(seq=seq)


@router.post(
    "/seats/{seat}/links", status_code=201, response_model=Link, summary="Issue a new link to a seat"
)
def reissue_link(seat: str, access: Seat, service: Service, key: IdempotencyKey = None) -> Link:
    token = service.reissue_link(access, seat, idempotency_key=key)
    return Link(seat=seat, token=token)


@router.get(
    "/stream",
    response_class=EventSourceResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "The seat's view items as SSE."}},
    summary="Live: the seat's view items as Server-Sent Events",
)
async def stream(
    request: Request,
    access: Seat,
    service: Service,
    last_event_id: Annotated[int | None, Header(alias="Last-Event-ID", ge=0)] = None,
) -> EventSourceResponse:
    state = request.app.state
    events = seat_events(
        service,
        access,
        last_event_id or 0,
        state.broadcaster,
        poll_seconds=state.settings.poll_seconds,
    )
    return EventSourceResponse(events, ping=state.settings.heartbeat_seconds)
