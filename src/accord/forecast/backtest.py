"""Backtesting: score forecasting models against what was actually decided.

A model is named as in :data:`~accord.forecast.models.FORECAST_MODELS`, optionally
with a preset after a slash (``expected-utility/published``). The score is the mean
absolute error between each issue's forecast and its outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from accord.forecast.models import run_model
from accord.forecast.readers import BacktestIssue

__all__ = ["BacktestScore", "backtest", "forecast_issues"]


@dataclass(frozen=True, slots=True)
class BacktestScore:
    """A model's mean absolute error over ``count`` scored issues."""

    model: str
    mean_absolute_error: float
    count: int


def forecast_issues(
    model: str, issues: Sequence[BacktestIssue], *, progress: Callable[[int], None] | None = None
) -> np.ndarray:
    """The model's forecast for each issue's single dimension: ``(n_issues,)``.

    ``model`` is a model name, optionally ``name/preset``; ``progress()`` is called with 1
    after each issue.
    """
    name, _, preset = model.partition("/")
    forecasts = []
    for issue in issues:
        forecasts.append(float(run_model(name, issue.table, preset=preset or None).forecast[0]))
        if progress is not None:
            progress(1)
    return np.array(forecasts)


def backtest(
    models: Sequence[str],
    issues: Sequence[BacktestIssue],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> list[BacktestScore]:
    """Score every model on every issue by mean absolute error, in the order given.

    ``progress(done, total)`` is called after each model's forecast of each issue
    (``total``: models × issues; the CLI passes a progress bar's).

    >>> import numpy as np
    >>> from accord.forecast.actors import ActorTable
    >>> table = ActorTable(("A", "B"), ("i1",), np.ones(2), np.array([[0.0], [100.0]]), np.ones((2, 1)))
    >>> [score.mean_absolute_error for score in backtest(["compromise"], [BacktestIssue("i1", table, 40.0)])]
    [10.0]
    """
    outcomes = np.array([issue.outcome for issue in issues])
    scores = []
    total = len(models) * len(issues)
    done = 0

    def advance(step: int) -> None:
        nonlocal done
        done += step
        if progress is not None:
            progress(done, total)

    for model in models:
        errors = np.abs(forecast_issues(model, issues, progress=advance) - outcomes)
        scores.append(BacktestScore(model, float(errors.mean()), len(issues)))
    return scores
