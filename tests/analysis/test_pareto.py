"""Pareto mask and frontiers against a brute-force reference."""

from __future__ import annotations

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.analysis import (
    PARETO_TOLERANCE,
    additive_pareto_frontier,
    dominated_by,
    outcome_census,
    pareto_mask,
)
from accord.testing.strategies import additive_tables, utility_matrices
from analysis.reference import (
    additive_utilities,
    all_choices,
    brute_pareto_mask,
    dominance_matrix,
)


@given(utility_matrices())
@example(np.array([[0.3, 0.7], [0.1 + 0.2, 0.7], [0.3, 0.6]]))  # 0.1 + 0.2 != 0.3 in floating point
@example(np.array([[0.5, 0.5, 0.5], [0.5, 0.5, 0.5], [0.5, 0.5, 0.25]]))
def test_mask_matches_brute_force(utilities: np.ndarray) -> None:
    assert pareto_mask(utilities).tolist() == brute_pareto_mask(utilities).tolist()


@given(utility_matrices(max_rows=60, min_parties=2))
def test_frontier_points_undominated_and_others_dominated_by_a_frontier_point(utilities: np.ndarray) -> None:
    mask = pareto_mask(utilities)
    dominates = dominance_matrix(utilities)
    assert not dominates[:, mask].any()
    if (~mask).any():
        assert dominates[np.ix_(mask, ~mask)].any(axis=0).all()


def test_block_sweep_matches_brute_force_beyond_one_block() -> None:
    rng = np.random.default_rng(7)
    for n_parties in (3, 4, 5):
        grid = rng.integers(0, 5, (1500, n_parties)) * 0.25
        uniform = rng.random((1500, n_parties))
        for utilities in (grid, uniform):
            assert (pareto_mask(utilities) == brute_pareto_mask(utilities)).all()


def test_tolerance_treats_float_noise_as_equal() -> None:
    utilities = np.array([[0.3, 0.7], [0.1 + 0.2, 0.7]])
    assert pareto_mask(utilities).all()
    assert pareto_mask(utilities, tolerance=0.0).tolist() == [False, True]  # 0.1 + 0.2 > 0.3


def test_the_default_tolerance_is_above_summation_noise_and_below_real_differences() -> None:
    """ARCHITECTURE.md: far above float error for sums of a few hundred terms, far below any
    meaningful utility difference; a dominates b when a ≥ b − tol everywhere and a > b + tol once."""
    terms = np.random.default_rng(3).random(400) / 400
    forwards, backwards = float(np.cumsum(terms)[-1]), float(np.cumsum(terms[::-1])[-1])
    noisy = np.array([[forwards, 0.5], [backwards, 0.5]])
    assert forwards != backwards and not pareto_mask(noisy, tolerance=0.0).all()
    assert pareto_mask(noisy).all()
    assert pareto_mask(np.array([[0.5, 0.5], [0.5 + PARETO_TOLERANCE / 2, 0.5]])).all()
    assert pareto_mask(np.array([[0.5, 0.5], [0.5 + 2 * PARETO_TOLERANCE, 0.5]])).tolist() == [False, True]
    assert pareto_mask(np.array([[0.5, 0.5], [0.5 + 1e-6, 0.5]])).tolist() == [False, True]


def test_dominated_by_empty_inputs() -> None:
    assert dominated_by(np.zeros((0, 2)), np.ones((3, 2))).shape == (0,)
    assert not dominated_by(np.ones((2, 2)), np.zeros((0, 2))).any()


def _allowed(draw: st.DrawFn, tables: tuple[np.ndarray, ...]) -> tuple[np.ndarray, ...]:
    return tuple(
        np.array(draw(st.lists(st.booleans(), min_size=t.shape[0], max_size=t.shape[0]))) for t in tables
    )


@settings(max_examples=150)
@given(additive_tables(), st.data())
def test_issue_wise_frontier_equals_brute_force(tables: tuple[np.ndarray, ...], data: st.DataObject) -> None:
    allowed = _allowed(data.draw, tables) if data.draw(st.booleans()) else None
    frontier = additive_pareto_frontier(tables, allowed=allowed)
    choices = all_choices([table.shape[0] for table in tables])
    if allowed is not None:
        keep = np.ones(choices.shape[0], dtype=bool)
        for position, mask in enumerate(allowed):
            keep &= mask[choices[:, position]]
        choices = choices[keep]
    utilities = additive_utilities(tables, choices)
    expected = {tuple(row) for row in choices[brute_pareto_mask(utilities)].tolist()}
    assert {tuple(row) for row in frontier.choices.tolist()} == expected
    assert len(frontier) == len(expected)
    np.testing.assert_array_equal(frontier.utilities, additive_utilities(tables, frontier.choices))


@settings(max_examples=60)
@given(additive_tables(max_parties=3), st.integers(1, 7))
def test_census_by_chunks_equals_issue_wise(tables: tuple[np.ndarray, ...], chunk_size: int) -> None:
    sizes = [table.shape[0] for table in tables]
    census = outcome_census(sizes, lambda choices: additive_utilities(tables, choices), chunk_size=chunk_size)
    frontier = additive_pareto_frontier(tables)
    np.testing.assert_array_equal(census.frontier.choices, frontier.choices)
    assert census.acceptable == census.rational == int(np.prod(sizes))


def test_frontier_order_is_documented_order() -> None:
    tables = (np.array([[0.5, 0.0], [0.0, 0.5], [0.5, 0.0]]), np.array([[0.25, 0.25], [0.5, 0.0]]))
    frontier = additive_pareto_frontier(tables)
    assert frontier.utilities[:, 0].tolist() == sorted(frontier.utilities[:, 0].tolist(), reverse=True)
    assert frontier.choices.tolist() == [[0, 1], [2, 1], [0, 0], [2, 0], [1, 1], [1, 0]]


def test_no_allowed_option_gives_an_empty_frontier() -> None:
    tables = (np.array([[0.5, 0.0]]), np.array([[0.5, 0.5], [0.0, 1.0]]))
    frontier = additive_pareto_frontier(tables, allowed=(np.array([False]), np.ones(2, dtype=bool)))
    assert len(frontier) == 0
    assert frontier.choices.shape == (0, 2)


def _benchmark_tables(n_issues: int, n_parties: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(20240601)
    per_party = []
    for _ in range(n_parties):
        weights = rng.random(n_issues)
        weights /= weights.sum()
        columns = []
        for weight in weights:
            values = rng.random(10)
            columns.append(weight * (values - values.min()) / (values.max() - values.min()))
        per_party.append(columns)
    return tuple(np.stack([per_party[p][i] for p in range(n_parties)], axis=1) for i in range(n_issues))


def test_twelve_issues_of_ten_options_for_two_parties() -> None:
    tables = _benchmark_tables(12, 2)
    frontier = additive_pareto_frontier(tables)
    assert 0 < len(frontier) < 10_000
    assert pareto_mask(frontier.utilities).all()
    np.testing.assert_array_equal(frontier.utilities, additive_utilities(tables, frontier.choices))
    # No single change of option improves a frontier point for one party without hurting the other.
    for position, table in enumerate(tables):
        for option in range(10):
            moved = frontier.utilities + table[option] - table[frontier.choices[:, position]]
            no_worse = (moved >= frontier.utilities - PARETO_TOLERANCE).all(axis=1)
            better = (moved > frontier.utilities + PARETO_TOLERANCE).any(axis=1)
            assert not (no_worse & better).any()
