"""``--join "A+B+C"`` for ``accord analyze`` and ``accord run``: fractured and joined talks side by side.

``--join "High Negotiations Committee+Moscow platform+Cairo platform"`` joins the named
delegations into one seat (:func:`accord.domain.join_delegations`): its utility is the
members' combined by weights, equal unless given as ``NAME=WEIGHT`` (``"HNC=2+Moscow
platform=1+Cairo platform=1"``, normalised to sum to 1), its red lines their union. Each name
is matched as ``--parties`` matches (:func:`accord.domain.names.resolve_name`: exactly, in any
case, by slug, by initials such as HNC, or by a unique start).
The comparison shows, for every delegation of the fractured talks, what each gets: a member
of the joint delegation is scored on its own preferences at the joined talks' outcome.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from accord.analysis import Analysis
from accord.cli.arguments import JoinOnce
from accord.cli.shown import json_text, shown, unbroken_widths
from accord.domain import Scenario, join_delegations
from accord.domain.names import resolve_name
from accord.errors import ArgumentError
from accord.preferences import scenario_utilities

__all__ = [
    "Joined",
    "add_join_argument",
    "compare_analyses",
    "compare_sessions",
    "joined_scenario",
    "print_analyses",
    "print_sessions",
]

_POINTS = (
    ("nash", "Nash"),
    ("kalai_smorodinsky", "Kalai–\nSmorodinsky"),
    ("max_welfare", "Max\nwelfare"),
    ("egalitarian", "Egalitarian"),
)


def add_join_argument(parser: Any) -> None:
    parser.add_argument(
        "--join",
        action=JoinOnce,
        metavar="A+B[+C]",
        help="compare with these delegations joined into one seat (NAME=WEIGHT weights them; default equal)",
    )


def _delegation(scenario: Scenario, given: str) -> str:
    names = [party.name for party in scenario.delegations]
    return resolve_name(given, names, what="delegation", argument="--join")


class Joined:
    """The fractured scenario, the joined one, and who joined with what weight."""

    def __init__(
        self, fractured: Scenario, joined: Scenario, members: tuple[str, ...], weights: tuple[float, ...]
    ):
        self.fractured = fractured
        self.joined = joined
        self.members = members
        self.weights = weights
        self.name = " + ".join(members)

    def utilities(self, outcome: dict[str, Any] | None) -> dict[str, float] | None:
        """Every fractured delegation's utility of ``outcome`` (issue → value), on its own preferences."""
        if outcome is None:
            return None
        compiled = scenario_utilities(self.fractured)
        values = compiled.utilities_of(tuple(outcome[name] for name in self.fractured.agenda.names))
        return {name: float(value) for name, value in zip(compiled.parties, np.asarray(values), strict=True)}


def joined_scenario(scenario: Scenario, spec: str) -> Joined:
    """The scenario and its joined twin for ``--join SPEC``."""
    members: list[str] = []
    weights: list[float] = []
    for item in filter(None, (part.strip() for part in spec.split("+"))):
        name, equals, weight = item.rpartition("=")
        if equals:
            try:
                value = float(weight)
            except ValueError:
                name, value = item, 1.0
        else:
            name, value = item, 1.0
        members.append(_delegation(scenario, name.strip()))
        weights.append(value)
    if len(members) < 2:
        raise ArgumentError("--join", f"name at least two delegations joined by '+', got {spec!r}")
    if len(set(members)) != len(members):
        raise ArgumentError("--join", f"a delegation is named twice in {spec!r}")
    total = sum(weights)
    if any(not 0 < weight < math.inf for weight in weights) or not total < math.inf:
        raise ArgumentError("--join", "every weight must be a positive number")
    shares = tuple(weight / total for weight in weights)
    joined = join_delegations(scenario, members, weights=shares)
    return Joined(scenario, joined, tuple(members), shares)


def _zone(analysis: Analysis) -> str:
    size = analysis.to_dict()["agreement_zone_size"]
    return "unknown" if size is None else f"{size:,} packages"


def _analysis_rows(joined: Joined, analysis: Analysis) -> dict[str, Any]:
    data = analysis.to_dict()
    rows: dict[str, Any] = {"agreement_zone_size": data["agreement_zone_size"], "points": {}}
    for key, _ in _POINTS:
        point = data.get(key)
        outcome = None if point is None else point["outcome"]
        rows["points"][key] = {"outcome": outcome, "utilities": joined.utilities(outcome)}
    return rows


