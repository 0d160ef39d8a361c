"""``accord run PROCESS`` and ``accord analyze PROCESS``: a process file's linked tracks.

``accord run`` and ``accord analyze`` hand a file whose ``format`` is ``accord-process/1``
here (:func:`accord.io.process_file.is_process_file`): every track played round by round
with agents in every seat (:func:`accord.session.process.run_process`), or the joint
analysis (:func:`accord.analysis.joint.analyze_process`).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from accord.analysis.joint import analyze_process
from accord.cli.shown import json_text, shown
from accord.cli.wording import counted
from accord.domain.process import Process
from accord.errors import ArgumentError
from accord.io.process_file import load_process
from accord.protocols.registry import PROTOCOLS
from accord.session.process import run_process

__all__ = ["analyze_process_command", "load_process_file", "run_process_command"]

#: Options of ``run`` and ``analyze`` that concern one scenario, with the value that means "not given".
_SCENARIO_OPTIONS = {
    "protocol": "alternating-offers",
    "agents": "",
    "mediator": None,
    "trace": None,
    "report": None,
    "parties": None,
    "join": None,
    "plot": None,
}


def load_process_file(path: str) -> Process:
    """The process in ``path``, its tracks' protocols resolved to registered ids."""
    return load_process(path, protocol_id=PROTOCOLS.canonical)


def _refuse_scenario_options(arguments: argparse.Namespace) -> None:
    for name, unset in _SCENARIO_OPTIONS.items():
        if getattr(arguments, name, unset) not in (unset, None, False):
            raise ArgumentError(
                f"--{name}",
                "does not apply to a process file: each track names its own scenario and protocol",
            )


def run_process_command(arguments: argparse.Namespace) -> int:
    _refuse_scenario_options(arguments)
    process = load_process_file(arguments.scenario)
    result = run_process(process, seed=arguments.seed, rounds=arguments.rounds)
    if arguments.json:
        sys.stdout.write(json_text(result.to_dict()) + "\n")
        return 0
    console = Console()
    console.print(
        f"[bold]{shown(process.name)}[/bold] (seed {result.seed}): {counted(len(process.tracks), 'track')}"
    )
    table = Table(title="Rounds, in the order held")
    for column in ("Round", "Track", "Dates", "Absent", "Outcome"):
        table.add_column(column, overflow="fold")
    for item in result.rounds:
        dates = "" if item.round.start is None else f"{item.round.start} – {item.round.end}"
        outcome = item.outcome if not item.refusal else f"{item.outcome}: {item.refusal}"
        table.add_row(
            shown(item.round.label),
            shown(item.track),
            dates,
            shown(", ".join(item.round.absent)),
            shown(outcome),
        )
    console.print(table)
    data = result.to_dict()
    for name, track in data["tracks"].items():
        if track["settled_in"] is None:
            console.print(f"[bold]{shown(name)}[/bold]: not settled")
            continue
        console.print(f"[bold]{shown(name)}[/bold]: settled in {shown(track['settled_in'])}")
        for issue, option in track["agreement"].items():
            console.print(f"  {shown(issue)}: {shown(str(option))}")
        worth = ", ".join(f"{shown(seat)} {value:.3f}" for seat, value in track["utilities"].items())
        console.print(f"  utilities: {worth}")
    for deadline in data["deadlines"]:
        console.print(
            f"Deadline {deadline['by']} for {shown(deadline['issue'])} in {shown(deadline['track'])}: "
            f"{shown(deadline['status'])}"
        )
    return 0


def analyze_process_command(arguments: argparse.Namespace) -> int:
    _refuse_scenario_options(arguments)
    process = load_process_file(arguments.scenario)
    result = analyze_process(process)
    data = result.to_dict()
    if arguments.json:
        sys.stdout.write(json_text(data) + "\n")
        return 0
    console = Console()
    console.print(f"[bold]{shown(process.name)}[/bold]: {counted(len(process.tracks), 'track')}")
    for name, track in data["tracks"].items():
        zone = track["agreement_zone_size"]
        zone_text = counted(zone, "outcome") if zone is not None else "size not known exactly"
        console.print(
            f"  {shown(name)} ({shown(track['protocol'])}): "
            f"Pareto frontier {counted(track['pareto_size'], 'point')}, "
            f"agreement zone {zone_text}"
        )
    parties = Table(title="Parties across the tracks: worth = Σ weight × utility of each seat")
    for column in ("Party", "Seats (weight)", "Worth at the separate Nash points", "Reservation"):
        parties.add_column(column, overflow="fold")
    nash = data["separate_nash"]
    for party in data["parties"]:
        seats = "; ".join(
            f"{shown(track)}: {shown(seat)} ({party['weights'][track]:g})"
            for track, seat in party["seats"].items()
        )
        worth = "—" if nash is None else f"{nash['worth'][party['name']]:.3f}"
        parties.add_row(shown(party["name"]), seats, worth, f"{party['reservation']:.3f}")
    console.print(parties)
    console.print(
        f"Joint Pareto frontier: {counted(data['joint_pareto_size'], 'pair')} of outcomes, one per track"
    )
    if nash is None:
        console.print(
            "A track has no outcome every delegation accepts: no separate Nash point to improve on."
        )
        return 0
    trades = data["trades"]
    if not trades:
        console.print(
            "No cross-track trade makes a party better off without making another worse off than the "
            "tracks' separate Nash points."
        )
        return 0
    console.print(
        f"Cross-track trades improving on the separate Nash points: {len(trades)} (best shared first)"
    )
    for trade in trades[:5]:
        _print_trade(console, trade)
    return 0


def _print_trade(console: Console, trade: dict[str, Any]) -> None:
    for track, outcome in trade["outcomes"].items():
        console.print(
            f"  {shown(track)}: " + ", ".join(f"{shown(i)}={shown(str(o))}" for i, o in outcome.items())
        )
    gains = ", ".join(f"{shown(party)} {gain:+.3f}" for party, gain in trade["gains"].items())
    console.print(f"    gains: {gains}")
