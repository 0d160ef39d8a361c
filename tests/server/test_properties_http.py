"""Random legal sessions of every protocol, played by people through the HTTP API (the app in process):
the stored record replays to the same state, and each seat's export equals what its stream sent live.

Each seat's ``GET /stream`` is open for the whole session; ``httpx.ASGITransport`` hands a response
over only once it is complete, so at the end each seat replaces its own link (``POST /link``), which
ends its stream, and the events it was sent as the session went on come back together.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.protocols import action_to_data
from accord.protocols.base import Observation
from accord.protocols.registry import PROTOCOLS
from accord.protocols.replay import check_replay
from accord.room import SeatAccess
from accord.room.folding import fold
from accord.room.service import CreatedRoom, RoomService
from accord.room.testing import ROOM_SCENARIO
from accord.store import Store, open_store, verify_room
from accord.testing.random_actions import random_action
from server.support import bearer, in_process

#: How often an open stream reads the store without news (the app runs without its lifespan here).
POLL_SECONDS = 0.02


class WatchedService(RoomService):
    """The room service, noting the newest item each stream (by its token) has read to send."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, background=False)
        self.sent: dict[str, int] = {}

    def news(
        self, access: SeatAccess, token: str, *, after_seq: int, at_least: int | None = None
    ) -> tuple[list[dict[str, Any]], int] | None:
        news = super().news(access, token, after_seq=after_seq, at_least=at_least)
        if news is not None and news[0]:
            self.sent[token] = int(news[0][-1]["seq"])
        return news


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with open_store("sqlite:///:memory:") as opened:
        yield opened


def _observation(view: dict[str, Any]) -> Observation:
    """The seat's observation as its view shows it (what a client has to choose an action from)."""
    protocol = view["protocol"]
    on_table = protocol["on_table"]
    details = dict(protocol["details"])
    if "candidates" in details:
        details["candidates"] = tuple(tuple(outcome) for outcome in details["candidates"])
    if "shareable" in details:
        details["shareable"] = tuple((int(number), str(author)) for number, author in details["shareable"])
    return Observation(
        protocol=protocol["id"],
        seat=view["seat"],
        round=protocol["round"],
        rounds=protocol["rounds"],
        phase=protocol["phase"],
        allowed=tuple(view["turn"]["allowed"]),
        on_table=None if on_table is None else tuple(on_table),
        **details,
    )


def _events(body: str) -> list[dict[str, Any]]:
    """The items of a ``text/event-stream`` body, each checked against its event's ``id``."""
    items = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        fields = [line.partition(":")[::2] for line in block.split("\n") if line and not line.startswith(":")]
        if not fields:
            continue
        named = {name: value.removeprefix(" ") for name, value in fields}
        item = json.loads(named["data"])
        assert named["id"] == str(item["seq"])
        items.append(item)
    return items


async def _play(
    client: httpx.AsyncClient,
    service: WatchedService,
    created: CreatedRoom,
    tokens: dict[str, str],
    seed: int,
) -> None:
    rng = np.random.default_rng(seed)
    base = f"/api/v1/rooms/{created.room}"
    streams = {
        seat: asyncio.create_task(client.get(f"{base}/stream", headers=bearer(token)))
        for seat, token in tokens.items()
    }
    for _ in range(200):
        views = {}
        for seat, token in tokens.items():
            response = await client.get(f"{base}/view", headers=bearer(token))
            assert response.status_code == 200, response.text
            views[seat] = response.json()
        if views["observers"]["result"] is not None:
            break
        awaited = [seat for seat, view in views.items() if seat != "observers" and view["turn"]["allowed"]]
        assert awaited, "nobody is awaited in a room without a result"
        idle = [seat for seat in created.seats if seat not in awaited]
        if idle and rng.random() < 0.2:
            # An action out of turn is refused, and the record does not grow.
            seat = idle[int(rng.integers(len(idle)))]
            before = service.store.last_seq(created.room)
            response = await client.post(
                f"{base}/actions",
                json={"kind": "walk-away", "reason": "out of turn"},
                headers=bearer(tokens[seat]),
            )
            assert response.status_code == 409, response.text
            assert service.store.last_seq(created.room) == before
        seat = awaited[int(rng.integers(len(awaited)))]
        view = views[seat]
        agenda = service.state(created.room).setup.agenda
        action = random_action(
            _observation(view), rng, agenda=agenda, delegations=view["seats"]["delegations"]
        )
        before = service.store.last_seq(created.room)
        response = await client.post(
            f"{base}/actions", json=action_to_data(action), headers=bearer(tokens[seat])
        )
        assert response.status_code == 201, (action, response.text)
        # The action's record (what follows from it, e.g. the result, may come right after).
        assert before < response.json()["seq"] <= service.store.last_seq(created.room)
    else:
        pytest.fail("the session did not end within 200 actions")
    exported = {}
    for seat, token in tokens.items():
        response = await client.get(f"{base}/record", headers=bearer(token))
        assert response.status_code == 200, response.text
        exported[seat] = response.json()
        assert exported[seat] == service.export(created.room, seat=seat), seat
    last = service.store.last_seq(created.room)
    # A stream ends at its first read after the link is replaced, with what it had not sent yet:
    # wait until each one has read the seat's newest item (the waiting, not the items, is timed).
    for seat, token in tokens.items():
        for _ in range(1000):
            if service.sent.get(token, 0) >= exported[seat][-1]["seq"]:
                break
            await asyncio.sleep(POLL_SECONDS)
    for token in tokens.values():
        replaced = await client.post(f"{base}/link", headers=bearer(token))
        assert replaced.status_code == 201, replaced.text
    for seat, task in streams.items():
        response = await asyncio.wait_for(task, timeout=10)
        assert response.status_code == 200, response.text
        live = [item for item in _events(response.text) if item["seq"] <= last]
        assert live, seat
        assert exported[seat] == live, seat
    _check_replay(service, created.room)


def _check_replay(service: RoomService, room: str) -> None:
    state = service.state(room)
    assert state.result is not None
    replayed = fold(None, service.store.read(room), room=room)
    assert [event.to_data() for _, event in replayed.events] == [event.to_data() for _, event in state.events]
    assert (replayed.steps, replayed.result, replayed.turns) == (state.steps, state.result, state.turns)
    check_replay(state.protocol, state.setup, state.steps, expected=[event for _, event in state.events])
    assert verify_room(service.store, room).ok


@pytest.mark.parametrize("protocol", PROTOCOLS.ids())
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_random_sessions_over_http_replay_and_exports_equal_the_live_streams(
    store: Store, protocol: str, seed: int
) -> None:
    service = WatchedService(store)
    created = service.create_room(ROOM_SCENARIO, protocol, observers=1, rounds=3, seed=seed)
    tokens = {seat: str(link.token) for seat, link in created.seats.items()}
    tokens["observers"] = created.observers[0]
    in_process(
        service,
        lambda client: _play(client, service, created, tokens, seed),
        poll_seconds=POLL_SECONDS,
    )
