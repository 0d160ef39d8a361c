"""The room under load: many people's clients on one ``accord serve``, each holding an event stream.

Run from the repository root::

    .venv/bin/python bench/room_load.py            # 50 rooms × 4 seats on SQLite, then 1,000 idle streams
    .venv/bin/python bench/room_load.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/room_load.py --db postgresql+psycopg://postgres@127.0.0.1:5432/test --processes 2
    .venv/bin/python bench/room_load.py --think 2      # people think 0–2 s before acting
    .venv/bin/python bench/room_load.py --rooms 5 --rounds 2 --idle 50   # a quick look

The workload: ``--rooms`` one-text rooms on the Geneva scenario, the mediator's
seat held by the drafting agent, the four delegations by people. Every person is
a client in this process (uvloop, bare HTTP/1.1 on two connections each: the
stream and its actions; httpx cost the clients a whole core) that holds its
seat's event stream from the start and, whenever an item says it must act,
posts its action (no criticism, then a yes vote): at once by default (every
delegation of every room in the same millisecond: the synchronised burst), or
with ``--think S`` after a think time drawn uniformly from 0 to S seconds (seeded),
as people do. ``--rounds`` rounds per room. The server is a separate ``accord
serve`` process, as deployed; with ``--processes N``, N of them on the one store (meant for
PostgreSQL, whose ``LISTEN/NOTIFY`` fans each commit out to the other processes),
the clients spread over them in turn, or with ``--by-room`` each room's clients on one.
On PostgreSQL the benchmark works in a schema of its own, dropped at the end.

Printed: (a) action → acknowledgement (the POST's round trip), (b) commit → the
item arriving on each stream that may see it (the record's commit time, from the
item's ``at``, to its arrival; every stream of the room, the actor's own and every
other seat's), their p50/p95/p99; errors (non-2xx answers, broken streams); lost
items (each stream's items compared with the seat's record at the end); the
server's peak RSS; the server's CPU time over the load and per action (less
sensitive to other work on the machine than the latencies), and the machine's load
average before the run. Then ``--idle`` streams held open at once by one server
process and its RSS. The clients share the machine's two cores with the server;
their own CPU time is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psycopg
import uvloop

from accord.room.service import CreatedRoom, RoomService
from accord.store import open_store

GENEVA = Path(__file__).resolve().parents[1] / "examples" / "geneva-2017.yaml"
MEDIATOR = "UN Special Envoy"


@dataclass
class Figures:
    acknowledgements: list[float] = field(default_factory=list)
    deliveries: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    received: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    client_cpu: float = 0.0
    server_cpu: float = 0.0


def percentiles(values: Sequence[float]) -> str:
    if not values:
        return "none"
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    return f"p50 {at(0.50):6.1f} ms  p95 {at(0.95):6.1f} ms  p99 {at(0.99):6.1f} ms  ({len(values)})"


def create_rooms(url: str, rooms: int, rounds: int, observers: int) -> list[CreatedRoom]:
    with open_store(url) as store:
        service = RoomService(store, background=False)
        created = [
            service.create_room(
                GENEVA, "one-text", agents={MEDIATOR: "drafter"}, rounds=rounds, observers=observers
            )
            for _ in range(rooms)
        ]
        service.close()
    return created


@contextlib.contextmanager
def own_schema(url: str) -> Iterator[str]:
    """On PostgreSQL, ``url`` with its tables in a new schema, dropped afterwards; other stores as given."""
    if not url.startswith("postgresql"):
        yield url
        return
    libpq = url.replace("postgresql+psycopg://", "postgresql://", 1)
    schema = f"accord_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq, autocommit=True) as connection:
        connection.execute(f"CREATE SCHEMA {schema}")
    try:
        separator = "&" if "?" in url else "?"
        yield f"{url}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(libpq, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA {schema} CASCADE")


def cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(url: str, folder: Path) -> tuple[subprocess.Popen[str], str]:
    program = "import sys; from accord.cli import main; sys.exit(main())"
    process = subprocess.Popen(
        [sys.executable, "-c", program, "serve", "--db", url, "--port", "0"],
        cwd=folder,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    match = re.search(r"http://[\d.]+:\d+", process.stdout.readline())
    if match is None:
        process.kill()
        raise SystemExit("accord serve did not start")
    return process, match.group(0)


def memory(pid: int) -> tuple[float, float]:
    """The process's resident set now and at its peak, in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _ended(item: dict[str, Any]) -> bool:
    data = item.get("event", {}).get("data", {}) if item.get("kind") == "event" else {}
    return "reason" in data and "agreement" in data


