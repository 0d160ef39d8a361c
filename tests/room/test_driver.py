"""The driver: agents act as soon as their seat is awaited, holding exactly what their seat holds."""

from __future__ import annotations

import time
from typing import Any

import pytest

from accord.protocols import Observation, Offer
from accord.protocols.replay import check_replay
from accord.room.driver import SeatAgents, seat_context
from accord.room.rules import set_disclosure
from accord.room.state import RoomState

from .conftest import access, new_room, then


def play(state: RoomState, agents: SeatAgents, *, limit: int = 10_000) -> RoomState:
    """Let the agents move until only people (or nobody) are awaited."""
    for _ in range(limit):
        records = agents.next_move(state)
        if not records:
            return state
        state = then(state, records)
    raise AssertionError("the agents never stopped")


@pytest.mark.parametrize("protocol", ["one-text", "alternating-offers", "single-text", "shuttle"])
def test_agents_in_every_seat_play_the_talks_to_their_end_and_the_record_replays(protocol: str) -> None:
    seats = {"one-text": ("envoy", "north", "south")}.get(protocol, ("north", "south"))
    mediator = {"one-text": "drafter", "single-text": "hill-climbing", "shuttle": "nash-mediator"}.get(
        protocol
    )
    agents = {seat: "boulware" for seat in ("north", "south")}
    if mediator is not None:
        agents["envoy"] = mediator
    state = play(new_room(protocol, agents=agents, rounds=6), SeatAgents())
    assert state.result is not None
    assert set(seats) <= set(state.seats)
    check_replay(state.protocol, state.setup, state.steps, expected=[event for _, event in state.events])
    assert all(record.data["agent"] for record in state.records if record.kind == "action")


def test_agents_wait_for_people() -> None:
    state = new_room("one-text", agents={"envoy": "drafter", "south": "boulware"}, rounds=4)
    state = play(state, SeatAgents())
    assert state.awaited == ("north",)
    assert state.submitted.keys() == {"south"}


def _failing(reason: str) -> Any:
    def call(limit: float, function: Any) -> tuple[None, str]:
        return None, reason

    return call


def test_an_agent_that_fails_is_recorded_as_walking_away_with_the_reason() -> None:
    state = new_room("alternating-offers", agents={"north": "boulware", "south": "boulware"})
    state = play(state, SeatAgents(call=_failing("raised OSError: no")))
    [action] = [record.data for record in state.records if record.kind == "action"]
    assert action["action"]["kind"] == "walk-away"
    assert action["note"] == "failed to start: raised OSError: no"
    assert state.result is not None and state.result.reason == "walk-out"


def test_an_agent_that_acts_illegally_walks_away_with_the_protocols_reason() -> None:
    agents = SeatAgents(build=lambda name: _Agent(lambda: Offer(("paris", "two"))))
    state = play(new_room("alternating-offers", agents={"north": "boulware"}), agents)
    [action] = [record.data for record in state.records if record.kind == "action"]
    assert action["action"]["kind"] == "walk-away"
    assert action["note"].startswith("acted illegally:") and "'paris'" in action["note"]


class _Agent:
    id = "stub-v1"

    def __init__(self, behaviour: Any) -> None:
        self.behaviour = behaviour

    def reset(self, context: Any, rng: Any) -> None:
        return None

    def act(self, observation: Observation) -> Any:
        return self.behaviour()


@pytest.mark.parametrize(
    ("behaviour", "note"),
    [
        (lambda: 1 / 0, "raised ZeroDivisionError: division by zero"),
        (lambda: time.sleep(30), "took longer than the time limit of 0.2 s"),
        (lambda: "an offer, honestly", "returned 'an offer, honestly', which is not an action"),
    ],
)
def test_a_hostile_agent_is_abandoned_and_recorded_as_walking_away(behaviour: Any, note: str) -> None:
    began = time.monotonic()
    agents = SeatAgents(build=lambda name: _Agent(behaviour))
    state = play(new_room("one-text", agents={"envoy": "drafter"}, time_limit=0.2), agents)
    assert time.monotonic() - began < 5  # a sleeping agent does not hold the room
    [action] = [record.data for record in state.records if record.kind == "action"]
    assert (action["seat"], action["action"]["kind"], action["note"]) == ("envoy", "walk-away", note)
    assert state.result is not None and state.result.reason == "walk-out"


def test_each_agent_holds_exactly_what_its_seat_holds() -> None:
    state = new_room("one-text", preferences="disclosed")
    assert seat_context(state, "envoy").confidential == {}
    assert seat_context(state, "north").utility is not None
    assert seat_context(state, "north").confidential == {}
    state = then(state, set_disclosure(state, access("south"), True))
    assert set(seat_context(state, "envoy").confidential) == {"south"}
    assert set(seat_context(new_room("one-text"), "envoy").confidential) == {"north", "south"}
