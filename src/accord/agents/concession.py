"""Time-based concession (Genius's convention) and the agents that follow a curve.

At relative time ``t ∈ [0, 1]`` the target utility is
``u(t) = r + (u_max − r)(1 − t^(1/e))`` where ``r`` is the least the party may
sign and ``u_max`` the most it can hope for. ``e < 1`` concedes late
(Boulware), ``e = 1`` steadily, ``e > 1`` early (Conceder).

>>> curve = ConcessionCurve.boulware()
>>> round(curve.target(0.5, floor=0.2, ceiling=1.0), 4)
0.975
>>> ConcessionCurve.linear().target(0.5, floor=0.0, ceiling=1.0)
0.5
>>> ConcessionCurve.conceder().target(0.25, floor=0.0, ceiling=1.0)
0.5
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from accord.agents.base import SeatContext
from accord.agents.outcomes import OutcomeRanking, prepare_delegation
from accord.agents.responses import respond
from accord.domain import Role
from accord.protocols import Action, Observation

__all__ = [
    "BoulwareAgent",
    "ConcederAgent",
    "ConcessionCurve",
    "LinearAgent",
    "TimeBasedAgent",
    "concession_bounds",
    "time_after_round",
]


@dataclass(frozen=True, slots=True)
class ConcessionCurve:
    """A concession curve: the target utility as a function of relative time.

    ``exponent`` is Genius's ``e`` (> 0).
    """

    exponent: float

    def __post_init__(self) -> None:
        if not self.exponent > 0:
            raise ValueError(f"a concession exponent must be positive, got {self.exponent}")

    @classmethod
    def boulware(cls) -> ConcessionCurve:
        """Concede late: ``e = 0.2``."""
        return cls(0.2)

    @classmethod
    def linear(cls) -> ConcessionCurve:
        """Concede at a steady pace: ``e = 1``."""
        return cls(1.0)

    @classmethod
    def conceder(cls) -> ConcessionCurve:
        """Concede early: ``e = 2``."""
        return cls(2.0)

    def target(self, time: float, *, floor: float, ceiling: float) -> float:
        """The target utility at relative ``time`` between ``floor`` (t = 1) and ``ceiling`` (t = 0)."""
        time = min(1.0, max(0.0, time))
        return float(floor + (ceiling - floor) * (1.0 - time ** (1.0 / self.exponent)))

    def schedule(self, rounds: int, *, floor: float, ceiling: float) -> tuple[float, ...]:
        """The target in each round ``0 … rounds``, at :func:`time_after_round` (memoised: sessions share it).

        >>> ConcessionCurve.linear().schedule(4, floor=0.0, ceiling=1.0)
        (0.75, 0.5, 0.25, 0.0, 0.0)
        """
        return _schedule(self, rounds, floor, ceiling)


# Shared by every session and thread: functools.lru_cache is thread-safe (a race at most computes
# a schedule twice), bounded, keyed by the frozen curve's value, and hands out tuples.
@functools.lru_cache(maxsize=1024)
def _schedule(curve: ConcessionCurve, rounds: int, floor: float, ceiling: float) -> tuple[float, ...]:
    return tuple(
        curve.target(min(1.0, (round_ + 1) / max(1, rounds)), floor=floor, ceiling=ceiling)
        for round_ in range(rounds + 1)
    )


def concession_bounds(reservation: float, ranking: OutcomeRanking) -> tuple[float, float]:
    """The floor and ceiling of a time-based delegation's curve: its least rational utility (never
    below its ``reservation``) and its best (both ``-inf`` when nothing is rational).

    One statement for the agent and for the batch engine (:mod:`accord.batch`), which plans
    the same curve for many sessions at once.
    """
    return max(reservation, ranking.worst), ranking.best


def time_after_round(observation: Observation) -> float:
    """The share of the talks that will be over once this round ends, in (0, 1].

    Genius's ``t`` reaches 1 at the deadline; a party acting in the last round is
    at ``t = 1`` and so signs anything it can live with rather than leave empty-handed.
    """
    return min(1.0, (observation.round + 1) / max(1, observation.rounds))


class TimeBasedAgent:
    """Concedes along a :class:`ConcessionCurve`: offers the package closest above its target and
    signs anything worth at least the target (Genius's AC_next)."""

    id: ClassVar[str] = "time-based-v1"
    roles: ClassVar[tuple[Role, ...]] = (Role.DELEGATION,)
    default_curve: ClassVar[ConcessionCurve] = ConcessionCurve.linear()

    def __init__(self, curve: ConcessionCurve | None = None) -> None:
        self.curve = curve or self.default_curve

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self._own, self._ranking = prepare_delegation(context, rng)
        self._floor, self._ceiling = concession_bounds(
            context.utility.reservation if context.utility else 0.0, self._ranking
        )
        self._nothing_rational = not len(self._ranking)  # once, not a Python __len__ call per move
        self._rounds = context.rounds
        self._targets = (
            ()
            if self._nothing_rational
            else self.curve.schedule(context.rounds, floor=self._floor, ceiling=self._ceiling)
        )

    def act(self, observation: Observation) -> Action:
        ranking = self._ranking
        if self._nothing_rational:
            return respond(observation, self._own, ranking, threshold=float("inf"), proposal=None)
        round_ = observation.round
        if round_ < len(self._targets) and observation.rounds == self._rounds:
            target = self._targets[round_]
        else:
            target = self.curve.target(
                time_after_round(observation), floor=self._floor, ceiling=self._ceiling
            )
        allowed = observation.allowed
        proposal = None
        if "offer" in allowed or "message" in allowed or "accept-packages" in allowed:
            # Only these moves put the package forward: a vote or a response does not need it.
            proposal = ranking.outcome(ranking.closest_above(target))
        return respond(observation, self._own, ranking, threshold=target, proposal=proposal)


class BoulwareAgent(TimeBasedAgent):
    """Time-based with ``e = 0.2``: holds out, concedes near the deadline (Genius's Boulware)."""

    id: ClassVar[str] = "boulware-v1"
    default_curve: ClassVar[ConcessionCurve] = ConcessionCurve.boulware()


class LinearAgent(TimeBasedAgent):
    """Time-based with ``e = 1``: its target falls evenly from its best package to its reservation."""

    id: ClassVar[str] = "linear-v1"
    default_curve: ClassVar[ConcessionCurve] = ConcessionCurve.linear()


class ConcederAgent(TimeBasedAgent):
    """Time-based with ``e = 2``: concedes early, then holds near its reservation."""

    id: ClassVar[str] = "conceder-v1"
    default_curve: ClassVar[ConcessionCurve] = ConcessionCurve.conceder()