IDLE_SECONDS = 4.0
"""A client's keep-alive connection idle longer than this is replaced before its next request."""


class Connection:
    """One keep-alive HTTP/1.1 connection on bare asyncio streams: far less client CPU than httpx.

    The clients share the machine with the server, so what they spend is taken from it; this
    client parses only what the benchmark needs (status, ``Content-Length`` or chunked bodies).
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str) -> None:
        self.reader, self.writer, self.host = reader, writer, host
        self.used = time.monotonic()

    @classmethod
    async def open(cls, base: str) -> Connection:
        host, _, port = base.removeprefix("http://").partition(":")
        reader, writer = await asyncio.open_connection(host, int(port), limit=1 << 20)
        return cls(reader, writer, f"{host}:{port}")

    def send(self, method: str, path: str, headers: dict[str, str], body: bytes = b"") -> None:
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}", f"Content-Length: {len(body)}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)

    async def head(self) -> tuple[int, dict[str, str]]:
        status = int((await self.reader.readline()).split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return status, headers

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes = b""
    ) -> tuple[int, bytes]:
        if time.monotonic() - self.used > IDLE_SECONDS or self.reader.at_eof():
            # the server closes a keep-alive connection idle for 5 s (uvicorn's default): a new one
            self.close()
            self.reader, self.writer = await asyncio.open_connection(*self.host.split(":"), limit=1 << 20)
        self.send(method, path, headers, body)
        status, answer = await self.head()
        if answer.get("transfer-encoding") == "chunked":
            return status, b"".join([chunk async for chunk in self.chunks()])
        body = await self.reader.readexactly(int(answer.get("content-length", "0")))
        self.used = time.monotonic()
        return status, body

    async def chunks(self) -> AsyncIterator[bytes]:
        while True:
            size = int((await self.reader.readline()).split(b";")[0], 16)
            if size == 0:
                await self.reader.readline()
                return
            chunk = await self.reader.readexactly(size + 2)
            yield chunk[:-2]

    def close(self) -> None:
        self.writer.close()


async def person(
    base: str, room: str, seat: str, token: str, figures: Figures, think: random.Random | None, most: float
) -> None:
    """Hold the seat's stream; act at its turn (at once, or after a think time); stop when the talks end."""
    headers = {"Authorization": f"Bearer {token}"}
    received = figures.received.setdefault((room, seat), [])
    opened = time.time()
    acted = 0
    stream = actions = None
    try:
        stream, actions = await Connection.open(base), await Connection.open(base)
        stream.send("GET", f"/api/v1/rooms/{room}/stream", headers)
        status, _ = await stream.head()
        if status != 200:
            figures.errors.append(f"stream {status}")
            return
        pending = b""
        async for chunk in stream.chunks():
            pending += chunk
            *lines, rest = pending.split(b"\n")
            pending = rest
            for line in lines:
                if not line.startswith(b"data:"):
                    continue
                arrived = time.time()
                item = json.loads(line[5:])
                received.append(item["seq"])
                committed = datetime.fromisoformat(item["at"].replace("Z", "+00:00")).timestamp()
                if committed >= opened:
                    figures.deliveries.append(arrived - committed)
                if _ended(item):
                    return
                turn = item.get("turn")
                if turn and turn["must_act"]:
                    if think is not None:
                        await asyncio.sleep(think.uniform(0, most))
                    kind = turn["allowed"][0]
                    action = (
                        {"kind": "vote", "accept": True} if kind == "vote" else {"kind": kind, "requests": []}
                    )
                    started = time.perf_counter()
                    status, body = await actions.request(
                        "POST",
                        f"/api/v1/rooms/{room}/actions",
                        {**headers, "Idempotency-Key": f"{seat}-{acted}", "Content-Type": "application/json"},
                        json.dumps(action).encode(),
                    )
                    figures.acknowledgements.append(time.perf_counter() - started)
                    acted += 1
                    if status != 201:
                        figures.errors.append(f"action {status}: {body[:120]!r}")
    except (OSError, ValueError, IndexError, asyncio.IncompleteReadError) as error:
        figures.errors.append(f"stream broke: {error!r}")
    finally:
        for connection in (stream, actions):
            if connection is not None:
                connection.close()


