"""Who is asking: the one authentication dependency every room route takes.

A seat's link carries a high-entropy token. Scripts and agents send it as
``Authorization: Bearer <token>``; a browser that followed the link holds it in
an HttpOnly, SameSite=Strict cookie named after the room (see :func:`cookie_name`).
:func:`seat_access` turns either into the service's ``SeatAccess`` or refuses:

* no token, or one the room does not know or has revoked → ``401``; every bad
  token counts against the client address, and an address over
  ``ServerSettings.bad_token_limit`` gets ``429`` before its token is even looked
  at (``limits``' moving window, so the answer is no oracle);
* a token of another room → ``404`` (the room is not this seat's to see);
* a state-changing request authenticated by the cookie must come from this
  origin (``Origin``, or ``Sec-Fetch-Site: same-origin`` when a browser sends no
  ``Origin`` or ``Origin: null``) → ``403`` otherwise. Bearer requests carry no ambient authority, so
  they need no such check.

>>> cookie_name("r-42")
'accord_room_r-42'
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.concurrency import run_in_threadpool

from accord.room import SeatAccess

__all__ = [
    "BadTokenLimiter",
    "cookie_name",
    "same_origin",
    "seat_access",
    "set_session_cookie",
    "token_access",
]

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_COOKIE_SAFE = re.compile(r"[^A-Za-z0-9_-]")

bearer = HTTPBearer(auto_error=False, description="A seat's token, from its link.")


def cookie_name(room: str) -> str:
    """The session cookie of one room (one per room, so a browser can sit in several rooms)."""
    return "accord_room_" + _COOKIE_SAFE.sub("_", room)


def set_session_cookie(request: Request, response: Response, room: str, token: str) -> None:
    """Hold ``token`` in the room's HttpOnly, SameSite=Strict cookie (``Secure`` over HTTPS)."""
    settings = request.app.state.settings
    secure = settings.secure_cookies if settings.secure_cookies is not None else request.url.scheme == "https"
    response.set_cookie(cookie_name(room), token, httponly=True, samesite="strict", secure=secure, path="/")


class BadTokenLimiter:
    """Counts bad tokens per client address with ``limits``' moving window.

    >>> limiter = BadTokenLimiter("2/minute")
    >>> limiter.allows("10.0.0.1")
    True
    >>> limiter.record("10.0.0.1"); limiter.record("10.0.0.1")
    >>> limiter.allows("10.0.0.1"), limiter.allows("10.0.0.2")
    (False, True)
    """

    def __init__(self, limit: str) -> None:
        self._limit: RateLimitItem = parse(limit)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def allows(self, address: str) -> bool:
        """Whether this address may still present a token."""
        return self._limiter.test(self._limit, "bad-token", address)

    def record(self, address: str) -> None:
        """Count one bad token from this address."""
        self._limiter.hit(self._limit, "bad-token", address)


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def _unauthorised(reason: str) -> HTTPException:
    return HTTPException(401, reason, headers={"WWW-Authenticate": "Bearer"})


async def token_access(request: Request, token: str) -> SeatAccess:
    """The ``SeatAccess`` of ``token``, or ``401``/``429``; counts bad tokens per client address."""
    limiter: BadTokenLimiter = request.app.state.bad_tokens
    address = _address(request)
    if not limiter.allows(address):
        raise HTTPException(429, "too many bad tokens from this address; try again later")
    service = request.app.state.service
    # From memory on the event loop when it can tell (the common case); else the store, in a thread.
    access: SeatAccess | None = service.authenticate_in_memory(token) or await run_in_threadpool(
        service.authenticate, token
    )
    if access is None:
        limiter.record(address)
        raise _unauthorised("this link is not valid (unknown or revoked)")
    return access


def same_origin(request: Request) -> bool:
    """Whether a state-changing browser request comes from this origin (see the module docstring)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        # A browser sends no Origin, or "null" for a form posted under ``Referrer-Policy: no-referrer``
        # (the pages' policy); its ``Sec-Fetch-Site``, which no page can set, still says where it came from.
        return request.headers.get("sec-fetch-site") == "same-origin"
    own = f"{request.url.scheme}://{request.url.netloc}"
    return origin.rstrip("/") == own


async def seat_access(
    request: Request,
    room: str,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> SeatAccess:
    """The authenticated seat of a request on ``/api/v1/rooms/{room}/…`` (see the module docstring)."""
    if credentials is not None:
        token, by_cookie = credentials.credentials, False
    else:
        cookie = request.cookies.get(cookie_name(room))
        if not cookie:
            raise _unauthorised("a seat's token is needed (Authorization: Bearer, or the link's cookie)")
        token, by_cookie = cookie, True
    access = await token_access(request, token)
    request.state.token = token  # for a stream, to notice when the link stops working
    if access.room != room:
        raise HTTPException(404, f"no room {room!r} for this link")
    if by_cookie and request.method not in _SAFE_METHODS and not same_origin(request):
        raise HTTPException(403, "cross-origin request refused")
    return access
