"""``accord analyze SCENARIO [--json] [--plot FILE] [--parties A,B]``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from accord.analysis import Analysis, analyze
from accord.cli.progress import ProgressBar
from accord.domain import Scenario
from accord.errors import ArgumentError, InputError
from accord.io import load_scenario
from accord.preferences import scenario_utilities

__all__ = ["register"]

#: Outcome spaces up to this size are drawn whole; larger ones as a seeded sample.
PLOTTED_OUTCOMES = 200_000


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "analyze", help="Pareto frontier, bargaining points and the agreement zone of a scenario"
    )
    parser.add_argument("scenario", metavar="SCENARIO", help="an Accord scenario file (YAML or JSON)")
    parser.add_argument("--json", action="store_true", help="print the analysis as JSON")
    parser.add_argument("--plot", metavar="FILE", help="write the utility-space plot (.png or .svg)")
    parser.add_argument("--parties", metavar="A,B", help="analyse only these delegations, in this order")
    parser.set_defaults(handler=run)


def _parties(scenario: Scenario, given: str | None) -> tuple[str, ...] | None:
    if not given:
        return None
    names = tuple(name.strip() for name in given.split(",") if name.strip())
    known = [party.name for party in scenario.delegations]
    for name in names:
        if name not in known:
            raise ArgumentError("--parties", f"no delegation {name!r}; known: {', '.join(known)}")
    if len(set(names)) != len(names):
        raise ArgumentError("--parties", f"a party is named twice in {given!r}")
    return names


def run(arguments: argparse.Namespace) -> int:
    scenario = load_scenario(arguments.scenario)
    parties = _parties(scenario, arguments.parties)
    if len(scenario.delegations) == 0:
        raise InputError(arguments.scenario, "parties", "the scenario has no delegation with preferences")
    if arguments.plot and Path(arguments.plot).suffix.lower() not in {".png", ".svg"}:
        raise ArgumentError("--plot", f"the file name must end in .png or .svg, got {arguments.plot!r}")
    with ProgressBar("Analysing", enabled=not arguments.json) as progress:
        result = analyze(scenario, parties=parties, progress=progress)
    if arguments.plot:
        _plot(scenario, result, arguments.plot)
    if arguments.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        _print_summary(scenario, result)
        if arguments.plot:
            Console().print(f"Plot written to {arguments.plot}")
    return 0


_POINTS = (
    ("nash", "Nash"),
    ("kalai_smorodinsky", "Kalai–Smorodinsky"),
    ("max_welfare", "Max welfare"),
    ("egalitarian", "Egalitarian"),
)


def _print_summary(scenario: Scenario, result: Analysis) -> None:
    data = result.to_dict()
    console = Console()
    parties: list[str] = data["parties"]
    console.print(
        f"[bold]{escape(scenario.name)}[/bold]: {data['n_outcomes']:,} outcomes, {len(parties)} delegations"
    )
    zone = data["agreement_zone_size"]
    zone_text = f"{zone:,} outcomes" if zone is not None else "size not known exactly"
    frontier_text = f"{data['pareto_outcomes']:,} outcomes"
    if data["pareto_outcomes"] != data["pareto_size"]:
        frontier_text += f" in {data['pareto_size']:,} classes of interchangeable options (one listed each)"
    console.print(f"Pareto frontier: {frontier_text}; agreement zone: {zone_text}")
    table = Table(title="Bargaining points: the package and what it gives each delegation")
    table.add_column("", style="bold")
    for _, label in _POINTS:
        table.add_column(label, overflow="fold")
    points = [data.get(key) for key, _ in _POINTS]
    for issue in scenario.agenda.names:
        table.add_row(issue, *[str(point["outcome"][issue]) if point else "—" for point in points])
    table.add_section()
    for party in parties:
        table.add_row(
            f"{party} (reservation {data['reservations'][party]:.2f})",
            *[f"{point['utilities'][party]:.3f}" if point else "—" for point in points],
        )
    console.print(table)
    if any(point is None for point in points):
        console.print("— : no outcome is acceptable to every delegation, so that point does not exist.")


def _plot(scenario: Scenario, result: Analysis, path: str) -> None:
    from accord.reports import plot_utility_space, save_figure

    parties = tuple(result.to_dict()["parties"])
    pair = parties[:2]
    if len(pair) < 2:
        raise ArgumentError("--plot", "a utility-space plot needs two delegations")
    two_party = result if len(parties) == 2 else analyze(scenario, parties=pair)
    data = two_party.to_dict()
    utilities = scenario_utilities(scenario).restricted_to(pair)
    agenda = scenario.agenda
    if agenda.size <= PLOTTED_OUTCOMES:
        choices = agenda.all_choices()
    else:
        rng = np.random.default_rng(0)
        choices = np.stack([rng.integers(0, size, PLOTTED_OUTCOMES // 10) for size in agenda.sizes], axis=1)
    outcomes = utilities.evaluate(choices)
    acceptable = utilities.acceptable(choices)

    def point(key: str) -> np.ndarray | None:
        value = data.get(key)
        return None if value is None else np.array([value["utilities"][name] for name in pair])

    frontier = np.array([[item["utilities"][name] for name in pair] for item in data["pareto"]])
    title = (
        scenario.name
        if len(parties) == 2
        else f"{scenario.name}: {pair[0]} and {pair[1]} (the two of them alone, their red lines only)"
    )
    figure = plot_utility_space(
        parties=(pair[0], pair[1]),
        frontier=frontier.reshape(-1, 2),
        reservations=utilities.reservations,
        outcomes=outcomes[acceptable],
        excluded=outcomes[~acceptable],
        points={key: point(key) for key in ("nash", "kalai_smorodinsky", "max_welfare", "egalitarian")},
        title=title,
    )
    save_figure(figure, path)
