"""A baseline that picks at random among the packages it may sign.

It puts forward a rational package drawn uniformly (never one below its
reservation or across a red line), and signs a rational package on the table with
probability ``acceptance``. All randomness comes from the session's generator.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from accord.agents.base import SeatContext
from accord.agents.outcomes import prepare_delegation
from accord.agents.responses import respond
from accord.domain import Role
from accord.protocols import Action, Observation

__all__ = ["RandomAgent"]


class RandomAgent:
    """Uniform among rational packages; says yes to a rational package with probability ``acceptance``."""

    id: ClassVar[str] = "random-v1"
    roles: ClassVar[tuple[Role, ...]] = (Role.DELEGATION,)

    def __init__(self, acceptance: float = 0.5) -> None:
        self.acceptance = acceptance

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self._own, self._ranking = prepare_delegation(context, rng)
        self._rng = rng
        self._reservation = context.utility.reservation if context.utility else 0.0

    def act(self, observation: Observation) -> Action:
        ranking = self._ranking
        if not len(ranking):
            return respond(observation, self._own, ranking, threshold=float("inf"), proposal=None)
        proposal = ranking.outcome(int(self._rng.integers(len(ranking))))
        threshold = self._reservation if self._rng.random() < self.acceptance else float("inf")
        return respond(observation, self._own, ranking, threshold=threshold, proposal=proposal)
