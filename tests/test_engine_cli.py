"""`accord run` and `accord list`, in-process: JSON fields, traces, reports, one-line errors."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenarios import TWO_PARTY


def _main(argv: list[str]) -> int:
    from accord.cli import main

    return main(argv)


@pytest.fixture
def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "harbour.yaml"
    path.write_text(TWO_PARTY, encoding="utf-8")
    return path


def test_run_prints_the_promised_json(scenario_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = _main(
        [
            "run",
            str(scenario_file),
            "--protocol",
            "alternating-offers",
            "--agents",
            "Port=boulware,Fleet=conceder",
            "--seed",
            "3",
            "--rounds",
            "30",
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["protocol"] == "alternating-offers-v1" and data["seed"] == 3
    assert data["reason"] in ("agreement", "deadline", "walk-out")
    for key in ("rounds", "agreement", "utilities", "pareto_optimal"):
        assert key in data
    assert data["agents"] == {"Port": "boulware-v1", "Fleet": "conceder-v1"}


@pytest.mark.parametrize(
    "protocol", ["single-text", "one-text", "shuttle", "post-settlement", "blind-bidding"]
)
def test_every_protocol_runs_with_default_agents(
    protocol: str, scenario_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(["run", str(scenario_file), "--protocol", protocol, "--rounds", "10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["walk_outs"] == {}
    if data["agreement"] is None:
        assert data["utilities"] == {"Port": 0.3, "Fleet": 0.25}


def test_the_same_seed_writes_the_same_trace(scenario_file: Path, tmp_path: Path) -> None:
    traces = []
    for name in ("a.jsonl", "b.jsonl"):
        path = tmp_path / name
        assert (
            _main(
                [
                    "run",
                    str(scenario_file),
                    "--protocol",
                    "shuttle",
                    "--mediator",
                    "nash-mediator",
                    "--seed",
                    "5",
                    "--rounds",
                    "12",
                    "--json",
                    "--trace",
                    str(path),
                ]
            )
            == 0
        )
        traces.append(path.read_bytes())
    assert traces[0] == traces[1] and traces[0].count(b"\n") > 3


def test_run_writes_a_report(scenario_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "out" / "report.html"
    assert _main(["run", str(scenario_file), "--rounds", "20", "--report", str(report)]) == 0
    assert "Report written" in capsys.readouterr().out
    assert report.read_text(encoding="utf-8").count("data:image/png;base64,") == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--agents", "Nobody=boulware"], "--agents: no delegation 'Nobody'"),
        (["--agents", "Port"], "--agents: expected PARTY=AGENT"),
        (["--agents", "Port=drafter"], "--agents: seat 'Port': agent 'drafter-v1' cannot take"),
        (["--agents", "Port=genius"], "--agents: unknown agent 'genius'"),
        (["--protocol", "auction"], "--protocol: unknown protocol 'auction'"),
        (["--mediator", "nash-mediator"], "--mediator: this protocol has no mediator's seat"),
        (["--rounds", "0"], "--rounds: must be at least 1, got 0"),
        (["--report", "x.pdf"], "x.pdf: the file name must end in .html"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_two(
    argv: list[str], message: str, scenario_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(["run", str(scenario_file), *argv]) == 2
    error = capsys.readouterr().err
    assert error == f"accord: error: {error.removeprefix('accord: error: ').rstrip()}\n"
    assert message in error and error.count("\n") == 1


@pytest.mark.parametrize("what", ["protocols", "agents"])
def test_list_prints_the_ids(what: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["list", what, "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    ids = [entry["id"] for entry in entries]
    assert ids == sorted(ids) and all("-v" in identifier for identifier in ids)
    assert ("one-text-v1" in ids) if what == "protocols" else ("boulware-v1" in ids and "drafter-v1" in ids)
    for entry in entries:
        # one line of plain text, no reST markup
        assert entry["description"].endswith(".") and "\n" not in entry["description"]
        assert "``" not in entry["description"] and ":class:" not in entry["description"]


def test_list_protocols_says_which_need_a_mediator(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["list", "protocols", "--json"]) == 0
    mediated = {entry["id"]: entry["needs_mediator"] for entry in json.loads(capsys.readouterr().out)}
    assert mediated == {
        "alternating-offers-v1": False,
        "blind-bidding-v1": False,
        "one-text-v1": True,
        "post-settlement-v1": True,
        "shuttle-v1": True,
        "single-text-v1": True,
    }
    assert _main(["list", "protocols"]) == 0
    table = capsys.readouterr().out
    assert "needs one" in table and "Delegations take turns" in table


def test_list_agents_says_which_seats_and_protocols_each_fits(capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["list", "agents", "--json"]) == 0
    entries = {entry["id"]: entry for entry in json.loads(capsys.readouterr().out)}
    mediated = ["one-text-v1", "post-settlement-v1", "shuttle-v1", "single-text-v1"]
    assert entries["drafter-v1"]["roles"] == ["mediator"]
    assert entries["drafter-v1"]["protocols"] == {"mediator": mediated}
    assert entries["boulware-v1"]["protocols"]["delegation"][:2] == [
        "alternating-offers-v1",
        "blind-bidding-v1",
    ]
    assert "holds out" in entries["boulware-v1"]["description"]
    assert _main(["list", "agents"]) == 0
    assert "delegation: every protocol" in capsys.readouterr().out
