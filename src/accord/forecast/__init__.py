"""Forecasting where talks end: compromise, median, spatial (KTAB-style) and expected-utility (BDM-style).

Every model is a pure function of an :class:`ActorTable` returning a
:class:`ForecastResult`; :func:`run_model` looks one up by name,
:func:`sensitivity` shows how uncertain its forecast is, and :func:`backtest`
scores models against real outcomes.
"""

from accord.forecast.actors import ActorTable, ForecastResult, ForecastRound
from accord.forecast.backtest import BacktestScore, backtest
from accord.forecast.baseline import (
    COMPROMISE_PRESETS,
    compromise_model,
    compromise_position,
    median_model,
    weighted_median,
)
from accord.forecast.expected_utility import (
    EXPECTED_UTILITY_PRESETS,
    ExpectedUtilitySettings,
    expected_utility_model,
)
from accord.forecast.models import FORECAST_MODELS, run_model
from accord.forecast.readers import (
    BacktestIssue,
    actor_table_from_scenario,
    load_actor_table,
    read_backtest_issues,
    read_bdm_csv,
)
from accord.forecast.sensitivity import SensitivityResult, Uncertainty, sensitivity

__all__ = [
    "COMPROMISE_PRESETS",
    "EXPECTED_UTILITY_PRESETS",
    "FORECAST_MODELS",
    "ActorTable",
    "BacktestIssue",
    "BacktestScore",
    "ExpectedUtilitySettings",
    "ForecastResult",
    "ForecastRound",
    "SensitivityResult",
    "Uncertainty",
    "actor_table_from_scenario",
    "backtest",
    "compromise_model",
    "compromise_position",
    "expected_utility_model",
    "load_actor_table",
    "median_model",
    "read_backtest_issues",
    "read_bdm_csv",
    "run_model",
    "sensitivity",
    "weighted_median",
]
