"""``accord analyze SCENARIO [--json] [--plot FILE] [--parties A,B]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from accord.analysis import Analysis, analyze, furthest_apart
from accord.cli.coalitions import add_join_argument, compare_analyses
from accord.cli.outputs import add_force, refuse_to_overwrite
from accord.cli.progress import ProgressBar
from accord.cli.shown import json_text, shown, unbroken_widths
from accord.cli.wording import counted
from accord.domain import Scenario
from accord.domain.names import resolve_names
from accord.errors import ArgumentError, InputError
from accord.io import load_scenario
from accord.io.process_file import is_process_file
from accord.preferences import scenario_utilities

__all__ = ["register"]

#: Outcome spaces up to this size are drawn whole; larger ones as a seeded sample.
PLOTTED_OUTCOMES = 200_000


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser(
        "analyze", help="Pareto frontier, bargaining points and the agreement zone of a scenario"
    )
    parser.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="an Accord scenario file, or a process file of linked tracks (YAML or JSON)",
    )
    parser.add_argument("--json", action="store_true", help="print the analysis as JSON")
    parser.add_argument("--plot", metavar="FILE", help="write the utility-space plot (.png or .svg)")
    add_force(parser)
    parser.add_argument("--parties", metavar="A,B", help="analyse only these delegations, in this order")
    add_join_argument(parser)
    parser.set_defaults(handler=run)


def _parties(scenario: Scenario, given: str | None) -> tuple[str, ...] | None:
    if not given:
        return None
    typed = [name.strip() for name in given.split(",") if name.strip()]
    known = [party.name for party in scenario.delegations]
    return resolve_names(typed, known, what="delegation", argument="--parties")


def run(arguments: argparse.Namespace) -> int:
    if is_process_file(arguments.scenario):
        from accord.cli.process import analyze_process_command

        return analyze_process_command(arguments)
    scenario = load_scenario(arguments.scenario)
    if arguments.join:
        return compare_analyses(scenario, arguments)
    parties = _parties(scenario, arguments.parties)
    if len(scenario.delegations) == 0:
        raise InputError(arguments.scenario, "parties", "the scenario has no delegation with preferences")
    if arguments.plot and Path(arguments.plot).suffix.lower() not in {".png", ".svg"}:
        raise ArgumentError("--plot", f"the file name must end in .png or .svg, got {arguments.plot!r}")
    refuse_to_overwrite([arguments.plot], force=arguments.force)
    with ProgressBar("Analysing", enabled=not arguments.json) as progress:
        result = analyze(scenario, parties=parties, progress=progress)
    if arguments.plot:
        _plot(scenario, result, arguments.plot)
    if arguments.json:
        sys.stdout.write(json_text(result.to_dict()) + "\n")
    else:
        _print_summary(scenario, result)
        if arguments.plot:
            Console().print(f"Plot written to {shown(arguments.plot)}")
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
        f"[bold]{shown(scenario.name)}[/bold]: {counted(data['n_outcomes'], 'outcome')}, "
        f"{counted(len(parties), 'delegation')}"
    )
    zone = data["agreement_zone_size"]
    zone_text = counted(zone, "outcome") if zone is not None else "size not known exactly"
    frontier_text = counted(data["pareto_outcomes"], "outcome")
    if data["pareto_outcomes"] != data["pareto_size"]:
        classes = counted(data["pareto_size"], "class", "classes")
        frontier_text += f" in {classes} of interchangeable options (one listed each)"
    console.print(f"Pareto frontier: {frontier_text}; agreement zone: {zone_text}")
    table = Table(title="Bargaining points: the package and what it gives each delegation")
    # Points that choose the same package share one column (they coincide; the header names them
    # all), so that packages' option names keep whole words at 80 columns.
    columns: dict[str, tuple[list[str], dict[str, Any] | None]] = {}
    for key, label in _POINTS:
        point = data.get(key)
        same = json_text(None if point is None else point["outcome"])
        columns.setdefault(same, ([], point))[0].append(label)
    labels = [shown(issue) for issue in scenario.agenda.names]
    labels += [f"{shown(party)} (reservation {data['reservations'][party]:.2f})" for party in parties]
    cells: list[list[str]] = []
    for _, point in columns.values():
        column = [shown(point["outcome"][issue]) if point else "—" for issue in scenario.agenda.names]
        column += [f"{point['utilities'][party]:.3f}" if point else "—" for party in parties]
        cells.append(column)
    widths = unbroken_widths(
        [labels, *([*column, *names] for (names, _), column in zip(columns.values(), cells, strict=True))],
        console.width,
    )
    # the labels wrap at spaces into what the packages leave (rich would widen them first)
    packages = [width for width in widths[1:] if width is not None]
    spare = None if widths[0] is None else console.width - 3 * len(widths) - 1 - sum(packages)
    table.add_column("", style="bold", overflow="fold", min_width=widths[0], max_width=spare)
    for (names, _), width in zip(columns.values(), widths[1:], strict=True):
        table.add_column(" = ".join(names), overflow="fold", min_width=width)
    for row, label in enumerate(labels):
        if row == len(scenario.agenda.names):
            table.add_section()
        table.add_row(label, *[column[row] for column in cells])
    console.print(table)
    if any(point is None for _, point in columns.values()):
        console.print("— : no outcome is acceptable to every delegation, so that point does not exist.")


def _plot(scenario: Scenario, result: Analysis, path: str) -> None:
    """The utility space of two delegations with the frontier and points of ``result`` (every
    delegation analysed) projected onto them: the two named by ``--parties`` when it names two,
    else the two furthest apart (:func:`accord.analysis.furthest_apart`)."""
    from accord.reports import party_colours, plot_utility_space, save_figure

    parties = result.parties
    if len(parties) < 2:
        raise ArgumentError("--plot", "a utility-space plot needs two delegations")
    found = furthest_apart(result.frontier.utilities) if len(parties) > 2 else None
    first, second = found if found is not None else (0, 1)
    pair = (parties[first], parties[second])
    compiled = scenario_utilities(scenario).restricted_to(parties)
    agenda = scenario.agenda
    if agenda.size <= PLOTTED_OUTCOMES:
        choices = agenda.all_choices()
    else:
        rng = np.random.default_rng(0)
        choices = np.stack([rng.integers(0, size, PLOTTED_OUTCOMES // 10) for size in agenda.sizes], axis=1)
    outcomes = compiled.evaluate(choices)[:, [first, second]]
    acceptable = compiled.acceptable(choices)
    frontier = result.frontier.utilities[:, [first, second]]

    def point(row: int | None) -> np.ndarray | None:
        return None if row is None else frontier[row]

    count = len(parties)
    if count == 2:
        title = f"{scenario.name}: {pair[0]} and {pair[1]}; outcomes crossing a red line of either are marked"
    else:
        title = (
            f"{scenario.name}: {pair[0]} and {pair[1]} (of {count} delegations); frontier and points are "
            f"those of all {count}, projected onto these two; outcomes crossing any red line of the "
            f"{count} are marked"
        )
    figure = plot_utility_space(
        parties=pair,
        frontier=frontier,
        reservations=compiled.reservations[[first, second]],
        outcomes=outcomes[acceptable],
        excluded=outcomes[~acceptable],
        points={
            key: point(getattr(result, key))
            for key in ("nash", "kalai_smorodinsky", "max_welfare", "egalitarian")
        },
        colours=party_colours([party.name for party in scenario.parties]),
        frontier_projected=count > 2,
        point_suffix="" if count == 2 else f" (all {count}, projected)",
        title=title,
    )
    save_figure(figure, path)
