"""Every endpoint as every role: the mediator, each delegation, a second team member, an observer.

The room is ``ROOM_SCENARIO`` under one-text, held by people: ``envoy`` mediates,
``north`` and ``south`` negotiate; north has a second member (its team).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from accord.room.service import RoomService
from accord.room.testing import ROOM_SCENARIO
from server.support import Room, bearer, in_process


def call(room: Room, test: Any) -> Any:
    return in_process(room.service, test)


async def post(client: httpx.AsyncClient, room: Room, token: str, path: str, body: Any) -> httpx.Response:
    return await client.post(f"/api/v1/rooms/{room.id}{path}", json=body, headers=bearer(token))


async def get(client: httpx.AsyncClient, room: Room, token: str, path: str) -> httpx.Response:
    return await client.get(f"/api/v1/rooms/{room.id}{path}", headers=bearer(token))


def second_member(room: Room, seat: str) -> str:
    token = room.service.issue_link(room.id, seat).token
    assert token is not None
    return token


def test_messages_reach_the_mediator_and_the_team_and_no_one_else(room: Room) -> None:
    teammate = second_member(room, "north")

    async def test(client: httpx.AsyncClient) -> dict[str, str]:
        to_mediator = await post(
            client,
            room,
            room.token("north"),
            "/messages",
            {"text": "NORTH-TO-ENVOY", "disclosure": "mediator-only"},
        )
        to_team = await post(client, room, teammate, "/messages", {"text": "NORTH-TEAM-ONLY", "to": "team"})
        assert to_mediator.status_code == to_team.status_code == 201
        return {
            seat: (await get(client, room, token, "/view")).text
            for seat, token in {
                "north": room.token("north"),
                "teammate": teammate,
                "envoy": room.token("envoy"),
                "south": room.token("south"),
                "observer": room.token("observer"),
            }.items()
        }

    views = call(room, test)
    for seat in ("north", "teammate"):
        assert "NORTH-TO-ENVOY" in views[seat] and "NORTH-TEAM-ONLY" in views[seat]
    assert "NORTH-TO-ENVOY" in views["envoy"] and "NORTH-TEAM-ONLY" not in views["envoy"]
    for seat in ("south", "observer"):
        assert "NORTH-TO-ENVOY" not in views[seat] and "NORTH-TEAM-ONLY" not in views[seat]


@pytest.mark.parametrize(
    ("seat", "body", "status"),
    [
        ("north", {"text": "hello"}, 409),  # towards the mediator a disclosure mark is required
        ("north", {"text": ""}, 422),
        ("north", {"text": "hello", "disclosure": "public"}, 422),
        ("observer", {"text": "hello", "disclosure": "attributed"}, 403),
    ],
)
def test_messages_that_are_refused(room: Room, seat: str, body: dict[str, Any], status: int) -> None:
    before = room.records()

    async def test(client: httpx.AsyncClient) -> httpx.Response:
        return await post(client, room, room.token(seat), "/messages", body)

    response = call(room, test)
    assert response.status_code == status, response.text
    assert room.records() == before


def test_forwards_follow_the_authors_mark(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> dict[str, Any]:
        ids = {}
        for mark in ("mediator-only", "attributed", "unattributed"):
            response = await post(
                client,
                room,
                room.token("north"),
                "/messages",
                {"text": f"NORTH-{mark.upper()}", "disclosure": mark},
            )
            ids[mark] = response.json()["id"]
        envoy = room.token("envoy")
        statuses = {
            "verbatim mediator-only": await post(
                client, room, envoy, f"/messages/{ids['mediator-only']}/forward", {"to": ["south"]}
            ),
            "paraphrased mediator-only": await post(
                client,
                room,
                envoy,
                f"/messages/{ids['mediator-only']}/forward",
                {"to": ["south"], "paraphrase": "SOMEONE-IS-FLEXIBLE"},
            ),
            "attributed": await post(
                client, room, envoy, f"/messages/{ids['attributed']}/forward", {"to": ["south"]}
            ),
            "unattributed": await post(
                client, room, envoy, f"/messages/{ids['unattributed']}/forward", {"to": ["south"]}
            ),
            "unknown message": await post(
                client, room, envoy, "/messages/no-such-id/forward", {"to": ["south"]}
            ),
            "by a delegation": await post(
                client, room, room.token("south"), f"/messages/{ids['attributed']}/forward", {"to": ["north"]}
            ),
            "to no one": await post(
                client, room, envoy, f"/messages/{ids['attributed']}/forward", {"to": []}
            ),
        }
        south_view = (await get(client, room, room.token("south"), "/view")).json()
        south_record = (await get(client, room, room.token("south"), "/record")).text
        return {
            "statuses": {name: response.status_code for name, response in statuses.items()},
            "ids": ids,
            "south": south_view,
            "south_record": south_record,
            "north_member": room.service.authenticate(room.token("north")),
        }

    outcome = call(room, test)
    assert outcome["statuses"] == {
        "verbatim mediator-only": 409,
        "paraphrased mediator-only": 201,
        "attributed": 201,
        "unattributed": 201,
        "unknown message": 404,
        "by a delegation": 403,
        "to no one": 422,
    }
    messages = {message["text"]: message for message in outcome["south"]["messages"]}
    assert set(messages) == {"SOMEONE-IS-FLEXIBLE", "NORTH-ATTRIBUTED", "NORTH-UNATTRIBUTED"}
    assert messages["NORTH-ATTRIBUTED"]["author"] == "north"
    # An unattributed forward and a paraphrase reveal their source nowhere in what south receives.
    shown = json.dumps([messages["NORTH-UNATTRIBUTED"], messages["SOMEONE-IS-FLEXIBLE"]])
    hidden = [outcome["ids"]["unattributed"], outcome["ids"]["mediator-only"], outcome["north_member"].member]
    for secret in hidden:
        assert (
            secret not in shown
            and secret not in json.dumps(outcome["south"])
            and secret not in outcome["south_record"]
        )
    assert '"north"' not in shown


def test_only_the_mediator_hands_seats_over_and_no_answer_carries_a_token(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> dict[str, httpx.Response]:
        envoy = room.token("envoy")
        return {
            "north tries": await post(
                client,
                room,
                room.token("north"),
                "/seats/south/holder",
                {"holder": "agent", "agent": "boulware"},
            ),
            "to an agent": await post(
                client, room, envoy, "/seats/south/holder", {"holder": "agent", "agent": "boulware"}
            ),
            "again": await post(
                client, room, envoy, "/seats/south/holder", {"holder": "agent", "agent": "boulware"}
            ),
            "a mediator's agent": await post(
                client, room, envoy, "/seats/north/holder", {"holder": "agent", "agent": "drafter"}
            ),
            "no such seat": await post(
                client, room, envoy, "/seats/west/holder", {"holder": "agent", "agent": "boulware"}
            ),
            "back to people": await post(client, room, envoy, "/seats/south/holder", {"holder": "person"}),
        }

    responses = call(room, test)
    assert {name: response.status_code for name, response in responses.items()} == {
        "north tries": 403,
        "to an agent": 201,
        "again": 409,
        "a mediator's agent": 409,
        "no such seat": 404,
        "back to people": 201,
    }
    assert all(set(response.json()) <= {"seq", "error"} for response in responses.values())


def test_a_member_replaces_its_own_link_and_the_old_one_stops_working(room: Room) -> None:
    old = room.token("north")

    async def test(client: httpx.AsyncClient) -> tuple[int, ...]:
        replaced = await client.post(f"/api/v1/rooms/{room.id}/link", headers=bearer(old))
        assert replaced.status_code == 201
        assert replaced.json()["seat"] == "north"
        new = replaced.json()["token"]
        assert new != old
        return (
            (await get(client, room, old, "/view")).status_code,
            (await get(client, room, new, "/view")).status_code,
        )

    assert call(room, test) == (401, 200)


def test_a_browser_that_replaces_its_link_gets_the_new_cookie(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> int:
        await client.get(f"/join/{room.token('south')}")
        replaced = await client.post(f"/api/v1/rooms/{room.id}/link", headers={"Origin": "http://room.test"})
        assert replaced.status_code == 201
        assert replaced.json()["token"] in replaced.headers["set-cookie"]
        return (await client.get(f"/api/v1/rooms/{room.id}/view")).status_code

    assert call(room, test) == 200


def test_every_seat_reads_its_own_record_and_only_its_own(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> dict[str, list[dict[str, Any]]]:
        await post(
            client,
            room,
            room.token("south"),
            "/messages",
            {"text": "SOUTH-PRIVATE", "disclosure": "mediator-only"},
        )
        return {
            seat: (await get(client, room, room.token(seat), "/record")).json()
            for seat in ("envoy", "north", "south", "observer")
        }

    records = call(room, test)
    for seat, record in records.items():
        assert [item["seq"] for item in record] == sorted(item["seq"] for item in record)
        assert ("SOUTH-PRIVATE" in json.dumps(record)) == (seat in ("envoy", "south"))
        assert "token_hash" not in json.dumps(record)


def test_the_observer_sees_public_events_and_no_preferences(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> dict[str, Any]:
        proposed = await post(
            client, room, room.token("envoy"), "/actions", {"kind": "propose", "outcome": ["oslo", "one"]}
        )
        assert proposed.status_code == 201
        critique = {"kind": "critique", "requests": [["venue", "geneva", 0.9]]}
        assert (await post(client, room, room.token("south"), "/actions", critique)).status_code == 201
        view: dict[str, Any] = (await get(client, room, room.token("observer"), "/view")).json()
        return view

    view = call(room, test)
    assert view["role"] == "observer"
    assert all(event["visible_to"] is None for event in view["events"])
    assert "draft" in [event["kind"] for event in view["events"]]
    assert "0.9" not in json.dumps(view["events"])
    assert not view["preferences"].get("delegations")


def test_disclosure_lets_the_mediator_see_a_delegations_preferences(service: RoomService) -> None:
    created = service.create_room(ROOM_SCENARIO, "one-text", preferences="disclosed")
    room = Room(service, created)

    async def test(client: httpx.AsyncClient) -> tuple[Any, ...]:
        before = (await get(client, room, room.token("envoy"), "/view")).json()["preferences"]
        disclosed = await post(client, room, room.token("north"), "/disclosure", {"disclosed": True})
        by_mediator = await post(client, room, room.token("envoy"), "/disclosure", {"disclosed": True})
        after = (await get(client, room, room.token("envoy"), "/view")).json()["preferences"]
        return before, disclosed.status_code, by_mediator.status_code, after

    before, disclosed, by_mediator, after = call(room, test)
    assert (disclosed, by_mediator) == (201, 403)
    assert set(before.get("delegations", {})) == set()
    assert set(after["delegations"]) == {"north"}
    assert after["missing"] == ["south"]
