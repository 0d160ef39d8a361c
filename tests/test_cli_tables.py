"""Tables keep option names and paths whole at 80 columns: rich folds a word that does not fit
anywhere, so the commands make room for whole words (coinciding points share a column, paths are
printed as lines of their own) and never print a line wider than the terminal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from accord.cli import main
from accord.io import load_scenario

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


def _output(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", ["geneva-2017.yaml", "astana-2017.yaml"])
def test_analyze_shows_every_option_and_point_name_whole(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = EXAMPLES / name
    out = _output(capsys, "analyze", str(path))
    scenario = load_scenario(path)
    assert all(len(line) <= 80 for line in out.splitlines()), out
    shown = {cell.strip() for line in out.splitlines() for cell in line.split("│")}
    points = json.loads(_output(capsys, "analyze", str(path), "--json"))
    for issue in scenario.agenda.names:
        assert issue in shown, issue
        for point in ("nash", "kalai_smorodinsky", "max_welfare", "egalitarian"):
            option = points[point]["outcome"][issue]
            assert option in shown, option
    assert "Kalai–Smorodinsky" in out


def test_forecast_tables_keep_long_paths_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "a-very-long-directory-name-for-forecast-data" / "and-another-long-segment"
    folder.mkdir(parents=True)
    data = folder / "deu3-with-a-long-file-name.csv"
    shutil.copy(SHARED / "forecast-data" / "deu3-blksv" / "deu3.csv", data)
    out = _output(capsys, "forecast", "backtest", str(data), "--models", "median,compromise")
    assert str(data) in out.splitlines()[0]
    scenario = tmp_path / "a-very-long-directory-name-for-a-scenario-to-forecast-here.yaml"
    shutil.copy(EXAMPLES / "geneva-2017.yaml", scenario)
    out = _output(capsys, "forecast", str(scenario), "--model", "median")
    assert str(scenario) in out.splitlines()[0]
    assert "political-transition" in out
