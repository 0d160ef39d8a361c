"""Joining delegations: identical members change nothing; the joint utility is the stated combination."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis import analyze
from accord.cli import main
from accord.domain import (
    Agenda,
    Condition,
    DiscreteIssue,
    Option,
    Party,
    Preferences,
    RedLine,
    Scenario,
    join_delegations,
)
from accord.io import load_scenario
from accord.preferences import scenario_utilities

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    sizes = draw(st.lists(st.integers(2, 4), min_size=1, max_size=3))
    issues = tuple(
        DiscreteIssue(f"i{index}", tuple(Option(f"o{option}") for option in range(size)))
        for index, size in enumerate(sizes)
    )
    unit = st.floats(0.0, 1.0, allow_nan=False)
    parties = []
    for name in ("A", "B", "C", "D"):
        raw = [draw(st.floats(0.05, 1.0)) for _ in issues]
        weights = {issue.name: weight / sum(raw) for issue, weight in zip(issues, raw, strict=True)}
        values = {issue.name: {option: draw(unit) for option in issue.values} for issue in issues}
        red_lines = ()
        if draw(st.booleans()):
            red_lines = (RedLine((Condition(issues[0].name, (issues[0].values[0],)),)),)
        parties.append(
            Party(
                name,
                preferences=Preferences(
                    weights, values, reservation=draw(st.floats(0, 0.5)), red_lines=red_lines
                ),
            )
        )
    return Scenario("generated", Agenda(issues), tuple(parties))


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.lists(st.floats(0.1, 10.0), min_size=2, max_size=3))
def test_the_joint_utility_is_the_stated_combination(scenario: Scenario, weights: list[float]) -> None:
    members = ("A", "B", "C")[: len(weights)]
    joined = join_delegations(scenario, members, weights=weights)
    choices = scenario.agenda.all_choices()
    before = scenario_utilities(scenario)
    after = scenario_utilities(joined)
    shares = np.array(weights) / sum(weights)
    members_utilities = before.restricted_to(members).evaluate(choices)
    joint = after.restricted_to((" + ".join(members),)).evaluate(choices)[:, 0]
    np.testing.assert_allclose(joint, members_utilities @ shares, atol=1e-12)
    # Red lines are the union of the members'.
    joint_preferences = joined.preferences_of(" + ".join(members))
    assert set(joint_preferences.red_lines) == {
        line for name in members for line in scenario.preferences_of(name).red_lines
    }
    assert joint_preferences.reservation == pytest.approx(
        sum(
            share * scenario.preferences_of(name).reservation
            for share, name in zip(shares, members, strict=True)
        )
    )


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_joining_identical_delegations_changes_nothing(scenario: Scenario) -> None:
    twin = Party("A twin", preferences=scenario.preferences_of("A"))
    fractured = Scenario("twins", scenario.agenda, (*scenario.parties, twin))
    joined = join_delegations(fractured, ("A", "A twin"), weights=(2.0, 1.0))
    joint, alone = joined.preferences_of("A + A twin"), scenario.preferences_of("A")
    for issue, values in alone.option_values.items():
        assert dict(joint.option_values[issue]) == pytest.approx(dict(values), abs=1e-12)
    first, second = analyze(fractured).to_dict(), analyze(joined).to_dict()
    assert first["agreement_zone_size"] == second["agreement_zone_size"]
    assert first["pareto_outcomes"] == second["pareto_outcomes"]
    for key in ("kalai_smorodinsky", "egalitarian"):
        assert (first[key] or {}).get("outcome") == (second[key] or {}).get("outcome")


def test_geneva_joined_opposition_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(EXAMPLES / "geneva-2017.yaml")
    assert main(["analyze", scenario, "--join", "HNC+Moscow platform+Cairo platform", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["joined"]["parties"] == [
        "Government",
        "High Negotiations Committee + Moscow platform + Cairo platform",
    ]
    assert set(data["by_party"]["joined"]["points"]["nash"]["utilities"]) == {
        "Government",
        "High Negotiations Committee",
        "Moscow platform",
        "Cairo platform",
    }
    assert main(["analyze", scenario, "--join", "HNC+Nobody"]) == 2
    assert "--join" in capsys.readouterr().err


def test_geneva_run_joined_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    scenario = str(EXAMPLES / "geneva-2017.yaml")
    spec = "HNC=2+Moscow platform=1+Cairo platform=1"
    arguments = ["run", scenario, "--protocol", "one-text", "--seed", "1", "--rounds", "30", "--join", spec]
    assert main([*arguments, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["joint_delegation"]["members"]["High Negotiations Committee"] == pytest.approx(0.5)
    assert set(data["joined"]["utilities"]) >= {
        "Government",
        "High Negotiations Committee + Moscow platform + Cairo platform",
    }
    assert data["fractured"]["seed"] == data["joined"]["seed"] == 1


def test_the_comparison_marks_a_member_pushed_below_its_own_reservation(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Joined, a member can be held to a package it would refuse alone: the table says so, at 80 columns."""
    monkeypatch.setenv("COLUMNS", "80")
    scenario = str(EXAMPLES / "geneva-2017.yaml")
    spec = "HNC+Moscow platform+Cairo platform"
    assert main(["analyze", scenario, "--join", spec, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    reservations = data["reservation_values"]
    below = {
        (point, name)
        for point, row in data["by_party"]["joined"]["points"].items()
        for name, value in (row["utilities"] or {}).items()
        if value < reservations[name] - 1e-12
    }
    assert data["joint_delegation"]["reservation"] == pytest.approx(
        sum(reservations[name] for name in data["joint_delegation"]["members"]) / 3
    )
    assert main(["analyze", scenario, "--join", spec]) == 0
    text = capsys.readouterr().out
    assert all(len(line) <= 80 for line in text.splitlines())
    assert "Negotiations" in text and "Smorodinsky" in text  # whole words, never cut
    marked = text.count("*") - text.count("* below")
    assert marked == len(below)
    assert ("below that delegation's own reservation value" in text) == bool(below)


def test_a_room_seats_the_joined_delegation_with_its_members_clauses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``accord room create --join``: one seat for the members, the clauses they proposed attributed to it."""
    scenario = EXAMPLES / "geneva-2017.yaml"
    joint = "High Negotiations Committee + Moscow platform + Cairo platform"
    joined = join_delegations(
        load_scenario(scenario), ("High Negotiations Committee", "Moscow platform", "Cairo platform")
    )
    attributed = {
        option.proposed_by for issue in joined.agenda.issues for option in getattr(issue, "options", ())
    }
    assert joint in attributed and "High Negotiations Committee" not in attributed
    database = f"sqlite:///{tmp_path / 'room.db'}"
    arguments = ["room", "create", str(scenario), "--protocol", "one-text", "--db", database, "--json"]
    assert (
        main([*arguments, "--join", "HNC+Moscow platform+Cairo platform", "--agents", f"{joint}=boulware"])
        == 0
    )
    seats = json.loads(capsys.readouterr().out)["seats"]
    assert set(seats) == {"UN Special Envoy", "Government", joint}
    assert main([*arguments, "--join", "HNC+Nobody"]) == 2
    assert capsys.readouterr().err.startswith("accord: error: --join: ")


@pytest.mark.parametrize(
    ("join", "reason"),
    [
        (["--join", "HNC=inf+Moscow platform"], "--join: every weight must be a positive number"),
        (["--join", "HNC=1e400+Moscow platform"], "--join: every weight must be a positive number"),
        (["--join", "HNC=1e308+Moscow platform=1e308"], "--join: every weight must be a positive number"),
        (
            ["--join", "HNC+Moscow platform", "--join", "Cairo platform+Government"],
            "--join: given twice; join one coalition at a time",
        ),
    ],
)
@pytest.mark.parametrize("command", ["analyze", "run", "room"])
def test_a_join_that_cannot_be_taken_as_written_is_refused_on_one_line(
    command: str, join: list[str], reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = str(EXAMPLES / "geneva-2017.yaml")
    arguments = {
        "analyze": ["analyze", scenario],
        "run": ["run", scenario, "--protocol", "one-text"],
        "room": [
            "room",
            "create",
            scenario,
            "--protocol",
            "one-text",
            "--db",
            f"sqlite:///{tmp_path / 'r.db'}",
        ],
    }[command]
    assert main([*arguments, *join]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"accord: error: {reason}\n" and captured.out == ""
