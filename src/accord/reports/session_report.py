"""The HTML report of one session: a self-contained file with its plots embedded as PNG.

It shows the outcome (reason, agreement, each delegation's utility), the offer
timeline (what each package put forward was worth to each delegation, round by
round), the utility-space plot of the first two delegations with the trajectory,
the Pareto frontier and the bargaining points of :func:`accord.analysis.analyze`,
and how far the agreement lies from the Nash point. A scenario too large to analyse
gets a report that says so instead of the analysis. Figures are drawn with
matplotlib's object API on an Agg canvas (no pyplot).
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from accord.analysis import analyze
from accord.domain import Scenario
from accord.errors import AnalysisError
from accord.preferences import scenario_utilities
from accord.reports.utility_space import plot_utility_space
from accord.session import SessionResult

__all__ = ["Bargaining", "bargaining", "nash_distance", "session_report_html", "write_session_report"]

#: The bargaining points the report shows, by their names in :class:`~accord.analysis.Analysis`.
POINTS = ("nash", "kalai_smorodinsky", "max_welfare", "egalitarian")


@dataclass(frozen=True, slots=True, kw_only=True)
class Bargaining:
    """What the report shows of the analysis, in the delegations' order.

    ``frontier: (m, n_parties)`` the utilities of the analysis's Pareto frontier; ``points``:
    name → ``(n_parties,)`` utilities or ``None`` (no rational outcome); ``unavailable``: why
    there is no analysis (the scenario is too large to analyse), else ``None``.
    """

    parties: tuple[str, ...]
    frontier: np.ndarray
    points: Mapping[str, np.ndarray | None] = field(default_factory=dict)
    unavailable: str | None = None


def bargaining(scenario: Scenario, parties: Sequence[str] | None = None) -> Bargaining:
    """The frontier and bargaining points of :func:`accord.analysis.analyze` for ``parties``
    (every delegation by default).

    A scenario the analysis refuses (:class:`~accord.errors.AnalysisError`: for the
    delegations of a session that ran, only a space too large to analyse) gives no frontier
    and no points, and the reason in ``unavailable``; any other error propagates.
    """
    try:
        analysis = analyze(scenario, parties=parties)
    except AnalysisError as error:
        names = tuple(parties) if parties is not None else scenario_utilities(scenario).parties
        return Bargaining(parties=names, frontier=np.zeros((0, len(names))), unavailable=str(error))
    utilities = analysis.frontier.utilities
    points = {name: _row(utilities, getattr(analysis, name)) for name in POINTS}
    return Bargaining(parties=analysis.parties, frontier=utilities, points=points)


def _row(utilities: np.ndarray, row: int | None) -> np.ndarray | None:
    return None if row is None else np.array(utilities[row])


def nash_distance(result: SessionResult, analysis: Bargaining) -> float | None:
    """Euclidean distance in utility space from the agreement to the Nash point (``None`` without either).

    >>> nash = {"nash": np.array([0.6, 0.8])}
    >>> analysis = Bargaining(parties=("a", "b"), frontier=np.zeros((0, 2)), points=nash)
    >>> class Result: agreement = ("x",); utilities = {"a": 0.6, "b": 0.4}
    >>> round(nash_distance(Result(), analysis), 6)
    0.4
    """
    nash = analysis.points.get("nash")
    if result.agreement is None or nash is None:
        return None
    reached = np.array([result.utilities[name] for name in analysis.parties])
    return float(math.dist(reached.tolist(), np.asarray(nash).tolist()))


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _timeline(result: SessionResult) -> Figure:
    parties = result.parties
    figure = Figure(figsize=(8.0, 1.8 + 1.6 * len(parties)), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(len(parties), 1, sharex=True, squeeze=False)
    actors = sorted({point.actor for point in result.trajectory})
    colours = colormaps["tab10"]
    for row, party in enumerate(parties):
        axis = axes[row][0]
        for number, actor in enumerate(actors):
            steps = [
                (point.round, point.utilities[row]) for point in result.trajectory if point.actor == actor
            ]
            if steps:
                xs, ys = zip(*steps, strict=True)
                axis.plot(xs, ys, "-o", markersize=3, linewidth=0.8, color=colours(number), label=actor)
        axis.set_ylabel(f"{party}\nutility", fontsize=8, parse_math=False)  # names are data
        axis.set_ylim(-0.02, 1.05)
        axis.grid(alpha=0.3)
    axes[0][0].set_title("Packages put forward: their worth to each delegation, by round")
    axes[-1][0].set_xlabel("Round")
    if actors:
        legend = axes[0][0].legend(title="Put forward by", fontsize=7, title_fontsize=7, loc="lower left")
        for text in legend.get_texts():
            text.set_parse_math(False)
    return figure


def _utility_space(result: SessionResult, scenario: Scenario, analysis: Bargaining) -> Figure | None:
    if len(result.parties) < 2:
        return None
    pair = result.parties[:2]
    two = analysis if analysis.parties == pair else bargaining(scenario, pair)
    points: dict[str, np.ndarray | None] = dict(two.points)
    if result.agreement is not None:
        points["agreement"] = np.array([result.utilities[name] for name in pair])
    utilities = scenario_utilities(scenario).restricted_to(pair)
    trajectory = [(point.actor, np.array(point.utilities[:2])) for point in result.trajectory]
    title = scenario.name if len(result.parties) == 2 else f"{scenario.name}: {pair[0]} and {pair[1]}"
    return plot_utility_space(
        parties=(pair[0], pair[1]),
        frontier=two.frontier[:, :2] if len(two.frontier) else np.zeros((0, 2)),
        reservations=utilities.reservations,
        points=points,
        trajectory=trajectory,
        title=title,
    )


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { border: 1px solid #ccc; padding: .3rem .6rem; }
th { background: #f3f3f3; text-align: left; } img { max-width: 100%; } .muted { color: #666; }
"""


