"""Running tournaments: identical records on one process or many, the leaderboard, the command."""

from __future__ import annotations

import itertools
import json
import math
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.io import load_scenario
from accord.preferences import scenario_utilities
from accord.tournament import TIMING_COLUMNS, ResultSet, TournamentConfig, run_local, run_spec


def comparable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in record.items() if key not in TIMING_COLUMNS} for record in records]


@pytest.fixture()
def config(scenarios: tuple[str, str]) -> TournamentConfig:
    return TournamentConfig(
        scenarios=scenarios,
        protocol="alternating-offers",
        agents=("boulware", "conceder", "random"),
        repetitions=2,
        rounds=20,
        seed=11,
    )


class Counter:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def advance(self, done: int, total: int) -> None:
        self.calls.append((done, total))


def test_records_are_flat_complete_and_in_session_order(config: TournamentConfig) -> None:
    progress = Counter()
    records = run_local(config, progress=progress)
    specs = config.sessions()
    assert len(records) == len(specs) == (6 + 6) * 2
    assert [record["index"] for record in records] == list(range(len(specs)))
    assert progress.calls[0] == (0, len(specs)) and progress.calls[-1] == (len(specs), len(specs))
    for record, spec in zip(records, specs, strict=True):
        assert all(isinstance(value, str | int | float | bool | type(None)) for value in record.values())
        assert record["seed"] == spec.seed and record["protocol"] == "alternating-offers-v1"
        seats = len(spec.seats)
        assert [record[f"agent_{number}"] for number in range(1, seats + 1)] == list(spec.agents)
        assert [record[f"seat_{number}"] for number in range(1, seats + 1)] == list(spec.seats)
        assert record["reason"] in {"agreement", "deadline", "walk-out", "rejected"}
        assert 0 <= record["rounds"] <= 20
        if record["reason"] == "agreement":
            assert set(json.loads(record["agreement"])) == {"venue", "agenda"}
            assert isinstance(record["pareto_optimal"], bool)
            assert record["nash_distance"] >= 0.0
        else:
            assert record["agreement"] is None and record["nash_distance"] is None
        utilities = [record[f"utility_{number}"] for number in range(1, seats + 1)]
        assert record["welfare"] == pytest.approx(sum(utilities))


def test_nash_distance_against_brute_force(scenarios: tuple[str, str]) -> None:
    config = TournamentConfig(
        scenarios=scenarios[:1], protocol="alternating-offers", agents=("conceder", "random"), repetitions=3
    )
    scenario = load_scenario(scenarios[0])
    utilities = scenario_utilities(scenario)
    outcomes = list(itertools.product(*(issue.values for issue in scenario.agenda.issues)))
    points = [tuple(utilities.utilities_of(outcome)) for outcome in outcomes]
    nash = max(points, key=lambda point: math.prod(point))  # reservation values are 0
    agreed = [record for record in run_local(config) if record["reason"] == "agreement"]
    assert agreed
    for record in agreed:
        reached = (record["utility_1"], record["utility_2"])
        assert record["nash_distance"] == pytest.approx(math.dist(reached, nash))


def test_a_seeded_tournament_gives_the_same_records_on_one_process_or_two(config: TournamentConfig) -> None:
    first = comparable(run_local(config))
    assert comparable(run_local(config)) == first
    assert comparable(run_local(config, jobs=2)) == first
    assert len({record["agreement"] for record in first}) > 1  # the random agent makes sessions differ


def test_a_spec_replays_on_its_own(config: TournamentConfig) -> None:
    spec = config.sessions()[5]
    assert comparable([run_spec(spec)]) == comparable([run_local(config)[5]])


def test_leaderboard_math_on_hand_made_records() -> None:
    records = [
        {"reason": "agreement", "agent_1": "a", "utility_1": 0.8, "agent_2": "b", "utility_2": 0.4},
        {"reason": "deadline", "agent_1": "b", "utility_1": 0.2, "agent_2": "a", "utility_2": 0.1},
        {
            "reason": "agreement",
            "agent_1": "a",
            "utility_1": 0.6,
            "agent_2": "a",
            "utility_2": 0.6,
            "agent_3": "c",
            "utility_3": 0.9,
        },
    ]
    results = ResultSet(records)
    board = {standing.agent: standing for standing in results.leaderboard()}
    assert board["a"].sessions == 3 and board["a"].seats == 4  # sessions, not seats
    assert board["a"].mean_utility == pytest.approx((0.8 + 0.1 + 0.6 + 0.6) / 4)
    assert board["a"].agreement_rate == pytest.approx(2 / 3)
    assert board["b"].sessions == 2 and board["b"].mean_utility == pytest.approx(0.3)
    assert board["b"].agreement_rate == pytest.approx(0.5)
    assert board["c"].sessions == 1 and board["c"].agreement_rate == 1.0
    assert [standing.agent for standing in results.leaderboard()] == ["c", "a", "b"]
    assert results.agreement_rate == pytest.approx(2 / 3)


def test_written_records_read_back_the_same(config: TournamentConfig, tmp_path: Path) -> None:
    results = ResultSet(run_local(config))
    paths = results.write(tmp_path / "out")
    assert {path.name for path in paths.values()} == {"records.parquet", "records.csv", "leaderboard.csv"}
    for source in (tmp_path / "out", paths["records_csv"]):
        again = ResultSet.read(source)
        assert comparable(list(again.records)) == comparable(list(results.records))
        assert again.leaderboard() == results.leaderboard()


