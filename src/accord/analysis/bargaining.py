"""Bargaining points over candidate outcomes: Nash, Kalai–Smorodinsky, maximum welfare, egalitarian.

Each function takes ``utilities: (m, n_parties)`` (usually the Pareto frontier)
and ``reservations: (n_parties,)`` and returns the row index of its point, or
``None`` when no row is *rational* for all — valued at or above every party's
reservation value (Genius's convention), less :data:`PARETO_TOLERANCE`.

Gains are utilities minus reservation values. Ties are broken the same way
everywhere, whatever the order of the rows: rows whose criterion is within 1e-9 of
the best are tied (relative to the best for Nash products, whose scale is the
product of the parties' scales; relative with a floor of 1 for the other criteria);
among the tied rows that no other tied row dominates, the one best for the first
party wins, then for the second, and so on, utilities within
:data:`PARETO_TOLERANCE` counting as equal; among rows equal for every party, the
lowest-indexed. So a caller that passes every outcome (or a sample) gets a point
with the same utilities, to within the tolerance, as one that passes the frontier.
(Not the largest total gain: that would depend on each party's utility scale, and
Nash and Kalai–Smorodinsky points must not.)

>>> utilities = np.array([[1.0, 0.0], [0.75, 0.5], [0.5, 0.75], [0.0, 1.0]])
>>> nash_point(utilities, np.zeros(2)), egalitarian_point(utilities, np.array([0.0, 0.6]))
(1, 2)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from accord.analysis.pareto import PARETO_TOLERANCE, pareto_mask

__all__ = [
    "distance_to_point",
    "egalitarian_point",
    "kalai_smorodinsky_point",
    "max_welfare_point",
    "nash_point",
    "rational_mask",
]

#: Relative tolerance within which two rows' criteria count as tied.
TIE_TOLERANCE = 1e-9


def rational_mask(utilities: np.ndarray, reservations: np.ndarray) -> np.ndarray:
    """``(m,)`` bool: rows every party values at or above its reservation value (less the tolerance).

    >>> rational_mask(np.array([[0.5, 0.5], [0.9, 0.1]]), np.array([0.2, 0.2])).tolist()
    [True, False]
    """
    return np.asarray((utilities >= reservations - PARETO_TOLERANCE).all(axis=1))


def _best(
    criterion: np.ndarray, utilities: np.ndarray, rational: np.ndarray, *, relative: bool = False
) -> int | None:
    """The rational row maximising ``criterion``; among ties the undominated row best for the
    first party, then the second, …, then the lowest-indexed (see the module docstring).

    >>> _best(np.array([1.0, 1.0, 1.0]), np.array([[0.5, 0.9], [0.7, 0.1], [0.7, 0.2]]), np.ones(3, bool))
    2
    """
    rows = np.flatnonzero(rational)
    if rows.size == 0:
        return None
    values = criterion[rows]
    top = values.max()
    scale = abs(top) if relative else max(1.0, abs(top))
    tied = rows[values >= top - TIE_TOLERANCE * scale]
    if tied.size == 1:
        return int(tied[0])
    tied = tied[pareto_mask(utilities[tied])]
    for column in range(utilities.shape[1]):
        if tied.size == 1:
            break
        values = utilities[tied, column]
        tied = tied[values >= values.max() - PARETO_TOLERANCE]
    return int(tied[0])


def nash_point(utilities: np.ndarray, reservations: np.ndarray) -> int | None:
    """The rational row maximising the product of gains over reservation values.

    Moving a party's utilities and reservation value by the same positive affine
    map does not move the point: products are compared relatively, so they tie only
    when they agree to 1e-9 of their size, whatever the parties' scales. A gain within
    :data:`PARETO_TOLERANCE` of zero counts as no gain.

    >>> nash_point(np.array([[0.9, 0.2], [0.6, 0.6], [0.3, 0.8]]), np.array([0.0, 0.1]))
    1
    """
    gains = utilities - reservations
    rational = rational_mask(utilities, reservations)
    product = np.prod(np.where(gains > PARETO_TOLERANCE, gains, 0.0), axis=1)
    return _best(product, utilities, rational, relative=True)


def distance_to_point(reached: Sequence[float], point: Sequence[float]) -> float:
    """The distance to the Nash point (or any bargaining point): Euclidean, in the utility space of
    every delegation, between the utilities ``reached`` and those of ``point``, party by party in the
    same order. The one definition the report, tournaments and the room's debrief all show.

    >>> distance_to_point([0.6, 0.4], [0.6, 0.8])
    0.4
    """
    if len(reached) != len(point):
        raise ValueError(f"{len(reached)} utilities reached but {len(point)} at the point")
    return math.dist([float(value) for value in reached], [float(value) for value in point])


def kalai_smorodinsky_point(utilities: np.ndarray, reservations: np.ndarray) -> int | None:
    """The rational row giving every party the largest equal share of its possible gain.

    A party's share is its gain divided by its best rational gain (the gain of its
    favourite rational row); the point maximises the smallest share. A party that
    can gain nothing has share 1 everywhere.

    >>> kalai_smorodinsky_point(np.array([[1.0, 0.0], [0.6, 0.3], [0.4, 0.4], [0.0, 0.5]]), np.zeros(2))
    1
    """
    gains = utilities - reservations
    rational = rational_mask(utilities, reservations)
    if not rational.any():
        return None
    best = gains[rational].max(axis=0)
    scale = np.where(best > PARETO_TOLERANCE, best, 1.0)
    shares = np.where(best > PARETO_TOLERANCE, gains / scale, 1.0)
    return _best(shares.min(axis=1), utilities, rational)


def max_welfare_point(utilities: np.ndarray, reservations: np.ndarray) -> int | None:
    """The rational row with the largest sum of utilities.

    >>> max_welfare_point(np.array([[0.9, 0.2], [0.6, 0.6], [0.3, 0.8]]), np.zeros(2))
    1
    """
    return _best(utilities.sum(axis=1), utilities, rational_mask(utilities, reservations))


def egalitarian_point(utilities: np.ndarray, reservations: np.ndarray) -> int | None:
    """The rational row maximising the smallest gain over reservation values (maximin).

    >>> egalitarian_point(np.array([[0.9, 0.2], [0.6, 0.5], [0.3, 0.8]]), np.array([0.0, 0.1]))
    1
    """
    gains = utilities - reservations
    return _best(gains.min(axis=1), utilities, rational_mask(utilities, reservations))