def _print_json(joined: Joined, fractured: Any, together: Any, by_party: Any) -> None:
    """The side-by-side comparison as JSON (``joint_delegation``, ``fractured``, ``joined``, ``by_party``)."""
    members = dict(zip(joined.members, joined.weights, strict=True))
    reservations = {
        party.name: joined.fractured.preferences_of(party.name).reservation
        for party in joined.fractured.delegations
    }
    document = {
        "joint_delegation": {
            "name": joined.name,
            "members": members,
            "reservation": joined.joined.preferences_of(joined.name).reservation,
        },
        "reservation_values": reservations,
        "fractured": fractured,
        "joined": together,
        "by_party": by_party,
    }
    sys.stdout.write(json_text(document) + "\n")


def _worth(value: float | None, reservation: float) -> str:
    """A utility as shown in the comparison; ``*`` marks one below the delegation's reservation value."""
    if value is None:
        return "—"
    return f"{value:.3f}*" if value < reservation - 1e-12 else f"{value:.3f}"


_BELOW_NOTE = (
    "* below that delegation's own reservation value: a member marked so would have to accept, "
    "inside the joint delegation, what it would refuse alone."
)


def _worth_table(
    joined: Joined, title: str, columns: list[tuple[str, Any, Any]], *, width: int
) -> tuple[Table, bool]:
    """Delegations down, one column per point: ``fractured → joined`` utilities on each one's own preferences.

    ``columns`` holds (label, fractured utilities, joined utilities) per column; no word is broken
    when the table fits ``width`` (:func:`~accord.cli.shown.unbroken_widths`). Returns the table and
    whether a value is marked as below its delegation's reservation value.
    """
    headers = ["Delegation", "Reservation\nvalue", *(label for label, _, _ in columns)]
    rows: list[list[str]] = []
    marked = False
    for party in joined.fractured.delegations:
        reservation = joined.fractured.preferences_of(party.name).reservation
        cells = []
        for _, before, after in columns:
            first = _worth(None if before is None else before[party.name], reservation)
            second = _worth(None if after is None else after[party.name], reservation)
            marked = marked or first.endswith("*") or second.endswith("*")
            cells.append(first if first == second else f"{first}\n→ {second}")
        member = " (joined)" if party.name in joined.members else ""
        rows.append([shown(party.name) + member, f"{reservation:.3f}", *cells])
    widths = unbroken_widths(
        [[header, *(row[index] for row in rows)] for index, header in enumerate(headers)], width
    )
    table = Table(title=title, title_justify="left", show_edge=False, padding=(0, 1))
    for index, (header, minimum) in enumerate(zip(headers, widths, strict=True)):
        table.add_column(
            header, justify="left" if index == 0 else "right" if index == 1 else "center", min_width=minimum
        )
    for row in rows:
        table.add_row(*row)
    return table, marked


def _package_changes(console: Console, joined: Joined, rows: dict[str, Any]) -> None:
    """Each point's package, fractured → joined where the joined talks' point differs; points with
    the same packages are listed together."""
    console.print("[bold]The packages[/bold] (fractured → joined, where they differ)")
    issues = joined.fractured.agenda.names
    Package = tuple[str, ...] | None
    groups: dict[tuple[Package, Package], list[str]] = {}

    def package(point: dict[str, Any] | None) -> Package:
        return None if point is None else tuple(str(point[issue]) for issue in issues)

    for key, label in _POINTS:
        pair = (
            package(rows["fractured"]["points"][key]["outcome"]),
            package(rows["joined"]["points"][key]["outcome"]),
        )
        groups.setdefault(pair, []).append(label.replace("–\n", "–").replace("\n", " "))
    width = max(len(shown(issue)) for issue in issues)
    for (before, after), labels in groups.items():
        console.print(f"  {', '.join(labels)}:")
        if before is None or after is None:
            console.print(
                "    no such point " + ("in the fractured talks" if before is None else "in the joined talks")
            )
            continue
        for issue, first, second in zip(issues, before, after, strict=True):
            change = "" if first == second else f" → {shown(second)}"
            console.print(f"    {shown(issue):<{width}}  {shown(first)}{change}")


