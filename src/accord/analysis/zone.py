"""The agreement zone, opposition and blocking.

The *agreement zone* is the set of outcomes that cross no red line and that every
party values at or above its reservation value (less :data:`PARETO_TOLERANCE`).
Its size is counted exactly where that can be done — and said to be unknown,
with the reason, where it cannot; it is never estimated.

>>> tables = (np.array([[0.5, 0.0], [0.0, 0.5]]), np.array([[0.5, 0.0], [0.25, 0.25], [0.0, 0.5]]))
>>> additive_zone_size(tables, np.array([0.25, 0.25])).count
4
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.analysis.pareto import PARETO_TOLERANCE

__all__ = ["ZoneSize", "additive_zone_size", "blocking_masks", "furthest_apart", "opposition"]

#: Additive spaces up to this many outcomes are counted by enumeration.
COUNTED_OUTCOMES = 10**7

#: With two binding reservations, meet in the middle runs while each half has at most this many combinations.
PAIR_HALF_LIMIT = 1 << 17


@dataclass(frozen=True, slots=True)
class ZoneSize:
    """The size of the agreement zone: ``count`` (``None`` when unknown) and how it was found (or why not)."""

    count: int | None
    method: str

    @property
    def exact(self) -> bool:
        return self.count is not None


def additive_zone_size(
    tables: Sequence[np.ndarray],
    reservations: np.ndarray,
    *,
    allowed: Sequence[np.ndarray] | None = None,
    weights: Sequence[np.ndarray] | None = None,
    counted_outcomes: int = COUNTED_OUTCOMES,
) -> ZoneSize:
    """Count outcomes of additive utilities that every party values at or above its reservation value.

    ``tables[i]: (n_options_i, n_parties)``, ``reservations: (n_parties,)``,
    ``allowed[i]: (n_options_i,)`` bool (single-issue red lines); ``weights[i]: (n_options_i,)``
    how many outcomes each option stands for (1 each by default; see
    :func:`~accord.analysis.grouping.interchangeable_options`). Exact when no
    party's reservation binds (the product of allowed option counts), when the
    space has at most ``counted_outcomes`` outcomes (enumeration), or when only one
    party's binds (meet in the middle: sorted sums of two halves of the issues), or
    two parties' bind and each half has at most :data:`PAIR_HALF_LIMIT` combinations.
    Otherwise ``count`` is ``None``.

    >>> tables = (np.array([[1.0, 0.0], [0.0, 1.0]]),) * 30
    >>> additive_zone_size(tables, np.array([0.0, 0.0])).count == 2**30
    True
    >>> expected = sum(math.comb(30, j) for j in range(20, 31))
    >>> additive_zone_size(tables, np.array([20.0, 0.0])).count == expected
    True
    """
    n_parties = reservations.shape[0]
    tables = [np.asarray(table, dtype=np.float64).reshape(-1, n_parties) for table in tables]
    counts = [
        np.ones(table.shape[0], dtype=np.int64)
        if weights is None
        else np.asarray(weights[index], dtype=np.int64)
        for index, table in enumerate(tables)
    ]
    if allowed is not None:
        masks = [np.asarray(mask, dtype=bool) for mask in allowed]
        tables = [table[mask] for table, mask in zip(tables, masks, strict=True)]
        counts = [count[mask] for count, mask in zip(counts, masks, strict=True)]
    sizes = [table.shape[0] for table in tables]
    listed = math.prod(sizes)
    total = math.prod(int(count.sum()) for count in counts)
    if total == 0:
        return ZoneSize(0, "no outcome respects the red lines")
    worst = np.array([sum(float(table[:, party].min()) for table in tables) for party in range(n_parties)])
    best = np.array([sum(float(table[:, party].max()) for table in tables) for party in range(n_parties)])
    threshold = reservations - PARETO_TOLERANCE
    if (best < threshold).any():
        return ZoneSize(0, "some party's best outcome is below its reservation value")
    binding = np.flatnonzero(worst < threshold)
    if binding.size == 0:
        return ZoneSize(total, "every outcome respecting the red lines is rational for all")
    if total >= 2**62:
        return ZoneSize(None, f"{total} outcomes are too many to count exactly here")
    if listed <= counted_outcomes:
        return ZoneSize(_enumerated_count(tables, counts, threshold), "counted by enumeration")
    if binding.size == 1:
        party = int(binding[0])
        count = _one_party_count([table[:, party] for table in tables], counts, float(threshold[party]))
        return ZoneSize(count, "counted by meet in the middle (one party's reservation binds)")
    if binding.size == 2 and _split_sizes(sizes)[1] <= PAIR_HALF_LIMIT:
        first, second = (int(party) for party in binding)
        count = _two_party_count(
            [table[:, [first, second]] for table in tables], counts, threshold[[first, second]]
        )
        return ZoneSize(count, "counted by meet in the middle (two parties' reservations bind)")
    return ZoneSize(
        None,
        f"{total} outcomes are too many to count and {binding.size} parties' reservation values bind",
    )


def _enumerated_count(
    tables: Sequence[np.ndarray], counts: Sequence[np.ndarray], threshold: np.ndarray
) -> int:
    sizes = tuple(table.shape[0] for table in tables)
    total = math.prod(sizes)
    step = max(1, (1 << 22) // max(1, len(tables) + threshold.shape[0]))
    count = 0
    for start in range(0, total, step):
        choices = np.unravel_index(np.arange(start, min(total, start + step)), sizes)
        utilities = sum(table[column] for table, column in zip(tables, choices, strict=True))
        weight = np.ones(choices[0].shape[0] if choices else 1, dtype=np.int64)
        for option_counts, column in zip(counts, choices, strict=True):
            weight *= option_counts[column]
        count += int(weight[(np.asarray(utilities) >= threshold).all(axis=1)].sum())
    return count


def _half_sums(values: Sequence[np.ndarray], counts: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Every combination's summed value and outcome count, over the issues of one half."""
    sums, weights = np.zeros(1), np.ones(1, dtype=np.int64)
    for column, count in zip(values, counts, strict=True):
        sums = (sums[:, None] + column[None, :]).reshape(-1)
        weights = (weights[:, None] * count[None, :]).reshape(-1)
    return sums, weights


