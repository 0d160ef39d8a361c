"""The loop records what happened: the protocol names the seat at fault, and every event is the protocol's."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from accord.agents.base import SeatContext
from accord.errors import ProtocolError
from accord.protocols import Critique, Observation, Propose, Vote
from accord.protocols.one_text import OneText
from accord.protocols.registry import protocol_by_id
from accord.session import run_session
from scenarios import three_party, two_party

#: A critique whose text mentions another seat: blaming by searching the message would pick that seat.
MISLEADING = Critique((("seat 'Upper'", "x", 0.5),))


def test_a_protocol_error_carries_the_seat_the_action_and_the_reason() -> None:
    protocol = OneText()
    scenario = three_party()
    from accord.protocols import Setup

    setup = Setup(agenda=scenario.agenda, delegations=("Upper", "Middle", "Lower"), mediator="Envoy")
    state = protocol.step(protocol.start(setup).state, {"Envoy": Propose(("even", "none", 0))}).state
    actions = {"Upper": Critique(()), "Middle": Critique(()), "Lower": MISLEADING}
    with pytest.raises(ProtocolError) as raised:
        protocol.step(state, actions)
    error = raised.value
    assert (error.seat, error.action) == ("Lower", "critique")
    assert "no issue named" in error.reason and error.reason in str(error)
    copied = pickle.loads(pickle.dumps(error))
    assert (copied.seat, copied.action, copied.reason, str(copied)) == (
        error.seat,
        error.action,
        error.reason,
        str(error),
    )
    with pytest.raises(ProtocolError) as setup_error:
        protocol.start(Setup(agenda=scenario.agenda, delegations=("Upper", "Middle"), rounds=0))
    assert setup_error.value.seat is None and setup_error.value.action is None


class _Misleading:
    """Criticises with an issue named after another seat."""

    id = "misleading-v1"

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None: ...

    def act(self, observation: Observation) -> Critique | Vote:
        return MISLEADING if "critique" in observation.allowed else Vote(True)


def test_the_loop_blames_exactly_the_seat_the_protocol_names() -> None:
    agents = {"Upper": "boulware", "Middle": "boulware", "Lower": _Misleading()}
    result = run_session(three_party(), "one-text", agents, seed=0, rounds=5)
    assert set(result.walk_outs) == {"Lower"}
    assert "acted illegally" in result.walk_outs["Lower"] and "no issue named" in result.walk_outs["Lower"]
    last = result.events[-1]
    assert (last.kind, last.actor, last.data["walkers"]) == ("walk-out", "Lower", ("Lower",))
    # the others' criticism of that round was recorded, and the walk-away is what the protocol was fed
    final_step = result.steps[-1]
    assert final_step["Lower"]["kind"] == "walk-away"
    assert final_step["Upper"]["kind"] == final_step["Middle"]["kind"] == "critique"


@pytest.mark.parametrize(
    "protocol", ["alternating-offers", "single-text", "one-text", "shuttle", "blind-bidding"]
)
def test_every_event_of_a_failed_session_comes_from_the_protocol(protocol: str) -> None:
    class Raises:
        id = "raises-v1"

        def reset(self, context: SeatContext, rng: np.random.Generator) -> None: ...

        def act(self, observation: Observation) -> Vote:
            raise RuntimeError("no idea")

    result = run_session(two_party(), protocol, {"Fleet": Raises()}, seed=3, rounds=6)
    assert result.walk_outs == {"Fleet": "raised RuntimeError: no idea"}
    assert result.reason == "walk-out"
    from accord.protocols.replay import replay

    replayed = replay(protocol_by_id(protocol), result.setup, result.steps).events
    assert [event.to_data() for event in replayed] == [event.to_data() for event in result.events]
