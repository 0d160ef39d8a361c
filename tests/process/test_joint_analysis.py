"""The joint analysis: worth across tracks, the joint frontier against brute force, cross-track trades."""

from __future__ import annotations

import itertools
import json
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from accord.analysis import pareto_mask
from accord.analysis.joint import analyze_process, joint_frontier
from accord.cli import main
from accord.cli.process import load_process_file
from accord.errors import AnalysisError
from process_files import write_process

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "geneva-astana-2017.yaml"

_TABLE = st.integers(1, 6).flatmap(
    lambda rows: arrays(np.float64, (rows, 3), elements=st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]))
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_TABLE, min_size=1, max_size=3))
def test_the_joint_frontier_is_the_pareto_set_of_every_combination(tables: list[np.ndarray]) -> None:
    rows, utilities = joint_frontier(tables)
    combinations = list(itertools.product(*(range(len(table)) for table in tables)))
    every = np.array(
        [sum(table[row] for table, row in zip(tables, combo, strict=True)) for combo in combinations]
    )
    expected = {tuple(np.round(point, 9)) for point in every[pareto_mask(every)]}
    assert {tuple(np.round(point, 9)) for point in utilities} == expected
    for chosen, point in zip(rows, utilities, strict=True):
        assert np.allclose(sum(table[row] for table, row in zip(tables, chosen, strict=True)), point)


def test_without_a_reason_to_trade_there_is_no_trade(tmp_path: Path) -> None:
    assert analyze_process(load_process_file(str(write_process(tmp_path)))).to_dict()["trades"] == []


def test_a_shared_party_is_worth_the_weighted_sum_of_its_seats(tmp_path: Path) -> None:
    process = load_process_file(str(write_process(tmp_path)))
    result = analyze_process(process)
    data = result.to_dict()
    parties = {party["name"]: party for party in data["parties"]}
    assert parties["Rebels"]["weights"] == {"Politics": 0.25, "Ceasefire": 0.75}
    assert parties["Government"]["seats"] == {"Politics": "Government", "Ceasefire": "Government"}
    assert parties["Government"]["weights"] == {"Politics": 1.0, "Ceasefire": 1.0}
    nash = data["separate_nash"]
    politics = data["tracks"]["Politics"]["nash"]["utilities"]
    ceasefire = data["tracks"]["Ceasefire"]["nash"]["utilities"]
    assert nash["worth"]["Rebels"] == pytest.approx(
        0.25 * politics["Opposition"] + 0.75 * ceasefire["Opposition"]
    )
    assert nash["worth"]["Government"] == pytest.approx(politics["Government"] + ceasefire["Government"])
    assert nash["worth"]["Guarantor"] == pytest.approx(ceasefire["Guarantor"])


def test_trades_improve_on_the_separate_nash_points_for_every_party(tmp_path: Path) -> None:
    # The government cares mostly for the political track, the rebels for the ceasefire: each
    # gives the other its important issue of the track it cares less for.
    result = analyze_process(load_process_file(str(write_process(tmp_path, government_weights=(0.9, 0.1)))))
    assert result.nash_utilities is not None
    trades = result.to_dict()["trades"]
    assert trades[0]["outcomes"] == {
        "Politics": {"counter-terrorism": "alpha", "governance": "alpha"},
        "Ceasefire": {"monitoring": "beta", "access": "beta"},
    }
    assert trades[0]["gains"] == pytest.approx({"Rebels": 0.05, "Government": 0.2, "Guarantor": 0.0})
    assert trades[0]["everyone_gains"] is False
    for index in result.trades:
        gains = result.utilities[index] - result.nash_utilities
        assert np.all(gains >= -1e-9) and np.any(gains > 1e-9)
    # Every other joint frontier point leaves some party worse off (or nobody better).
    others = np.setdiff1d(np.arange(len(result.utilities)), result.trades)
    for index in others:
        gains = result.utilities[index] - result.nash_utilities
        assert np.any(gains < -1e-9) or not np.any(gains > 1e-9)


def test_logrolling_across_tracks_is_found() -> None:
    # Two parties in both tracks; A cares for the first track, B for the second; the separate
    # Nash points split each track; trading gives each its own track.
    first = np.array([[1.0, 0.0], [0.6, 0.6], [0.0, 1.0]]) * np.array([1.0, 0.2])
    second = np.array([[1.0, 0.0], [0.6, 0.6], [0.0, 1.0]]) * np.array([0.2, 1.0])
    rows, utilities = joint_frontier([first, second])
    assert [2, 0] not in rows.tolist() and [0, 2] in rows.tolist()
    assert utilities[rows.tolist().index([0, 2])].tolist() == [1.0, 1.0]


def test_accord_analyze_on_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(EXAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    names = [party["name"] for party in data["parties"]]
    assert names == [
        "Government",
        "Armed factions",
        "Moscow platform",
        "Cairo platform",
        "Russia",
        "Turkey",
        "Iran",
    ]
    assert (
        data["joint_pareto_size"]
        == data["tracks"]["Geneva"]["pareto_size"] * data["tracks"]["Astana"]["pareto_size"]
    )
    assert data["separate_nash"]["worth"]["Government"] == pytest.approx(
        data["tracks"]["Geneva"]["nash"]["utilities"]["Government"]
        + data["tracks"]["Astana"]["nash"]["utilities"]["Government"]
    )
    assert main(["analyze", str(EXAMPLE)]) == 0
    assert "Joint Pareto frontier" in capsys.readouterr().out


def test_a_joint_frontier_that_would_take_minutes_is_refused_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Five Geneva tracks: merging the fifth took 256 s (and in a room, every mediator's /process).
    shutil.copy(EXAMPLE.with_name("geneva-2017.yaml"), tmp_path)
    tracks = "\n".join(
        f"  - {{name: T{index}, scenario: geneva-2017.yaml, protocol: one-text}}" for index in range(5)
    )
    seats = ", ".join(f"T{index}: Government" for index in range(5))
    path = tmp_path / "five.yaml"
    path.write_text(
        f"format: accord-process/1\nname: five\ntracks:\n{tracks}\n"
        f"parties:\n  - name: Gov\n    seats: {{{seats}}}\n"
    )
    started = time.perf_counter()
    assert main(["analyze", str(path)]) == 2
    assert time.perf_counter() - started < 40
    error = capsys.readouterr().err
    assert error.startswith("accord: error: the joint frontier grows to ") and error[-1] == "\n"
    assert "merging track 5 of 5 would take about " in error and "more than the 60 s allowed" in error
    # Each merge is counted: a budget the first merge fits and the second does not stops at the second.
    table = np.random.default_rng(1).random((40, 4))
    with pytest.raises(AnalysisError, match="merging track 2 of 3 would take about"):
        joint_frontier([table, table, table], time_limit=0.001)
