"""The organiser's debrief of any room: the mediator's debrief over the organiser's view, in process.

A room played to its end by agents (with a mediator, and without one): the organiser's page
links its debrief; the replay of what a chosen seat knew lists exactly the events of that
seat's own record (``accord room export --seat``), the reference; the plot is drawn; a room
still in talks, an unknown room and a visitor without the organiser's cookie are refused.
"""

from __future__ import annotations

import re

import httpx
import pytest

from accord.room.service import RoomService
from accord.room.testing import ROOM_SCENARIO
from server.support import in_process

ORGANISER = "organiser-of-the-debrief-test"


def _ended(service: RoomService, protocol: str) -> str:
    agents = {"north": "boulware", "south": "boulware"}
    if protocol == "one-text":
        agents["envoy"] = "drafter"
    created = service.create_room(ROOM_SCENARIO, protocol, agents=agents, rounds=4, seed=3)
    service.drive(created.room)
    assert service.state(created.room).result is not None
    return created.room


@pytest.mark.parametrize("protocol", ["one-text", "alternating-offers"])
def test_the_organiser_opens_any_ended_rooms_debrief(service: RoomService, protocol: str) -> None:
    room = _ended(service, protocol)
    running = service.create_room(ROOM_SCENARIO, protocol).room

    async def test(client: httpx.AsyncClient) -> dict[str, str]:
        assert (await client.get(f"/organise/rooms/{room}/debrief")).status_code == 401
        await client.get(f"/organise/{ORGANISER}")
        listing = (await client.get("/organise")).text
        assert f'href="/organise/rooms/{room}/debrief"' in listing
        assert f'href="/organise/rooms/{running}/debrief"' not in listing
        pages = {
            seat: (await client.get(f"/organise/rooms/{room}/debrief", params={"seat": seat})).text
            for seat in ("north", "south")
        }
        assert (await client.get(f"/organise/rooms/{running}/debrief")).status_code == 409
        assert (await client.get("/organise/rooms/no-such-room/debrief")).status_code == 404
        plot = await client.get(
            f"/organise/rooms/{room}/plot.png", params={"first": "north", "second": "south"}
        )
        assert plot.status_code == 200 and plot.headers["content-type"] == "image/png"
        assert plot.content.startswith(b"\x89PNG")
        return pages

    pages = in_process(service, test, organiser_token=ORGANISER)
    for seat, page in pages.items():
        assert "How the talks ended" in page and "Back to the rooms" in page
        assert "data-room=" not in page  # the organiser holds no seat: no event stream to follow
        replay = page[page.index('id="replay"') : page.index("</section>", page.index('id="replay"'))]
        shown = len(re.findall(r"<li>", replay))
        known = [item for item in service.export(room, seat=seat) if item["kind"] == "event"]
        assert shown == len(known) > 0, (seat, shown, len(known))
    if protocol == "one-text":
        # Each delegation's criticism is private: the two replays differ.
        assert pages["north"] != pages["south"]