def _split_sizes(sizes: Sequence[int]) -> tuple[int, int]:
    """Where to cut the issues in two halves of the closest sizes, and the larger half's size."""
    split = min(range(len(sizes) + 1), key=lambda cut: abs(math.prod(sizes[:cut]) - math.prod(sizes[cut:])))
    return split, max(math.prod(sizes[:split]), math.prod(sizes[split:]))


def _two_party_count(
    tables: Sequence[np.ndarray], counts: Sequence[np.ndarray], threshold: np.ndarray
) -> int:
    """Outcomes whose summed ``tables[i]: (n_options_i, 2)`` reach ``threshold`` for both columns.

    Meet in the middle: a left half ``(x, y)`` needs right halves with ``x' ≥ tx − x`` and
    ``y' ≥ ty − y``. The right halves are sorted by ``x'`` (descending), so the first
    condition keeps a prefix; the prefix is cut into blocks of about √n, each with its
    ``y'`` sorted and its weights summed from the top, so whole blocks are counted with
    one search per query and only the last, partial block element by element.
    """
    sizes = [table.shape[0] for table in tables]
    split, _ = _split_sizes(sizes)
    left = [_half_sums([table[:, column] for table in tables[:split]], counts[:split]) for column in (0, 1)]
    right = [_half_sums([table[:, column] for table in tables[split:]], counts[split:]) for column in (0, 1)]
    order = np.argsort(-right[0][0], kind="stable")
    right_x, right_y, right_weights = right[0][0][order], right[1][0][order], right[0][1][order]
    need_x, need_y, left_weights = threshold[0] - left[0][0], threshold[1] - left[1][0], left[0][1]
    prefix = np.searchsorted(-right_x, -need_x, side="right")  # right halves with x' ≥ need_x
    block = max(1, math.isqrt(right_x.size))
    total = 0
    for start in range(0, right_x.size, block):
        stop = min(right_x.size, start + block)
        ys, weights = right_y[start:stop], right_weights[start:stop]
        ranked = np.argsort(ys, kind="stable")
        sorted_y = ys[ranked]
        from_top = np.concatenate([np.cumsum(weights[ranked][::-1])[::-1], np.zeros(1, dtype=np.int64)])
        whole = np.flatnonzero(prefix >= stop)
        if whole.size:
            reach = from_top[np.searchsorted(sorted_y, need_y[whole], side="left")]
            total += int((left_weights[whole] * reach).sum())
        partial = np.flatnonzero((prefix > start) & (prefix < stop))
        for chunk in range(0, partial.size, 4096):
            queries = partial[chunk : chunk + 4096]
            inside = np.arange(start, stop)[None, :] < prefix[queries, None]
            reaching = inside & (ys[None, :] >= need_y[queries, None])
            total += int((left_weights[queries] * (reaching * weights[None, :]).sum(axis=1)).sum())
    return total