async def lost_items(client: httpx.AsyncClient, rooms: list[CreatedRoom], figures: Figures) -> int:
    lost = 0
    for created in rooms:
        for seat, link in created.seats.items():
            if link.token is None:
                continue
            record = (
                await client.get(
                    f"/api/v1/rooms/{created.room}/record", headers={"Authorization": f"Bearer {link.token}"}
                )
            ).json()
            expected = [item["seq"] for item in record]
            got = figures.received.get((created.room, seat), [])
            lost += len(set(expected) - set(got)) + (len(got) - len(set(got)))
    return lost


async def load(
    bases: Sequence[str],
    pids: Sequence[int],
    rooms: list[CreatedRoom],
    timeout: float,
    think: float,
    *,
    by_room: bool = False,
) -> tuple[Figures, float, int]:
    """Every person's client at once; figures, seconds, lost. The ``k``-th client talks to server
    ``k mod len(bases)``, or (``by_room``) every client of the ``r``-th room to server ``r mod len(bases)``.

    The servers' CPU time is counted from the start of the talks to their end (not the check after).
    """
    figures = Figures()
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    seeds = random.Random(20240601)
    seated = [
        (number, created.room, seat, link.token)
        for number, created in enumerate(rooms)
        for seat, link in created.seats.items()
        if link.token is not None
    ]
    async with httpx.AsyncClient(base_url=bases[0], timeout=httpx.Timeout(60.0), limits=limits) as client:
        people = [
            person(
                bases[(room_number if by_room else number) % len(bases)],
                room,
                seat,
                token,
                figures,
                random.Random(seeds.getrandbits(32)) if think > 0 else None,
                think,
            )
            for number, (room_number, room, seat, token) in enumerate(seated)
        ]
        started = time.perf_counter()
        cpu = time.process_time()
        server_cpu = sum(cpu_seconds(pid) for pid in pids)
        try:
            await asyncio.wait_for(asyncio.gather(*people), timeout)
        except TimeoutError:
            figures.errors.append(f"the talks did not end within {timeout:.0f} s")
        elapsed = time.perf_counter() - started
        figures.client_cpu = time.process_time() - cpu
        figures.server_cpu = sum(cpu_seconds(pid) for pid in pids) - server_cpu
        lost = await lost_items(client, rooms, figures)
    return figures, elapsed, lost


