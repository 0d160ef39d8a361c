"""Every session is replayable: its setup and steps rebuild every event, for every registered protocol."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.agents import AGENTS, agent_roles
from accord.agents.base import SeatContext
from accord.domain import Agenda, Role, Scenario
from accord.protocols import Action, Observation
from accord.protocols.registry import PROTOCOLS, protocol_by_id
from accord.protocols.replay import check_replay
from accord.session import run_session
from accord.testing.conformance import conformance_scenarios
from accord.testing.random_actions import random_action
from scenarios import three_party, two_party

SCENARIOS: tuple[Scenario, ...] = (two_party(), three_party(), *conformance_scenarios())
DELEGATES = [agent for agent in AGENTS.ids() if Role.DELEGATION in agent_roles(AGENTS.resolve(agent))]
MEDIATORS = [agent for agent in AGENTS.ids() if Role.MEDIATOR in agent_roles(AGENTS.resolve(agent))]


class RandomLegalAgent:
    """Any seat: a random legal action of any allowed kind (walking away, passing on, calling votes …)."""

    id: ClassVar[str] = "random-legal-v1"
    roles: ClassVar[tuple[Role, ...]] = (Role.DELEGATION, Role.MEDIATOR)

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self.agenda: Agenda = context.agenda
        self.delegations = context.delegations
        self.rng = rng

    def act(self, observation: Observation) -> Action:
        return random_action(observation, self.rng, agenda=self.agenda, delegations=self.delegations)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    protocol=st.sampled_from(PROTOCOLS.ids()),
    scenario=st.sampled_from(SCENARIOS),
    agents=st.lists(st.sampled_from([*DELEGATES, "random-legal"]), min_size=3, max_size=3),
    mediator=st.sampled_from([*MEDIATORS, "random-legal"]),
    seed=st.integers(0, 2**32 - 1),
    rounds=st.integers(1, 12),
)
def test_every_session_replays_event_for_event(
    protocol: str, scenario: Scenario, agents: list[str], mediator: str, seed: int, rounds: int
) -> None:
    def build(name: str) -> Any:
        return RandomLegalAgent() if name == "random-legal" else name

    seating: dict[str, Any] = {
        party.name: build(agent) for party, agent in zip(scenario.delegations, agents, strict=False)
    }
    machine = protocol_by_id(protocol)
    if machine.needs_mediator:
        seat = scenario.mediator.name if scenario.mediator is not None else "Mediator"
        seating[seat] = build(mediator)
    result = run_session(scenario, machine, seating, seed=seed, rounds=rounds)
    assert not result.walk_outs  # legal play throughout: nobody was made to walk away
    assert len(result.steps) == len(result.step_actions) > 0
    check_replay(protocol_by_id(protocol), result.setup, result.steps, expected=result.events)
