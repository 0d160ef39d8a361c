"""A records.jsonl that is not Accord's is never truncated or replaced; a hostile one is one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from accord.cli import main
from accord.tournament.checkpoint import CHECKPOINT


def arguments(scenarios: tuple[str, str], out: Path, *extra: str) -> list[str]:
    return [
        "tournament", *scenarios, "--protocol", "alternating-offers", "--agents", "boulware,conceder",
        "--repetitions", "3", "--rounds", "20", "--out", str(out), "--json", *extra,
    ]  # fmt: skip


FOREIGN = [
    b"my own notes, not JSON\n",  # someone else's file, one whole line
    b"no newline at all",  # no whole line, not the start of a header
    b'{"format": "something-else/1"}\n{"index": 0}\n',  # JSON, but not Accord's
    b"\x00\x01\x02\xff binary",
]


@pytest.mark.parametrize("content", FOREIGN)
@pytest.mark.parametrize("resume", [False, True])
def test_a_file_that_is_not_accords_is_left_as_it_is(
    content: bytes,
    resume: bool,
    scenarios: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / CHECKPOINT
    path.write_bytes(content)
    assert main(arguments(scenarios, tmp_path, *(["--resume"] if resume else []))) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not (or no longer) a file of Accord tournament records" in err
    assert path.read_bytes() == content


def hostile_copies(records: list[str]) -> list[tuple[str, str]]:
    """A finished file altered in the middle, each as (content, what the error says)."""
    header, body = records[0], records[1:]
    return [
        (header + body[0] + "[" * 100_000 + "\n" + "".join(body[1:]), "line 3: is not JSON"),
        (header + body[0] + "not json\n" + "".join(body[1:]), "line 3: is not JSON"),
        (header + '{"index": 10000}\n' + "".join(body), "line 2: is not a record of one of the 30 sessions"),
        (header + '{"index": true}\n' + "".join(body), "line 2: is not a record"),
        (header + "[1, 2]\n" + "".join(body), "line 2: is not a record"),
        ('{"format": "accord-tournament-records/1", "plan": 7}\n' + "".join(body), "names no tournament"),
    ]


def test_hostile_records_are_refused_with_one_line_and_kept(
    scenarios: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    finished = tmp_path / "finished"
    assert main(arguments(scenarios, finished)) == 0
    records = (finished / CHECKPOINT).read_text(encoding="utf-8").splitlines(keepends=True)
    for number, (content, reason) in enumerate(hostile_copies(records)):
        folder = tmp_path / str(number)
        folder.mkdir()
        (folder / CHECKPOINT).write_text(content, encoding="utf-8")
        for extra in ([], ["--resume"]):
            capsys.readouterr()
            assert main(arguments(scenarios, folder, *extra)) == 2
            err = capsys.readouterr().err
            assert err.count("\n") == 1 and reason in err and "Traceback" not in err
            assert (folder / CHECKPOINT).read_text(encoding="utf-8") == content


def test_a_fifo_named_records_jsonl_is_refused_not_waited_on(
    scenarios: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(tmp_path / CHECKPOINT)
    assert main(arguments(scenarios, tmp_path, "--resume")) == 2
    assert "not a regular file" in capsys.readouterr().err


def test_a_header_cut_short_by_a_crash_starts_afresh(
    scenarios: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / CHECKPOINT).write_text('{"format": "accord-tourn', encoding="utf-8")
    assert main(arguments(scenarios, tmp_path)) == 0
    assert len((tmp_path / CHECKPOINT).read_text(encoding="utf-8").splitlines()) == 31