async def idle(base: str, tokens: list[tuple[str, str]], pid: int, hold: float) -> tuple[int, float]:
    """Hold one stream per token, all at once, ``hold`` seconds: how many opened, the server's RSS (MB)."""
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    opened = 0
    ready = asyncio.Event()
    release = asyncio.Event()

    async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(120.0), limits=limits) as client:

        async def hold_one(room: str, token: str) -> None:
            nonlocal opened
            headers = {"Authorization": f"Bearer {token}"}
            async with client.stream("GET", f"/api/v1/rooms/{room}/stream", headers=headers) as response:
                if response.status_code == 200:
                    opened += 1
                    if opened == len(tokens):
                        ready.set()
                    await release.wait()

        tasks = [asyncio.create_task(hold_one(room, token)) for room, token in tokens]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ready.wait(), 120)
        await asyncio.sleep(hold)
        rss, _ = memory(pid)
        release.set()
        await asyncio.gather(*tasks, return_exceptions=True)
    return opened, rss


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10, help="one-text rounds per room")
    parser.add_argument(
        "--db",
        help="store URL (default: a new SQLite file in a temporary folder; PostgreSQL: a new schema in it)",
    )
    parser.add_argument(
        "--processes", type=int, default=1, help="accord serve processes on the one store (default 1)"
    )
    parser.add_argument(
        "--by-room",
        action="store_true",
        help="with --processes: every client of a room talks to the same process (a room-affine balancer)",
    )
    parser.add_argument("--idle", type=int, default=1000, help="idle streams to hold at once (0: skip)")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="people act after a think time drawn uniformly from 0 to this many seconds (seeded);"
        " 0: every person acts at once (the synchronised burst)",
    )
    arguments = parser.parse_args(argv)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it: 1,000 streams need fds
    with (
        tempfile.TemporaryDirectory() as folder,
        own_schema(arguments.db or f"sqlite:///{folder}/rooms.db") as url,
    ):
        observers = -(-arguments.idle // max(1, arguments.rooms)) if arguments.idle else 0
        rooms = create_rooms(url, arguments.rooms, arguments.rounds, observers)
        servers = [start_server(url, Path(folder)) for _ in range(max(1, arguments.processes))]
        processes = [process for process, _ in servers]
        try:
            load_average = os.getloadavg()[0]
            bases, pids = [base for _, base in servers], [process.pid for process in processes]
            figures, elapsed, lost = uvloop.run(
                load(bases, pids, rooms, arguments.timeout, arguments.think, by_room=arguments.by_room)
            )
            peaks = [memory(process.pid)[1] for process in processes]
            store = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
            clients = sum(1 for created in rooms for link in created.seats.values() if link.token)
            print(
                f"room load: {arguments.rooms} rooms × 4 seats = {clients} clients, {store}"
                + (
                    f", {len(processes)} server processes"
                    + (" (each room on one)" if arguments.by_room else " (clients in turn)")
                    if len(processes) > 1
                    else ""
                )
                + f", {elapsed:.1f} s (the clients' own CPU time: {figures.client_cpu:.1f} s)"
                + (f", think time 0–{arguments.think:g} s" if arguments.think > 0 else ", all at once")
                + f"; load average before: {load_average:.2f}"
            )
            print(f"  action → acknowledgement      {percentiles(figures.acknowledgements)}")
            print(f"  commit → item on each stream  {percentiles(figures.deliveries)}")
            per_action = 1000 * figures.server_cpu / max(1, len(figures.acknowledgements))
            print(
                f"  server CPU {figures.server_cpu:.2f} s, {per_action:.1f} ms per action"
                " (every request, stream item and agent move included)"
            )
            print(
                f"  errors {len(figures.errors)}, lost items {lost}, server peak RSS "
                + " + ".join(f"{peak:.0f}" for peak in peaks)
                + " MB"
            )
            for error in sorted(set(figures.errors))[:5]:
                print(f"    {error}")
            if arguments.idle:
                tokens = [(created.room, token) for created in rooms for token in created.observers][
                    : arguments.idle
                ]
                opened, rss = asyncio.run(idle(servers[0][1], tokens, processes[0].pid, hold=3.0))
                print(f"  idle: {opened} of {len(tokens)} streams held at once, server RSS {rss:.0f} MB")
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(30)
                if process.stdout is not None:
                    process.stdout.close()
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return 0 if not figures.errors and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
