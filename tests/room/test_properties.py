"""Random legal sessions of every protocol, played by people through the room's application:
the stored record replays to the same state, and each seat's export equals what it was sent live."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.protocols import action_to_data
from accord.protocols.registry import PROTOCOLS
from accord.protocols.replay import check_replay
from accord.room.folding import fold
from accord.room.rules import SeatAccess
from accord.room.service import RoomService
from accord.room.testing import ROOM_SCENARIO
from accord.store import Store, open_store, verify_room
from accord.testing.random_actions import random_action

DISCLOSURES = ("mediator-only", "attributed", "unattributed")


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with open_store("sqlite:///:memory:") as opened:
        yield opened


def _play(service: RoomService, room: str, members: dict[str, SeatAccess], rng: np.random.Generator) -> None:
    """People in every seat act at random (legally) when awaited, and now and then write or forward."""
    live: dict[str, list[dict[str, Any]]] = {seat: [] for seat in members}

    def follow() -> None:
        for seat, access in members.items():
            sent = live[seat]
            sent.extend(service.items(access, after_seq=sent[-1]["seq"] if sent else 0))

    for _ in range(400):
        follow()
        state = service.state(room)
        if state.result is not None:
            break
        delegations = state.setup.delegations
        if state.mediator and rng.random() < 0.3:
            author = delegations[int(rng.integers(len(delegations)))]
            mark = DISCLOSURES[int(rng.integers(3))]
            sent = service.message(members[author], f"word {int(rng.integers(10**6))}", disclosure=mark)
            recipient = delegations[int(rng.integers(len(delegations)))]
            paraphrase = None if mark != "mediator-only" and rng.random() < 0.5 else "in my words"
            assert sent.id is not None
            service.forward(members[state.mediator], sent.id, [recipient], paraphrase=paraphrase)
        seat = state.awaited[int(rng.integers(len(state.awaited)))]
        observation = state.protocol.observe(state.protocol_state, seat)
        action = random_action(observation, rng, agenda=state.setup.agenda, delegations=delegations)
        service.act(members[seat], action_to_data(action))
    follow()
    state = service.state(room)
    assert state.result is not None
    replayed = fold(None, service.store.read(room), room=room)
    assert [event.to_data() for _, event in replayed.events] == [event.to_data() for _, event in state.events]
    assert (replayed.steps, replayed.result, replayed.turns) == (state.steps, state.result, state.turns)
    check_replay(state.protocol, state.setup, state.steps, expected=[event for _, event in state.events])
    assert verify_room(service.store, room).ok
    for seat, access in members.items():
        assert service.export(room, seat=seat) == live[seat], seat
        assert service.items(access) == live[seat]


@pytest.mark.parametrize("protocol", PROTOCOLS.ids())
@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_random_sessions_replay_and_exports_equal_what_was_sent_live(
    store: Store, protocol: str, seed: int
) -> None:
    service = RoomService(store, background=False)
    created = service.create_room(ROOM_SCENARIO, protocol, observers=1, rounds=3, seed=seed)
    members = {seat: service.authenticate(str(link.token)) for seat, link in created.seats.items()}
    members["observers"] = service.authenticate(created.observers[0])
    _play(
        service,
        created.room,
        {seat: access for seat, access in members.items() if access is not None},
        np.random.default_rng(seed),
    )
