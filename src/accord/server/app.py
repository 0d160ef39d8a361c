"""The application factory: ``create_app(service_or_store)`` builds the room's FastAPI app.

The app holds the room service, the settings, the bad-token limiter and the
broadcaster that wakes event streams; its routers are :mod:`accord.server.rooms`,
:mod:`accord.server.messages`, :mod:`accord.server.text` and :mod:`accord.server.pages`. Around them:

* every answer carries the security headers (:data:`SECURITY_HEADERS`: a
  Content-Security-Policy without inline scripts, ``nosniff``, no referrer);
* every error is ``{"error": reason}``: the room's refusals become ``409``
  (``Refused``), ``403`` (``Forbidden``) or ``404`` (``NotFound``), malformed
  requests ``422``;
* the interactive docs pages are off (they need inline scripts); the API is
  described at ``/openapi.json``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.errors import AccordError, ArgumentError, ProtocolError
from accord.room import ForbiddenError, NotFoundError, RoomError
from accord.room.service import RoomService
from accord.server import messages, pages, rooms, text
from accord.server.access import BadTokenLimiter
from accord.server.bodies import RequestBodies
from accord.server.live import Broadcaster
from accord.server.settings import ServerSettings
from accord.store import Store

__all__ = ["SECURITY_HEADERS", "create_app"]

_log = logging.getLogger("accord.server")

#: Headers on every answer, pages and API alike.
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
_RAW_HEADERS = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()]


class SecurityHeaders:
    """Pure ASGI middleware (streams pass through untouched) adding :data:`SECURITY_HEADERS`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *_RAW_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _status(error: Exception) -> int:
    if isinstance(error, ArgumentError):  # a request's parameter the room cannot take (a text's language)
        return 422
    if isinstance(error, ForbiddenError):
        return 403
    if isinstance(error, NotFoundError):
        return 404
    return 409


async def _room_error(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse({"error": str(error)}, status_code=_status(error))


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    return JSONResponse({"error": str(error.detail)}, status_code=error.status_code, headers=error.headers)


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    first = error.errors()[0] if error.errors() else {"loc": (), "msg": "malformed request"}
    where = ".".join(str(part) for part in first.get("loc", ())) or "request"
    return JSONResponse({"error": f"{where}: {first.get('msg', 'malformed')}"}, status_code=422)


async def _expire_overdue(service: RoomService, every: float) -> None:
    """Record overdue people as passing or walking away (rooms with ``round_seconds``), every ``every`` s."""
    while True:
        await asyncio.sleep(every)
        try:
            await run_in_threadpool(service.expire)
        except Exception:  # the store is away for a moment: log it and try again next time
            _log.exception("accord serve: recording overdue seats failed")


def _load_rooms(service: RoomService) -> None:
    """Bring every room into memory before the first request, so that no request waits for the others'."""
    for room in service.rooms():
        try:
            service.state(room)
        except AccordError as error:  # a damaged record: that room answers with the error, the others serve
            _log.error("accord serve: room %s cannot be loaded: %s", room, error)


def create_app(service_or_store: RoomService | Store, *, settings: ServerSettings | None = None) -> FastAPI:
    """The room's web app over a :class:`RoomService`, or a store (then it owns the service it builds).

    When it starts (its lifespan) it loads every room of the store; while it runs,
    it follows the store's new records to wake event streams, and records people
    whose time limit passed.
    """
    settings = settings or ServerSettings()
    owned = not isinstance(service_or_store, RoomService)
    service = RoomService(service_or_store) if isinstance(service_or_store, Store) else service_or_store
    broadcaster = Broadcaster()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        broadcaster.bind(asyncio.get_running_loop())
        # First, so that no record committed while loading is missed; this process's own records wake
        # the streams at once, other processes' through the store's fan-out.
        await run_in_threadpool(service.follow, lambda room, seq: broadcaster.publish_rooms([(room, seq)]))
        await run_in_threadpool(_load_rooms, service)
        subscription = service.store.subscribe(
            lambda batch: broadcaster.publish_rooms((n.room, n.seq) for n in batch)
        )
        expiry = asyncio.create_task(_expire_overdue(service, settings.expiry_seconds))
        try:
            yield
        finally:
            expiry.cancel()
            subscription.close()
            service.unfollow()
            if owned:
                await run_in_threadpool(service.close)

    app = FastAPI(
        title="Accord room",
        version="1",
        summary="Mediated multi-party talks for people and agents.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.settings = settings
    app.state.broadcaster = broadcaster
    app.state.bad_tokens = BadTokenLimiter(settings.bad_token_limit)
    handlers: dict[Any, Callable[[Request, Exception], Awaitable[JSONResponse]]] = {
        RoomError: _room_error,
        ProtocolError: _room_error,
        ArgumentError: _room_error,
        HTTPException: _http_error,
        RequestValidationError: _validation_error,
    }
    for kind, handler in handlers.items():
        app.add_exception_handler(kind, handler)
    for module in (rooms, messages, text, pages):
        app.include_router(module.router)
    app.add_middleware(RequestBodies)
    app.add_middleware(SecurityHeaders)  # added last, it is outermost: every answer carries the headers
    return app
