"""Appends per second to the room's event store, on SQLite and (given its URL) PostgreSQL.

Run from the repository root::

    .venv/bin/python bench/store_appends.py                       # SQLite in a temporary folder
    .venv/bin/python bench/store_appends.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/store_appends.py --seconds 1           # quicker, noisier

Each append is one committed transaction holding one record of about 100 bytes of JSON
(a message), as the room writes for one action; durability as configured by the store
(SQLite WAL with ``synchronous=FULL``; PostgreSQL's default ``synchronous_commit=on``).
Measured for ``--seconds`` of wall time each:

* one thread appending to one room;
* 8 threads appending to one room, each reading the last seq and retrying on
  :class:`~accord.store.SequenceConflict` (the room's rules under contention);
* 8 threads, each appending to a room of its own (no conflicts: the store's serialised
  writer is the only shared part).

It prints appends/s, the median and 99th percentile latency of a successful append, and
the conflicts retried. PostgreSQL runs in a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from accord.store import NewRecord, SequenceConflict, Store, open_store

THREADS = 8


@dataclass(frozen=True, slots=True)
class Measurement:
    """What one case measured."""

    case: str
    appends: int
    seconds: float
    latencies: tuple[float, ...]
    conflicts: int

    def line(self, backend: str) -> str:
        ordered = sorted(self.latencies)
        p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] if ordered else float("nan")
        median = statistics.median(ordered) if ordered else float("nan")
        return (
            f"{backend:<10} {self.case:<28} {self.appends / self.seconds:8.0f} appends/s  "
            f"p50 {median * 1000:6.2f} ms  p99 {p99 * 1000:6.2f} ms  conflicts {self.conflicts}"
        )


def message(writer: int, n: int) -> NewRecord:
    return NewRecord(
        "message",
        {"text": f"proposal {n} from writer {writer}", "disclosure": "attributed", "n": n},
        seat="usa",
    )


def run_writers(store: Store, rooms: Sequence[str], seconds: float, case: str) -> Measurement:
    """One thread per entry of ``rooms`` appends to that room until the time is up."""
    for room in set(rooms):
        store.append(room, [NewRecord("room-created", {})], expected_seq=0)
    stop = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in rooms]
    conflicts = [0] * len(rooms)
    start = threading.Barrier(len(rooms) + 1)

    def writer(index: int) -> None:
        start.wait()
        room = rooms[index]
        n = 0
        while time.monotonic() < stop:
            began = time.perf_counter()
            while True:
                try:
                    store.append(room, [message(index, n)], expected_seq=store.last_seq(room))
                    break
                except SequenceConflict:
                    conflicts[index] += 1
            latencies[index].append(time.perf_counter() - began)
            n += 1

    threads = [threading.Thread(target=writer, args=(index,)) for index in range(len(rooms))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    flat = tuple(latency for per_thread in latencies for latency in per_thread)
    return Measurement(case, len(flat), elapsed, flat, sum(conflicts))


def measure(url: str, seconds: float) -> list[Measurement]:
    with open_store(url) as store:
        tag = uuid.uuid4().hex[:6]
        return [
            run_writers(store, [f"single-{tag}"], seconds, "1 thread, 1 room"),
            run_writers(store, [f"shared-{tag}"] * THREADS, seconds, f"{THREADS} threads, 1 room"),
            run_writers(
                store, [f"own-{tag}-{i}" for i in range(THREADS)], seconds, f"{THREADS} threads, own rooms"
            ),
        ]


def with_schema(base_url: str) -> tuple[str, Callable[[], None]]:
    """A URL placing the store in a fresh PostgreSQL schema, and the function that drops it."""
    import psycopg

    schema = f"accord_bench_{uuid.uuid4().hex[:10]}"
    libpq = base_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(libpq, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")

    def drop() -> None:
        with psycopg.connect(libpq, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")

    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options={quote(f'-csearch_path={schema}')}", drop


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="wall time per case (default 3)")
    parser.add_argument(
        "--postgres", metavar="URL", help="also measure this PostgreSQL (a schema is made and dropped)"
    )
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        for measurement in measure(f"sqlite:///{folder}/bench.db", options.seconds):
            print(measurement.line("sqlite"), flush=True)
    if options.postgres:
        url, drop = with_schema(options.postgres)
        try:
            for measurement in measure(url, options.seconds):
                print(measurement.line("postgresql"), flush=True)
        finally:
            drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
