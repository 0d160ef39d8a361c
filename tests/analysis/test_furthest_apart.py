"""The pair of delegations furthest apart, which the report and ``analyze --plot`` show by default."""

from __future__ import annotations

import itertools
import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis import furthest_apart, pareto_mask


def _brute_force(utilities: np.ndarray) -> tuple[int, int]:
    """Over every outcome (not only the frontier): the pair whose best shared outcome lies furthest
    from (1, 1); the first pair among ties."""
    best, chosen = -1.0, (0, 1)
    for first, second in itertools.combinations(range(utilities.shape[1]), 2):
        distance = min(math.dist((1.0, 1.0), (row[first], row[second])) for row in utilities)
        if distance > best + 1e-12:
            best, chosen = distance, (first, second)
    return chosen


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    outcomes=st.integers(2, 40),
    parties=st.integers(2, 6),
)
def test_the_frontier_gives_the_pair_every_outcome_gives(seed: int, outcomes: int, parties: int) -> None:
    utilities = np.round(np.random.default_rng(seed).random((outcomes, parties)), 2)
    frontier = utilities[pareto_mask(utilities)]
    assert furthest_apart(frontier) == _brute_force(utilities)


def test_opposed_delegations_are_found_among_agreeing_ones() -> None:
    # 0 and 1 want the same; 2 wants the opposite of both.
    utilities = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.6, 0.6, 0.4]])
    assert furthest_apart(utilities) == (0, 2)
    assert furthest_apart(utilities[:, [2, 0, 1]]) == (0, 1)
    assert furthest_apart(np.zeros((0, 3))) is None and furthest_apart(np.ones((2, 1))) is None