def _rows(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(
        f"<tr><th>{html.escape(key)}</th><td>{html.escape(value)}</td></tr>" for key, value in pairs
    )


def session_report_html(result: SessionResult, scenario: Scenario) -> str:
    """The report as one HTML document (plots embedded as base64 PNG)."""
    analysis = bargaining(scenario)
    distance = nash_distance(result, analysis)
    summary = [
        ("Scenario", scenario.name),
        ("Protocol", result.protocol),
        ("Seed", str(result.seed)),
        ("Rounds", f"{result.rounds} of {result.deadline}"),
        ("Ended by", result.reason),
        (
            "Pareto optimal",
            "—" if result.pareto_optimal is None else ("yes" if result.pareto_optimal else "no"),
        ),
        ("Distance to the Nash point", "—" if distance is None else f"{distance:.4f}"),
    ]
    if analysis.unavailable is not None:
        summary.append(("Analysis", f"not available: {analysis.unavailable}"))
    seats = [(seat, agent) for seat, agent in result.agents.items()]
    agreement = result.agreement_mapping()
    terms = (
        [(issue, str(value)) for issue, value in agreement.items()] if agreement else [("—", "no agreement")]
    )
    nash = analysis.points.get("nash")
    at_nash = {} if nash is None else dict(zip(analysis.parties, nash.tolist(), strict=True))
    utility_rows = "".join(
        f"<tr><td>{html.escape(party)}</td><td>{result.utilities[party]:.4f}</td>"
        f"<td>{'—' if party not in at_nash else f'{at_nash[party]:.4f}'}</td></tr>"
        for party in result.parties
    )
    walk_outs = "".join(
        f"<li>{html.escape(seat)}: {html.escape(reason)}</li>" for seat, reason in result.walk_outs.items()
    )
    figures = [("Offer timeline", _png(_timeline(result)))]
    space = _utility_space(result, scenario, analysis)
    if space is not None:
        figures.append(("Utility space", _png(space)))
    images = "".join(
        f'<h2>{html.escape(title)}</h2><img alt="{html.escape(title)}" src="data:image/png;base64,{data}">'
        for title, data in figures
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(scenario.name)} — {html.escape(result.protocol)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>{html.escape(scenario.name)}</h1>"
        f"<table>{_rows(summary)}</table>"
        f"<h2>Agreement</h2><table>{_rows(terms)}</table>"
        "<h2>Utilities</h2><table><tr><th>Delegation</th><th>Reached</th><th>At the Nash point</th></tr>"
        f"{utility_rows}</table>"
        f"<h2>Seats</h2><table>{_rows(seats)}</table>"
        + (f"<h2>Walk-outs</h2><ul>{walk_outs}</ul>" if walk_outs else "")
        + images
        + f"<p class='muted'>{len(result.events)} events; {len(result.trajectory)} packages put forward.</p>"
        "</body></html>\n"
    )


def write_session_report(result: SessionResult, scenario: Scenario, path: str | Path) -> Path:
    """Write the HTML report of ``result`` to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(session_report_html(result, scenario), encoding="utf-8")
    return path
