"""``--mediator``: the agent in the mediator's seat of a tournament, in its records and its checkpoint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.errors import AgentError
from accord.tournament import TIMING_COLUMNS, ResultSet, TournamentConfig, run_spec
from accord.tournament.checkpoint import CHECKPOINT
from accord.tournament.config import SessionPlan


def comparable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in record.items() if key not in TIMING_COLUMNS} for record in records]


def command(scenario: str, out: Path, *extra: str) -> list[str]:
    return [
        "tournament",
        scenario,
        "--protocol",
        "single-text",
        "--agents",
        "boulware,linear",
        "--repetitions",
        "2",
        "--rounds",
        "12",
        "--out",
        str(out),
        "--json",
        *extra,
    ]


def test_the_nash_mediator_plays_and_its_records_match_the_session_path(
    scenarios: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "nash"
    assert main(command(scenarios[0], out, "--mediator", "nash-mediator-v1")) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["mediator"] == "nash-mediator-v1" and summary["sessions"] == 4
    records = list(ResultSet.read(out).records)
    assert [record["mediator"] for record in records] == ["nash-mediator-v1"] * 4
    plan = TournamentConfig(
        scenarios=scenarios[:1],
        protocol="single-text",
        agents=("boulware", "linear"),
        repetitions=2,
        rounds=12,
        mediator="nash-mediator",  # the bare name resolves as --agents entries do
    ).plan()
    assert plan.mediator == "nash-mediator-v1"
    one_by_one = [run_spec(spec) for spec in plan.specs()]  # run_session, never the batch
    assert comparable(records) == comparable(one_by_one)
    # the default mediator plays otherwise, and it is another tournament
    default = tmp_path / "default"
    assert main(command(scenarios[0], default)) == 0
    assert json.loads(capsys.readouterr().out)["mediator"] is None
    assert {record["mediator"] for record in ResultSet.read(default).records} == {"hill-climbing-v1"}


@pytest.mark.parametrize(
    ("protocol", "mediator", "expected"),
    [
        (
            "single-text",
            "boulware",
            "--mediator: seat 'Mediator': agent 'boulware-v1' cannot take a mediator's",
        ),
        ("single-text", "nobody", "--mediator: unknown agent 'nobody'"),
        ("alternating-offers", "nash-mediator", "--mediator: alternating-offers-v1 seats no mediator"),
        ("single-text", " ", "--mediator: give an agent id"),
    ],
)
def test_a_mediator_that_does_not_fit_is_refused_with_one_line(
    scenarios: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    protocol: str,
    mediator: str,
    expected: str,
) -> None:
    arguments = ["tournament", scenarios[0], "--protocol", protocol, "--agents", "boulware,linear"]
    code = main([*arguments, "--mediator", mediator, "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("accord: error:") and expected in lines[0]
    assert not (tmp_path / "out").exists()


def test_a_config_names_the_mediator_parameter(scenarios: tuple[str, str]) -> None:
    config = TournamentConfig(
        scenarios=scenarios, protocol="single-text", agents=("boulware",), mediator="conceder"
    )
    with pytest.raises(AgentError) as refused:
        config.plan()
    assert refused.value.argument == "mediator"


def test_a_plan_without_a_mediator_keeps_its_old_data_and_round_trips(scenarios: tuple[str, str]) -> None:
    plain = TournamentConfig(scenarios=scenarios, protocol="single-text", agents=("boulware",)).plan()
    assert "mediator" not in plain.to_data()  # checkpoints written before --mediator still resume
    chosen = TournamentConfig(
        scenarios=scenarios, protocol="single-text", agents=("boulware",), mediator="nash-mediator"
    ).plan()
    assert SessionPlan.from_data(chosen.to_data()) == chosen
    assert SessionPlan.from_data(plain.to_data()) == plain
    assert {spec.mediator for spec in chosen.specs()} == {"nash-mediator-v1"}


def test_resuming_with_another_mediator_is_refused(
    scenarios: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(command(scenarios[0], tmp_path, "--mediator", "nash-mediator")) == 0
    path = tmp_path / CHECKPOINT
    unfinished = "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:3])
    path.write_text(unfinished, encoding="utf-8")
    capsys.readouterr()
    for other in (["--mediator", "hill-climbing"], []):  # another mediator, or the default one
        assert main(command(scenarios[0], tmp_path, "--resume", *other)) == 2
        error = capsys.readouterr().err
        assert "was written for another tournament" in error and len(error.strip().splitlines()) == 1
        assert path.read_text(encoding="utf-8") == unfinished
    # the same mediator finishes it, every record naming it
    assert main(command(scenarios[0], tmp_path, "--resume", "--mediator", "nash-mediator-v1")) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["resumed"] == 2 and summary["sessions"] == 4
    assert {record["mediator"] for record in ResultSet.read(tmp_path).records} == {"nash-mediator-v1"}