def _one_party_count(values: Sequence[np.ndarray], counts: Sequence[np.ndarray], threshold: float) -> int:
    """Outcomes whose summed ``values[i]: (n_options_i,)`` reach ``threshold``: two halves, sorted."""
    split, _ = _split_sizes([column.size for column in values])
    left, left_counts = _half_sums(values[:split], counts[:split])
    right, right_counts = _half_sums(values[split:], counts[split:])
    order = np.argsort(right, kind="stable")
    right = right[order]
    # reaching[j]: outcomes of the right half whose sum is right[j] or more.
    reaching = np.concatenate([np.cumsum(right_counts[order][::-1])[::-1], np.zeros(1, dtype=np.int64)])
    count = 0
    step = 1 << 20
    for start in range(0, left.size, step):
        needed = threshold - left[start : start + step]
        count += int(
            (left_counts[start : start + step] * reaching[np.searchsorted(right, needed, side="left")]).sum()
        )
    return count


def opposition(utilities: np.ndarray) -> float | None:
    """How opposed the parties are: the distance from (1, …, 1) to the most equal frontier point.

    ``utilities: (m, n_parties)`` of the Pareto frontier. The most equal point has
    the smallest spread (largest minus smallest utility; ties: first row). This is
    the definition behind the ``opposition`` of the ANL 2023 scenarios' ``specials.json``
    (0 when every party can have everything; larger when interests clash).

    >>> round(opposition(np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])), 4)
    0.7071
    """
    if utilities.shape[0] == 0:
        return None
    spread = utilities.max(axis=1) - utilities.min(axis=1)
    row = utilities[int(np.argmin(spread))]
    return float(np.sqrt(((1.0 - row) ** 2).sum()))


def furthest_apart(utilities: np.ndarray) -> tuple[int, int] | None:
    """The two parties furthest apart: the pair for whom the package best for both lies
    furthest from everything they want.

    ``utilities: (m, n_parties)`` of the Pareto frontier of every party. For each pair
    ``(i, j)`` the distance is the smallest Euclidean distance from ``(1, 1)`` to a row's
    ``(u_i, u_j)`` (the frontier holds that row whenever any outcome does); the pair with
    the largest distance wins, the first in ``(i, j)`` order among ties. ``None`` with
    fewer than two parties or no rows.

    >>> furthest_apart(np.array([[1.0, 0.9, 0.0], [0.0, 0.1, 1.0], [0.5, 0.5, 0.5]]))
    (0, 2)
    """
    n_parties = utilities.shape[1]
    if n_parties < 2 or utilities.shape[0] == 0:
        return None
    first, second = np.triu_indices(n_parties, k=1)
    shortfall = 1.0 - utilities
    distances = np.sqrt(shortfall[:, first] ** 2 + shortfall[:, second] ** 2).min(axis=0)
    best = int(np.flatnonzero(distances >= distances.max() - 1e-12)[0])
    return int(first[best]), int(second[best])


def blocking_masks(utilities: np.ndarray, reservations: np.ndarray) -> np.ndarray:
    """``(n_parties, m)`` bool: row ``p`` marks the points every other party would accept but ``p`` rejects.

    Accepting means valuing at or above one's reservation value (less the tolerance).

    >>> blocking_masks(np.array([[0.9, 0.1], [0.5, 0.5], [0.1, 0.9]]), np.array([0.3, 0.3])).tolist()
    [[False, False, True], [True, False, False]]
    """
    accepts = utilities >= reservations - PARETO_TOLERANCE
    n_parties = utilities.shape[1]
    masks = np.zeros((n_parties, utilities.shape[0]), dtype=bool)
    for party in range(n_parties):
        others = np.delete(accepts, party, axis=1).all(axis=1)
        masks[party] = others & ~accepts[:, party]
    return masks
