"""Monte Carlo sensitivity is seeded, respects the stated uncertainty, and summarises honestly."""

from __future__ import annotations

import numpy as np
import pytest

from accord.errors import ArgumentError
from accord.forecast import ActorTable, Uncertainty, run_model, sensitivity
from accord.forecast.sensitivity import perturbed_table

TABLE = ActorTable(
    ("A", "B", "C", "D"),
    ("x", "y"),
    np.array([1.0, 2.0, 1.5, 0.5]),
    np.array([[10.0, 90.0], [60.0, 30.0], [40.0, 50.0], [95.0, 5.0]]),
    np.array([[0.9, 0.2], [0.5, 0.8], [0.7, 0.7], [0.3, 1.0]]),
)


@pytest.mark.parametrize("model", ["compromise", "median", "expected-utility"])
def test_same_seed_same_samples(model: str) -> None:
    rounds = 3 if model == "expected-utility" else None  # the others have no rounds
    first = sensitivity(TABLE, model, samples=15, seed=11, rounds=rounds)
    again = sensitivity(TABLE, model, samples=15, seed=11, rounds=rounds)
    other = sensitivity(TABLE, model, samples=15, seed=12, rounds=rounds)
    assert np.array_equal(first.forecasts, again.forecasts)
    assert not np.array_equal(first.forecasts, other.forecasts)
    assert np.all(first.low <= first.median) and np.all(first.median <= first.high)


def test_no_uncertainty_reproduces_the_point_forecast() -> None:
    still = Uncertainty(position=0.0, salience=0.0, capability=0.0)
    result = sensitivity(TABLE, "compromise", samples=5, seed=0, uncertainty=still)
    point = run_model("compromise", TABLE).forecast
    assert np.allclose(result.forecasts, point[None, :])


def test_perturbations_stay_within_the_stated_uncertainty() -> None:
    uncertainty = Uncertainty(position=0.1, salience=0.05, capability=0.2)
    generator = np.random.default_rng(5)
    spread = 0.1 * np.ptp(TABLE.positions, axis=0)
    for _ in range(50):
        drawn = perturbed_table(TABLE, uncertainty, generator)
        assert np.all(np.abs(drawn.positions - TABLE.positions) <= spread + 1e-9)
        assert np.all(np.abs(drawn.salience - TABLE.salience) <= 0.05 + 1e-9)
        assert np.all(np.abs(drawn.capability / TABLE.capability - 1.0) <= 0.2 + 1e-9)
        assert np.all((drawn.positions >= 0) & (drawn.positions <= 100))


def test_generator_can_be_passed() -> None:
    result = sensitivity(TABLE, "median", samples=4, seed=np.random.default_rng(3))
    assert result.forecasts.shape == (4, 2) and result.seed is None


@pytest.mark.parametrize(
    "options",
    [{"samples": 0}, {"level": 1.0}, {"uncertainty": Uncertainty(capability=1.5)}],
)
def test_bad_options(options: dict[str, object]) -> None:
    with pytest.raises(ArgumentError):
        sensitivity(TABLE, "compromise", **options)  # type: ignore[arg-type]
