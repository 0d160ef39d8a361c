"""What the command line does is importable from ``accord``, each name loaded on first use."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import accord

#: Each command → the public names a script uses to do the same from Python.
COMMANDS = {
    "analyze": ["load_scenario", "analyze", "Analysis", "plot_utility_space"],
    "schema": ["scenario_json_schema"],
    "import": ["import_genius", "import_geniusweb", "save_scenario"],
    "export": ["export_geniusweb"],
    "run": ["run_session", "SessionResult", "write_session_report"],
    "tournament": ["TournamentConfig", "run_local", "ResultSet"],
    "forecast": ["load_actor_table", "ActorTable", "run_model", "ForecastResult", "sensitivity"],
    "forecast backtest": ["read_backtest_issues", "backtest"],
}


def test_every_public_name_is_its_home_module_s_object() -> None:
    named = sorted(name for names in COMMANDS.values() for name in names)
    loaded_on_use = [name for name in accord.__all__ if name != "__version__"]  # a string, set at import
    assert sorted(loaded_on_use) == named
    for name in loaded_on_use:
        home = importlib.import_module(accord._HOMES[name])
        assert getattr(accord, name) is getattr(home, name), name
        assert name in dir(accord)


def test_importing_accord_loads_none_of_them() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, accord; print(sorted(m for m in sys.modules if m.startswith('accord.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert loaded == "[]"


def test_a_forecast_from_python_matches_the_model() -> None:
    table = accord.load_actor_table(Path(__file__).parents[1] / "examples" / "geneva-2017.yaml")
    result = accord.run_model("spatial", table, settings={"VictoryProbModel": "Square"})
    assert result.settings["victory_model"] == "square" and result.forecast.shape == (len(table.dimensions),)
