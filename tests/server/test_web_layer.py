"""The web layer's own duties, over a stand-in service: tokens, cookies, origins, headers, idempotency."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from accord.server import SECURITY_HEADERS, ServerSettings, create_app
from accord.server.access import cookie_name
from server.stand_in import StandInService

ENVOY, NORTH, OBSERVER = "t-envoy-0123456789abcdef", "t-north-0123456789abcdef", "t-observer-0123456789abc"
BASE = "http://room.test"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def run(test: Callable[[httpx.AsyncClient, StandInService], Awaitable[Any]], **settings: Any) -> Any:
    service = StandInService()
    app = create_app(service, settings=ServerSettings(**settings))

    async def main() -> Any:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
            return await test(client, service)

    return asyncio.run(main())


def test_a_seat_reads_its_view_with_its_token() -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> None:
        response = await client.get("/api/v1/rooms/r1/view", headers=bearer(NORTH))
        assert response.status_code == 200
        assert response.json()["seat"] == "North"

    run(test)


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        (bearer("not-a-token"), 401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
        (bearer(NORTH), 404),
    ],
)
def test_no_bad_or_foreign_token_reads_a_room(headers: dict[str, str], status: int) -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> None:
        room = "r1" if status == 401 else "r2"
        response = await client.get(f"/api/v1/rooms/{room}/view", headers=headers)
        assert response.status_code == status
        assert set(response.json()) == {"error"}
        if status == 401:
            assert response.headers["www-authenticate"] == "Bearer"

    run(test)


def test_a_revoked_token_is_refused() -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> None:
        assert (await client.get("/api/v1/rooms/r1/view", headers=bearer(NORTH))).status_code == 200
        service.revoked.add(NORTH)
        assert (await client.get("/api/v1/rooms/r1/view", headers=bearer(NORTH))).status_code == 401

    run(test)


def test_repeated_bad_tokens_are_limited_per_address_and_good_tokens_too_once_limited() -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> list[int]:
        statuses = [
            (await client.get("/api/v1/rooms/r1/view", headers=bearer(f"guess-{n}"))).status_code
            for n in range(5)
        ]
        # Once over the limit, even a good token gets 429: the answer must not tell guesses apart.
        statuses.append((await client.get("/api/v1/rooms/r1/view", headers=bearer(NORTH))).status_code)
        return statuses

    assert run(test, bad_token_limit="3/minute") == [401, 401, 401, 429, 429, 429]


def test_requests_without_any_token_do_not_count_as_guesses() -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> list[int]:
        statuses = [(await client.get("/api/v1/rooms/r1/view")).status_code for _ in range(4)]
        statuses.append((await client.get("/api/v1/rooms/r1/view", headers=bearer(NORTH))).status_code)
        return statuses

    assert run(test, bad_token_limit="2/minute") == [401, 401, 401, 401, 200]


@pytest.mark.parametrize("path", ["/api/v1/rooms/r1/view", "/join/t-north-0123456789abcdef", "/nowhere"])
def test_every_answer_carries_the_security_headers(path: str) -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> httpx.Response:
        return await client.get(path, headers=bearer(NORTH))

    response = run(test)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "unsafe-inline" not in response.headers["content-security-policy"]


def test_following_a_link_sets_a_strict_http_only_cookie_and_drops_the_token_from_the_url() -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> None:
        response = await client.get(f"/join/{NORTH}")
        assert response.status_code == 303
        assert response.headers["location"] == "/rooms/r1"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{cookie_name('r1')}={NORTH};")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
        page = await client.get("/rooms/r1")
        assert page.status_code == 200 and "North" in page.text
        assert NORTH not in page.text
        view = await client.get("/api/v1/rooms/r1/view")
        assert view.json()["seat"] == "North"

    run(test)


def test_over_https_the_cookie_is_secure() -> None:
    service = StandInService()
    app = create_app(service)

    async def main() -> str:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://room.test") as client:
            return (await client.get(f"/join/{NORTH}")).headers["set-cookie"]

    assert "Secure" in asyncio.run(main())


def test_a_bad_link_is_refused_and_sets_no_cookie() -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> None:
        response = await client.get("/join/not-a-token")
        assert response.status_code == 401
        assert "set-cookie" not in response.headers

    run(test)


@pytest.mark.parametrize(
    ("origin_headers", "status"),
    [
        ({"Origin": BASE}, 201),
        ({"Sec-Fetch-Site": "same-origin"}, 201),
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "http://room.test.evil.example"}, 403),
        ({}, 403),
    ],
)
def test_cookie_authenticated_changes_must_come_from_this_origin(
    origin_headers: dict[str, str], status: int
) -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> None:
        await client.get(f"/join/{NORTH}")
        response = await client.post(
            "/api/v1/rooms/r1/actions", json={"kind": "offer", "outcome": [1]}, headers=origin_headers
        )
        assert response.status_code == status
        assert service.calls == (1 if status == 201 else 0)

    run(test)


def test_bearer_requests_need_no_origin() -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> int:
        headers = {**bearer(NORTH), "Origin": "https://elsewhere.example"}
        response = await client.post("/api/v1/rooms/r1/actions", json={"kind": "offer"}, headers=headers)
        return response.status_code

    assert run(test) == 201


def test_a_retried_post_with_the_same_key_is_applied_once_and_answered_the_same() -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> None:
        headers = {**bearer(NORTH), "Idempotency-Key": "k-1"}
        first = await client.post("/api/v1/rooms/r1/actions", json={"kind": "offer"}, headers=headers)
        again = await client.post("/api/v1/rooms/r1/actions", json={"kind": "offer"}, headers=headers)
        other = await client.post(
            "/api/v1/rooms/r1/actions", json={"kind": "offer"}, headers={**headers, "Idempotency-Key": "k-2"}
        )
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json() == {"seq": 1}
        assert other.json() == {"seq": 2}
        assert service.calls == 2

    run(test)


@pytest.mark.parametrize(
    ("token", "body", "status"),
    [
        (NORTH, {"kind": "vote"}, 409),
        (OBSERVER, {"kind": "offer"}, 403),
        (NORTH, {"outcome": [1]}, 422),
    ],
)
def test_refusals_become_statuses_with_the_reason(token: str, body: dict[str, Any], status: int) -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> None:
        response = await client.post("/api/v1/rooms/r1/actions", json=body, headers=bearer(token))
        assert response.status_code == status
        assert response.json()["error"]
        assert service.calls == 0

    run(test)


def test_the_api_is_described_and_the_docs_pages_are_off() -> None:
    async def test(client: httpx.AsyncClient, service: StandInService) -> None:
        document = (await client.get("/openapi.json")).json()
        assert "/api/v1/rooms/{room}/view" in document["paths"]
        assert "/join/{token}" not in document["paths"]
        assert (await client.get("/docs")).status_code == 404

    run(test)
