"""Properties of the compromise (weighted mean) and weighted-median forecasts."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.errors import ArgumentError
from accord.forecast import (
    FORECAST_MODELS,
    ActorTable,
    compromise_model,
    compromise_position,
    median_model,
    run_model,
    weighted_median,
)

positions_strategy = arrays(
    float, st.tuples(st.integers(1, 8), st.integers(1, 3)), elements=st.floats(0.0, 100.0)
)


def weights_for(positions: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(seed)
    capability = np.asarray(generator.uniform(0.1, 5.0, positions.shape[0]))
    salience = generator.uniform(0.05, 1.0, positions.shape)
    return capability, salience


@settings(max_examples=60)
@given(positions=positions_strategy, seed=st.integers(0, 1000))
def test_compromise_lies_within_the_positions(positions: np.ndarray, seed: int) -> None:
    capability, salience = weights_for(positions, seed)
    forecast = compromise_position(positions, capability, salience)
    assert np.all(forecast >= positions.min(axis=0) - 1e-9)
    assert np.all(forecast <= positions.max(axis=0) + 1e-9)


def vote_margin(positions: np.ndarray, weights: np.ndarray, a: float, b: float) -> float:
    """Weighted votes for a over b under linear utilities (positive: a wins)."""
    return float(np.sum(weights * (np.abs(positions - b) - np.abs(positions - a))))


@settings(max_examples=60)
@given(
    positions=positions_strategy,
    seed=st.integers(0, 1000),
    factor=st.floats(1e-3, 1e3),
)
@example(positions=np.array([[0.0], [100.0]]), seed=0, factor=0.1)
def test_median_is_a_condorcet_position_unchanged_by_rescaling(
    positions: np.ndarray, seed: int, factor: float
) -> None:
    capability, salience = weights_for(positions, seed)
    weights = capability[:, None] * salience
    median = weighted_median(positions, weights)
    for dimension in range(positions.shape[1]):
        column, column_weights = positions[:, dimension], weights[:, dimension]
        assert median[dimension] in column
        for rival in column:
            assert vote_margin(column, column_weights, rival, median[dimension]) <= 1e-9
    assert np.array_equal(weighted_median(positions, weights * factor), median)


@settings(max_examples=30)
@given(positions=positions_strategy, seed=st.integers(0, 1000))
def test_order_of_actors_does_not_matter(positions: np.ndarray, seed: int) -> None:
    capability, salience = weights_for(positions, seed)
    order = np.random.default_rng(seed).permutation(positions.shape[0])
    names = tuple(f"a{index}" for index in range(positions.shape[0]))
    dimensions = tuple(f"d{index}" for index in range(positions.shape[1]))
    table = ActorTable(names, dimensions, capability, positions, salience)
    shuffled = ActorTable(
        tuple(names[index] for index in order),
        dimensions,
        capability[order],
        positions[order],
        salience[order],
    )
    assert np.allclose(compromise_model(table).forecast, compromise_model(shuffled).forecast)
    assert np.array_equal(median_model(table).forecast, median_model(shuffled).forecast)


def test_hand_computed_example() -> None:
    table = ActorTable(
        ("A", "B", "C"),
        ("d",),
        np.array([2.0, 1.0, 1.0]),
        np.array([[10.0], [50.0], [90.0]]),
        np.array([[0.5], [1.0], [0.5]]),
    )
    assert compromise_model(table).forecast.tolist() == [(10 + 50 + 45) / 2.5]
    assert median_model(table).forecast.tolist() == [50.0]
    result = median_model(table)
    assert len(result.rounds) == 1 and result.model == "median"


def test_square_root_capability_variant() -> None:
    table = ActorTable(("A", "B"), ("d",), np.array([4.0, 1.0]), np.array([[0.0], [90.0]]), np.ones((2, 1)))
    assert run_model("compromise", table).forecast.tolist() == [18.0]
    variant = run_model("compromise", table, preset="square-root-capability")
    assert variant.forecast.tolist() == [30.0]
    assert variant.settings == {"capability_exponent": 0.5}
    with pytest.raises(ArgumentError, match="preset"):
        run_model("median", table, preset="square-root-capability")


def test_every_model_in_the_table_runs_under_its_own_name() -> None:
    """Each entry of the model table resolves to a model that runs; an unknown name is refused."""
    table = ActorTable(
        ("A", "B", "C"), ("d",), np.array([4.0, 1.0, 2.0]), np.array([[0.0], [90.0], [40.0]]), np.ones((3, 1))
    )
    assert set(FORECAST_MODELS) == {"compromise", "median", "spatial", "expected-utility"}
    for name in FORECAST_MODELS:
        result = run_model(name, table)
        assert result.forecast.shape == (1,), name
        assert 0.0 <= float(result.forecast[0]) <= 90.0, name  # within the actors' positions
    with pytest.raises(ArgumentError, match="unknown model 'oracle'"):
        run_model("oracle", table)
