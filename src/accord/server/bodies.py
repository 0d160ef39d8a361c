"""What a request may carry: a bounded body, and JSON without a key given twice.

:class:`RequestBodies` is pure ASGI middleware. A request with a body (``POST``, ``PUT``,
``PATCH``, ``DELETE``) is read before the app sees it, up to :data:`MAX_REQUEST_BYTES`: a
larger one — by its ``Content-Length`` or by what arrives — is answered ``413`` without
holding more, so no client can make the server hold gigabytes. A JSON body in which an object
gives a key twice is answered ``422`` naming the key: which of the two values was meant is not
the server's to guess (the scenario files refuse repeated keys alike). Anything else passes on
with the body as it came; event streams and pages (``GET``) pass untouched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MAX_REQUEST_BYTES", "RequestBodies", "repeated_key"]

#: The largest request body: a scenario file uploaded by the organiser (2 MB) with its form, and room.
MAX_REQUEST_BYTES = 4 * 1024 * 1024

_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _RepeatedKeyError(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _refuse_repeats(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RepeatedKeyError(key)
        found[key] = value
    return found


def repeated_key(body: bytes) -> str | None:
    """The first key some object of the JSON ``body`` gives twice, or ``None`` (also when it is no JSON:
    the app says what is wrong with it).

    >>> repeated_key(b'{"kind": "offer", "outcome": ["a"], "kind": "accept"}')
    'kind'
    >>> repeated_key(b'{"kind": "offer", "outcome": [{"a": 1}, {"a": 2}]}') is None
    True
    """
    try:
        json.loads(body, object_pairs_hook=_refuse_repeats)
    except _RepeatedKeyError as repeated:
        return repeated.key
    except (ValueError, RecursionError):
        return None
    return None


async def _answer(send: Send, status: int, error: str) -> None:
    body = json.dumps({"error": error}).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value)
    return b""


class RequestBodies:
    """Pure ASGI middleware: bounded request bodies, JSON without repeated keys (module docstring)."""

    def __init__(self, app: ASGIApp, *, most_bytes: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.most_bytes = most_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        too_large = f"request: the body is larger than {self.most_bytes:,} bytes"
        declared = _header(scope, b"content-length")
        if declared.isdigit() and int(declared) > self.most_bytes:
            await _answer(send, 413, too_large)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.most_bytes:
                await _answer(send, 413, too_large)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if b"json" in _header(scope, b"content-type").lower():
            key = repeated_key(body)
            if key is not None:
                await _answer(send, 422, f"body: the key {key!r} is given twice")
                return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
