"""Bargaining points: where they lie, what they maximise, what they ignore."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from accord.analysis import (
    PARETO_TOLERANCE,
    additive_pareto_frontier,
    egalitarian_point,
    kalai_smorodinsky_point,
    max_welfare_point,
    nash_point,
    rational_mask,
)
from accord.testing.strategies import additive_tables, utility_matrices
from analysis.reference import additive_utilities, all_choices, dominance_matrix

POINTS = (nash_point, kalai_smorodinsky_point, max_welfare_point, egalitarian_point)
affine_scales = st.sampled_from((0.1, 0.3, 1.0, 2.5, 7.0))
affine_shifts = st.sampled_from((-3.0, -0.5, 0.0, 0.2, 10.0))


@given(additive_tables(max_parties=3), st.data())
def test_nash_point_lies_on_the_frontier_and_maximises_the_product(
    tables: tuple[np.ndarray, ...], data: st.DataObject
) -> None:
    n_parties = tables[0].shape[1]
    reservations = np.array(
        data.draw(st.lists(st.sampled_from((0.0, 0.1, 0.2)), min_size=n_parties, max_size=n_parties))
    )
    everything = additive_utilities(tables, all_choices([table.shape[0] for table in tables]))
    frontier = additive_pareto_frontier(tables)
    on_frontier = nash_point(frontier.utilities, reservations)
    over_all = nash_point(everything, reservations)
    assert (on_frontier is None) == (over_all is None)
    if over_all is None:
        assert not rational_mask(everything, reservations).any()
        return
    assert on_frontier is not None
    best = everything[over_all]
    # The point chosen among all outcomes is undominated ...
    assert not dominance_matrix(np.vstack([everything, best]))[:, -1].any()
    # ... and the frontier's choice has the same, maximal, product of gains.
    rational = rational_mask(everything, reservations)
    products = np.prod(everything[rational] - reservations, axis=1)
    chosen = np.prod(frontier.utilities[on_frontier] - reservations)
    assert chosen >= products.max() - 1e-9


@given(utility_matrices(max_rows=30, min_parties=2, max_parties=4), st.data())
def test_points_do_not_move_under_positive_affine_rescaling(
    utilities: np.ndarray, data: st.DataObject
) -> None:
    n_parties = utilities.shape[1]
    reservations = np.array(
        data.draw(st.lists(st.sampled_from((0.0, 0.25, 0.5)), min_size=n_parties, max_size=n_parties))
    )
    party = data.draw(st.integers(0, n_parties - 1))
    scale, shift = data.draw(affine_scales), data.draw(affine_shifts)
    moved_utilities = utilities.copy()
    moved_reservations = reservations.copy()
    moved_utilities[:, party] = scale * utilities[:, party] + shift
    moved_reservations[party] = scale * reservations[party] + shift
    for point in (nash_point, kalai_smorodinsky_point):
        before = point(utilities, reservations)
        after = point(moved_utilities, moved_reservations)
        if before is None or after is None:
            assert before == after or _near_boundary(utilities, reservations)
            continue
        gains = utilities - reservations
        assert np.allclose(gains[before], gains[after], atol=1e-6) or before == after


def test_nash_products_tie_only_relative_to_their_size() -> None:
    """A counterexample hypothesis found: a product of 7e-9 against 0 must not tie once a party's
    utilities are scaled by 0.1 (the absolute floor of the tie rule used to make it 7e-10 ≈ 0)."""
    utilities = np.array([[1.0, 0.0], [0.0625, 1.1920929e-07]])
    moved = utilities.copy()
    moved[:, 0] = 0.1 * utilities[:, 0] - 3.0
    assert nash_point(utilities, np.zeros(2)) == 1
    assert nash_point(moved, np.array([-3.0, 0.0])) == 1


def _near_boundary(utilities: np.ndarray, reservations: np.ndarray) -> bool:
    return bool((np.abs(utilities - reservations) < 1e-6).any())


def test_nash_point_invariance_on_a_fixed_example() -> None:
    utilities = np.array([[0.9, 0.2], [0.7, 0.45], [0.5, 0.6], [0.2, 0.9]])
    reservations = np.array([0.1, 0.1])
    assert nash_point(utilities, reservations) == 1
    rescaled = utilities * np.array([3.0, 1.0]) + np.array([-2.0, 0.0])
    assert nash_point(rescaled, reservations * np.array([3.0, 1.0]) + np.array([-2.0, 0.0])) == 1


def test_no_rational_outcome_gives_none() -> None:
    utilities = np.array([[0.9, 0.1], [0.1, 0.9]])
    for point in POINTS:
        assert point(utilities, np.array([0.5, 0.5])) is None
        assert point(np.zeros((0, 2)), np.zeros(2)) is None


def test_rational_means_at_or_above_the_reservation_value() -> None:
    utilities = np.array([[0.5, 0.5]])
    assert rational_mask(utilities, np.array([0.5, 0.5])).all()
    assert rational_mask(utilities, np.array([0.5 + PARETO_TOLERANCE / 2, 0.5])).all()
    assert not rational_mask(utilities, np.array([0.5 + 2 * PARETO_TOLERANCE, 0.5])).any()


def test_kalai_smorodinsky_uses_each_partys_best_rational_gain() -> None:
    utilities = np.array([[1.0, 0.0], [0.8, 0.4], [0.5, 0.5], [0.2, 0.6]])
    # Best gains are 1.0 and 0.6; (0.8, 0.4) gives both at least two thirds.
    assert kalai_smorodinsky_point(utilities, np.zeros(2)) == 1
    # With a reservation of 0.3 for party 1 the rational rows are 1..3 and party 0's best gain is 0.8.
    assert kalai_smorodinsky_point(utilities, np.array([0.0, 0.3])) == 2


def test_ties_go_to_the_undominated_row_best_for_the_first_party_then_the_lowest_row() -> None:
    """The documented rule (analysis/bargaining.py): rows within a relative 1e-9 of the best
    criterion are tied; among the tied rows no other tied row dominates, the one best for the
    first party wins, then for the second, …, and among equal utilities the lowest-indexed."""
    zero = np.zeros(2)
    utilities = np.array([[0.5, 0.0], [0.5, 0.5], [0.0, 0.5], [0.5, 0.5]])
    assert egalitarian_point(utilities, zero) == 1  # rows 1 and 3 tie and are equal: the lower
    assert max_welfare_point(utilities, zero) == 1
    # both products are 0; row 0 dominates row 1
    assert nash_point(np.array([[0.0, 1.0], [0.0, 0.5]]), zero) == 0
    # a dominated tied row loses to a later one that dominates it
    assert egalitarian_point(np.array([[0.5, 0.5], [0.7, 0.5]]), zero) == 1
    # neither dominates: the row better for the first party wins, wherever it stands
    assert egalitarian_point(np.array([[0.5, 0.6], [0.9, 0.5]]), zero) == 1
    assert egalitarian_point(np.array([[0.9, 0.5], [0.5, 0.6]]), zero) == 0
    # not the larger total gain: the choice between tied rows does not depend on a party's scale
    products_tied = np.array([[0.5, 0.6], [0.6, 0.5]])
    assert nash_point(products_tied, zero) == 1
    assert nash_point(products_tied * np.array([1.0, 10.0]), zero) == 1
    # the first party's utilities equal to within the tolerance: the second party decides
    assert nash_point(np.array([[0.5 + 1e-12, 0.3, 0.6], [0.5, 0.6, 0.3]]), np.zeros(3)) == 1
    # equal for everyone to within the tolerance: the lowest-indexed
    assert kalai_smorodinsky_point(np.array([[0.5, 0.5], [0.5, 0.5 + 1e-12]]), np.zeros(2)) == 0
    # a criterion a relative 1e-12 below the best still ties, and dominance then decides
    assert egalitarian_point(np.array([[0.5, 0.5], [0.5 - 1e-12, 0.8]]), zero) == 1
    assert egalitarian_point(np.array([[0.5, 0.5], [0.5 - 1e-6, 0.8]]), zero) == 0


@given(utility_matrices(max_rows=30, min_parties=2, max_parties=4), st.randoms(use_true_random=False))
def test_points_do_not_depend_on_the_order_of_the_rows(utilities: np.ndarray, random: Any) -> None:
    """Callers pass rows in different orders (a frontier, every outcome, a sample): the point's
    utilities are the same."""
    order = list(range(len(utilities)))
    random.shuffle(order)
    shuffled = utilities[order]
    reservations = np.full(utilities.shape[1], 0.1)
    for point in POINTS:
        before, after = point(utilities, reservations), point(shuffled, reservations)
        assert (before is None) == (after is None)
        if before is not None and after is not None:  # the same row, or one equal to within the tolerance
            assert np.allclose(utilities[before], shuffled[after], rtol=0.0, atol=2 * PARETO_TOLERANCE)
