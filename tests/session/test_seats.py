"""One check seats every agent: run_session refuses an agent that does not fit its seat, naming both."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest

from accord.agents import check_seat
from accord.agents.base import SeatContext
from accord.domain import Role
from accord.errors import AgentError
from accord.protocols import Action, Observation, WalkAway
from accord.protocols.registry import PROTOCOLS, protocol_by_id
from accord.session import run_session
from scenarios import two_party


class _OnlyAlternating:
    id: ClassVar[str] = "only-alternating-v1"
    protocols: ClassVar[tuple[str, ...]] = ("alternating-offers",)

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None: ...

    def act(self, observation: Observation) -> Action:
        return WalkAway("done")


@pytest.mark.parametrize(
    ("protocol", "agents", "message"),
    [
        (
            "alternating-offers",
            {"Port": "drafter"},
            "agents: seat 'Port': agent 'drafter-v1' cannot take a delegation's",
        ),
        ("single-text", {"Envoy": "boulware"}, "seat 'Envoy': agent 'boulware-v1' cannot take a mediator's"),
        ("alternating-offers", {"Envoy": "nash-mediator"}, "agents: no seat 'Envoy' at this table"),
        ("one-text", {"Fleet": _OnlyAlternating()}, "agent 'only-alternating-v1' cannot play one-text-v1"),
        ("alternating-offers", {"Fleet": "haggler"}, "agents: unknown agent 'haggler'"),
    ],
)
def test_an_agent_that_does_not_fit_its_seat_is_refused_before_the_talks(
    protocol: str, agents: dict[str, object], message: str
) -> None:
    with pytest.raises(AgentError, match=message):
        run_session(two_party(), protocol, agents, seed=0)  # type: ignore[arg-type]


def test_an_agent_plays_the_protocols_it_declares() -> None:
    result = run_session(two_party(), "alternating-offers", {"Fleet": _OnlyAlternating()}, seed=0)
    assert result.reason == "walk-out" and not result.walk_outs


@pytest.mark.parametrize("protocol", PROTOCOLS.ids())
def test_the_seats_a_session_opens_are_the_ones_the_protocol_needs(protocol: str) -> None:
    result = run_session(two_party(), protocol, {}, seed=0, rounds=3)
    needs = protocol_by_id(protocol).needs_mediator
    assert ("Envoy" in result.agents) == needs == bool(result.setup.mediator)
    for seat, agent in result.agents.items():
        role = Role.MEDIATOR if seat == result.setup.mediator else Role.DELEGATION
        check_seat(agent, seat=seat, role=role, protocol=protocol)
