"""The event stream over a real server: ids are seqs, resuming loses and repeats nothing, news is live."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from accord.server import ServerSettings, create_app
from server.live import event_stream, serving
from server.support import Room, bearer


def write(client: httpx.Client, room: Room, seat: str, text: str) -> int:
    response = client.post(
        f"/api/v1/rooms/{room.id}/messages",
        json={"text": text, "disclosure": "attributed"},
        headers=bearer(room.token(seat)),
    )
    assert response.status_code == 201, response.text
    seq: int = response.json()["seq"]
    return seq


def test_resuming_with_last_event_id_loses_nothing_and_repeats_nothing(room: Room) -> None:
    app = create_app(room.service, settings=ServerSettings(poll_seconds=30))
    with serving(app) as base, httpx.Client(base_url=base) as client:
        everything = room.service.items(room.service.authenticate(room.token("envoy")))  # type: ignore[arg-type]
        with event_stream(base, room.id, room.token("envoy")) as reader:
            history = [reader.next() for _ in everything]
        assert [event.id for event in history] == [str(item["seq"]) for item in everything]
        sent = [write(client, room, "north", f"message {n}") for n in range(3)]
        with event_stream(
            base, room.id, room.token("envoy"), last_event_id=int(history[-1].id or 0)
        ) as reader:
            resumed = [reader.next() for _ in sent]
            assert [event.id for event in resumed] == [str(seq) for seq in sent]
            assert [json.loads(event.data)["message"]["text"] for event in resumed] == [
                "message 0",
                "message 1",
                "message 2",
            ]
            # Live from here: a message from another client arrives well within a second.
            started = time.monotonic()
            late = write(client, room, "south", "one more")
            event = reader.next()
            elapsed = time.monotonic() - started
        assert (event.id, event.event) == (str(late), "message")
        assert elapsed < 1.0
        # Resuming after the last one: only what is new, nothing repeated.
        again = write(client, room, "north", "after the reconnect")
        with event_stream(base, room.id, room.token("envoy"), last_event_id=late) as reader:
            assert reader.next().id == str(again)


def test_a_delegation_stream_carries_only_what_that_delegation_may_see(room: Room) -> None:
    app = create_app(room.service, settings=ServerSettings(poll_seconds=30))
    with serving(app) as base, httpx.Client(base_url=base) as client:
        north_own = write(client, room, "north", "north's own words")
        write(client, room, "south", "south's secret")
        marker = write(client, room, "north", "the last one")
        with event_stream(base, room.id, room.token("north")) as reader:
            events = []
            while not events or events[-1].id != str(marker):
                events.append(reader.next())
        texts = " ".join(event.data for event in events)
        assert "north's own words" in texts and str(north_own) in [event.id for event in events]
        assert "south's secret" not in texts


def test_an_idle_stream_sends_heartbeat_comments(room: Room) -> None:
    app = create_app(room.service, settings=ServerSettings(heartbeat_seconds=0.2, poll_seconds=30))
    with serving(app) as base, httpx.Client(base_url=base) as client:
        first = write(client, room, "north", "first")
        with event_stream(base, room.id, room.token("north"), last_event_id=first - 1) as reader:
            assert reader.next().id == str(first)
            time.sleep(0.7)
            second = write(client, room, "north", "second")
            assert reader.next().id == str(second)
        assert len(reader.comments) >= 2


def test_a_stream_needs_a_good_token(room: Room) -> None:
    app = create_app(room.service)
    with serving(app) as base, httpx.Client(base_url=base) as client:
        response = client.get(f"/api/v1/rooms/{room.id}/stream", headers=bearer("nope"))
        assert response.status_code == 401
        assert response.json() == {"error": "this link is not valid (unknown or revoked)"}


def test_a_stream_ends_when_its_link_is_revoked(room: Room) -> None:
    app = create_app(room.service, settings=ServerSettings(poll_seconds=30))
    access = room.service.authenticate(room.token("south"))
    assert access is not None
    with serving(app) as base, event_stream(base, room.id, room.token("south")) as reader:
        everything = room.service.items(access)
        for _ in everything:
            reader.next()
        started = time.monotonic()
        room.service.revoke_link(room.id, "south", access.member)
        try:
            while True:
                reader.next()
        except EOFError:
            pass
        assert time.monotonic() - started < 2.0


def test_a_stream_gets_every_item_exactly_once_while_many_commits_land(room: Room) -> None:
    app = create_app(room.service, settings=ServerSettings(poll_seconds=30))
    with (
        serving(app) as base,
        httpx.Client(base_url=base) as client,
        event_stream(base, room.id, room.token("envoy")) as envoy,
        event_stream(base, room.id, room.token("north")) as north,
    ):

        def burst(seat: str) -> list[int]:
            return [write(client, room, seat, f"{seat} {n}") for n in range(6)]

        with ThreadPoolExecutor(max_workers=4) as pool:
            sent = list(pool.map(burst, ["north", "south", "north", "south"]))
        everything = {seq for seqs in sent for seq in seqs}
        north_own = set(sent[0] + sent[2])
        for reader, expected in ((envoy, everything), (north, north_own)):
            got: list[int] = []
            while not got or got[-1] < max(expected):
                got.append(int(reader.next().id or 0))
            assert got == sorted(set(got))  # in order, nothing repeated
            assert expected <= set(got)  # every message the seat may see arrived


def test_news_of_a_record_held_in_memory_is_served_without_a_store_read(room: Room) -> None:
    access = room.service.authenticate(room.token("north"))
    assert access is not None
    newest = room.service.state(room.id).last_seq
    expected = room.service.items(access)
    reads: list[str] = []
    store = room.service.store
    original = store.read

    def counted(room_id: str, **options: Any) -> Any:
        reads.append(room_id)
        return original(room_id, **options)

    store.read = counted  # type: ignore[method-assign]
    try:
        assert room.service.holds(room.id, newest)
        assert not room.service.holds(room.id, newest + 1)
        news = room.service.news(access, room.token("north"), after_seq=0, at_least=newest)
        assert reads == []
        assert news == (expected, newest)
        assert room.service.news(access, "not-the-token", after_seq=0, at_least=newest) is None
        room.service.news(access, room.token("north"), after_seq=0)  # no news named: the store is read
        assert reads == [room.id]
    finally:
        del store.read
