"""``accord tournament SCENARIO... --protocol ID --agents A,B[,C...] --repetitions N``.

Plays every scenario × every assignment of the agents to the delegation seats ×
N seeds, locally (``--jobs`` processes) or on Ray (``--backend ray``), writes the
records (Parquet and CSV) and the leaderboard to ``--out``, and prints the
leaderboard (or, with ``--json``, a summary). With ``--out``, every record is also
appended to ``records.jsonl`` as its share of sessions ends (see
:mod:`accord.tournament.checkpoint`), so ``--resume`` finishes an interrupted run.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from accord.cli.arguments import rounds, seed
from accord.cli.outputs import add_force, refuse_to_overwrite
from accord.cli.progress import ProgressBar
from accord.cli.shown import json_text, literal, shown
from accord.cli.wording import counted
from accord.errors import ArgumentError
from accord.tournament import ResultSet, TournamentConfig, run_local
from accord.tournament.checkpoint import Checkpoint
from accord.tournament.results import LEADERBOARD_CSV, RECORDS_CSV, RECORDS_PARQUET

__all__ = ["register"]


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "tournament",
        help="play agents against each other on scenarios; records and a leaderboard",
        description=(
            "Play every scenario with every assignment of the agents to the delegation seats "
            "(every ordering of distinct agents when there are enough, else every agent in every "
            "seat), N seeded repetitions each."
        ),
    )
    parser.add_argument("scenarios", nargs="+", metavar="SCENARIO", help="Accord scenario files")
    parser.add_argument("--protocol", required=True, metavar="ID", help="protocol id, e.g. single-text")
    parser.add_argument("--agents", required=True, metavar="A,B", help="comma-separated agent ids")
    parser.add_argument(
        "--mediator",
        metavar="AGENT",
        help="agent id in the mediator's seat (protocols that seat one; default: the protocol's own)",
    )
    parser.add_argument(
        "--repetitions", type=int, default=1, metavar="N", help="seeds per pairing (default %(default)s)"
    )
    parser.add_argument(
        "--rounds", type=rounds, default=100, metavar="R", help="deadline in rounds (default %(default)s)"
    )
    parser.add_argument("--seed", type=seed, default=0, help="the tournament's seed (default 0)")
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="J", help="processes (or local Ray CPUs; default %(default)s)"
    )
    parser.add_argument(
        "--backend",
        choices=("local", "ray"),
        default="local",
        help="run sessions in local processes or on Ray (default %(default)s)",
    )
    parser.add_argument("--address", help="Ray cluster address (default: start a local Ray for the run)")
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="write records.parquet, records.csv, leaderboard.csv (and records.jsonl, kept as sessions end)",
    )
    parser.add_argument(
        "--resume", action="store_true", help="finish the interrupted tournament whose records are in --out"
    )
    add_force(parser)
    parser.add_argument("--json", action="store_true", help="print a JSON summary instead of a table")
    parser.set_defaults(handler=run)


def _config(arguments: argparse.Namespace) -> TournamentConfig:
    names = [name.strip() for name in arguments.agents.split(",") if name.strip()]
    if not names:
        raise ArgumentError("--agents", "give at least one agent id")
    if arguments.resume and not arguments.out:
        raise ArgumentError("--resume", "only with --out (the directory of the records to finish)")
    if arguments.address and arguments.backend != "ray":
        raise ArgumentError("--address", "only with --backend ray")
    if arguments.address:
        _check_reachable(arguments.address)
    if arguments.out and not arguments.resume:
        # records.jsonl of an unfinished run is the checkpoint's to refuse (it says: --resume).
        written = (RECORDS_PARQUET, RECORDS_CSV, LEADERBOARD_CSV)
        refuse_to_overwrite([Path(arguments.out) / name for name in written], force=arguments.force)
    return TournamentConfig(
        scenarios=tuple(arguments.scenarios),
        protocol=arguments.protocol,
        agents=tuple(names),
        mediator=arguments.mediator,
        repetitions=arguments.repetitions,
        rounds=arguments.rounds,
        seed=arguments.seed,
        jobs=arguments.jobs,
    )


#: How long an unreachable Ray cluster is waited for before the command gives up (Ray itself waits minutes).
CONNECT_SECONDS = 5.0


def _check_reachable(address: str) -> None:
    """Refuse ``--address`` at once when nothing answers there, before any file is written."""
    import socket

    target = address.removeprefix("ray://")
    host, colon, port = target.rpartition(":")
    if address == "auto" or not colon or not port.isdigit():
        return  # Ray's own forms ("auto"): Ray finds the cluster
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS):
            pass
    except OSError as error:
        reason = "no answer" if isinstance(error, TimeoutError) else error.strerror or str(error)
        raise ArgumentError("--address", f"cannot reach a Ray cluster at {address}: {reason}") from None


@contextlib.contextmanager
def _terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM ends the run as Ctrl-C does (workers ended, records kept), not by killing this
    process alone and leaving its workers behind."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run(arguments: argparse.Namespace) -> int:
    config = _config(arguments)
    plan = config.plan()
    protocol = plan.protocol
    agents = list(plan.agents)
    with contextlib.ExitStack() as stack:
        checkpoint = (
            stack.enter_context(Checkpoint.open(arguments.out, plan, resume=arguments.resume))
            if arguments.out
            else None
        )
        done = {} if checkpoint is None else checkpoint.done
        save = None if checkpoint is None else checkpoint.add
        started = time.perf_counter()
        try:
            with _terminated_as_interrupted(), ProgressBar(protocol, enabled=not arguments.json) as progress:
                if arguments.backend == "ray":
                    try:
                        from accord.tournament.ray_backend import run_ray
                    except ModuleNotFoundError as error:
                        raise ArgumentError("--backend", f"ray is not installed ({error.name})") from None
                    played = run_ray(
                        config,
                        address=arguments.address,
                        progress=progress,
                        plan=plan,
                        done=done,
                        on_records=save,
                    )
                else:
                    played = run_local(config, progress=progress, plan=plan, done=done, on_records=save)
        except KeyboardInterrupt:
            if checkpoint is None:
                raise
            Console(stderr=True, highlight=False, soft_wrap=True).print(
                f"accord: interrupted: {checkpoint.kept} of {len(plan)} sessions are kept in "
                f"{checkpoint.path}; run the same command with --resume to finish",
                markup=False,
            )
            return 130
        seconds = time.perf_counter() - started
    records = sorted([*done.values(), *played], key=lambda record: int(record["index"]))
    results = ResultSet(records)
    files = results.write(arguments.out) if arguments.out else {}
    if checkpoint is not None:
        files["records_jsonl"] = checkpoint.path
    standings = results.leaderboard()
    if arguments.json:
        summary = {
            "protocol": protocol,
            "agents": agents,
            "mediator": plan.mediator,
            "scenarios": list(config.scenarios),
            "backend": arguments.backend,
            "jobs": config.jobs,
            "sessions": len(results),
            "resumed": len(done),
            "seconds": seconds,
            "sessions_per_second": len(played) / seconds if seconds > 0 else None,
            "agreement_rate": results.agreement_rate,
            "leaderboard": [standing.to_data() for standing in standings],
            "files": {name: str(path) for name, path in files.items()},
        }
        print(json_text(summary, indent=1))
        return 0
    console = Console(highlight=False)
    console.print(
        f"{protocol}: {counted(len(played), 'session')} in {seconds:.2f} s "
        f"({len(played) / max(seconds, 1e-9):.1f}/s){f' after {len(done)} resumed' if done else ''}, "
        f"agreement rate {results.agreement_rate:.0%}",
        markup=False,
    )
    table = Table()
    table.add_column("agent", no_wrap=True, overflow="fold")
    table.add_column("sessions", justify="right")
    table.add_column("seats", justify="right")
    table.add_column("mean utility", justify="right")
    table.add_column("agreement rate", justify="right")
    for standing in standings:
        table.add_row(
            shown(standing.agent),
            str(standing.sessions),
            str(standing.seats),
            f"{standing.mean_utility:.3f}",
            f"{standing.agreement_rate:.0%}",
        )
    console.print(table)
    for path in files.values():
        console.print(f"wrote {literal(path)}", markup=False)
    return 0
