"""Pareto dominance over utility vectors: the tolerance, the frontier value object, the mask.

Dominance is taken with a tolerance :data:`PARETO_TOLERANCE` so that utilities
summed in a different order (which differ in the last bits) compare equal: ``a``
dominates ``b`` when ``a ≥ b − tolerance`` for every party and ``a > b + tolerance``
for at least one. Outcomes with equal (within tolerance) utility vectors do not
dominate one another, so all of them stay on the frontier — Genius counts its
Pareto bids the same way.

The tolerance absorbs floating-point noise. Utilities that differ by more than
noise but by less than the tolerance can make dominance intransitive (``a``
dominates ``b``, ``b`` dominates ``c``, ``a`` does not dominate ``c``); for those
pathological inputs the fast algorithms below may keep a point that is dominated
only through such a chain. Whenever utilities differ either by noise or by more
than the tolerance, the results are exact.

>>> utilities = np.array([[1.0, 0.0], [0.5, 0.5], [0.4, 0.4], [0.5, 0.5]])
>>> pareto_mask(utilities).tolist()
[True, True, False, True]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["PARETO_TOLERANCE", "Frontier", "dominated_by", "frontier_order", "pareto_mask"]

#: Absolute tolerance of every utility comparison in dominance (see the module docstring).
PARETO_TOLERANCE = 1e-9

#: Rows compared at once in the block sweep; bounds temporary memory to a few MB.
_BLOCK = 512
#: Rows of a block compared pairwise at once (a block's rows need only the rows before them).
_PART = 128
_PAIRWISE_ELEMENTS = 1 << 20
_SAMPLE = 64


@dataclass(frozen=True, slots=True)
class Frontier:
    """Pareto-optimal outcomes: ``choices: (m, n_issues)`` option indices and ``utilities: (m, n_parties)``.

    Rows are sorted by the first party's utility (highest first), then the second's,
    and so on; equal utility vectors by their option indices, lowest first.

    >>> frontier = Frontier(np.array([[0], [1]]), np.array([[1.0, 0.0], [0.0, 1.0]]))
    >>> len(frontier)
    2
    """

    choices: np.ndarray
    utilities: np.ndarray

    def __len__(self) -> int:
        return int(self.choices.shape[0])


def frontier_order(choices: np.ndarray, utilities: np.ndarray) -> np.ndarray:
    """The permutation ``(m,)`` that puts frontier rows in :class:`Frontier`'s documented order.

    >>> frontier_order(np.array([[0], [1], [2]]), np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])).tolist()
    [1, 2, 0]
    """
    keys = [choices[:, column] for column in range(choices.shape[1] - 1, -1, -1)]
    keys += [-utilities[:, column] for column in range(utilities.shape[1] - 1, -1, -1)]
    if not keys:
        return np.arange(choices.shape[0])
    return np.lexsort(keys)


def pareto_mask(utilities: np.ndarray, *, tolerance: float = PARETO_TOLERANCE) -> np.ndarray:
    """``(n,)`` bool: which rows of ``utilities: (n, n_parties)`` no other row dominates.

    Two parties take ``O(n log n)`` (a sort and a running maximum, exact for the
    tolerance definition); more parties sweep the rows by the first party's
    utility in blocks, testing each block against the frontier found so far.

    >>> pareto_mask(np.array([[0.2, 0.8, 0.5], [0.2, 0.8, 0.4], [0.9, 0.1, 0.0]])).tolist()
    [True, False, True]
    """
    utilities = np.asarray(utilities, dtype=np.float64)
    n_rows, n_parties = utilities.shape
    if n_rows == 0:
        return np.zeros(0, dtype=bool)
    if n_parties == 0:
        return np.ones(n_rows, dtype=bool)
    if n_parties == 1:
        return np.asarray(utilities[:, 0] >= utilities[:, 0].max() - tolerance)
    if n_parties == 2:
        return _pareto_mask_two(utilities, tolerance)
    # Most dominated rows are dominated by one of the rows of highest total utility:
    # drop those first, then sweep the rest (a dominated row's dominator is never dropped).
    strongest = np.argsort(-utilities.sum(axis=1), kind="stable")[:_SAMPLE]
    open_rows = np.flatnonzero(~dominated_by(utilities, utilities[strongest], tolerance=tolerance))
    mask = np.zeros(n_rows, dtype=bool)
    mask[open_rows] = _pareto_mask_sweep(utilities[open_rows], tolerance)
    return mask


def _pareto_mask_two(utilities: np.ndarray, tolerance: float) -> np.ndarray:
    order = np.lexsort((-utilities[:, 1], -utilities[:, 0]))
    negated_first = -utilities[order, 0]  # ascending
    best_second = np.maximum.accumulate(utilities[order, 1])
    first, second = utilities[:, 0], utilities[:, 1]
    # Strictly better for the first party, no worse for the second.
    strictly_above = np.searchsorted(negated_first, -(first + tolerance), side="left")
    dominated = strictly_above > 0
    dominated[dominated] = best_second[strictly_above[dominated] - 1] >= second[dominated] - tolerance
    # No worse for the first party, strictly better for the second (the row itself is counted).
    at_least = np.searchsorted(negated_first, -(first - tolerance), side="right")
    dominated |= best_second[at_least - 1] > second + tolerance
    return np.asarray(~dominated)


def dominated_by(
    points: np.ndarray, others: np.ndarray, *, tolerance: float = PARETO_TOLERANCE
) -> np.ndarray:
    """``(b,)`` bool: which rows of ``points: (b, k)`` some row of ``others: (m, k)`` dominates.

    Two parties: by sorting ``others`` and searching, ``O((b + m) log m)``. More parties:
    pairwise, in bounded-memory chunks.

    >>> dominated_by(np.array([[0.5, 0.5], [1.0, 0.0]]), np.array([[0.6, 0.5]])).tolist()
    [True, False]
    """
    result = np.zeros(points.shape[0], dtype=bool)
    if points.shape[0] == 0 or others.shape[0] == 0:
        return result
    if points.shape[1] == 2:
        return _dominated_two(points, others, tolerance)
    step = max(1, _PAIRWISE_ELEMENTS // max(1, points.shape[0] * points.shape[1]))
    lower = points - tolerance
    upper = points + tolerance
    for start in range(0, others.shape[0], step):
        chunk = others[start : start + step]
        # Column by column: reductions over a short last axis are slow in numpy.
        no_worse = chunk[None, :, 0] >= lower[:, 0, None]
        better = chunk[None, :, 0] > upper[:, 0, None]
        for column in range(1, points.shape[1]):
            no_worse &= chunk[None, :, column] >= lower[:, column, None]
            better |= chunk[None, :, column] > upper[:, column, None]
        result |= (no_worse & better).any(axis=1)
    return result


def _dominated_two(points: np.ndarray, others: np.ndarray, tolerance: float) -> np.ndarray:
    """Two parties: some row of ``others`` is strictly better for one party and no worse for the other."""
    order = np.argsort(others[:, 0], kind="stable")
    first = others[order, 0]  # ascending
    # best second utility among the rows from each position on (those with a first utility at least …)
    best_second = np.maximum.accumulate(others[order, 1][::-1])[::-1]
    best_second = np.concatenate([best_second, [-np.inf]])
    # strictly better for the first party, no worse for the second
    above = np.searchsorted(first, points[:, 0] + tolerance, side="right")
    dominated = best_second[above] >= points[:, 1] - tolerance
    # no worse for the first party, strictly better for the second
    at_least = np.searchsorted(first, points[:, 0] - tolerance, side="left")
    dominated |= best_second[at_least] > points[:, 1] + tolerance
    return np.asarray(dominated)


def _covered_two(points: np.ndarray, others: np.ndarray, tolerance: float) -> np.ndarray:
    """``(b,)`` bool: some row of ``others: (m, 2)`` is at least ``points: (b, 2)`` minus tolerance."""
    order = np.argsort(-others[:, 0], kind="stable")
    negated_first = -others[order, 0]
    best_second = np.maximum.accumulate(others[order, 1])
    count = np.searchsorted(negated_first, -(points[:, 0] - tolerance), side="right")
    covered = count > 0
    covered[covered] = best_second[count[covered] - 1] >= points[covered, 1] - tolerance
    return covered


def _pareto_mask_sweep(utilities: np.ndarray, tolerance: float) -> np.ndarray:
    """Rows swept by the first party's utility, highest first, one block at a time.

    A kept row whose first utility exceeds the block's highest by more than the
    tolerance (a *far* row) dominates a block row exactly when it is no worse on
    every other party; rows nearer than that, the block itself and the rows just
    after it are compared pairwise.
    """
    n_rows, n_parties = utilities.shape
    order = np.lexsort(tuple(-utilities[:, column] for column in range(n_parties - 1, -1, -1)))
    swept = utilities[order]
    negated_first = -swept[:, 0]
    keep = np.zeros(n_rows, dtype=bool)
    kept_rows: list[np.ndarray] = []
    front = np.empty((0, n_parties))
    for start in range(0, n_rows, _BLOCK):
        stop = min(start + _BLOCK, n_rows)
        block = swept[start:stop]
        if kept_rows:
            front = np.concatenate([front, *kept_rows])
            kept_rows = []
        far = int(np.searchsorted(-front[:, 0], -(block[0, 0] + tolerance), side="left"))
        dominated = np.zeros(stop - start, dtype=bool)
        if far:
            rest = block[:, 1:]
            dominated = _covered(rest, front[:far, 1:], tolerance)
        # Within the block, a row can only be dominated by the rows before it (and those
        # within the tolerance after it): each part is compared with the rows up to its end.
        for part in range(start, stop, _PART):
            part_stop = min(part + _PART, stop)
            lookahead = int(
                np.searchsorted(negated_first, -(swept[part_stop - 1, 0] - tolerance), side="right")
            )
            near = np.concatenate([front[far:], swept[start:lookahead]])
            rows = slice(part - start, part_stop - start)
            open_rows = np.flatnonzero(~dominated[rows]) + (part - start)
            dominated[open_rows] = dominated_by(swept[start + open_rows], near, tolerance=tolerance)
        keep[start:stop] = ~dominated
        kept_rows.append(block[~dominated])
    mask = np.zeros(n_rows, dtype=bool)
    mask[order] = keep
    return mask


def _covered(points: np.ndarray, others: np.ndarray, tolerance: float) -> np.ndarray:
    """``(b,)`` bool: some row of ``others: (m, d)`` is at least ``points: (b, d)`` minus tolerance.

    Two columns are answered exactly by a sort; more columns first rule rows out by
    pairs of columns (a row not covered on a pair is not covered), then compare the
    undecided rows pairwise.
    """
    width = points.shape[1]
    if width == 1:
        return np.asarray(points[:, 0] - tolerance <= others[:, 0].max())
    if width == 2:
        return _covered_two(points, others, tolerance)
    undecided = np.ones(points.shape[0], dtype=bool)
    for first in range(width - 1):
        pair = [first, first + 1]
        undecided[undecided] = _covered_two(points[undecided][:, pair], others[:, pair], tolerance)
    result = np.zeros(points.shape[0], dtype=bool)
    result[undecided] = _covered_pairwise(points[undecided], others, tolerance)
    return result


def _covered_pairwise(points: np.ndarray, others: np.ndarray, tolerance: float) -> np.ndarray:
    result = np.zeros(points.shape[0], dtype=bool)
    step = max(1, _PAIRWISE_ELEMENTS // max(1, points.shape[0] * points.shape[1]))
    lower = points - tolerance
    for start in range(0, others.shape[0], step):
        chunk = others[start : start + step]
        no_worse = chunk[None, :, 0] >= lower[:, 0, None]
        for column in range(1, points.shape[1]):
            no_worse &= chunk[None, :, column] >= lower[:, column, None]
        result |= no_worse.any(axis=1)
    return result
