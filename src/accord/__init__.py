"""Accord: an engine for mediated multi-party negotiation.

The three entry points most scripts need: load a scenario, analyse it, run talks on it.

>>> from accord import analyze, load_scenario, run_session

And what every other command does: scenario files (``save_scenario``,
``scenario_json_schema``, ``import_genius``, ``import_geniusweb``, ``export_geniusweb``),
tournaments (``TournamentConfig``, ``run_local``, ``ResultSet``), forecasts
(``load_actor_table``, ``run_model``, ``sensitivity``, ``backtest``,
``read_backtest_issues``) and reports (``write_session_report``, ``plot_utility_space``).

The names below are imported on first use, so that ``import accord.domain`` (or any
other layer) does not load the whole engine with its dependencies.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.analysis import Analysis, analyze
    from accord.forecast import (
        ActorTable,
        ForecastResult,
        backtest,
        load_actor_table,
        read_backtest_issues,
        run_model,
        sensitivity,
    )
    from accord.io import (
        export_geniusweb,
        import_genius,
        import_geniusweb,
        load_scenario,
        save_scenario,
        scenario_json_schema,
    )
    from accord.reports import plot_utility_space
    from accord.reports.session_report import write_session_report
    from accord.session import SessionResult, run_session
    from accord.tournament import ResultSet, TournamentConfig, run_local

__all__ = [
    "ActorTable",
    "Analysis",
    "ForecastResult",
    "ResultSet",
    "SessionResult",
    "TournamentConfig",
    "__version__",
    "analyze",
    "backtest",
    "export_geniusweb",
    "import_genius",
    "import_geniusweb",
    "load_actor_table",
    "load_scenario",
    "plot_utility_space",
    "read_backtest_issues",
    "run_local",
    "run_model",
    "run_session",
    "save_scenario",
    "scenario_json_schema",
    "sensitivity",
    "write_session_report",
]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("accord")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


#: The installed version of Accord (``accord --version`` prints it too).
__version__ = _version()

#: Public name → the module that defines it.
_HOMES = {
    "ActorTable": "accord.forecast",
    "Analysis": "accord.analysis",
    "ForecastResult": "accord.forecast",
    "ResultSet": "accord.tournament",
    "SessionResult": "accord.session",
    "TournamentConfig": "accord.tournament",
    "analyze": "accord.analysis",
    "backtest": "accord.forecast",
    "load_actor_table": "accord.forecast",
    "load_scenario": "accord.io",
    "save_scenario": "accord.io",
    "scenario_json_schema": "accord.io",
    "import_genius": "accord.io",
    "import_geniusweb": "accord.io",
    "export_geniusweb": "accord.io",
    "plot_utility_space": "accord.reports",
    "read_backtest_issues": "accord.forecast",
    "run_local": "accord.tournament",
    "run_model": "accord.forecast",
    "run_session": "accord.session",
    "sensitivity": "accord.forecast",
    "write_session_report": "accord.reports.session_report",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later look-ups find it directly
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
