"""The mediator's console: every seat's state, the messages and their marks, the analysis and its plot.

All of it comes from the mediator's view: the seats, who holds each and who is awaited;
the messages sent to the mediator (with their marks) and its forwards; the analysis of
the bargaining space over the delegations whose preferences it holds (the view's own
``preferences.analysis``, ``accord analyze``'s JSON), the worth of the package on the
table to each of them, and the utility-space plot of any two of them (drawn by
:mod:`accord.reports` from the same preferences).
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import numpy as np

from accord.analysis import distance_to_point
from accord.reports import TrajectoryStep, party_colours, plot_utility_space
from accord.reports.session_report import POINTS, bargaining
from accord.server.pages.desk import common_context
from accord.server.pages.forms import builder, chosen_package
from accord.server.pages.reading import Reading, clause_rows, version
from accord.server.pages.text import text_context

__all__ = ["context", "debrief_context", "plot_png"]

POINT_NAMES = {
    "nash": "Nash point",
    "kalai_smorodinsky": "Kalai–Smorodinsky point",
    "max_welfare": "Maximum welfare",
    "egalitarian": "Egalitarian point",
}


def _analysis(reading: Reading) -> dict[str, Any] | None:
    analysis = reading.view["preferences"].get("analysis")
    if not analysis:
        return None
    issues = [issue["name"] for issue in reading.view["agenda"]["issues"]]
    points: list[dict[str, Any]] = []
    for key, name in POINT_NAMES.items():
        point = analysis.get(key)
        if point is None:
            points.append({"name": name, "rows": None, "utilities": {}})
            continue
        outcome = [point["outcome"][issue] for issue in issues]
        points.append(
            {"name": name, "rows": clause_rows(reading.view, outcome), "utilities": point["utilities"]}
        )
    frontier = int(analysis.get("pareto_size", 0))
    blocking = {party: len(blocked) for party, blocked in (analysis.get("blocking") or {}).items()}
    return {
        "parties": analysis["parties"],
        "outcomes": analysis.get("n_outcomes"),
        "frontier": frontier,
        "zone": analysis.get("agreement_zone_size"),
        "points": points,
        "blocking": blocking,
        "reservations": analysis.get("reservations", {}),
    }


def context(
    reading: Reading, query: Mapping[str, str], *, connected: Mapping[str, int] | None = None
) -> dict[str, Any]:
    """The mediator's console. ``query``: the plotted pair (``first``, ``second``), a package being built;
    ``connected``: how many pages each seat holds open now."""
    view = reading.view
    seat = view["seat"]
    data = common_context(reading)
    table = reading.on_table
    held = reading.held
    seats = view["seats"]
    holders = seats.get("holders", {})
    awaited = set(seats.get("awaited", ()))
    requested = set(seats.get("link_requests", ()))
    rows = []
    for name in [seats["mediator"], *seats["delegations"]]:
        holder = holders.get(name, {})
        rows.append(
            {
                "seat": name,
                "mediator": name == seats["mediator"],
                "holder": holder.get("holder", "person"),
                "agent": holder.get("agent"),
                "awaited": name in awaited,
                "connected": (connected or {}).get(name, 0),
                "link_requested": name in requested,
                "preferences": "held"
                if name in held
                else ("—" if name == seats["mediator"] else "not disclosed"),
            }
        )
    incoming = [m for m in view["messages"] if m.get("to") == "mediator" and m.get("from") != seat]
    forwards = [m for m in view["messages"] if m.get("from") == seat and "source" in m]
    team = [m for m in view["messages"] if m.get("to") == "team"]
    first = query.get("first") or (held[0] if held else "")
    second = query.get("second") or (held[1] if len(held) > 1 else "")
    chosen = chosen_package(reading.scenario.agenda, query)
    data.update(
        seat_rows=rows,
        incoming=incoming,
        forwards=forwards,
        team=team,
        delegations=list(seats["delegations"]),
        held=list(held),
        missing=view["preferences"].get("missing", []),
        table_worth=reading.worth(table) if table is not None else {},
        analysis=_analysis(reading),
        pair={"first": first, "second": second, "ok": first in held and second in held and first != second},
        forms=builder(view, chosen=chosen, on_table=table),
        built=None if chosen is None else {"rows": clause_rows(view, chosen), "worth": reading.worth(chosen)},
        text=text_context(view, query),
    )
    data["versions"]["builder"] = version(view["turn"], table, view["protocol"].get("details"))
    data["versions"]["team"] = version(team)
    data["versions"]["analysis"] = version(table, view["preferences"]["delegations"])
    data["versions"]["seats"] = version(rows, seats.get("link_requests", []))
    return data


def plot_png(reading: Reading, first: str, second: str, *, trajectory: bool = False) -> bytes | None:
    """The utility-space plot of two delegations the seat holds preferences for (PNG), or ``None``.

    With ``trajectory``: every package put forward, by whom, and the agreement (the debrief's plot).
    """
    held = reading.held
    if first not in held or second not in held or first == second:
        return None
    pair = (first, second)
    space = bargaining(reading.scenario, parties=pair)
    preferences = reading.view["preferences"]["delegations"]
    reservations = np.array([float(preferences[name].get("reservation", 0.0)) for name in pair])
    points: dict[str, np.ndarray | None] = {name: space.points.get(name) for name in POINTS}
    table = reading.on_table
    if table is not None:
        worth = reading.worth(table)
        points["On the table now"] = np.array([worth[name].utility for name in pair])
    steps: list[TrajectoryStep] = []
    if trajectory:
        for package in reading.packages:
            utilities = np.array([package.worth[name].utility for name in pair])
            if package.kind == "agreement":
                points["agreement"] = utilities
            else:
                steps.append((package.actor or "the procedure", utilities))
    figure = plot_utility_space(
        parties=pair,
        frontier=space.frontier.reshape(-1, 2),
        reservations=reservations,
        points=points,
        trajectory=steps,
        colours=party_colours(
            [reading.view["seats"]["mediator"] or "", *reading.view["seats"]["delegations"]]
        ),
        title=f"{first} and {second}: the two of them alone",
    )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90)
    return buffer.getvalue()


def _distance_to_nash(reading: Reading) -> float | None:
    analysis = reading.view["preferences"].get("analysis")
    result = reading.view["result"]
    if not analysis or not analysis.get("nash") or not result or not result.get("agreement"):
        return None
    issues = [issue["name"] for issue in reading.view["agenda"]["issues"]]
    worth = reading.worth([result["agreement"][issue] for issue in issues])
    nash = analysis["nash"]["utilities"]
    parties = analysis["parties"]
    return distance_to_point(
        [worth[name].utility for name in parties], [float(nash[name]) for name in parties]
    )


def debrief_context(reading: Reading, query: Mapping[str, str]) -> dict[str, Any]:
    """The debrief: how the talks ended, their timeline, the plot with every package put forward, the
    distance of the agreement to the Nash point, and what a chosen seat knew at each step (of the events
    the reading's view holds, the mediator's or the organiser's: each event's ``visible_to`` says who
    else saw it). The mediator's debrief and the organiser's are this one function over their views."""
    data = context(reading, query)
    seats = [
        seat for seat in (reading.view["seats"]["mediator"], *reading.view["seats"]["delegations"]) if seat
    ]
    delegations = reading.view["seats"]["delegations"]
    chosen = query.get("seat") if query.get("seat") in seats else delegations[0]
    known = [
        row
        for row, event in zip(data["history"], reading.view["events"], strict=True)
        if event.get("visible_to") is None or chosen in event["visible_to"]
    ]
    result = reading.view["result"]
    agreement_worth = {}
    if result and result.get("agreement"):
        issues = [issue["name"] for issue in reading.view["agenda"]["issues"]]
        agreement_worth = reading.worth([result["agreement"][issue] for issue in issues])
    data.update(
        replay_seats=seats,
        replay_seat=chosen,
        replay=known,
        nash_distance=_distance_to_nash(reading),
        agreement_worth=agreement_worth,
        title=f"Debrief — {reading.view['agenda']['name']}",
    )
    return data
