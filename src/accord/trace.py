"""Traces: a session's events as JSON lines, one event a line, in order.

Keys are sorted and no wall-clock value is written, so the same seed gives a
byte-identical trace. :class:`TraceWriter` is an event sink for
:func:`accord.session.run_session`; :func:`read_trace` gives the events back.

>>> import io
>>> from accord.protocols import Event
>>> stream = io.StringIO()
>>> write_trace([Event(index=0, round=0, kind="opening", data={"rounds": 3})], stream)
>>> stream.getvalue()
'{"actor":"","data":{"rounds":3},"index":0,"kind":"opening","round":0,"visible_to":null}\\n'
>>> read_trace(io.StringIO(stream.getvalue()))[0].kind
'opening'
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from accord.errors import InputError
from accord.protocols import Event

__all__ = ["TraceWriter", "event_line", "read_trace", "write_trace"]


def event_line(event: Event) -> str:
    """One event as a compact JSON line with sorted keys (and the newline)."""
    return json.dumps(event.to_data(), sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_trace(events: Iterable[Event], stream: IO[str]) -> None:
    """Write ``events`` to ``stream``, one line each."""
    for event in events:
        stream.write(event_line(event))


class TraceWriter:
    """An event sink that writes each event to a text stream as it happens."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def receive(self, event: Event) -> None:
        self.stream.write(event_line(event))


def read_trace(source: str | Path | IO[str]) -> list[Event]:
    """The events of a trace file or stream; :class:`InputError` names the line of a malformed one."""
    if isinstance(source, str | Path):
        with open(source, encoding="utf-8") as stream:
            return read_trace(stream)
    name = getattr(source, "name", "<trace>")
    events = []
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            events.append(Event.from_data(json.loads(line)))
        except (ValueError, KeyError, TypeError) as error:
            raise InputError(str(name), f"line {number}", f"not a trace event: {error}") from None
    return events
