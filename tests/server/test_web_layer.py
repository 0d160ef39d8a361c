"""The web layer's own duties: tokens, the rate limit, cookies, origins, headers, idempotency, errors."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from accord.room.service import RoomService
from accord.room.testing import ROOM_SCENARIO
from accord.server import SECURITY_HEADERS, create_app
from accord.server.access import cookie_name
from server.support import BASE, Room, bearer, in_process

PROPOSAL = {"kind": "propose", "outcome": ["geneva", "two"]}


def test_a_seat_reads_its_view_with_its_token(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> dict[str, Any]:
        response = await client.get(f"/api/v1/rooms/{room.id}/view", headers=bearer(room.token("north")))
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    view = in_process(room.service, test)
    assert (view["room"], view["seat"], view["role"]) == (room.id, "north", "delegation")


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        (bearer("not-a-token"), 401),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, 401),
    ],
)
def test_no_token_or_a_bad_one_reads_nothing(room: Room, headers: dict[str, str], status: int) -> None:
    async def test(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get(f"/api/v1/rooms/{room.id}/view", headers=headers)

    response = in_process(room.service, test)
    assert response.status_code == status
    assert set(response.json()) == {"error"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_token_opens_its_own_room_only(room: Room, service: RoomService) -> None:
    other = service.create_room(ROOM_SCENARIO, "one-text")

    async def test(client: httpx.AsyncClient) -> list[int]:
        return [
            (
                await client.get(f"/api/v1/rooms/{target}/view", headers=bearer(room.token("north")))
            ).status_code
            for target in (other.room, "no-such-room", room.id)
        ]

    assert in_process(service, test) == [404, 404, 200]


def test_a_revoked_link_is_refused(room: Room) -> None:
    token = room.token("south")
    access = room.service.authenticate(token)
    assert access is not None

    async def test(client: httpx.AsyncClient) -> list[int]:
        before = await client.get(f"/api/v1/rooms/{room.id}/view", headers=bearer(token))
        room.service.revoke_link(room.id, "south", access.member)
        after = await client.get(f"/api/v1/rooms/{room.id}/view", headers=bearer(token))
        return [before.status_code, after.status_code]

    assert in_process(room.service, test) == [200, 401]


def test_repeated_bad_tokens_are_limited_per_address_even_before_a_good_token(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> list[int]:
        path = f"/api/v1/rooms/{room.id}/view"
        statuses = [(await client.get(path, headers=bearer(f"guess-{n}"))).status_code for n in range(5)]
        # Over the limit even a good token gets 429: the answer must not tell guesses apart.
        statuses.append((await client.get(path, headers=bearer(room.token("north")))).status_code)
        return statuses

    assert in_process(room.service, test, bad_token_limit="3/minute") == [401, 401, 401, 429, 429, 429]


def test_requests_without_a_token_are_not_counted_as_guesses(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> list[int]:
        path = f"/api/v1/rooms/{room.id}/view"
        statuses = [(await client.get(path)).status_code for _ in range(4)]
        statuses.append((await client.get(path, headers=bearer(room.token("north")))).status_code)
        return statuses

    assert in_process(room.service, test, bad_token_limit="2/minute") == [401, 401, 401, 401, 200]


def test_bad_links_followed_in_a_browser_count_too(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> list[int]:
        return [(await client.get(f"/join/guess-{n}")).status_code for n in range(3)]

    assert in_process(room.service, test, bad_token_limit="2/minute") == [401, 401, 429]


@pytest.mark.parametrize("path", ["/api/v1/rooms/{room}/view", "/join/bad", "/nowhere", "/openapi.json"])
def test_every_answer_carries_the_security_headers(room: Room, path: str) -> None:
    async def test(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get(path.format(room=room.id), headers=bearer(room.token("north")))

    response = in_process(room.service, test)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "unsafe-inline" not in response.headers["content-security-policy"]


def test_following_a_link_sets_a_strict_http_only_cookie_and_leaves_the_token_behind(room: Room) -> None:
    token = room.token("north")

    async def test(client: httpx.AsyncClient) -> None:
        response = await client.get(f"/join/{token}")
        assert response.status_code == 303
        assert response.headers["location"] == f"/rooms/{room.id}"
        cookie = response.headers["set-cookie"]
        assert cookie.startswith(f"{cookie_name(room.id)}={token};")
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" not in cookie
        page = await client.get(f"/rooms/{room.id}")
        assert page.status_code == 200 and "north" in page.text
        assert token not in page.text
        view = await client.get(f"/api/v1/rooms/{room.id}/view")
        assert view.json()["seat"] == "north"

    in_process(room.service, test)


def test_over_https_the_session_cookie_is_secure(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> str:
        return (await client.get(f"/join/{room.token('north')}")).headers["set-cookie"]

    assert "; Secure" in in_process(room.service, test, base_url="https://room.test")


def test_a_bad_link_sets_no_cookie(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> httpx.Response:
        return await client.get("/join/not-a-token")

    response = in_process(room.service, test)
    assert response.status_code == 401
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    ("origin_headers", "status"),
    [
        ({"Origin": BASE}, 201),
        ({"Sec-Fetch-Site": "same-origin"}, 201),
        ({"Origin": "https://evil.example"}, 403),
        ({"Origin": "http://room.test.evil.example"}, 403),
        ({"Sec-Fetch-Site": "cross-site"}, 403),
        ({}, 403),
    ],
)
def test_cookie_authenticated_changes_must_come_from_this_origin(
    room: Room, origin_headers: dict[str, str], status: int
) -> None:
    before = room.records()

    async def test(client: httpx.AsyncClient) -> int:
        await client.get(f"/join/{room.token('envoy')}")
        response = await client.post(
            f"/api/v1/rooms/{room.id}/actions", json=PROPOSAL, headers=origin_headers
        )
        return response.status_code

    assert in_process(room.service, test) == status
    assert (room.records() > before) == (status == 201)


def test_cookie_authenticated_reads_need_no_origin(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> int:
        await client.get(f"/join/{room.token('north')}")
        return (await client.get(f"/api/v1/rooms/{room.id}/view")).status_code

    assert in_process(room.service, test) == 200


def test_bearer_requests_carry_no_ambient_authority_so_need_no_origin(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> int:
        headers = {**bearer(room.token("envoy")), "Origin": "https://elsewhere.example"}
        return (
            await client.post(f"/api/v1/rooms/{room.id}/actions", json=PROPOSAL, headers=headers)
        ).status_code

    assert in_process(room.service, test) == 201


def test_a_retried_post_with_the_same_key_is_applied_once_and_answered_the_same(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> None:
        path = f"/api/v1/rooms/{room.id}/messages"
        body = {"text": "Could we meet on Tuesday?", "disclosure": "attributed"}
        headers = {**bearer(room.token("north")), "Idempotency-Key": "k-1"}
        first = await client.post(path, json=body, headers=headers)
        before = room.records()
        again = await client.post(path, json=body, headers=headers)
        assert room.records() == before
        other = await client.post(path, json=body, headers={**headers, "Idempotency-Key": "k-2"})
        assert first.status_code == again.status_code == other.status_code == 201
        assert first.json() == again.json()
        assert other.json()["id"] != first.json()["id"]
        assert other.json()["seq"] > first.json()["seq"]

    in_process(room.service, test)


def test_a_retried_action_is_answered_the_same_even_once_the_turn_has_passed(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> None:
        path = f"/api/v1/rooms/{room.id}/actions"
        headers = {**bearer(room.token("envoy")), "Idempotency-Key": "draft-1"}
        first = await client.post(path, json=PROPOSAL, headers=headers)
        again = await client.post(path, json=PROPOSAL, headers=headers)
        fresh = await client.post(path, json=PROPOSAL, headers={**headers, "Idempotency-Key": "draft-2"})
        assert (first.status_code, again.status_code, fresh.status_code) == (201, 201, 409)
        assert first.json() == again.json()

    in_process(room.service, test)


@pytest.mark.parametrize(
    ("seat", "body", "status"),
    [
        ("north", PROPOSAL, 409),
        ("observer", PROPOSAL, 403),
        ("north", {"outcome": ["geneva", "two"]}, 422),
        ("envoy", {"kind": "propose", "outcome": ["geneva"]}, 409),
        ("envoy", {"kind": "no-such-kind"}, 409),
    ],
)
def test_refusals_become_statuses_with_the_reason(
    room: Room, seat: str, body: dict[str, Any], status: int
) -> None:
    before = room.records()

    async def test(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post(
            f"/api/v1/rooms/{room.id}/actions", json=body, headers=bearer(room.token(seat))
        )

    response = in_process(room.service, test)
    assert response.status_code == status, response.text
    assert set(response.json()) == {"error"} and response.json()["error"]
    assert room.records() == before


def test_the_api_is_described_and_the_docs_pages_are_off(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> None:
        document = (await client.get("/openapi.json")).json()
        assert "/api/v1/rooms/{room}/view" in document["paths"]
        assert "/join/{token}" not in document["paths"]
        assert (await client.get("/docs")).status_code == 404

    in_process(room.service, test)


def test_the_app_can_be_built_over_a_store(room: Room) -> None:
    app = create_app(room.service.store)

    async def main() -> int:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as client:
            response = await client.get(f"/api/v1/rooms/{room.id}/view", headers=bearer(room.token("south")))
            return response.status_code

    assert asyncio.run(main()) == 200


def test_a_burst_of_first_requests_after_a_start_is_let_in(room: Room) -> None:
    """A fresh process knows no token: concurrent first requests must all wait for one reload, not fail."""
    fresh = RoomService(room.service.store, background=False)
    tokens = [room.token(seat) for seat in ("envoy", "north", "south", "observer")] * 3

    async def test(client: httpx.AsyncClient) -> list[int]:
        path = f"/api/v1/rooms/{room.id}/view"
        answers = await asyncio.gather(*(client.get(path, headers=bearer(token)) for token in tokens))
        return [answer.status_code for answer in answers]

    try:
        assert in_process(fresh, test) == [200] * len(tokens)
    finally:
        fresh.close()
