"""Baseline forecasts: the capability × salience weighted mean, and the weighted median.

Both are pure functions over arrays; :func:`compromise_model` and
:func:`median_model` wrap them for an :class:`~accord.forecast.actors.ActorTable`.
"""

from __future__ import annotations

import numpy as np

from accord.forecast.actors import ActorTable, ForecastResult, ForecastRound

__all__ = [
    "compromise_model",
    "compromise_position",
    "median_model",
    "weighted_median",
]

#: Relative tolerance for "exactly half the weight" in :func:`weighted_median`.
_HALF_TOLERANCE = 1e-12


def compromise_position(positions: np.ndarray, capability: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """The capability × salience weighted mean position on each dimension.

    ``positions: (n_actors, n_dimensions)``, ``capability: (n_actors,)``,
    ``salience: (n_actors, n_dimensions)``; returns ``(n_dimensions,)``.

    >>> compromise_position(np.array([[0.0], [100.0]]), np.array([1.0, 3.0]), np.array([[1.0], [1.0]]))
    array([75.])
    """
    weights = capability[:, None] * salience
    totals = weights.sum(axis=0)
    return np.asarray((weights * positions).sum(axis=0) / totals, dtype=float)


def weighted_median(positions: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The lower weighted median on each dimension: the Condorcet position of a 1-D vote.

    The smallest position at which the positions at or below it hold at least half
    the weight. With linear (city-block) utilities on one dimension no other
    position beats it in a pairwise weighted vote. ``positions, weights:
    (n_actors, n_dimensions)``; returns ``(n_dimensions,)``.

    >>> weighted_median(np.array([[0.0], [40.0], [100.0]]), np.array([[1.0], [1.0], [3.0]]))
    array([100.])
    >>> weighted_median(np.array([[0.0], [40.0], [100.0]]), np.array([[1.0], [1.0], [2.0]]))
    array([40.])
    """
    order = np.argsort(positions, axis=0, kind="stable")
    sorted_positions = np.take_along_axis(positions, order, axis=0)
    cumulative = np.cumsum(np.take_along_axis(weights, order, axis=0), axis=0)
    half = cumulative[-1] / 2.0 * (1.0 - _HALF_TOLERANCE)
    first = np.argmax(cumulative >= half[None, :], axis=0)
    return np.asarray(sorted_positions[first, np.arange(positions.shape[1])], dtype=float)


def _static_result(table: ActorTable, model: str, forecast: np.ndarray) -> ForecastResult:
    weights = table.capability[:, None] * table.salience
    state = ForecastRound(
        positions=table.positions.copy(),
        median=weighted_median(table.positions, weights),
        mean=compromise_position(table.positions, table.capability, table.salience),
    )
    return ForecastResult(
        model=model,
        actors=table.actors,
        dimensions=table.dimensions,
        forecast=forecast,
        rounds=(state,),
    )


def compromise_model(table: ActorTable) -> ForecastResult:
    """Forecast the capability × salience weighted mean (one round: the initial state).

    >>> from accord.forecast.actors import ActorTable
    >>> table = ActorTable(("A", "B"), ("d",), np.array([1.0, 1.0]), np.array([[0.0], [60.0]]),
    ...                    np.array([[0.5], [1.0]]))
    >>> compromise_model(table).forecast
    array([40.])
    """
    forecast = compromise_position(table.positions, table.capability, table.salience)
    return _static_result(table, "compromise", forecast)


def median_model(table: ActorTable) -> ForecastResult:
    """Forecast the capability × salience weighted median on each dimension.

    >>> from accord.forecast.actors import ActorTable
    >>> table = ActorTable(("A", "B", "C"), ("d",), np.array([1.0, 1.0, 1.0]),
    ...                    np.array([[0.0], [30.0], [90.0]]), np.ones((3, 1)))
    >>> median_model(table).forecast
    array([30.])
    """
    weights = table.capability[:, None] * table.salience
    return _static_result(table, "median", weighted_median(table.positions, weights))