def print_analyses(joined: Joined, fractured: Analysis, together: Analysis, *, as_json: bool) -> None:
    """The two analyses side by side (or as JSON: ``fractured``, ``joined``, ``by_party``)."""
    if as_json:
        by_party = {
            "fractured": _analysis_rows(joined, fractured),
            "joined": _analysis_rows(joined, together),
        }
        _print_json(joined, fractured.to_dict(), together.to_dict(), by_party)
        return
    console = Console()
    weights = ", ".join(f"{shown(m)} {w:.0%}" for m, w in zip(joined.members, joined.weights, strict=True))
    joint_reservation = joined.joined.preferences_of(joined.name).reservation
    console.print(
        f"[bold]Joining {shown(joined.name)}[/bold] (weights: {weights}; red lines: their union; "
        f"reservation value: the weighted mean, {joint_reservation:.3f})"
    )
    console.print(f"Agreement zone: fractured {_zone(fractured)}; joined {_zone(together)}")
    rows = {"fractured": _analysis_rows(joined, fractured), "joined": _analysis_rows(joined, together)}
    columns = [
        (label, rows["fractured"]["points"][key]["utilities"], rows["joined"]["points"][key]["utilities"])
        for key, label in _POINTS
    ]
    table, marked = _worth_table(
        joined,
        "What each delegation gets at each bargaining point (its own preferences)",
        columns,
        width=console.width,
    )
    console.print(table)
    if marked:
        console.print(_BELOW_NOTE)
    _package_changes(console, joined, rows)


def print_sessions(joined: Joined, fractured: Any, together: Any, *, as_json: bool) -> None:
    """Two session results side by side: how each ended and what each delegation got."""
    before = joined.utilities(fractured.agreement_mapping() or None)
    after = joined.utilities(together.agreement_mapping() or None)
    if as_json:
        _print_json(joined, fractured.to_dict(), together.to_dict(), {"fractured": before, "joined": after})
        return
    console = Console()
    console.print(
        f"[bold]Joining {shown(joined.name)}[/bold] under {shown(fractured.protocol)} (seed {fractured.seed})"
    )
    console.print(
        f"Fractured: {shown(fractured.reason)} after {fractured.rounds} rounds; "
        f"joined: {shown(together.reason)} after {together.rounds} rounds"
    )
    table, marked = _worth_table(
        joined,
        "What each delegation gets (its own preferences)",
        [("Fractured", before, before), ("Joined", after, after)],
        width=console.width,
    )
    console.print(table)
    if marked:
        console.print(_BELOW_NOTE)
    agreed_before = fractured.agreement_mapping() or {}
    agreed_after = together.agreement_mapping() or {}
    console.print("[bold]The agreements[/bold] (fractured → joined)")
    for issue in joined.fractured.agenda.names:
        first = shown(str(agreed_before.get(issue, "—")))
        second = shown(str(agreed_after.get(issue, "—")))
        console.print(f"  {shown(issue)}: {first}" + ("" if first == second else f" → {second}"))


def compare_analyses(scenario: Scenario, arguments: Any) -> int:
    """``accord analyze --join``: the fractured and the joined scenario analysed, side by side."""
    from accord.analysis import analyze

    if arguments.parties or arguments.plot:
        raise ArgumentError("--join", "is not combined with --parties or --plot")
    joined = joined_scenario(scenario, arguments.join)
    print_analyses(joined, analyze(joined.fractured), analyze(joined.joined), as_json=arguments.json)
    return 0


def compare_sessions(scenario: Scenario, protocol: Any, agents: dict[str, str], arguments: Any) -> int:
    """``accord run --join``: one session of each, same protocol, seed and deadline, side by side.

    The joint seat plays the agent its members were given when they were all given the same
    one, else the default agent; every other seat keeps its agent.
    """
    from accord.session import run_session

    if arguments.trace or arguments.report or arguments.parties:
        raise ArgumentError("--join", "is not combined with --trace, --report or --parties")
    joined = joined_scenario(scenario, arguments.join)
    given = {agents[member] for member in joined.members if member in agents}
    joined_agents = {seat: agent for seat, agent in agents.items() if seat not in joined.members}
    if len(given) == 1 and all(member in agents for member in joined.members):
        joined_agents[joined.name] = given.pop()
    fractured = run_session(scenario, protocol, agents, seed=arguments.seed, rounds=arguments.rounds)
    together = run_session(
        joined.joined, protocol, joined_agents, seed=arguments.seed, rounds=arguments.rounds
    )
    print_sessions(joined, fractured, together, as_json=arguments.json)
    return 0
