"""An interrupted tournament loses nothing: records reach disk as shares end, and --resume finishes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from accord.cli import main
from accord.tournament import TIMING_COLUMNS, ResultSet, TournamentConfig, run_local
from accord.tournament.checkpoint import CHECKPOINT, Checkpoint


def comparable(records: list[dict[str, object]]) -> list[dict[str, object]]:
    return [{key: value for key, value in record.items() if key not in TIMING_COLUMNS} for record in records]


def arguments(scenarios: tuple[str, str], out: Path, *extra: str) -> list[str]:
    return [
        "tournament",
        *scenarios,
        "--protocol",
        "alternating-offers",
        "--agents",
        "boulware,conceder",
        "--repetitions",
        "3",
        "--rounds",
        "20",
        "--out",
        str(out),
        "--json",
        *extra,
    ]


def test_records_reach_the_file_as_sessions_end(scenarios: tuple[str, str], tmp_path: Path) -> None:
    config = TournamentConfig(
        scenarios=scenarios, protocol="alternating-offers", agents=("boulware", "conceder"), repetitions=3
    )
    plan = config.plan()
    seen: list[int] = []

    def save(records: list[dict[str, object]]) -> None:
        checkpoint.add(records)
        # every record handed over so far is already on disk
        lines = (tmp_path / CHECKPOINT).read_text(encoding="utf-8").splitlines()
        seen.append(len(lines) - 1)

    with Checkpoint.open(tmp_path, plan, resume=False) as checkpoint:
        played = run_local(config, plan=plan, on_records=save)
    assert seen[-1] == len(played) == len(plan) and seen == sorted(seen) and len(seen) > 1


def test_an_interrupted_tournament_resumes_to_the_same_records(
    scenarios: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole, broken = tmp_path / "whole", tmp_path / "broken"
    assert main(arguments(scenarios, whole)) == 0
    expected = comparable(list(ResultSet.read(whole).records))
    # a crash after eleven records, half-way through writing the twelfth
    lines = (whole / CHECKPOINT).read_text(encoding="utf-8").splitlines(keepends=True)
    broken.mkdir()
    (broken / CHECKPOINT).write_text("".join(lines[:12]) + lines[12][:25], encoding="utf-8")
    capsys.readouterr()
    assert main(arguments(scenarios, broken, "--resume")) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["resumed"] == 11 and summary["sessions"] == len(expected) == 30
    assert comparable(list(ResultSet.read(broken).records)) == expected
    # the records file is whole again: a header and one line per session
    assert len((broken / CHECKPOINT).read_text(encoding="utf-8").splitlines()) == 31


def test_an_unfinished_tournament_is_never_overwritten(
    scenarios: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(arguments(scenarios, tmp_path)) == 0
    path = tmp_path / CHECKPOINT
    unfinished = "".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:5])
    path.write_text(unfinished, encoding="utf-8")
    capsys.readouterr()
    assert main(arguments(scenarios, tmp_path, "--force")) == 2  # not even --force replaces it
    error = capsys.readouterr().err
    assert "records.jsonl: --resume: holds 4 of 30 sessions of an unfinished tournament" in error
    assert path.read_text(encoding="utf-8") == unfinished
    # another seed is another tournament: resuming it from these records is refused
    assert main(arguments(scenarios, tmp_path, "--resume", "--seed", "9")) == 2
    assert "was written for another tournament" in capsys.readouterr().err
    assert path.read_text(encoding="utf-8") == unfinished


def test_a_finished_tournament_may_be_played_again(
    scenarios: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(arguments(scenarios, tmp_path)) == 0
    capsys.readouterr()
    assert main(arguments(scenarios, tmp_path, "--seed", "4")) == 2
    assert capsys.readouterr().err == (
        f"accord: error: {tmp_path / 'records.parquet'}: the file exists; give --force to overwrite it\n"
    )
    assert main(arguments(scenarios, tmp_path, "--seed", "4", "--force")) == 0
    assert len((tmp_path / CHECKPOINT).read_text(encoding="utf-8").splitlines()) == 31
    assert (
        main(
            ["tournament", *scenarios, "--protocol", "alternating-offers", "--agents", "boulware", "--resume"]
        )
        == 2
    )
    assert "--resume: only with --out" in capsys.readouterr().err
    assert main(arguments(scenarios, tmp_path / "empty", "--resume")) == 2
    assert "records.jsonl: --resume: no records to resume from" in capsys.readouterr().err


def test_a_process_pool_plays_only_what_is_missing(scenarios: tuple[str, str]) -> None:
    config = TournamentConfig(
        scenarios=scenarios, protocol="alternating-offers", agents=("boulware", "conceder"), repetitions=3
    )
    every = run_local(config)
    done = {0, 4, 5, 6, 29}
    heard: list[int] = []
    played = run_local(
        config, jobs=2, done=done, on_records=lambda records: heard.extend(r["index"] for r in records)
    )
    assert comparable(played) == comparable([record for record in every if record["index"] not in done])
    assert sorted(heard) == [record["index"] for record in played]


def test_an_interrupted_command_says_what_it_kept_and_resumes(
    scenarios: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import accord.cli.tournament

    whole = tmp_path / "whole"
    assert main(arguments(scenarios, whole)) == 0
    expected = comparable(list(ResultSet.read(whole).records))

    def interrupted(*given: object, **options: object) -> list[dict[str, object]]:
        # the first two shares end and are handed over, then the user presses Ctrl-C
        first: list[dict[str, object]] = []

        def hand_over(records: list[dict[str, object]]) -> None:
            first.append(records)  # type: ignore[arg-type]
            save = options["on_records"]
            assert callable(save)
            save(records)
            if len(first) == 2:
                raise KeyboardInterrupt

        return run_local(*given, **{**options, "on_records": hand_over})  # type: ignore[arg-type]

    out = tmp_path / "interrupted"
    with monkeypatch.context() as patch:
        patch.setattr(accord.cli.tournament, "run_local", interrupted)
        capsys.readouterr()
        assert main(arguments(scenarios, out)) == 130
    error = capsys.readouterr().err
    kept = len((out / CHECKPOINT).read_text(encoding="utf-8").splitlines()) - 1
    assert 0 < kept < 30
    assert (
        f"interrupted: {kept} of 30 sessions are kept in {out / CHECKPOINT}" in error and "--resume" in error
    )
    assert main(arguments(scenarios, out, "--resume")) == 0
    assert json.loads(capsys.readouterr().out)["resumed"] == kept
    assert comparable(list(ResultSet.read(out).records)) == expected
