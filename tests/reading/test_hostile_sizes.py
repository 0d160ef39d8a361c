"""Sizes are bounded before work starts, and absurd numbers never reach the output as NaN."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from accord.cli import main
from accord.errors import ForecastDataError
from accord.forecast import ActorTable, run_model
from accord.forecast.models import MOST_ACTORS


def actors_csv(path: Path, count: int, *, position: float = 50.0) -> Path:
    generator = np.random.default_rng(1)
    rows = ["Actor,Capability,Position,Salience"]
    for index in range(count):
        spread = generator.uniform(0, 100) if position == 50.0 else position * (-1) ** index
        rows.append(f"A{index},{generator.uniform(0.1, 1):.3f},{spread},{generator.uniform(10, 100):.1f}")
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.mark.parametrize("model", ["spatial", "expected-utility"])
def test_hundreds_of_actors_are_refused_at_once_naming_the_limit_and_what_works(
    model: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = actors_csv(tmp_path / "actors.csv", 500)
    started = time.perf_counter()
    assert main(["forecast", str(path), "--model", model]) == 2
    assert time.perf_counter() - started < 10
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"500 actors: the {model} model takes at most {MOST_ACTORS[model]}" in err
    assert "compromise or median model" in err


def test_the_limits_leave_the_linear_models_free_and_are_what_the_models_take(tmp_path: Path) -> None:
    path = actors_csv(tmp_path / "actors.csv", 500)
    assert main(["forecast", str(path), "--model", "median"]) == 0
    table = ActorTable(
        tuple(f"A{index}" for index in range(12)),
        ("d",),
        np.ones(12),
        np.linspace(0, 100, 12)[:, None],
        np.full((12, 1), 0.5),
    )
    for model in MOST_ACTORS:
        assert np.all(np.isfinite(run_model(model, table).forecast))


def test_positions_that_overflow_are_one_error_never_nan_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = actors_csv(tmp_path / "actors.csv", 2, position=1e308)
    code = main(["forecast", str(path), "--model", "spatial", "--json"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "NaN" not in err
    assert err.count("\n") == 1 and "overflowed" in err and "rescale" in err
    with pytest.raises(ForecastDataError, match="overflowed"):
        run_model(
            "spatial",
            ActorTable(("A", "B"), ("d",), np.ones(2), np.array([[1e308], [-1e308]]), np.ones((2, 1))),
        )


def test_json_output_is_always_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = actors_csv(tmp_path / "actors.csv", 6)
    for model in ["compromise", "median", "spatial", "expected-utility"]:
        assert main(["forecast", str(path), "--model", model, "--json"]) == 0
        json.loads(capsys.readouterr().out, parse_constant=lambda name: pytest.fail(f"{name} in --json"))
