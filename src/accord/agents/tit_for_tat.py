"""Relative tit-for-tat: concede, in one's own utility, as much as the other side has conceded.

The party starts at its best package. Each time the package put to it improves on
the first one it saw, it lowers its own target by that improvement (measured in
its own utility, as Baarslag's relative tit-for-tat does). So that two mirror
images do not stare at each other until the deadline, a very late Boulware curve
(``e = 0.1``) caps the target in the last stretch of the talks.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from accord.agents.base import SeatContext
from accord.agents.concession import ConcessionCurve, concession_bounds, time_after_round
from accord.agents.outcomes import prepare_delegation
from accord.agents.responses import respond
from accord.domain import Role
from accord.protocols import Action, Observation

__all__ = ["TitForTatAgent"]

#: The cap on the target near the deadline.
DEADLINE_CURVE = ConcessionCurve(0.1)


class TitForTatAgent:
    """Mirrors the other side's concessions; ``deadline_curve`` caps the target near the end."""

    id: ClassVar[str] = "tit-for-tat-v1"
    roles: ClassVar[tuple[Role, ...]] = (Role.DELEGATION,)

    def __init__(self, deadline_curve: ConcessionCurve = DEADLINE_CURVE) -> None:
        self.deadline_curve = deadline_curve

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self._own, self._ranking = prepare_delegation(context, rng)
        reservation = context.utility.reservation if context.utility else 0.0
        self._floor, self._ceiling = concession_bounds(reservation, self._ranking)
        self._first_seen: float | None = None
        self._best_seen = float("-inf")

    def _observe(self, observation: Observation) -> None:
        if observation.on_table is None:
            return
        try:
            value = self._own.of(observation.on_table)
        except KeyError:
            return
        if self._first_seen is None:
            self._first_seen = value
        self._best_seen = max(self._best_seen, value)

    def act(self, observation: Observation) -> Action:
        ranking = self._ranking
        if not len(ranking):
            return respond(observation, self._own, ranking, threshold=float("inf"), proposal=None)
        self._observe(observation)
        conceded = 0.0 if self._first_seen is None else max(0.0, self._best_seen - self._first_seen)
        mirrored = max(self._floor, self._ceiling - conceded)
        late = self.deadline_curve.target(
            time_after_round(observation), floor=self._floor, ceiling=self._ceiling
        )
        target = min(mirrored, late)
        proposal = ranking.outcome(ranking.closest_above(target))
        return respond(observation, self._own, ranking, threshold=target, proposal=proposal)
