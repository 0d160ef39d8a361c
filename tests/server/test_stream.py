"""The event stream over a real server: ids are seqs, resuming loses and repeats nothing, news is live."""

from __future__ import annotations

import json
import time

import httpx

from accord.server import ServerSettings, create_app
from server.live import event_stream, serving
from server.stand_in import StandInService

NORTH, SOUTH = "t-north-0123456789abcdef", "t-south-0123456789abcdef"


def offer(client: httpx.Client, token: str, value: int) -> int:
    response = client.post(
        "/api/v1/rooms/r1/actions",
        json={"kind": "offer", "outcome": [value]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
    seq: int = response.json()["seq"]
    return seq


def test_resuming_with_last_event_id_loses_nothing_and_repeats_nothing() -> None:
    app = create_app(StandInService(), settings=ServerSettings(poll_seconds=30))
    with serving(app) as base, httpx.Client(base_url=base) as client:
        sent = [offer(client, SOUTH, value) for value in range(3)]
        with event_stream(base, "r1", NORTH) as reader:
            first = [reader.next() for _ in range(3)]
        assert [event.id for event in first] == [str(seq) for seq in sent]
        assert [json.loads(event.data)["action"]["outcome"] for event in first] == [[0], [1], [2]]
        sent += [offer(client, SOUTH, value) for value in range(3, 6)]
        with event_stream(base, "r1", NORTH, last_event_id=int(first[-1].id or 0)) as reader:
            resumed = [reader.next() for _ in range(3)]
            assert [event.id for event in resumed] == [str(seq) for seq in sent[3:]]
            # Live from here: an action by another seat arrives well within a second.
            started = time.monotonic()
            late = offer(client, SOUTH, 99)
            event = reader.next()
            elapsed = time.monotonic() - started
        assert event.id == str(late) and event.event == "event"
        assert elapsed < 1.0


def test_an_idle_stream_sends_heartbeat_comments() -> None:
    app = create_app(StandInService(), settings=ServerSettings(heartbeat_seconds=0.2, poll_seconds=30))
    with serving(app) as base, httpx.Client(base_url=base) as client:
        offer(client, SOUTH, 1)
        with event_stream(base, "r1", NORTH) as reader:
            assert reader.next().id == "1"
            time.sleep(0.7)
            offer(client, SOUTH, 2)
            assert reader.next().id == "2"
        assert len(reader.comments) >= 2


def test_a_stream_needs_a_good_token() -> None:
    app = create_app(StandInService())
    with serving(app) as base, httpx.Client(base_url=base) as client:
        response = client.get("/api/v1/rooms/r1/stream", headers={"Authorization": "Bearer nope"})
        assert response.status_code == 401
        assert response.json() == {"error": "this link is not valid (unknown or revoked)"}
