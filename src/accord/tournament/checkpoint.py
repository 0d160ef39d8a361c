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
from accord.reading import read_bytes
from accord.tournament.config import SessionPlan
from accord.tournament.runner import Record

__all__ = ["CHECKPOINT", "Checkpoint"]

#: The file name of the running record of a tournament in its output directory.
CHECKPOINT = "records.jsonl"

_FORMAT = "accord-tournament-records/1"
#: How the first line starts (keys sorted: "format" comes first).
_HEADER_START = b'{"format": "' + _FORMAT.encode() + b'"'
#: Largest records file read back (about two million sessions).
MAX_RECORDS_BYTES = 1024 * 1024 * 1024


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
                    str(path),
                    "plan",
                    "was written for another tournament (scenarios, agents, mediator, seed …)",
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


def _refused(path: Path, where: str, what: str) -> InputError:
    return InputError(
        str(path),
        where,
        f"{what}: this is not (or no longer) a file of Accord tournament records, and it is left "
        "as it is; remove it or give another --out",
    )


def _read(path: Path) -> tuple[dict[str, Any] | None, dict[int, Record], int]:
    """The header, the records by index, and how many bytes of whole, readable lines there are.

    Only the last line may be unfinished (a crash while appending); any other line that is not
    a record, or a first line that is not the header, means the file is not Accord's: it is
    refused, never truncated or replaced.
    """
    data = read_bytes(path, limit=MAX_RECORDS_BYTES, error=InputError)
    *whole, unfinished = data.split(b"\n")
    if not whole:  # empty, or a header cut short by a crash
        if _HEADER_START.startswith(unfinished[: len(_HEADER_START)]):
            return None, {}, 0
        raise _refused(path, "line 1", "is not the first line of Accord tournament records")
    header: dict[str, Any] | None = None
    done: dict[int, Record] = {}
    size = 0
    for number, line in enumerate(whole, start=1):
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            raise _refused(path, f"line {number}", "is not JSON") from None
        if number == 1:
            if not isinstance(item, dict) or item.get("format") != _FORMAT:
                raise _refused(path, "line 1", "is not the first line of Accord tournament records")
            header, size = item, _size(item)
            if size == 0:
                raise _refused(path, "line 1", "names no tournament Accord can read")
            continue
        index = item.get("index") if isinstance(item, dict) else None
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < size:
            raise _refused(path, f"line {number}", f"is not a record of one of the {size} sessions")
        done[index] = item
    return header, done, len(data) - len(unfinished)