def test_the_command_prints_a_json_summary_and_writes_files(
    scenarios: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results"
    arguments = [*scenarios, "--protocol", "alternating-offers", "--agents", "boulware,conceder"]
    code = main(
        ["tournament", *arguments, "--repetitions", "2", "--rounds", "30", "--out", str(out), "--json"]
    )
    captured = capsys.readouterr()
    assert code == 0
    summary = json.loads(captured.out)
    assert {"sessions", "seconds", "sessions_per_second", "agreement_rate", "leaderboard"} <= set(summary)
    assert summary["sessions"] == (2 + 8) * 2
    assert summary["agents"] == ["boulware-v1", "conceder-v1"]
    assert 0.0 <= summary["agreement_rate"] <= 1.0
    assert summary["sessions_per_second"] == pytest.approx(summary["sessions"] / summary["seconds"])
    assert sorted(path.name for path in out.iterdir()) == [
        "leaderboard.csv",
        "records.csv",
        "records.jsonl",
        "records.parquet",
    ]
    assert len(ResultSet.read(out)) == summary["sessions"]


def test_the_command_prints_a_leaderboard(
    scenarios: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["tournament", scenarios[0], "--protocol", "alternating-offers", "--agents", "boulware,conceder"]
    )
    assert code == 0
    output = capsys.readouterr().out
    assert "boulware-v1" in output and "conceder-v1" in output and "agreement rate" in output


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        ({"--agents": "boulware,nobody"}, "--agents: unknown agent 'nobody'"),
        ({"--protocol": "haggling"}, "--protocol: unknown protocol 'haggling'"),
        ({"scenario": "missing.yaml"}, "missing.yaml: no such file"),
        ({"--repetitions": "0"}, "--repetitions: must be at least 1"),
        # a plan this large asked for terabytes of bookkeeping (a numpy traceback)
        ({"--repetitions": "999999999999"}, "sessions, more than the 100,000,000 a tournament may hold"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    scenarios: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    replace: dict[str, str],
    expected: str,
) -> None:
    options = {"--protocol": "alternating-offers", "--agents": "boulware,conceder", "--repetitions": "1"}
    scenario = scenarios[0]
    for key, value in replace.items():
        if key == "scenario":
            scenario = str(tmp_path / value)
        else:
            options[key] = value
    code = main(["tournament", scenario, *[item for pair in options.items() for item in pair]])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0] and lines[0].startswith("accord: error:")


@pytest.mark.parametrize(
    "agents",
    [("boulware", "conceder", "linear"), ("frequency", "tit-for-tat", "conceder"), ("frequency", "random")],
)
def test_records_are_the_same_with_the_batch_engine_on_and_off(
    scenarios: tuple[str, str], agents: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sessions whose every seat the batch engine covers are batched; the records do not change."""
    import accord.batch
    from accord.tournament import runner

    config = TournamentConfig(
        scenarios=scenarios, protocol="alternating-offers", agents=agents, repetitions=3, rounds=30, seed=5
    )
    batched: list[int] = []
    play_batch = accord.batch.play_batch

    def counting(sessions: Any, protocol: Any) -> Any:
        batched.append(len(sessions))
        return play_batch(sessions, protocol)

    monkeypatch.setattr(accord.batch, "play_batch", counting)
    with_batch = run_local(config)
    total = len(with_batch)
    covered = sum(
        all(not agent.startswith("random") for agent in spec.agents) for spec in config.sessions()
    )  # the random agent is not covered: its sessions fall back to run_session, one by one
    assert sum(batched) == covered and 0 < covered <= total
    monkeypatch.setattr(runner, "covers", lambda session, protocol: False)
    batched.clear()
    without = run_local(config)
    assert not batched
    assert comparable(with_batch) == comparable(without)
    assert {record["reason"] for record in without} >= {"agreement"}


@pytest.mark.parametrize("mediator", [None, "nash-mediator"])
@pytest.mark.parametrize("agents", [("boulware", "linear"), ("tit-for-tat", "conceder")])
def test_single_text_records_are_the_same_with_the_batch_engine_on_and_off(
    scenarios: tuple[str, str],
    agents: tuple[str, ...],
    mediator: str | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The hill-climbing mediator (the single text's default) draws at random: its sessions differ by
    seed. The Nash-seeking one (``mediator``) is batched too, with the same records."""
    import accord.batch
    from accord.tournament import runner

    config = TournamentConfig(
        scenarios=scenarios,
        protocol="single-text",
        agents=agents,
        repetitions=3,
        rounds=15,
        seed=9,
        mediator=mediator,
    )
    batched: list[int] = []
    play_batch = accord.batch.play_batch

    def counting(sessions: Any, protocol: Any) -> Any:
        batched.append(len(sessions))
        return play_batch(sessions, protocol)

    monkeypatch.setattr(accord.batch, "play_batch", counting)
    with_batch = run_local(config)
    assert sum(batched) == len(with_batch)  # every session was batched
    played = "hill-climbing-v1" if mediator is None else "nash-mediator-v1"
    assert all(record["mediator"] == played for record in with_batch)
    monkeypatch.setattr(runner, "covers", lambda session, protocol: False)
    assert comparable(with_batch) == comparable(run_local(config))
    if mediator is None:
        assert len({record["agreement"] for record in with_batch}) > 1
