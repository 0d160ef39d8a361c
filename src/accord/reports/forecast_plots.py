"""Figures for forecasts: positions over rounds per actor, and the Monte Carlo distribution.

Drawn with matplotlib's Agg canvas directly (no pyplot, no global figure state).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from accord.forecast.actors import ForecastResult
from accord.forecast.sensitivity import SensitivityResult

__all__ = ["forecast_figure", "save_forecast_figure"]


def forecast_figure(result: ForecastResult, sampled: SensitivityResult | None = None) -> Figure:
    """One row per dimension: each actor's position over the rounds (when the model
    has more than one state), and the distribution of the sampled forecasts (when given).

    >>> from accord.forecast.actors import ActorTable
    >>> from accord.forecast.baseline import compromise_model
    >>> table = ActorTable(("A", "B"), ("d",), np.ones(2), np.array([[0.0], [10.0]]), np.ones((2, 1)))
    >>> figure = forecast_figure(compromise_model(table))
    >>> len(figure.axes)
    1
    """
    show_rounds = len(result.rounds) > 1 or sampled is None
    columns = int(show_rounds) + int(sampled is not None)
    rows = len(result.dimensions)
    figure = Figure(figsize=(6.0 * columns, 3.2 * rows), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False)
    history = np.stack([state.positions for state in result.rounds])
    steps = np.arange(len(result.rounds))
    for row, dimension in enumerate(result.dimensions):
        column = 0
        if show_rounds:
            axis = axes[row, column]
            for actor_index, actor in enumerate(result.actors):
                axis.plot(steps, history[:, actor_index, row], marker=".", label=actor)
            medians = [state.median[row] for state in result.rounds if state.median is not None]
            if len(medians) == len(steps):
                axis.plot(steps, medians, color="black", linestyle="--", linewidth=2, label="median")
            axis.set_title(f"{result.model}: {dimension}")
            axis.set_xlabel("round")
            axis.set_ylabel("position")
            if len(result.actors) <= 20:
                axis.legend(fontsize="x-small", ncol=2)
            column += 1
        if sampled is not None:
            axis = axes[row, column]
            axis.hist(sampled.forecasts[:, row], bins=30, color="tab:blue", alpha=0.7)
            axis.axvline(sampled.median[row], color="black", label="median of samples")
            axis.axvspan(
                sampled.low[row],
                sampled.high[row],
                color="tab:orange",
                alpha=0.2,
                label=f"{sampled.level:.0%} interval",
            )
            axis.axvline(result.forecast[row], color="tab:red", linestyle="--", label="forecast")
            axis.set_title(f"{dimension}: {len(sampled.forecasts)} perturbed samples")
            axis.set_xlabel("forecast")
            axis.legend(fontsize="x-small")
    return figure


def save_forecast_figure(
    result: ForecastResult, path: str | Path, sampled: SensitivityResult | None = None
) -> None:
    """Draw :func:`forecast_figure` and write it to ``path`` (format from the suffix)."""
    forecast_figure(result, sampled).savefig(str(path), dpi=120)
