"""A tournament's records on disk as they come in, so that an interrupted tournament loses nothing.

``records.jsonl`` in the output directory: a first line naming the tournament (its
:class:`~accord.tournament.config.SessionPlan`), then one JSON record per line,
appended and flushed to disk (``fsync``) as each share of sessions finishes. A crash
can leave at most a half-written last line, which is ignored when the file is read.
Resuming reads the records back and plays only the sessions still missing; since
every session has its own seed, the finished tournament's records equal those of
an uninterrupted run (timing aside).

A file of an unfinished tournament is never overwritten: starting again without
resuming is refused with the reason.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from accord.errors import InputError
from accord.tournament.config import SessionPlan
from accord.tournament.runner import Record

__all__ = ["CHECKPOINT", "Checkpoint"]

#: The file name of the running record of a tournament in its output directory.
CHECKPOINT = "records.jsonl"

_FORMAT = "accord-tournament-records/1"


class Checkpoint:
    """The records file of one tournament, open for appending; :attr:`done` holds what it already had."""

    def __init__(self, path: Path, stream: IO[str], done: dict[int, Record]) -> None:
        self.path = path
        self.done = done
        #: How many records the file holds: those it had and those added since.
        self.kept = len(done)
        self._stream = stream

    @classmethod
    def open(cls, directory: str | Path, plan: SessionPlan, *, resume: bool) -> Checkpoint:
        """Start the records of ``plan`` in ``directory``, or (``resume``) continue those it holds.

        :class:`InputError` names the file when it belongs to another tournament, or when it
        holds an unfinished tournament and ``resume`` is false.
        """
        path = Path(directory) / CHECKPOINT
        wanted = plan.to_data()
        done: dict[int, Record] = {}
        kept = 0  # bytes of whole lines worth keeping
        if path.exists():
            header, done, kept = _read(path)
            if resume and header is not None and header.get("plan") != wanted:
                raise InputError(
                    str(path), "plan", "was written for another tournament (scenarios, agents, seed …)"
                )
            if not resume:
                size = 0 if header is None else _size(header)
                if len(done) < size:
                    raise InputError(
                        str(path),
                        "--resume",
                        f"holds {len(done)} of {size} sessions of an unfinished tournament: "
                        "pass --resume to finish it, or remove the file",
                    )
                done, kept = {}, 0
        elif resume:
            raise InputError(str(path), "--resume", "no records to resume from")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            stream = path.open("r+" if kept else "w", encoding="utf-8")
            stream.truncate(kept)  # drops a half-written last line
            stream.seek(kept)
            if not kept:
                stream.write(json.dumps({"format": _FORMAT, "plan": wanted}, sort_keys=True) + "\n")
                _flush(stream)
        except OSError as error:
            raise InputError(
                str(path), "--out", f"cannot write records ({error.strerror or error})"
            ) from None
        return cls(path, stream, done)

    def add(self, records: Sequence[Record]) -> None:
        """Append ``records`` and make sure they are on disk before returning."""
        self._stream.write("".join(json.dumps(record, sort_keys=True) + "\n" for record in records))
        _flush(self._stream)
        self.kept += len(records)

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> Checkpoint:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _flush(stream: IO[str]) -> None:
    stream.flush()
    os.fsync(stream.fileno())


def _size(header: dict[str, Any]) -> int:
    try:
        return len(SessionPlan.from_data(header["plan"]))
    except (KeyError, TypeError, ValueError):
        return 0  # a header that names no readable plan: nothing of it is worth keeping


def _read(path: Path) -> tuple[dict[str, Any] | None, dict[int, Record], int]:
    """The header, the records by index, and how many bytes of whole, readable lines there are."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(str(path), "", f"cannot be read ({error.strerror or error})") from None
    header: dict[str, Any] | None = None
    done: dict[int, Record] = {}
    kept = 0
    for number, line in enumerate(data.split(b"\n")[:-1]):  # the last piece has no newline: unfinished
        try:
            item = json.loads(line)
        except ValueError:
            break
        if number == 0:
            if not isinstance(item, dict) or item.get("format") != _FORMAT:
                raise InputError(str(path), "line 1", "is not the first line of Accord tournament records")
            header = item
        elif isinstance(item, dict) and isinstance(item.get("index"), int):
            done[item["index"]] = item
        else:
            raise InputError(str(path), f"line {number + 1}", "is not a tournament record")
        kept += len(line) + 1
    return header, done, kept
