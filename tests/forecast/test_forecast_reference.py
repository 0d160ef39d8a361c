"""The expected-utility model reproduces the Scholz-faithful reference runs round by round.

The reference files live in ``shared/forecast-data`` beside the repository, reached
through ``shared_data.shared_path`` (skipped when absent, failed under ``CI=true``).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from accord.forecast import (
    backtest,
    expected_utility_model,
    read_backtest_issues,
    read_bdm_csv,
)
from shared_data import shared_path


def shared_file(relative: str) -> Path:
    return shared_path("forecast-data", *relative.split("/"))


def reference(relative: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(shared_file(relative).read_text())
    return loaded


EMISSIONS = "bdm-ec-emissions-1994/"


@pytest.fixture(scope="module")
def emissions_run() -> tuple[Any, dict[str, Any]]:
    table = read_bdm_csv(shared_file(EMISSIONS + "ExampleActors.csv"))
    expected = reference(EMISSIONS + "expected_scholz_faithful_jmckib_10rounds.json")
    return expected_utility_model(table, rounds=10), expected


def test_initial_state_matches(emissions_run: tuple[Any, dict[str, Any]]) -> None:
    result, expected = emissions_run
    initial = result.rounds[0]
    positions = dict(zip(result.actors, initial.positions[:, 0], strict=True))
    assert positions == pytest.approx(expected["initial"]["positions"])
    assert initial.median[0] == pytest.approx(expected["initial"]["median"])
    assert initial.mean[0] == pytest.approx(expected["initial"]["mean"])


@pytest.mark.parametrize("round_number", range(1, 11))
def test_round_matches(emissions_run: tuple[Any, dict[str, Any]], round_number: int) -> None:
    result, expected = emissions_run
    state = result.rounds[round_number]
    wanted = expected["rounds"][round_number - 1]
    assert wanted["round"] == round_number
    risk = state.extra["risk_exponents"]["position"]
    assert risk == pytest.approx(wanted["risk_exponents"], rel=1e-9)
    moves = state.extra["moves"]["position"]
    assert [(move["actor"], move["type"], move["with"]) for move in moves] == [
        (move["actor"], move["type"], move["with"]) for move in wanted["moves"]
    ]
    for move, wanted_move in zip(moves, wanted["moves"], strict=True):
        assert move["eu_actor"] == pytest.approx(wanted_move["eu_actor"], rel=1e-9, abs=1e-12)
        assert move["eu_other"] == pytest.approx(wanted_move["eu_other"], rel=1e-9, abs=1e-12)
        assert move["new_position"] == pytest.approx(wanted_move["new_pos"], rel=1e-9)
    positions = dict(zip(result.actors, state.positions[:, 0], strict=True))
    assert positions == pytest.approx(wanted["positions"], rel=1e-9)
    assert state.median[0] == pytest.approx(wanted["median"], rel=1e-9)
    assert state.mean[0] == pytest.approx(wanted["mean"], rel=1e-9)


def test_forecast_is_the_last_median(emissions_run: tuple[Any, dict[str, Any]]) -> None:
    result, expected = emissions_run
    assert result.forecast[0] == pytest.approx(expected["rounds"][-1]["median"])


def test_saudi_oil_case_has_no_moves() -> None:
    """Scholz et al. could not replicate BDM's 1997 case: with their code nobody moves."""
    table = read_bdm_csv(shared_file("bdm-other-cases/Sultan_saudi_oil.csv"))
    expected = reference("bdm-other-cases/Sultan_expected_scholz_faithful_jmckib_10rounds.json")
    result = expected_utility_model(table, rounds=10)
    assert all(not state.extra["moves"]["position"] for state in result.rounds[1:])
    assert result.forecast[0] == pytest.approx(expected["rounds"][-1]["median"])
    mean = result.rounds[-1].mean
    assert mean is not None
    assert mean[0] == pytest.approx(expected["rounds"][-1]["mean"])


def deu3_compromise_errors(capability_exponent: float) -> list[float]:
    """Each DEU III issue's error of the capability^exponent × salience weighted mean, read from the
    raw file with the csv module alone (blank salience weighs 0; issues without an outcome or
    without any weight are left out, as SOURCE.md's baselines do)."""
    text = shared_file("deu3-blksv/deu3.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    header = rows[0]
    positions = range(header.index("pcom"), header.index("scom"))
    offset = header.index("scom") - header.index("pcom")
    outcome = header.index("out")
    capability = {column: float(rows[1][column]) ** capability_exponent for column in positions}
    errors = []
    for row in rows[2:]:
        if not row[outcome].strip():
            continue
        members = [column for column in positions if row[column].strip()]
        weights = [capability[column] * float(row[column + offset] or 0) for column in members]
        if sum(weights) <= 0:
            continue
        weighted = sum(w * float(row[column]) for w, column in zip(weights, members, strict=True))
        forecast = weighted / sum(weights)
        errors.append(abs(forecast - float(row[outcome])))
    return errors


def test_deu3_baselines_match_the_published_computation() -> None:
    """SOURCE.md of the DEU III file: c·s mean MAE 23.22, c·s median MAE 27.58 on 353 issues.

    The square-root-capability variant has no published figure: its expectation is worked
    out here from the raw file, independently of the reader and the model.
    """
    issues = read_backtest_issues(shared_file("deu3-blksv/deu3.csv"))
    assert len(issues) == 353
    compromise, median, variant = backtest(
        ["compromise", "median", "compromise/square-root-capability"], issues
    )
    assert compromise.mean_absolute_error == pytest.approx(23.22, abs=0.005)
    assert median.mean_absolute_error == pytest.approx(27.58, abs=0.005)
    for score, exponent in ((compromise, 1.0), (variant, 0.5)):
        errors = deu3_compromise_errors(exponent)
        assert score.count == len(errors) == 353
        assert score.mean_absolute_error == pytest.approx(sum(errors) / len(errors), rel=1e-12)
    # the variant weighs big economies less; on this file that lowers the error a little
    assert variant.mean_absolute_error < compromise.mean_absolute_error
