"""Routes of proximity messaging: a delegation writes to the mediator or its team; the mediator forwards.

Thin over the room's service, like :mod:`accord.server.rooms`: the seat comes
from ``Depends(seat_access)``; the rules (who may write to whom, what a mark
allows, that an ``unattributed`` forward names no author) are the room's.
"""

from __future__ import annotations

from fastapi import APIRouter

from accord.server.rooms import IdempotencyKey, Seat, Service
from accord.server.schemas import ERROR_RESPONSES, ForwardRequest, MessageCreated, MessageRequest

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/rooms/{room}/messages", responses=ERROR_RESPONSES, tags=["messages"])


@router.post("", status_code=201, response_model=MessageCreated, summary="Write to the mediator or the team")
def send_message(
    message: MessageRequest, access: Seat, service: Service, key: IdempotencyKey = None
) -> MessageCreated:
    issued = service.message(
        access, message.text, disclosure=message.disclosure, to=message.to, idempotency_key=key
    )
    return MessageCreated(id=issued.id or "", seq=issued.seq)


@router.post(
    "/{message_id}/forward", status_code=201, response_model=MessageCreated, summary="Forward (mediator)"
)
def forward_message(
    message_id: str,
    forward: ForwardRequest,
    access: Seat,
    service: Service,
    key: IdempotencyKey = None,
) -> MessageCreated:
    issued = service.forward(
        access, message_id, forward.to, paraphrase=forward.paraphrase, idempotency_key=key
    )
    return MessageCreated(id=issued.id or "", seq=issued.seq)
