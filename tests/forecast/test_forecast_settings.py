"""Model settings by name (``accord forecast --set``, KTAB XML, scenario files) and KTAB's ideal adjustment.

The reference run ``dummyData_3Dim`` is reproduced from the command line with the parameters its
summary lists; the reference data lives in ``../shared`` (skipped when absent, failed under CI).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.cli import main
from accord.errors import ArgumentError, ForecastDataError
from accord.forecast.actors import ActorTable
from accord.forecast.ktab_csv import read_ktab_xml
from accord.forecast.models import run_model
from accord.forecast.readers import load_actor_table
from accord.forecast.settings import model_settings, setting_choices
from accord.forecast.spatial import spatial_model
from accord.forecast.spatial_settings import KTAB_NAMES
from shared_data import shared_path

EXAMPLES = ("forecast-data", "ktab-smp-examples")


def run_cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, Any]:
    assert main(["forecast", *arguments, "--json"]) == 0
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


@pytest.mark.parametrize("suffix", [".csv", ".xml"])
def test_the_command_line_reproduces_ktab_reference_run_dummy_data_3dim(
    capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    summary = json.loads(shared_path(*EXAMPLES, "expected", "dummyData_3Dim_summary.json").read_text())
    flags = [
        part for name, value in summary["model_parameters"].items() for part in ("--set", f"{name}={value}")
    ]
    data = shared_path(*EXAMPLES, f"dummyData_3Dim{suffix}")
    document = run_cli(capsys, str(data), "--model", "spatial", *flags)

    assert len(document["rounds"]) == summary["n_states"]
    changes = [round(state["fractional_change"], 4) for state in document["rounds"][1:]]
    assert changes == summary["fractional_change_by_step"]
    history = shared_path(*EXAMPLES, "expected", "dummyData_3Dim_positions_by_state.csv")
    rows = list(csv.DictReader(history.read_text().splitlines()))
    assert len(rows) == 7 * 3 * summary["n_states"]
    for row in rows:
        state = document["rounds"][int(row["state"])]
        position = state["positions"][row["actor"]][document["dimensions"].index(row["dimension"])]
        assert f"{position:.1f}" == f"{float(row['position_0_100']):.1f}", row
    probabilities = shared_path(*EXAMPLES, "expected", "dummyData_3Dim_win_probability_by_state.csv")
    for row in csv.DictReader(probabilities.read_text().splitlines()):
        state = document["rounds"][int(row["state"])]
        assert f"{state['win_probability'][document['actors'].index(row['actor'])]:.4f}" == row["prob"]
    assert document["forecast"] == document["rounds"][-1]["median"]


def test_a_setting_from_the_command_line_changes_the_run(capsys: pytest.CaptureFixture[str]) -> None:
    data = str(shared_path(*EXAMPLES, "dummyData_3Dim.csv"))
    linear = run_cli(capsys, data, "--model", "spatial")
    octic = run_cli(capsys, data, "--model", "spatial", "--set", "VictoryProbModel=Octic")
    same_by_own_name = run_cli(capsys, data, "--model", "spatial", "--set", "victory_model=octic")
    assert linear["settings"]["victory_model"] == "linear" and octic["settings"]["victory_model"] == "octic"
    assert octic["rounds"] != linear["rounds"]
    assert same_by_own_name["rounds"] == octic["rounds"]


def test_xml_model_parameters_and_ideal_adjustment_are_read(tmp_path: Path) -> None:
    # smpExample.xml lost Alice's first coordinate after KTAB's run (SOURCE.md): put one back
    text = shared_path(*EXAMPLES, "smpExample.xml").read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")  # the byte-order mark is read as such
    path = tmp_path / "smp.xml"
    path.write_bytes(text.replace(b"<dCoord></dCoord>", b"<dCoord>52.8</dCoord>"))
    table = load_actor_table(path)
    assert table.actors == ("Alice", "Bob", "Carol", "David", "Ellie")
    assert table.model_parameters["spatial"]["PCEModel"] == "MarkovIncentive"
    assert table.model_parameters["spatial"]["VotingRule"] == "PropCbc"
    expected = np.zeros((5, 5))
    for (row, column), share in {
        (0, 0): 0.87, (1, 1): 0.75, (1, 0): 0.07, (2, 2): 0.65, (2, 3): 0.13, (3, 3): 0.57,
    }.items():  # fmt: skip
        expected[row, column] = share
    assert table.accommodation is not None
    np.testing.assert_array_equal(table.accommodation, expected)
    # the file's settings are the run's, under the ones given
    result = run_model("spatial", table, rounds=2)
    assert result.settings["probability_model"] == "markov-incentive"
    assert result.settings["state_transitions"] == "stochastic"
    overridden = run_model("spatial", table, rounds=2, settings={"StateTransitions": "Deterministic"})
    assert overridden.settings["state_transitions"] == "deterministic"
    assert overridden.settings["probability_model"] == "markov-incentive"


def small_table(accommodation: np.ndarray | None) -> ActorTable:
    return ActorTable(
        actors=("A", "B", "C", "D"),
        dimensions=("x", "y"),
        capability=np.array([100.0, 60.0, 40.0, 80.0]),
        positions=np.array([[10.0, 20.0], [70.0, 40.0], [40.0, 90.0], [90.0, 80.0]]),
        salience=np.array([[0.6, 0.3], [0.4, 0.5], [0.7, 0.2], [0.3, 0.6]]),
        accommodation=accommodation,
    )


def test_identity_adjustment_is_the_model_without_one() -> None:
    plain = spatial_model(small_table(None))
    tracking = spatial_model(small_table(np.eye(4)))
    assert len(plain.rounds) == len(tracking.rounds) > 2
    for one, other in zip(plain.rounds, tracking.rounds, strict=True):
        np.testing.assert_array_equal(one.positions, other.positions)


def test_ideals_that_stay_put_change_the_run() -> None:
    # every ideal keeps the initial position: risk attitudes in state 1 are judged from there
    plain = spatial_model(small_table(None), max_rounds=3)
    anchored = spatial_model(small_table(np.zeros((4, 4))), max_rounds=3)
    np.testing.assert_array_equal(plain.rounds[1].positions, anchored.rounds[1].positions)
    assert not np.array_equal(
        plain.rounds[1].extra["risk_attitude"], anchored.rounds[1].extra["risk_attitude"]
    )


def test_an_adjustment_that_adds_up_to_more_than_one_is_refused() -> None:
    shares = np.eye(4)
    shares[2, 0] = 0.5
    with pytest.raises(ForecastDataError) as raised:
        spatial_model(small_table(shares))
    assert raised.value.location == "accommodation of C" and "1.5" in raised.value.reason


XML_HEAD = (
    "<Scenario><name>S</name><Dimensions><dName>A</dName></Dimensions><Actors>"
    "<Actor><name>P</name><capability>10</capability><Position><dCoord>10</dCoord></Position>"
    "<Salience><dSal>50</dSal></Salience></Actor>"
    "<Actor><name>Q</name><capability>20</capability><Position><dCoord>80</dCoord></Position>"
    "<Salience><dSal>40</dSal></Salience></Actor></Actors>"
)

BAD_XML = [
    (
        "<IdealAdjustment><iaPair><adjustingIdeal>P</adjustingIdeal><referencePos>Z</referencePos>"
        "<adjust>0.2</adjust></iaPair></IdealAdjustment>",
        "Scenario/IdealAdjustment/iaPair[1]/referencePos",
        "no actor named 'Z'",
    ),
    (
        "<IdealAdjustment><iaPair><adjustingIdeal>P</adjustingIdeal><referencePos>Q</referencePos>"
        "<adjust>1.5</adjust></iaPair></IdealAdjustment>",
        "Scenario/IdealAdjustment/iaPair[1]/adjust",
        "must lie in 0–1",
    ),
    (
        "<IdealAdjustment>"
        + "".join(
            f"<iaPair><adjustingIdeal>P</adjustingIdeal><referencePos>{other}</referencePos>"
            "<adjust>0.6</adjust></iaPair>"
            for other in "PQ"
        )
        + "</IdealAdjustment>",
        "Scenario/IdealAdjustment",
        "add up to 1.2",
    ),
    (
        "<ModelParameters><VotingRule>Plurality</VotingRule></ModelParameters>",
        "VotingRule",
        "must be one of ASymProsp, Binary, Cubic, Prop, PropBin, PropCbc",
    ),
    (
        "<ModelParameters><Speed>Fast</Speed></ModelParameters>",
        "Speed",
        "no such setting (known: VictoryProbModel, VotingRule",
    ),
]


@pytest.mark.parametrize(("tail", "location", "reason"), BAD_XML)
def test_bad_xml_settings_are_refused_naming_the_element(
    tmp_path: Path, tail: str, location: str, reason: str
) -> None:
    path = tmp_path / "scenario.xml"
    path.write_text(XML_HEAD + tail + "</Scenario>", encoding="utf-8")
    with pytest.raises(ForecastDataError) as raised:
        read_ktab_xml(path)
    assert raised.value.location == location
    assert reason in raised.value.reason


def test_xml_with_entities_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE Scenario [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><Scenario><name>&b;</name></Scenario>',
        encoding="utf-8",
    )
    with pytest.raises(ForecastDataError) as raised:
        load_actor_table(path)
    assert "refused" in raised.value.reason


def test_every_setting_of_both_models_is_listed_with_its_values() -> None:
    spatial = setting_choices("spatial")
    assert set(KTAB_NAMES) <= set(spatial)
    assert spatial["PCEModel"] == "Conditional, MarkovIncentive, MarkovUniform"
    assert spatial["voting_rule"].startswith("binary, proportional-binary, proportional")
    expected_utility = setting_choices("expected-utility")
    assert expected_utility["probability_denominator"] == "all-pairs, contest"
    assert expected_utility["rounds"] == "a whole number (default 10)"
    chosen = model_settings(
        "expected-utility", {"status_quo_probability": "0.5", "risk": "neutral"}, source="x"
    )
    assert (chosen.status_quo_probability, chosen.risk) == (0.5, "neutral")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--model", "spatial", "--set", "Speed=Fast"],
            "accord: error: --set Speed: the spatial model has no such setting",
        ),
        (
            ["--model", "expected-utility", "--set", "status_quo_probability=1.5"],
            "accord: error: --set status_quo_probability: must lie in 0–1, got 1.5",
        ),
        (
            ["--model", "expected-utility", "--set", "rounds=-1"],
            "accord: error: --set rounds: must not be negative, got -1",
        ),
        (
            ["--model", "spatial", "--set", "PCEModel=Markov"],
            "accord: error: --set PCEModel: must be one of Conditional, MarkovIncentive, "
            "MarkovUniform, not 'Markov'",
        ),
        (["--model", "median", "--set", "PCEModel=Conditional"], "the median model takes no settings"),
        (["--model", "spatial", "--set", "PCEModel"], "expected NAME=VALUE"),
        (["--model", "expected-utility", "--set", "rounds=many"], "rounds: must be a whole number"),
        (["--model", "expected-utility", "--set", "status_quo_probability=nan"], "must be a finite number"),
    ],
)
def test_bad_settings_on_the_command_line_get_one_line(
    capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    data = str(Path(__file__).parents[2] / "examples" / "geneva-2017.yaml")
    assert main(["forecast", data, *arguments]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and message in error, error


@pytest.mark.parametrize(
    ("model", "settings", "where"),
    [
        ("spatial", {"Speed": "Fast"}, "settings.Speed"),
        ("spatial", {"PCEModel": "Markov"}, "settings.PCEModel"),
        ("expected-utility", {"status_quo_probability": "1.5"}, "settings.status_quo_probability"),
    ],
)
def test_library_errors_name_the_setting_not_the_option(
    model: str, settings: dict[str, str], where: str
) -> None:
    table = load_actor_table(str(Path(__file__).parents[2] / "examples" / "geneva-2017.yaml"))
    with pytest.raises(ArgumentError) as raised:
        run_model(model, table, settings=settings)
    assert raised.value.argument == where
    assert str(raised.value).startswith(f"{where}: ") and "--set" not in str(raised.value)


def test_a_backtest_refuses_settings(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "deu3.csv"
    data.write_text("prnrnmc\tpcom\tscom\tout\n", encoding="utf-8")
    assert main(["forecast", "backtest", str(data), "--set", "PCEModel=Conditional"]) == 2
    assert capsys.readouterr().err == (
        "accord: error: --set: sets one model's settings for `accord forecast DATA`, not in a backtest\n"
    )


def test_scenario_files_carry_settings_and_the_command_line_overrides_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = (Path(__file__).parents[2] / "examples" / "geneva-2017.yaml").read_text(encoding="utf-8")
    path = tmp_path / "talks.yaml"
    path.write_text(
        text + "\nforecast_settings:\n  spatial: {VictoryProbModel: Square, seed: 4}\n"
        "  expected-utility: {probability_denominator: contest}\n",
        encoding="utf-8",
    )
    spatial = run_cli(capsys, str(path), "--model", "spatial")
    assert (spatial["settings"]["victory_model"], spatial["settings"]["seed"]) == ("square", 4)
    overridden = run_cli(capsys, str(path), "--model", "spatial", "--set", "VictoryProbModel=Quartic")
    assert overridden["settings"]["victory_model"] == "quartic"
    assert run_cli(capsys, str(path), "--model", "expected-utility")["settings"][
        "probability_denominator"
    ] == ("contest")
    path.write_text(text + "\nforecast_settings:\n  spatial: {VictoryProbModel: Cube}\n", encoding="utf-8")
    assert main(["forecast", str(path), "--model", "spatial"]) == 2
    assert "forecast_settings.spatial.VictoryProbModel: must be one of" in capsys.readouterr().err
