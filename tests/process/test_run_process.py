"""``run_process`` and ``accord run PROCESS``: tracks played round by round, conditions enforced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main
from accord.cli.process import load_process_file
from accord.session.process import run_process
from process_files import write_process

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "geneva-astana-2017.yaml"


def _outcomes(path: Path, seed: int = 0) -> list[tuple[str, str, str]]:
    result = run_process(load_process_file(str(path)), seed=seed, rounds=40)
    return [(item.round.label, item.outcome, item.refusal) for item in result.rounds]


def test_an_agreement_before_the_required_one_is_refused_naming_the_other_track(tmp_path: Path) -> None:
    outcomes = _outcomes(write_process(tmp_path, ceasefire_first=False))
    # Politics I (February) agrees before the ceasefire track has met: refused; the ceasefire
    # agrees in March; Politics II (April) may then agree.
    assert [(label, outcome) for label, outcome, _ in outcomes] == [
        ("Politics I", "refused"),
        ("Ceasefire I", "agreed"),
        ("Politics II", "agreed"),
    ]
    assert outcomes[0][2] == (
        "condition 1: counter-terrorism in track 'Politics' cannot be agreed before "
        "monitoring in track 'Ceasefire' is"
    )


def test_a_track_whose_required_track_never_agrees_is_refused_in_every_round(tmp_path: Path) -> None:
    outcomes = _outcomes(write_process(tmp_path, ceasefire_reservation=0.99))
    assert [(label, outcome) for label, outcome, _ in outcomes] == [
        ("Ceasefire I", "deadline"),
        ("Politics I", "refused"),
        ("Politics II", "refused"),
    ]


def test_the_required_track_first_lets_both_agree(tmp_path: Path) -> None:
    outcomes = _outcomes(write_process(tmp_path))
    assert [(label, outcome) for label, outcome, _ in outcomes] == [
        ("Ceasefire I", "agreed"),
        ("Politics I", "agreed"),
    ]


def test_undated_rounds_put_the_required_track_first(tmp_path: Path) -> None:
    outcomes = _outcomes(write_process(tmp_path, dated=False))
    assert [(label, outcome) for label, outcome, _ in outcomes] == [
        ("Ceasefire I", "agreed"),
        ("Politics I", "agreed"),
    ]


def test_a_round_with_a_delegation_absent_binds_only_those_present(tmp_path: Path) -> None:
    process = load_process_file(str(write_process(tmp_path, absent_round=True)))
    result = run_process(process, seed=0, rounds=40)
    ceasefire = next(item for item in result.rounds if item.track == "Ceasefire")
    assert ceasefire.present == ("Government", "Guarantor")
    assert ceasefire.outcome == "agreed by those present"
    assert ceasefire.session is not None and set(ceasefire.session.utilities) == {"Government", "Guarantor"}
    assert result.settled("Ceasefire") is None
    # Nothing in the ceasefire track is agreed, so the political track is refused.
    assert [item.outcome for item in result.rounds if item.track == "Politics"] == ["refused", "refused"]


def test_the_same_seed_gives_the_same_process(tmp_path: Path) -> None:
    path = write_process(tmp_path, ceasefire_first=False)
    first = run_process(load_process_file(str(path)), seed=5, rounds=40).to_dict()
    again = run_process(load_process_file(str(path)), seed=5, rounds=40).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(again, sort_keys=True)


def test_accord_run_on_the_example_ends_and_reports_both_tracks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(EXAMPLE), "--json", "--rounds", "60"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["tracks"]) == {"Geneva", "Astana"}
    played = [(item["track"], item["round"]) for item in data["rounds"]]
    assert played[0] == ("Astana", "Astana I")
    for item in data["rounds"]:
        assert item["outcome"] in {
            "agreed",
            "refused",
            "agreed by those present",
            "deadline",
            "walk-out",
            "rejected",
        }
        if item["round"] == "Astana III":
            assert "Armed opposition" not in item["present"]
    # Geneva may settle only once Astana has: the condition holds in the report.
    geneva, astana = data["tracks"]["Geneva"], data["tracks"]["Astana"]
    if geneva["settled_in"] is not None:
        assert astana["settled_in"] is not None
        labels = [label for _, label in played]
        assert labels.index(astana["settled_in"]) < labels.index(geneva["settled_in"])
    statuses = {item["issue"]: item["status"] for item in data["deadlines"]}
    assert set(statuses) == {"governance", "elections"}
    assert not statuses["governance"].startswith("met")  # six months from December 2015 had passed


def test_accord_run_prints_the_rounds_and_tracks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(EXAMPLE), "--rounds", "60"]) == 0
    out = capsys.readouterr().out
    assert "Astana I" in out and "Geneva" in out and "Deadline 2016-06-18" in out


def test_scenario_options_are_refused_for_a_process_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(EXAMPLE), "--agents", "Government=boulware"]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("accord: error: --agents: does not apply to a process file") and err.count("\n") == 1
    )


def test_a_broken_process_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_process(tmp_path)
    path.write_text(path.read_text().replace("issue: monitoring", "issue: monitors"))
    assert main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "conditions[0].requires: no issue named 'monitors'" in err
