"""A frequency opponent model in the spirit of HardHeaded (ANAC 2011's winner).

The party concedes along a very late curve. It counts how often each option
appears in the packages put to it, and weighs issues by how rarely the other
side changes them (an issue it never moves on matters to it). Among its own
packages just above its target, it offers the one the model says the other side
likes best.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from accord.agents.base import SeatContext
from accord.agents.concession import ConcessionCurve, time_after_round
from accord.agents.outcomes import prepare_delegation
from accord.agents.responses import respond
from accord.domain import Outcome, Role
from accord.protocols import Action, Observation

__all__ = ["FrequencyAgent"]

#: HardHeaded concedes very late.
LATE_CURVE = ConcessionCurve(0.1)

#: How many packages near its target the party weighs against the opponent model.
CANDIDATES = 64


class FrequencyAgent:
    """HardHeaded-style: late concession, frequency model of the opponent, issue weights by stability.

    ``window``: how far above its target (in its own utility) a candidate package may lie.
    ``learning``: how much an unchanged issue adds to that issue's weight.
    """

    id: ClassVar[str] = "frequency-v1"
    roles: ClassVar[tuple[Role, ...]] = (Role.DELEGATION,)

    def __init__(
        self, curve: ConcessionCurve = LATE_CURVE, *, window: float = 0.05, learning: float = 0.2
    ) -> None:
        self.curve = curve
        self.window = window
        self.learning = learning

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self._own, self._ranking = prepare_delegation(context, rng)
        reservation = context.utility.reservation if context.utility else 0.0
        self._floor = max(reservation, self._ranking.worst)
        self._ceiling = self._ranking.best
        self._counts = [np.zeros(size, dtype=np.float64) for size in context.agenda.sizes]
        self._weights = np.full(len(context.agenda.sizes), 1.0 / max(1, len(context.agenda.sizes)))
        self._last: tuple[int, ...] | None = None
        self._last_seen: Outcome | None = None

    def _learn(self, package: Outcome | None) -> None:
        if package is None or package == self._last_seen:
            return
        try:
            choices = self._own.choices_of(package)
        except KeyError:
            return
        self._last_seen = package
        for position, index in enumerate(choices):
            self._counts[position][index] += 1.0
            if self._last is not None and self._last[position] == index:
                self._weights[position] += self.learning
        self._weights /= self._weights.sum()
        self._last = choices

    def _proposal(self, target: float) -> Outcome:
        ranking = self._ranking
        last = ranking.closest_above(target)
        first = max(ranking.closest_above(target + self.window), last - CANDIDATES + 1)
        if self._last is None or first >= last:
            return ranking.outcome(last)
        candidates = ranking.choices[first : last + 1]
        scores = np.zeros(candidates.shape[0])
        for position, counts in enumerate(self._counts):
            peak = counts.max()
            if peak > 0:
                scores += self._weights[position] * counts[candidates[:, position]] / peak
        return ranking.outcome(first + int(np.argmax(scores)))

    def act(self, observation: Observation) -> Action:
        ranking = self._ranking
        if not len(ranking):
            return respond(observation, self._own, ranking, threshold=float("inf"), proposal=None)
        self._learn(observation.on_table)
        target = self.curve.target(time_after_round(observation), floor=self._floor, ceiling=self._ceiling)
        return respond(observation, self._own, ranking, threshold=target, proposal=self._proposal(target))
