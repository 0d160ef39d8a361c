"""A request's body is bounded and its JSON unambiguous: a huge body is answered 413 without being held,
a key given twice 422 naming it; either way nothing is recorded."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest

from accord.server.bodies import MAX_REQUEST_BYTES
from server.support import Room, bearer, in_process

PROPOSAL = {"kind": "propose", "outcome": ["geneva", "two"]}


def _actions(room: Room) -> str:
    return f"/api/v1/rooms/{room.id}/actions"


def test_a_body_declared_too_large_is_refused_before_it_is_read(room: Room) -> None:
    before = room.records()
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        chunk = b" " * 65536
        while sent < 64 * MAX_REQUEST_BYTES:
            sent += len(chunk)
            yield chunk

    async def test(client: httpx.AsyncClient) -> httpx.Response:
        headers = {**bearer(room.token("envoy")), "content-type": "application/json"}
        headers["content-length"] = str(64 * MAX_REQUEST_BYTES)
        return await client.post(_actions(room), content=endless(), headers=headers)

    response = in_process(room.service, test)
    assert response.status_code == 413
    assert response.json() == {"error": f"request: the body is larger than {MAX_REQUEST_BYTES:,} bytes"}
    assert "content-security-policy" in response.headers
    assert room.records() == before


def test_a_body_growing_too_large_is_refused_once_it_passes_the_bound(room: Room) -> None:
    before = room.records()
    sent = 0

    async def endless() -> AsyncIterator[bytes]:
        nonlocal sent
        yield json.dumps(PROPOSAL)[:-1].encode() + b', "padding": "'
        chunk = b"x" * 65536
        while sent < 16 * MAX_REQUEST_BYTES:
            sent += len(chunk)
            yield chunk

    async def test(client: httpx.AsyncClient) -> httpx.Response:
        headers = {**bearer(room.token("envoy")), "content-type": "application/json"}
        return await client.post(_actions(room), content=endless(), headers=headers)  # no length: chunked

    response = in_process(room.service, test)
    assert response.status_code == 413
    assert room.records() == before


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('{"kind": "propose", "outcome": ["geneva", "two"], "kind": "accept"}', "kind"),
        ('{"kind": "propose", "outcome": ["geneva", "two"], "extra": {"a": 1, "a": 2}}', "a"),
    ],
)
def test_a_key_given_twice_is_refused_naming_it(room: Room, body: str, key: str) -> None:
    before = room.records()

    async def test(client: httpx.AsyncClient) -> httpx.Response:
        headers = {**bearer(room.token("envoy")), "content-type": "application/json"}
        return await client.post(_actions(room), content=body.encode(), headers=headers)

    response = in_process(room.service, test)
    assert response.status_code == 422
    assert response.json() == {"error": f"body: the key {key!r} is given twice"}
    assert room.records() == before


def test_the_same_action_written_once_goes_through(room: Room) -> None:
    before = room.records()

    async def test(client: httpx.AsyncClient) -> httpx.Response:
        headers = {**bearer(room.token("envoy")), "content-type": "application/json"}
        return await client.post(_actions(room), content=json.dumps(PROPOSAL).encode(), headers=headers)

    response = in_process(room.service, test)
    assert response.status_code == 201, response.text
    assert room.records() > before
