"""The HTML report of one session: a self-contained file with its plots embedded as PNG.

It says first what a mediator asks: how the talks ended, the agreement's clause
texts, what it is worth to each delegation against its reservation value and red
lines, and, when the talks failed, why (:func:`~accord.reports.story.why_no_agreement`).
Then three figures: every delegation at once (packages put forward, the agreement, the
reservation values), the packages put forward in order, and the utility space of one
pair of delegations (the two furthest apart unless named) with the frontier and the
bargaining points of the analysis of *every* delegation projected onto it — the same
points as the tables. Every number comes from :func:`accord.analysis.analyze`; a scenario
too large to analyse gets a report that says so instead. Colours: one per party, from
:func:`~accord.reports.palette.party_colours`. Names are escaped, never markup.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from accord.analysis import analyze, distance_to_point, furthest_apart
from accord.domain import Condition, RedLine, Scenario
from accord.errors import AnalysisError, ArgumentError
from accord.preferences import scenario_utilities
from accord.reports.delegations import plot_delegations, plot_offer_timeline
from accord.reports.palette import party_colours
from accord.reports.story import why_no_agreement
from accord.reports.utility_space import POINT_LABELS, plot_utility_space
from accord.session import SessionResult

__all__ = [
    "NASH_DISTANCE_DEFINITION",
    "Bargaining",
    "bargaining",
    "nash_distance",
    "report_pair",
    "session_report_html",
    "write_session_report",
]

#: The bargaining points the report shows, by their names in :class:`~accord.analysis.Analysis`.
POINTS = ("nash", "kalai_smorodinsky", "max_welfare", "egalitarian")

#: What "distance to the Nash point" means, printed wherever the distance is shown.
NASH_DISTANCE_DEFINITION = (
    "the straight-line (Euclidean) distance between the agreement and the Nash point, measured in "
    "the utilities of every delegation at once: the square root of the sum, over the delegations, "
    "of the squared difference between what the agreement and the Nash point are worth to each. "
    "0 means the agreement is the Nash point (the package maximising the product of every "
    "delegation's gain over its reservation value); the largest possible value is √n for n delegations."
)


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
        # the reason alone: its remedies are spelled for a caller's code (``parties=…``), not a reader
        return Bargaining(parties=names, frontier=np.zeros((0, len(names))), unavailable=error.reason)
    utilities = analysis.frontier.utilities
    points = {name: _row(utilities, getattr(analysis, name)) for name in POINTS}
    return Bargaining(parties=analysis.parties, frontier=utilities, points=points)


def _row(utilities: np.ndarray, row: int | None) -> np.ndarray | None:
    return None if row is None else np.array(utilities[row])


def report_pair(analysis: Bargaining, requested: Sequence[str] | None = None) -> tuple[str, str] | None:
    """The two delegations the utility-space plot shows: ``requested`` when given (two of
    ``analysis.parties``), else the two furthest apart (:func:`accord.analysis.furthest_apart`
    over the frontier of every delegation), else the first two; ``None`` with fewer than two.
    """
    if requested is not None:
        pair = tuple(requested)
        unknown = [name for name in pair if name not in analysis.parties]
        if len(pair) != 2 or len(set(pair)) != 2 or unknown:
            raise ArgumentError(
                "pair",
                f"name two different delegations of the talks ({', '.join(analysis.parties)}), got {pair!r}",
            )
        return pair[0], pair[1]
    if len(analysis.parties) < 2:
        return None
    found = furthest_apart(analysis.frontier)
    first, second = found if found is not None else (0, 1)
    return analysis.parties[first], analysis.parties[second]


def nash_distance(result: SessionResult, analysis: Bargaining) -> float | None:
    """Euclidean distance in the utility space of every delegation from the agreement to the
    Nash point (``None`` without either); see :data:`NASH_DISTANCE_DEFINITION`.

    >>> nash = {"nash": np.array([0.6, 0.8])}
    >>> analysis = Bargaining(parties=("a", "b"), frontier=np.zeros((0, 2)), points=nash)
    >>> class Result: agreement = ("x",); utilities = {"a": 0.6, "b": 0.4}
    >>> round(nash_distance(Result(), analysis), 6)
    0.4
    """
    nash = analysis.points.get("nash")
    if result.agreement is None or nash is None:
        return None
    return distance_to_point([result.utilities[name] for name in analysis.parties], np.asarray(nash).tolist())


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _colours(scenario: Scenario) -> dict[str, str]:
    return party_colours([party.name for party in scenario.parties])


def _utility_space(
    result: SessionResult, scenario: Scenario, analysis: Bargaining, pair: tuple[str, str]
) -> Figure:
    columns = [analysis.parties.index(name) for name in pair]
    count = len(analysis.parties)
    points: dict[str, np.ndarray | None] = {
        name: None if value is None else np.asarray(value)[columns] for name, value in analysis.points.items()
    }
    if result.agreement is not None:
        points["agreement"] = np.array([result.utilities[name] for name in pair])
    rows = [result.parties.index(name) for name in pair]
    trajectory = [(point.actor, np.array(point.utilities)[rows]) for point in result.trajectory]
    reservations = scenario_utilities(scenario).restricted_to(pair).reservations
    if count == 2:
        title = (
            f"{scenario.name}: {pair[0]} and {pair[1]}; outcomes crossing a red line of either are excluded"
        )
        suffix = ""
    else:
        title = (
            f"{scenario.name}: {pair[0]} and {pair[1]} (of {count} delegations); frontier and points are "
            f"those of all {count}, projected onto these two; outcomes crossing any delegation's red line "
            "are excluded"
        )
        suffix = f" (all {count}, projected)"
    frontier = analysis.frontier[:, columns] if len(analysis.frontier) else np.zeros((0, 2))
    return plot_utility_space(
        parties=pair,
        frontier=frontier,
        reservations=reservations,
        points=points,
        trajectory=trajectory,
        colours=_colours(scenario),
        frontier_projected=count > 2,
        point_suffix=suffix,
        title=title,
    )


def _every_delegation(result: SessionResult, scenario: Scenario, analysis: Bargaining) -> Figure:
    parties = result.parties
    packages = np.array([point.utilities for point in result.trajectory]).reshape(-1, len(parties))
    reservations = scenario_utilities(scenario).restricted_to(parties).reservations
    agreement = None if result.agreement is None else np.array([result.utilities[name] for name in parties])
    nash = analysis.points.get("nash")
    if nash is not None and analysis.parties != parties:
        nash = None
    ending = "the agreement" if agreement is not None else f"no agreement ({result.reason})"
    return plot_delegations(
        parties=parties,
        packages=packages,
        reservations=reservations,
        agreement=agreement,
        nash=nash,
        colours=_colours(scenario),
        title=f"Every delegation: {len(packages)} packages put forward, {ending}, reservation values",
    )


def _timeline(result: SessionResult, scenario: Scenario) -> Figure:
    trajectory = result.trajectory
    parties = result.parties
    return plot_offer_timeline(
        parties=parties,
        rounds=np.array([point.round for point in trajectory], dtype=int),
        actors=[point.actor for point in trajectory],
        utilities=np.array([point.utilities for point in trajectory]).reshape(-1, len(parties)),
        reservations=scenario_utilities(scenario).restricted_to(parties).reservations,
        colours=_colours(scenario),
        title="Each package put forward: who put it forward, and its worth to every delegation "
        "against its reservation value",
    )


_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; color: #222;
line-height: 1.4; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { border: 1px solid #ccc; padding: .3rem .6rem;
vertical-align: top; } th { background: #f3f3f3; text-align: left; } img { max-width: 100%; }
.muted { color: #666; font-size: .9em; } .number { text-align: right; font-variant-numeric: tabular-nums; }
.below { color: #b00020; } .swatch { display: inline-block; width: .8em; height: .8em; margin-right: .4em;
border-radius: 2px; vertical-align: baseline; } ul.story li { margin: .2rem 0; }
td.delegation { min-width: 10rem; }
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _rows(pairs: Sequence[tuple[str, str]]) -> str:
    return "".join(f"<tr><th>{_e(key)}</th><td>{_e(value)}</td></tr>" for key, value in pairs)


def _condition_text(condition: Condition) -> str:
    if condition.values:
        return f"{condition.issue}: {' or '.join(str(value) for value in condition.values)}"
    bounds = []
    if condition.at_least is not None:
        bounds.append(f"at least {condition.at_least:g}")
    if condition.at_most is not None:
        bounds.append(f"at most {condition.at_most:g}")
    return f"{condition.issue} {' and '.join(bounds)}"


def red_line_text(line: RedLine) -> str:
    """A red line in words: its reason, then the combination it rules out.

    >>> red_line_text(RedLine((Condition("venue", ("astana",)),), reason="never there"))
    'never there (rules out venue: astana)'
    """
    combination = "; ".join(_condition_text(condition) for condition in line.conditions)
    return f"{line.reason} (rules out {combination})" if line.reason else f"rules out {combination}"


def _agreement_section(result: SessionResult, scenario: Scenario) -> str:
    agreement = result.agreement_mapping()
    if not agreement:
        return "<h2>Agreement</h2><p><strong>No agreement.</strong></p>"
    rows = []
    for name, value in agreement.items():
        issue = scenario.agenda.issue(name)
        rows.append(
            f"<tr><th>{_e(name)}</th><td>{_e(issue.clause(value))}"
            f"<div class='muted'>option: {_e(value)}</div></td></tr>"
        )
    return f"<h2>Agreement</h2><table><tr><th>Issue</th><th>Agreed text</th></tr>{''.join(rows)}</table>"


def _delegation_section(result: SessionResult, scenario: Scenario, analysis: Bargaining) -> str:
    colours = _colours(scenario)
    reservations = dict(
        zip(
            result.parties,
            scenario_utilities(scenario).restricted_to(result.parties).reservations.tolist(),
            strict=True,
        )
    )
    nash = analysis.points.get("nash")
    at_nash = {} if nash is None else dict(zip(analysis.parties, nash.tolist(), strict=True))
    agreement = result.agreement_mapping()
    count = len(analysis.parties)
    if agreement is not None:
        header = (
            "<tr><th>Delegation</th><th>Worth of the agreement</th><th>Reservation value</th>"
            f"<th>Gain over reservation</th><th>At the Nash point (all {count})</th><th>Red lines</th></tr>"
        )
    else:
        header = (
            "<tr><th>Delegation</th><th>Reservation value (kept: no agreement)</th>"
            f"<th>At the Nash point (all {count})</th><th>Red lines</th></tr>"
        )
    rows = []
    for party in result.parties:
        value = result.utilities[party]
        reservation = reservations[party]
        lines = scenario.preferences_of(party).red_lines
        described = []
        for line in lines:
            text = _e(red_line_text(line))
            if agreement is not None and all(
                condition.holds(agreement[condition.issue]) for condition in line.conditions
            ):
                text = f"<strong class='below'>crossed by the agreement:</strong> {text}"
            described.append(text)
        red = "<br>".join(described) or "none"
        if agreement is not None and lines and "crossed by" not in red:
            red += "<div class='muted'>the agreement crosses none of them</div>"
        swatch = f"<span class='swatch' style='background:{colours.get(party, '#4d4d4d')}'></span>"
        nash_cell = f"<td class='number'>{'—' if party not in at_nash else f'{at_nash[party]:.4f}'}</td>"
        if agreement is not None:
            gain = value - reservation
            css = "number below" if gain < 0 else "number"
            cells = (
                f"<td class='number'>{value:.4f}</td><td class='number'>{reservation:.4f}</td>"
                f"<td class='{css}'>{gain:+.4f}</td>"
            )
        else:
            cells = f"<td class='number'>{value:.4f}</td>"
        rows.append(
            f"<tr><td class='delegation'>{swatch}{_e(party)}</td>{cells}{nash_cell}<td>{red}</td></tr>"
        )
    heading = (
        "What the agreement is worth to each delegation"
        if agreement is not None
        else "What each delegation keeps"
    )
    return f"<h2>{heading}</h2><table>{header}{''.join(rows)}</table>"


def _points_section(analysis: Bargaining) -> str:
    if analysis.unavailable is not None or not analysis.points:
        return ""
    header = "".join(f"<th>{_e(name)}</th>" for name in analysis.parties)
    rows = []
    for key in POINTS:
        value = analysis.points.get(key)
        cells = (
            "".join(f"<td class='number'>{number:.4f}</td>" for number in value.tolist())
            if value is not None
            else f"<td colspan='{len(analysis.parties)}'>no package every delegation prefers to none</td>"
        )
        rows.append(f"<tr><th>{_e(POINT_LABELS[key])}</th>{cells}</tr>")
    return (
        f"<h2>Bargaining points of all {len(analysis.parties)} delegations</h2>"
        "<p class='muted'>From the exact Pareto frontier of every delegation, outcomes crossing any red "
        "line excluded. The utility-space figure below shows these same points, projected onto two "
        "delegations.</p>"
        f"<table><tr><th>Point</th>{header}</tr>{''.join(rows)}</table>"
    )


def session_report_html(
    result: SessionResult, scenario: Scenario, *, pair: Sequence[str] | None = None
) -> str:
    """The report as one HTML document (plots embedded as base64 PNG).

    ``pair``: the two delegations of the utility-space plot (default: the two furthest apart).
    """
    analysis = bargaining(scenario)
    shown = report_pair(analysis, pair)
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
    story = why_no_agreement(result)
    story_html = (
        "<h2>Why there is no agreement</h2><ul class='story'>"
        + "".join(f"<li>{_e(sentence)}</li>" for sentence in story)
        + "</ul>"
        if story
        else ""
    )
    definitions = (
        f"<p class='muted'><strong>Distance to the Nash point</strong>: {_e(NASH_DISTANCE_DEFINITION)}</p>"
        if distance is not None
        else ""
    )
    seats = [(seat, agent) for seat, agent in result.agents.items()]
    walk_outs = "".join(f"<li>{_e(seat)}: {_e(reason)}</li>" for seat, reason in result.walk_outs.items())
    figures = [
        ("Every delegation at once", _png(_every_delegation(result, scenario, analysis))),
        ("Packages put forward, in order", _png(_timeline(result, scenario))),
    ]
    if shown is not None:
        figures.append(
            (
                f"Utility space: {shown[0]} and {shown[1]}",
                _png(_utility_space(result, scenario, analysis, shown)),
            )
        )
    images = "".join(
        f'<h2>{_e(title)}</h2><img alt="{_e(title)}" src="data:image/png;base64,{data}">'
        for title, data in figures
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{_e(scenario.name)} — {_e(result.protocol)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>{_e(scenario.name)}</h1>"
        f"<table>{_rows(summary)}</table>{definitions}"
        + story_html
        + _agreement_section(result, scenario)
        + _delegation_section(result, scenario, analysis)
        + _points_section(analysis)
        + f"<h2>Seats</h2><table>{_rows(seats)}</table>"
        + (f"<h2>Walk-outs</h2><ul>{walk_outs}</ul>" if walk_outs else "")
        + images
        + f"<p class='muted'>{len(result.events)} events; {len(result.trajectory)} packages put forward.</p>"
        "</body></html>\n"
    )


def write_session_report(
    result: SessionResult, scenario: Scenario, path: str | Path, *, pair: Sequence[str] | None = None
) -> Path:
    """Write the HTML report of ``result`` to ``path`` (``pair``: see :func:`session_report_html`)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(session_report_html(result, scenario, pair=pair), encoding="utf-8")
    return path
