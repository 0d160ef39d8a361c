"""The pieces of :func:`~accord.testing.conformance.check_agent`: watching an agent play, judging its moves.

:class:`Watched` wraps an agent and records what it was shown and what it did;
:func:`play` seats watched copies of an agent in every seat of its role;
:func:`check_rational` fails a delegation that would sign a package below its
reservation value or across a red line.

>>> from accord.testing.conformance import conformance_scenarios
>>> result, watched = play("boulware-v1", "alternating-offers-v1", conformance_scenarios()[0], seed=0)
>>> result.reason, [seat.context.seat for seat in watched], all(seat.moves for seat in watched)
('agreement', ['north', 'south'], True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from accord.agents.base import Agent, SeatContext
from accord.agents.outcomes import OwnUtility
from accord.agents.registry import agent_by_id, agent_roles
from accord.domain import Role, Scenario
from accord.protocols import (
    Accept,
    AcceptPackages,
    Action,
    Message,
    Observation,
    Offer,
    Vote,
    action_kind,
)
from accord.protocols.registry import protocol_by_id
from accord.session import SessionResult, run_session
from accord.testing.failures import Where

__all__ = ["ROUNDS", "Watched", "build_agent", "check_rational", "play"]

#: The deadline of every session the agent checks play.
ROUNDS = 12


class Watched:
    """Wraps an agent and records the context it was given and every observation and action since.

    It takes the seats and plays the protocols the wrapped agent does (``roles``, ``protocols``).
    """

    id: ClassVar[str] = "watched-v1"

    def __init__(self, agent: Agent) -> None:
        self.agent = agent
        self.roles = agent_roles(agent)
        self.protocols = getattr(agent, "protocols", None)
        self.moves: list[tuple[Observation, Action]] = []
        self.context: SeatContext | None = None

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self.context = context
        self.moves = []
        self.agent.reset(context, rng)

    def act(self, observation: Observation) -> Action:
        action = self.agent.act(observation)
        self.moves.append((observation, action))
        return action


def build_agent(agent: str | type[Any]) -> Agent:
    """A new agent from a registered id or a class with no constructor arguments."""
    if isinstance(agent, str):
        return agent_by_id(agent)
    built: Agent = agent()
    return built


def play(
    agent: str | type[Any],
    protocol: str,
    scenario: Scenario,
    *,
    seed: int,
    role: Role = Role.DELEGATION,
    seated: Sequence[Watched] | None = None,
) -> tuple[SessionResult | None, list[Watched]]:
    """A session with watched copies of ``agent`` in every seat of ``role`` (others get defaults).

    ``seated``: agents from an earlier session to seat again (to check that ``reset``
    forgets it). ``(None, [])`` when ``role`` is the mediator and the protocol has none.
    """
    protocol_object = protocol_by_id(protocol)
    if role is Role.MEDIATOR:
        if not protocol_object.needs_mediator:
            return None, []
        seats = [scenario.mediator.name if scenario.mediator else "Mediator"]
    else:
        seats = [party.name for party in scenario.delegations]
    watched = list(seated) if seated is not None else [Watched(build_agent(agent)) for _ in seats]
    result = run_session(
        scenario,
        protocol_object,
        dict(zip(seats, watched, strict=True)),
        seed=seed,
        rounds=ROUNDS,
        time_limit=5.0,
    )
    return result, watched


def check_rational(watched: Watched, where: Where) -> None:
    """Fail if the watched delegation offered, accepted, voted for or bid a package it may not sign."""
    context = watched.context
    if context is None or context.utility is None:
        return
    own = OwnUtility(context.agenda, context.utility)
    for observation, action in watched.moves:
        packages: list[Any] = []
        if isinstance(action, Offer):
            packages = [action.outcome]
        elif isinstance(action, Message) and action.offer is not None:
            packages = [action.offer]
        elif isinstance(action, AcceptPackages):
            packages = list(action.outcomes)
        elif (isinstance(action, Accept) or (isinstance(action, Vote) and action.accept)) and (
            observation.on_table is not None
        ):
            packages = [observation.on_table]
        for package in packages:
            if not own.rational(tuple(package)):
                where.at(seat=context.seat).fail(
                    f"in round {observation.round} would sign {package!r} ({action_kind(action)}): "
                    "below its reservation value or across a red line"
                )
