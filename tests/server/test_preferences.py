"""Over HTTP: a delegation sets its preferences (API and desk form), and the mediator reissues a seat's link.

The new preferences reach the seat's own view and the mediator's where it holds them, and no
other seat; a refusal names the field. The mediator's reissue revokes the seat's links at once
and never hands the mediator a token: the organiser collects the new link (its page or
``accord room link``), and nothing the mediator receives afterwards carries it.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from accord.room.service import RoomService
from accord.server import create_app
from server.live import event_stream, serving
from server.support import BASE, Room, bearer, in_process

NEW_NORTH: dict[str, Any] = {
    "weights": {"venue": 0.25, "days": 0.75},
    "values": {"venue": {"geneva": 1.0, "oslo": 0.0}, "days": {"one": 0.0, "two": 0.5, "three": 1.0}},
    "reservation": 0.61829374,
}
ORGANISER = "organiser-secret-of-this-test"
SAME_ORIGIN = {"Origin": BASE}


def test_a_delegation_sets_its_preferences_through_the_api(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> None:
        url = f"/api/v1/rooms/{room.id}/preferences"
        refused = await client.post(
            url, json={"preferences": {**NEW_NORTH, "reservation": 3}}, headers=bearer(room.token("north"))
        )
        assert refused.status_code == 409
        assert refused.json() == {
            "error": "seat 'north' may not set its preferences: reservation: must lie in [0, 1], got 3.0"
        }
        for seat, status in (("envoy", 403), ("observer", 403)):
            answer = await client.post(url, json={"preferences": NEW_NORTH}, headers=bearer(room.token(seat)))
            assert answer.status_code == status, seat
        done = await client.post(url, json={"preferences": NEW_NORTH}, headers=bearer(room.token("north")))
        assert done.status_code == 201
        north = (
            await client.get(f"/api/v1/rooms/{room.id}/view", headers=bearer(room.token("north")))
        ).json()
        assert north["preferences"]["delegations"]["north"]["reservation"] == 0.61829374
        envoy = (
            await client.get(f"/api/v1/rooms/{room.id}/view", headers=bearer(room.token("envoy")))
        ).json()
        assert envoy["preferences"]["analysis"]["reservations"]["north"] == 0.61829374
        for seat in ("south", "observer"):
            for part in ("view", "record"):
                text = (
                    await client.get(f"/api/v1/rooms/{room.id}/{part}", headers=bearer(room.token(seat)))
                ).text
                assert "0.61829374" not in text, (seat, part)

    in_process(room.service, test)


def _join(client: httpx.AsyncClient, token: str) -> Any:
    return client.get(f"/join/{token}")


def test_the_desk_form_previews_the_worth_of_the_table_then_saves(room: Room) -> None:
    envoy = room.service.authenticate(room.token("envoy"))
    assert envoy is not None
    page_path = f"/rooms/{room.id}"

    async def test(client: httpx.AsyncClient) -> None:
        await _join(client, room.token("north"))
        page = (await client.get(page_path)).text
        assert 'id="preferences-form"' in page and 'name="weight-0" value="0.6"' in page
        # A draft, before it is saved: no package is on the table yet, and nothing is recorded.
        records = room.records()
        draft = await client.get(page_path, params={"preview": "preferences", "reservation": "2"})
        assert "These preferences would be refused: reservation: must lie in [0, 1], got 2.0" in draft.text
        assert room.records() == records
        # Saved: the desk shows them; a bad one is refused naming the field, and nothing is recorded.
        refused = await client.post(
            f"{page_path}/preferences", data={"weight-0": "-1", "form-key": "k1"}, headers=SAME_ORIGIN
        )
        assert refused.status_code == 409 and "weights.venue" in refused.text
        saved = await client.post(
            f"{page_path}/preferences",
            data={"reservation": "0.45", "red-line-a": "1:0", "red-line-reason": "Not a single day"},
            headers=SAME_ORIGIN,
        )
        assert saved.status_code == 303
        page = (await client.get(page_path)).text
        assert 'name="reservation" value="0.45"' in page and "Not a single day" in page

    in_process(room.service, test)
    # The envoy's draft on the table: the preview gives its worth under the draft and as saved.
    room.service.act(envoy, {"kind": "propose", "outcome": ["oslo", "two"]})

    async def preview(client: httpx.AsyncClient) -> str:
        await _join(client, room.token("south"))
        return (await client.get(page_path, params={"preview": "preferences", "reservation": "0.9"})).text

    # The talks have begun: south's preferences can no longer change (the room allows it only before).
    text = in_process(room.service, preview)
    assert "They can no longer change: the talks have begun" in text
    assert 'id="preferences-form"' not in text


def test_during_the_talks_the_preview_gives_the_tables_worth_under_the_draft(service: RoomService) -> None:
    from accord.room.testing import ROOM_SCENARIO

    room = Room(service, service.create_room(ROOM_SCENARIO, "one-text", edit_preferences="during"))
    envoy = service.authenticate(room.token("envoy"))
    assert envoy is not None
    service.act(envoy, {"kind": "propose", "outcome": ["oslo", "two"]})

    async def test(client: httpx.AsyncClient) -> str:
        await _join(client, room.token("north"))
        # North: oslo 1.0 × 0.6 + two 0.5 × 0.4 = 0.8 now; with oslo worth 0.5 it would be 0.5.
        return (
            await client.get(f"/rooms/{room.id}", params={"preview": "preferences", "value-0-1": "0.5"})
        ).text

    text = in_process(service, test)
    assert re.search(r'would be worth <strong class="draft-utility">0\.500</strong>', text), text
    assert "with those saved it is worth 0.800" in text


def test_the_mediator_reissues_a_seats_link_without_ever_holding_the_new_one(service: RoomService) -> None:
    from accord.room.testing import ROOM_SCENARIO

    room = Room(service, service.create_room(ROOM_SCENARIO, "one-text", observers=1))
    old = room.token("north")
    envoy_token = room.token("envoy")

    async def reissue(client: httpx.AsyncClient) -> list[str]:
        seen = []
        answer = await client.post(f"/api/v1/rooms/{room.id}/seats/north/links", headers=bearer(envoy_token))
        assert answer.status_code == 201 and "organiser" in answer.json()["collect"]
        seen.append(answer.text)
        # A delegation may not; the old link stops at once.
        refused = await client.post(
            f"/api/v1/rooms/{room.id}/seats/south/links", headers=bearer(room.token("south"))
        )
        assert refused.status_code == 403
        assert (await client.get(f"/api/v1/rooms/{room.id}/view", headers=bearer(old))).status_code == 401
        assert (await client.get(f"/join/{old}")).status_code == 401
        # The organiser collects the new link from its page.
        await client.get(f"/organise/{ORGANISER}")
        listing = (await client.get("/organise")).text
        assert "north" in listing and "awaits a new link" in listing
        issued = await client.post(
            f"/organise/rooms/{room.id}/links", data={"seat": "north"}, headers=SAME_ORIGIN
        )
        assert issued.status_code == 201
        new = re.search(r"/join/([A-Za-z0-9_-]{40,})", issued.text)
        assert new is not None
        seen.append(new.group(1))
        assert "awaits a new link" not in (await client.get("/organise")).text
        assert (
            await client.get(f"/api/v1/rooms/{room.id}/view", headers=bearer(new.group(1)))
        ).status_code == 200
        # Everything the mediator reads now.
        envoy = bearer(envoy_token)
        for path in ("view", "record"):
            seen.append((await client.get(f"/api/v1/rooms/{room.id}/{path}", headers=envoy)).text)
        return seen

    first_answer, token, *mediator_reads = in_process(service, reissue, organiser_token=ORGANISER)
    assert token not in first_answer and all(token not in text for text in mediator_reads)
    assert all("link-requested" in text or "link_requests" in text for text in mediator_reads)

    async def console(client: httpx.AsyncClient) -> str:
        await _join(client, envoy_token)
        return (await client.get(f"/rooms/{room.id}")).text

    page = in_process(service, console)
    assert token not in page and "Reissue its link" in page
    with serving(create_app(service)) as base:
        expected = len(service.export(room.id, seat="envoy"))
        with event_stream(base, room.id, envoy_token) as reader:
            stream = " ".join(reader.next().data for _ in range(expected))
    assert '"link-requested"' in stream and token not in stream


def test_the_console_form_reissues_and_says_where_the_link_is_collected(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> str:
        await _join(client, room.token("envoy"))
        answer = await client.post(
            f"/rooms/{room.id}/seats/south/links", data={"form-key": "r1"}, headers=SAME_ORIGIN
        )
        assert answer.status_code == 303
        return (await client.get(f"/rooms/{room.id}")).text

    page = in_process(room.service, test)
    assert "collect their new link from the organiser" in page
    assert room.service.state(room.id).members("south") == ()
