"""``accord forecast`` and ``accord forecast backtest`` in-process: JSON shape, figures, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main

BDM = (
    "Actor,Capability,Position,Salience\n"
    "North,0.16,4,0.8\nSouth,0.16,10,0.6\nEast,0.08,7,0.4\nWest,0.05,4,1.0\nCentre,0.08,7,0.7\n"
)


@pytest.fixture
def actors_file(tmp_path: Path) -> Path:
    path = tmp_path / "actors.csv"
    path.write_text(BDM, encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, Any]:
    code = main([*arguments, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    document: dict[str, Any] = json.loads(captured.out)
    return document


@pytest.mark.parametrize("model", ["compromise", "median", "expected-utility"])
def test_forecast_json_has_the_documented_keys(
    capsys: pytest.CaptureFixture[str], actors_file: Path, model: str
) -> None:
    rounds = ["--rounds", "4"] if model == "expected-utility" else []  # the others have no rounds
    document = run_json(capsys, "forecast", str(actors_file), "--model", model, *rounds)
    assert document["model"] == model
    assert document["dimensions"] == ["position"]
    assert len(document["forecast"]) == 1
    first = document["rounds"][0]
    assert set(first["positions"]) == {"North", "South", "East", "West", "Centre"}
    assert first["positions"]["North"] == [4.0]
    assert len(first["median"]) == 1 and len(first["mean"]) == 1
    assert "interval" not in document
    if model == "expected-utility":
        assert len(document["rounds"]) == 5
        assert set(document["rounds"][1]["risk_exponents"]["position"]) == set(first["positions"])
        assert document["settings"]["probability_denominator"] == "all-pairs"


def test_sampling_gives_an_interval_and_is_seeded(
    capsys: pytest.CaptureFixture[str], actors_file: Path
) -> None:
    arguments = (
        "forecast",
        str(actors_file),
        "--model",
        "expected-utility",
        "--samples",
        "20",
        "--seed",
        "7",
    )
    first = run_json(capsys, *arguments)
    again = run_json(capsys, *arguments)
    interval = first["interval"]
    assert interval["low"][0] <= interval["median"][0] <= interval["high"][0]
    assert interval["samples"] == 20 and interval["seed"] == 7
    assert first == again


def test_plot_is_written(capsys: pytest.CaptureFixture[str], actors_file: Path, tmp_path: Path) -> None:
    figure = tmp_path / "rounds.png"
    code = main(
        ["forecast", str(actors_file), "--model", "expected-utility", "--samples", "5", "--plot", str(figure)]
    )
    assert code == 0
    assert figure.stat().st_size > 1000
    assert "expected-utility" in capsys.readouterr().out


def test_preset_and_its_errors(capsys: pytest.CaptureFixture[str], actors_file: Path) -> None:
    document = run_json(
        capsys, "forecast", str(actors_file), "--model", "expected-utility", "--preset", "published"
    )
    assert document["preset"] == "published"
    assert document["settings"]["capitulation"] == "published"
    code = main(["forecast", str(actors_file), "--model", "expected-utility", "--preset", "nonsense"])
    assert code == 2
    assert "preset" in capsys.readouterr().err


def one_line_error(capsys: pytest.CaptureFixture[str], arguments: list[str]) -> str:
    code = main(arguments)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_bad_value_is_one_line_naming_file_and_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BDM.replace("0.08,7,0.4", "lots,7,0.4"), encoding="utf-8")
    line = one_line_error(capsys, ["forecast", str(path)])
    assert "bad.csv" in line and "line 4, capability" in line


def test_missing_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    line = one_line_error(capsys, ["forecast", str(tmp_path / "absent.csv")])
    assert "absent.csv" in line and "no such file" in line


DEU = (
    '"isnr"\t"pcom"\t"pat"\t"pbe"\t"scom"\t"sat"\t"sbe"\t"out"\n'
    '\t"4"\t"1"\t"2"\t\t\t\t\n'
    '"i1"\t100\t0\t50\t50\t100\t80\t60\n'
    '"i2"\t0\t20\t100\t100\t40\t50\t10\n'
    '"i3"\t20\t\t80\t100\t\t100\t30\n'
)


def test_backtest_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "deu.csv"
    path.write_text(DEU, encoding="utf-8")
    document = run_json(
        capsys, "forecast", "backtest", str(path), "--models", "compromise,median,expected-utility/published"
    )
    models = document["models"]
    assert list(models) == ["compromise", "median", "expected-utility/published"]
    assert all(entry["n"] == 3 and entry["mae"] >= 0 for entry in models.values())


def test_backtest_table_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "deu.csv"
    path.write_text(DEU, encoding="utf-8")
    assert main(["forecast", "backtest", str(path), "--models", "compromise"]) == 0
    assert "compromise" in capsys.readouterr().out


def test_backtest_unknown_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "deu.csv"
    path.write_text(DEU, encoding="utf-8")
    line = one_line_error(capsys, ["forecast", "backtest", str(path), "--models", "oracle"])
    assert "--models" in line


def test_geneva_example_has_a_forecast_with_uncertainty(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "geneva-2017.yaml"
    if not example.exists():
        pytest.skip("examples/geneva-2017.yaml not written yet")
    document = run_json(capsys, "forecast", str(example), "--samples", "30", "--seed", "1")
    assert "political-transition" in document["dimensions"]
    index = document["dimensions"].index("political-transition")
    assert document["interval"]["low"][index] <= document["forecast"][index] + 10
    assert {"Russia", "Iran", "Turkey"} <= set(document["rounds"][0]["positions"])
