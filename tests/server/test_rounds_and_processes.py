"""The web API of rounds (the mediator adjourns and reconvenes) and of a room's process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from accord.cli.process import load_process_file
from accord.room.service import RoomService
from accord.room.service.processes import create_process
from server.support import Room, bearer, in_process

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "geneva-astana-2017.yaml"


def test_the_mediator_adjourns_and_reconvenes_and_a_delegation_may_not(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> list[Any]:
        base = f"/api/v1/rooms/{room.id}"
        answers = [await client.post(f"{base}/adjourn", headers=bearer(room.token("north")))]
        answers.append(await client.post(f"{base}/adjourn", headers=bearer(room.token("envoy"))))
        answers.append(
            await client.post(
                f"{base}/actions",
                json={"kind": "propose", "outcome": ["oslo", "two"]},
                headers=bearer(room.token("envoy")),
            )
        )
        answers.append(
            await client.post(
                f"{base}/reconvene", json={"round": "Round 2"}, headers=bearer(room.token("envoy"))
            )
        )
        answers.append(await client.get(f"{base}/view", headers=bearer(room.token("observer"))))
        return answers

    refused, adjourned, while_adjourned, reconvened, view = in_process(room.service, test)
    assert refused.status_code == 403
    assert adjourned.status_code == 201
    assert (
        while_adjourned.status_code == 409
        and "adjourned (round 'Round 1' closed)" in while_adjourned.json()["error"]
    )
    assert reconvened.status_code == 201
    assert view.json()["rounds"]["current"] == "Round 2"


def test_a_rooms_process_is_served_to_its_seats_and_a_plain_room_has_none(
    service: RoomService, room: Room
) -> None:
    created = create_process(service, load_process_file(str(EXAMPLE)))
    government = created.rooms["Geneva"].seats["Government"].token
    assert government is not None

    async def test(client: httpx.AsyncClient) -> list[httpx.Response]:
        geneva = created.rooms["Geneva"].room
        return [
            await client.get(f"/api/v1/rooms/{geneva}/process", headers=bearer(government)),
            await client.get(f"/api/v1/rooms/{room.id}/process", headers=bearer(room.token("north"))),
        ]

    linked, plain = in_process(service, test)
    assert linked.status_code == 200
    data = linked.json()
    assert data["party"] == "Government" and set(data["seats"]) == {"Astana"}
    assert data["seats"]["Astana"]["seat"] == "Government"
    assert "analysis" not in data
    assert plain.status_code == 404


def test_the_debrief_timeline_is_grouped_by_round(service: RoomService) -> None:
    from accord.room.testing import ROOM_SCENARIO

    created = service.create_room(ROOM_SCENARIO, "one-text", first_round="Geneva IV", rounds=2)
    seats = {seat: service.authenticate(str(link.token)) for seat, link in created.seats.items()}
    envoy, north, south = seats["envoy"], seats["north"], seats["south"]
    assert envoy is not None and north is not None and south is not None
    service.act(envoy, {"kind": "propose", "outcome": ["oslo", "two"]})
    service.adjourn(created.room, by=envoy)
    service.reconvene(created.room, "Geneva V", by=envoy)
    # Walking away ends the talks in the second round.
    service.act(north, {"kind": "walk-away", "reason": "no"})
    service.act(south, {"kind": "walk-away", "reason": "no"})
    assert service.state(created.room).result is not None

    async def visit(client: httpx.AsyncClient) -> str:
        await client.get(f"/join/{created.seats['envoy'].token}")
        page = await client.get(f"/rooms/{created.room}/debrief")
        assert page.status_code == 200
        return page.text

    page = in_process(service, visit)
    timeline = page[page.index('id="history-title"') :]
    fourth, fifth = timeline.index("Geneva IV"), timeline.index("Geneva V")
    assert fourth < fifth and "(adjourned)" in timeline[fourth:fifth]
    assert "walk" in timeline[fifth:].lower()
