"""Routes of a room and its seats: the view, actions, the live stream, the seat's record, seats and links.

Every route takes the authenticated seat through ``Depends(seat_access)`` (see
:mod:`accord.server.access`), so none can forget to check it; each is a thin
call into :class:`~accord.room.service.RoomService`, whose blocking work runs in
the threadpool (plain ``def`` routes) and whose refusals become
``403``/``404``/``409``. Whatever a route answers about the room comes from the
room's one choke point (``seat_view`` / ``seat_items``), through the service.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request, Response
from sse_starlette import EventSourceResponse

from accord.room import SeatAccess
from accord.room.service import RoomService
from accord.server.access import cookie_name, seat_access, set_session_cookie
from accord.server.live import seat_events
from accord.server.schemas import (
    ERROR_RESPONSES,
    ActionRequest,
    Created,
    DisclosureRequest,
    HolderRequest,
    Link,
    LinkRequested,
    PreferencesRequest,
    View,
)

__all__ = ["IdempotencyKey", "Seat", "Service", "router"]


async def room_service(request: Request) -> RoomService:
    """The room service the app was built with (``async``: FastAPI would run a plain function in a thread)."""
    service: RoomService = request.app.state.service
    return service


Seat = Annotated[SeatAccess, Depends(seat_access)]
Service = Annotated[RoomService, Depends(room_service)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="A client-chosen key: a retried request with the same key is applied once "
        "and answered as the first time.",
    ),
]

router = APIRouter(prefix="/api/v1/rooms/{room}", responses=ERROR_RESPONSES, tags=["rooms"])


@router.get("/view", response_model=View, summary="The seat's whole view")
def view(access: Seat, service: Service) -> dict[str, Any]:
    return service.view(access)


@router.post("/actions", status_code=201, response_model=Created, summary="Act at the seat's turn")
def act(action: ActionRequest, access: Seat, service: Service, key: IdempotencyKey = None) -> Created:
    issued = service.act(access, action.model_dump(), idempotency_key=key)
    return Created(seq=issued.seq)


@router.get(
    "/record",
    response_model=list[dict[str, Any]],
    summary="What this seat was shown, and when (its record, for the debrief)",
)
def record(access: Seat, service: Service) -> list[dict[str, Any]]:
    return service.export(access.room, seat=access.seat)


@router.post(
    "/disclosure",
    status_code=201,
    response_model=Created,
    summary="A delegation lets the mediator see its preferences, or withdraws them (disclosed rooms)",
)
def disclose(
    disclosure: DisclosureRequest, access: Seat, service: Service, key: IdempotencyKey = None
) -> Created:
    issued = service.set_disclosure(access, disclosure.disclosed, idempotency_key=key)
    return Created(seq=issued.seq)


@router.post(
    "/preferences",
    status_code=201,
    response_model=Created,
    summary="A delegation replaces its own preferences (before the talks; during them where allowed)",
)
def set_preferences(
    preferences: PreferencesRequest, access: Seat, service: Service, key: IdempotencyKey = None
) -> Created:
    issued = service.set_preferences(access, preferences.preferences, idempotency_key=key)
    return Created(seq=issued.seq)


#: Where a seat's people get the new link after the mediator revoked their links.
COLLECT = "from the organiser: the organiser's page of this server, or `accord room link ROOM --seat SEAT`"


@router.post(
    "/seats/{seat}/links",
    status_code=201,
    response_model=LinkRequested,
    summary="The mediator revokes every link of a seat at once; the organiser issues the new one",
)
def request_link(seat: str, access: Seat, service: Service, key: IdempotencyKey = None) -> LinkRequested:
    issued = service.request_link(access, seat, idempotency_key=key)
    # The new link is never issued here: no answer carries another seat's token.
    return LinkRequested(seq=issued.seq, collect=COLLECT)


@router.post(
    "/seats/{seat}/holder",
    status_code=201,
    response_model=Created,
    summary="The mediator hands a seat to an agent or back to its people",
)
def hand_seat(
    seat: str, holder: HolderRequest, access: Seat, service: Service, key: IdempotencyKey = None
) -> Created:
    agent = holder.agent if holder.holder == "agent" else None
    issued = service.hand_seat(access.room, seat, agent, by=access, idempotency_key=key)
    # A new link the service may have issued for a seat without people is not shown here:
    # no answer carries another seat's token (the organiser issues links from the command line).
    return Created(seq=issued.seq)


@router.post(
    "/link",
    status_code=201,
    response_model=Link,
    summary="Replace this member's own link (the old one stops working)",
)
def replace_link(request: Request, response: Response, access: Seat, service: Service) -> Link:
    issued = service.reissue_link(access.room, access.seat, access.member)
    assert issued.token is not None
    if request.cookies.get(cookie_name(access.room)):
        set_session_cookie(request, response, access.room, issued.token)
    return Link(seat=access.seat, token=issued.token)


@router.get(
    "/stream",
    response_class=EventSourceResponse,
    responses={
        200: {
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "description": "The seat's view items as Server-Sent Events, each with `id` = its `seq`.",
        }
    },
    summary="Live: the seat's view changes as Server-Sent Events (resume with Last-Event-ID)",
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
        request.state.token,
        last_event_id or 0,
        state.broadcaster,
        poll_seconds=state.settings.poll_seconds,
    )
    return EventSourceResponse(events, ping=state.settings.heartbeat_seconds)
