"""The outcome space: enumeration order, chunking, value lookup."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain import Agenda, DiscreteIssue, IntegerIssue, Option, RealIssue, ValueFunction


def agenda_of(sizes: list[int]) -> Agenda:
    return Agenda(
        tuple(
            DiscreteIssue(f"issue{i}", tuple(Option(f"o{j}") for j in range(size)))
            for i, size in enumerate(sizes)
        )
    )


@given(st.lists(st.integers(1, 5), min_size=1, max_size=4), st.integers(1, 50))
def test_chunks_enumerate_every_outcome_once_in_order(sizes: list[int], chunk: int) -> None:
    agenda = agenda_of(sizes)
    whole = agenda.all_choices()
    assert whole.shape == (math.prod(sizes), len(sizes))
    assert np.array_equal(np.concatenate(list(agenda.chunks(chunk))), whole)
    assert len({tuple(row) for row in whole}) == agenda.size
    # mixed-radix order: the last issue changes fastest
    assert [tuple(row) for row in whole] == sorted(tuple(row) for row in whole)


def test_outcome_and_choices_are_inverse() -> None:
    agenda = Agenda(
        (
            DiscreteIssue("a", (Option("x"), Option("y"))),
            IntegerIssue("b", -1, 1),
            RealIssue("c", 0.0, 1.0, 0.25),
        )
    )
    for row in agenda.all_choices():
        outcome = agenda.outcome(row)
        assert agenda.choices_of(outcome) == tuple(int(index) for index in row)
    with pytest.raises(KeyError, match="not an option"):
        agenda.choices_of(("z", 0, 0.5))
    with pytest.raises(KeyError, match="not a value"):
        agenda.choices_of(("x", 2, 0.5))
    with pytest.raises(KeyError, match="3 values"):
        agenda.choices_of(("x", 0))


def test_real_issue_grid_includes_both_ends() -> None:
    assert RealIssue("r", 0.0, 1.0, 0.3).values == (0.0, 0.3, 0.6, 0.9, 1.0)
    assert RealIssue("r", 0.0, 1.0, 0.25).values == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert RealIssue("r", 2.0, 2.0, 1.0).values == (2.0,)


def test_huge_agendas_report_their_size_exactly() -> None:
    agenda = agenda_of([10] * 30)
    assert agenda.size == 10**30


@given(st.floats(-5, 15))
def test_value_functions_interpolate_and_clamp(x: float) -> None:
    function = ValueFunction(((0.0, 0.0), (5.0, 1.0), (10.0, 0.5)))
    value = function.value_at(x)
    assert 0.0 <= value <= 1.0
    if x <= 0:
        assert value == 0.0
    elif x <= 5:
        assert value == pytest.approx(x / 5)
    elif x <= 10:
        assert value == pytest.approx(1.0 - 0.5 * (x - 5) / 5)
    else:
        assert value == 0.5
