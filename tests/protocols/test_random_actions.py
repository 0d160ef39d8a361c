from __future__ import annotations

import numpy as np
import pytest

from accord.protocols import action_to_data
from accord.protocols.registry import PROTOCOLS, protocol_by_id
from accord.testing.random_actions import random_action, random_outcome, random_session

from .conftest import make_setup, small_agenda


@pytest.mark.parametrize("identifier", PROTOCOLS.ids())
def test_same_seed_same_session(identifier: str) -> None:
    setup = make_setup(rounds=3)
    runs = [random_session(protocol_by_id(identifier), setup, np.random.default_rng(11)) for _ in range(2)]
    (steps_a, end_a), (steps_b, end_b) = runs
    assert [{s: action_to_data(a) for s, a in step.items()} for step in steps_a] == [
        {s: action_to_data(a) for s, a in step.items()} for step in steps_b
    ]
    assert end_a.events == end_b.events
    assert protocol_by_id(identifier).result(end_a.state) is not None


def test_nothing_allowed_is_an_error() -> None:
    protocol = protocol_by_id("alternating-offers")
    state = protocol.start(make_setup()).state
    observation = protocol.observe(state, "south")
    with pytest.raises(ValueError, match="not awaited"):
        random_action(observation, np.random.default_rng(0), agenda=small_agenda(), delegations=("north",))


def test_random_outcomes_are_on_the_agenda() -> None:
    agenda = small_agenda()
    rng = np.random.default_rng(3)
    for _ in range(50):
        agenda.choices_of(random_outcome(agenda, rng))
