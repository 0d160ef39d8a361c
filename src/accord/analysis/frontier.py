"""The exact Pareto frontier of a whole outcome space: issue by issue, or by enumeration.

For additive utilities an outcome that is Pareto-optimal is also Pareto-optimal on
every subset of its issues (if a partial package were dominated, swapping it for
its dominator would dominate the whole outcome). So the frontier is built by
merging one issue at a time and pruning dominated partial packages; each stage
stores back-pointers ``(parent row, option)`` instead of copying rows, and the
packages are spelled out once at the end. Twelve issues of ten options each
(10¹² outcomes) take well under a second for two parties.

Where that argument fails — capped or interacting utilities, red lines that span
issues — :func:`outcome_census` enumerates the space in bounded-memory chunks,
reporting to an optional :class:`Progress`.

>>> tables = (np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[0.5, 0.5], [0.0, 0.0]]))
>>> frontier = additive_pareto_frontier(tables)
>>> frontier.choices.tolist(), frontier.utilities.tolist()
([[0, 0], [1, 0]], [[1.5, 0.5], [0.5, 1.5]])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from accord.analysis.cost import Work, duration, seconds
from accord.analysis.pareto import PARETO_TOLERANCE, Frontier, frontier_order, pareto_mask
from accord.errors import AnalysisError

__all__ = ["ENUMERATION_LIMIT", "Census", "Progress", "additive_pareto_frontier", "outcome_census"]

#: Outcomes evaluated at once when enumerating (about 100 MB of temporaries at most).
CHUNK_SIZE = 1 << 18

#: The one limit on brute force, for every caller (``accord analyze``, sessions, tournaments,
#: reports): at most this many outcomes are enumerated, or class combinations of a group of
#: linked issues reduced in blocks (:mod:`accord.analysis.grouping`); a space needing more is
#: refused with :class:`~accord.errors.AnalysisError`.
ENUMERATION_LIMIT = 10**9


class Progress(Protocol):
    """Receives how far a long computation has come (the CLI passes a progress bar)."""

    def advance(self, done: int, total: int) -> None:
        """``done`` of ``total`` units of work are finished."""


#: Most candidate packages one merge step may hold (bounds memory at about 2 GB for 5 parties).
MERGE_LIMIT = 50_000_000


def additive_pareto_frontier(
    tables: Sequence[np.ndarray],
    *,
    allowed: Sequence[np.ndarray] | None = None,
    tolerance: float = PARETO_TOLERANCE,
    time_limit: float | None = None,
) -> Frontier:
    """The exact Pareto frontier of additive utilities, merged issue by issue.

    ``tables[i]: (n_options_i, n_parties)`` holds each party's utility contribution
    of each option of issue ``i``; an outcome's utility is the sum over issues.
    ``allowed[i]: (n_options_i,)`` bool removes options (single-issue red lines).
    Returns the frontier in :class:`Frontier`'s order; it is empty when some issue
    has no allowed option. With ``time_limit`` (seconds), a merge step that would take the
    estimated time (:mod:`accord.analysis.cost`) past it is refused before it starts.

    >>> tables = (np.array([[0.5, 0.5], [0.25, 0.25]]), np.array([[0.5, 0.0], [0.0, 0.5]]))
    >>> additive_pareto_frontier(tables, allowed=(np.array([False, True]), np.ones(2, bool))).choices.tolist()
    [[1, 0], [1, 1]]
    """
    if not tables:
        return Frontier(np.zeros((1, 0), dtype=np.int64), np.zeros((1, 0)))
    n_parties = tables[0].shape[1]
    options: list[np.ndarray] = []
    for position, table in enumerate(tables):
        candidates = np.arange(table.shape[0])
        if allowed is not None:
            candidates = candidates[np.asarray(allowed[position], dtype=bool)]
        if candidates.size == 0:
            return Frontier(np.zeros((0, len(tables)), dtype=np.int64), np.zeros((0, n_parties)))
        # An option dominated within its own issue never appears on the frontier.
        options.append(candidates[pareto_mask(table[candidates], tolerance=tolerance)])
    utilities = np.asarray(tables[0][options[0]], dtype=np.float64)
    parents: list[np.ndarray] = []
    spent, kept_share = 0.0, 1.0
    for position in range(1, len(tables)):
        contributions = tables[position][options[position]]
        candidates = utilities.shape[0] * contributions.shape[0]
        if candidates > MERGE_LIMIT:
            raise AnalysisError(
                f"the Pareto frontier grows past {utilities.shape[0]:,} partial packages at issue "
                f"{position + 1} of {len(tables)}; merging the next issue would need more than "
                f"{MERGE_LIMIT:,} candidates (are the parties' utilities exactly opposed?)"
            )
        # the new Pareto set: about as large a share of the candidates as the last step kept
        spent += seconds(
            Work("merge", candidates, max(utilities.shape[0], candidates * kept_share)), n_parties=n_parties
        )
        if time_limit is not None and spent > time_limit:
            raise AnalysisError(
                f"the Pareto frontier grows to {utilities.shape[0]:,} partial packages at issue "
                f"{position + 1} of {len(tables)}; merging would take about {duration(spent)} or more"
            )
        merged = (utilities[:, None, :] + contributions[None, :, :]).reshape(-1, n_parties)
        kept = np.flatnonzero(pareto_mask(merged, tolerance=tolerance))
        kept_share = kept.size / max(1, candidates)
        parents.append(kept)
        utilities = merged[kept]
    choices = np.empty((utilities.shape[0], len(tables)), dtype=np.int64)
    rows = np.arange(utilities.shape[0])
    for position in range(len(tables) - 1, 0, -1):
        flat = parents[position - 1][rows]
        width = options[position].size
        choices[:, position] = options[position][flat % width]
        rows = flat // width
    choices[:, 0] = options[0][rows]
    order = frontier_order(choices, utilities)
    return Frontier(choices[order], utilities[order])


@dataclass(frozen=True, slots=True)
class Census:
    """What one pass over every outcome found.

    ``frontier``: the Pareto frontier of acceptable outcomes; ``acceptable``: how
    many outcomes cross no red line; ``rational``: how many of those every party
    values at or above its reservation value (less the tolerance; all of them when
    no reservation values were given).
    """

    frontier: Frontier
    acceptable: int
    rational: int


def outcome_census(
    sizes: Sequence[int],
    evaluate: Callable[[np.ndarray], np.ndarray],
    *,
    acceptable: Callable[[np.ndarray], np.ndarray] | None = None,
    reservations: np.ndarray | None = None,
    chunk_size: int = CHUNK_SIZE,
    tolerance: float = PARETO_TOLERANCE,
    progress: Progress | None = None,
) -> Census:
    """Enumerate all ``prod(sizes)`` outcomes in chunks: frontier and counts, exactly.

    ``evaluate(choices: (n, n_issues)) -> (n, n_parties)`` gives utilities and
    ``acceptable(choices) -> (n,)`` bool the outcomes that cross no red line.
    Outcomes are enumerated in mixed-radix order, last issue fastest. Memory is
    bounded by ``chunk_size`` plus the frontier.

    >>> census = outcome_census((2, 2), lambda choices: np.stack([choices.sum(1), -choices.sum(1)], 1),
    ...                         reservations=np.array([0.0, -1.0]))
    >>> len(census.frontier), census.acceptable, census.rational
    (4, 4, 3)
    """
    total = math.prod(sizes)
    if total >= 2**63:
        raise OverflowError(f"{total} outcomes are too many to enumerate")
    best_choices = np.zeros((0, len(sizes)), dtype=np.int64)
    best_utilities: np.ndarray | None = None
    acceptable_count = rational_count = 0
    for start in range(0, total, chunk_size):
        stop = min(total, start + chunk_size)
        flat = np.arange(start, stop, dtype=np.int64)
        choices = np.stack(np.unravel_index(flat, tuple(sizes)), axis=1) if sizes else flat[:, None][:, :0]
        if acceptable is not None:
            choices = choices[acceptable(choices)]
        utilities = np.asarray(evaluate(choices), dtype=np.float64)
        acceptable_count += choices.shape[0]
        if reservations is None:
            rational_count += choices.shape[0]
        else:
            rational_count += int(np.count_nonzero((utilities >= reservations - tolerance).all(axis=1)))
        local = pareto_mask(utilities, tolerance=tolerance)
        if best_utilities is None:
            best_choices, best_utilities = choices[local], utilities[local]
        else:
            pooled_choices = np.concatenate([best_choices, choices[local]])
            pooled_utilities = np.concatenate([best_utilities, utilities[local]])
            kept = pareto_mask(pooled_utilities, tolerance=tolerance)
            best_choices, best_utilities = pooled_choices[kept], pooled_utilities[kept]
        if progress is not None:
            progress.advance(stop, total)
    if best_utilities is None:
        best_utilities = np.asarray(evaluate(best_choices), dtype=np.float64).reshape(0, -1)
    order = frontier_order(best_choices, best_utilities)
    frontier = Frontier(best_choices[order], best_utilities[order])
    return Census(frontier, acceptable_count, rational_count)
