"""What the report says first, and figures a person can read: one colour per delegation,
legends beside the data, every delegation in one figure, names drawn as written."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.text import Text

import accord
import accord.reports.session_report as session_report
from accord.agents.base import Agent
from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Role, Scenario
from accord.reports import party_colours, plot_delegations, plot_offer_timeline, plot_utility_space
from accord.reports.session_report import session_report_html
from accord.session import run_session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenarios import three_party

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _figures(monkeypatch: pytest.MonkeyPatch) -> dict[str, Figure]:
    """Keep every figure the report draws, by the function that drew it."""
    kept: dict[str, Figure] = {}
    for name in ("plot_utility_space", "plot_delegations", "plot_offer_timeline"):
        original = getattr(session_report, name)

        def keeping(*, _name: str = name, _original: Any = original, **arguments: Any) -> Figure:
            figure: Figure = _original(**arguments)
            kept[_name] = figure
            return figure

        monkeypatch.setattr(session_report, name, keeping)
    return kept


def test_the_report_gives_the_agreements_clause_texts_not_option_ids() -> None:
    scenario = accord.load_scenario(EXAMPLES / "geneva-2017.yaml")
    result = run_session(scenario, "one-text", {}, seed=1)
    assert result.agreement is not None
    html = session_report_html(result, scenario)
    for issue, option in zip(result.issues, result.agreement, strict=True):
        clause = scenario.agenda.issue(issue).clause(option)
        assert clause != option
        assert f"<td>{clause}<div class='muted'>option: {option}</div></td>" in html.replace("&#x27;", "'")


def test_every_delegation_keeps_one_colour_in_every_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = accord.load_scenario(EXAMPLES / "astana-2017.yaml")
    result = run_session(scenario, "shuttle", {}, seed=1, rounds=30)
    kept = _figures(monkeypatch)
    html = session_report_html(result, scenario)
    colours = party_colours([party.name for party in scenario.parties])
    # the utility space: the packages each delegation put forward, in its colour
    lines = {
        line.get_label(): to_hex(line.get_color()) for line in kept["plot_utility_space"].axes[0].get_lines()
    }
    for party in result.parties:
        if f"Put forward by {party}" in lines:
            assert lines[f"Put forward by {party}"] == colours[party]
    # every delegation at once: each column's dots in that delegation's colour
    axes = kept["plot_delegations"].axes[0]
    dots = [
        collection
        for collection in axes.collections
        if len(collection.get_offsets()) == len(result.trajectory)
    ]
    assert [to_hex(collection.get_facecolor()[0], keep_alpha=False) for collection in dots] == [
        colours[party] for party in result.parties
    ]
    # the timeline's legend of who put packages forward
    legend = kept["plot_offer_timeline"].legends[0]
    shown = {
        text.get_text(): to_hex(patch.get_facecolor())
        for text, patch in zip(legend.get_texts(), legend.legend_handles, strict=True)
    }
    for party in result.parties:
        assert shown[party] == colours[party]
    # and the tables' swatches
    for party in result.parties:
        assert f"<span class='swatch' style='background:{colours[party]}'></span>{party}" in html


def test_party_colours_are_distinct_and_stable() -> None:
    names = [f"delegation {number}" for number in range(25)]
    for count in (2, 9, 10, 15, 25):
        colours = party_colours(names[:count])
        assert len(set(colours.values())) == count
    assert party_colours(names[:9])["delegation 3"] == party_colours(names[:4])["delegation 3"]


def _overlaps_axes(figure: Figure) -> bool:
    canvas = figure.canvas
    canvas.draw()
    renderer = canvas.get_renderer()  # type: ignore[attr-defined]
    for legend in figure.legends:
        box = legend.get_window_extent(renderer)
        for axes in figure.axes:
            if box.overlaps(axes.get_window_extent(renderer)):
                return True
    return False


def test_legends_never_sit_over_the_data(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = accord.load_scenario(EXAMPLES / "geneva-2017.yaml")
    result = run_session(scenario, "one-text", {}, seed=1, rounds=20)
    kept = _figures(monkeypatch)
    session_report_html(result, scenario)
    for name, figure in kept.items():
        assert all(axes.get_legend() is None for axes in figure.axes), name
        assert figure.legends, name
        assert not _overlaps_axes(figure), name


def test_every_delegation_fits_one_figure_for_nine_delegations() -> None:
    parties = tuple(f"Delegation number {index}" for index in range(9))
    rng = np.random.default_rng(3)
    packages = rng.random((300, 9))
    figure = plot_delegations(
        parties=parties,
        packages=packages,
        reservations=np.full(9, 0.4),
        agreement=packages[-1],
        nash=packages[-1],
        colours=party_colours(parties),
    )
    assert len(figure.axes) == 1
    assert [label.get_text().replace("\n", " ") for label in figure.axes[0].get_xticklabels()] == list(
        parties
    )
    timeline = plot_offer_timeline(
        parties=parties,
        rounds=np.arange(300) // 9,
        actors=[parties[index % 9] for index in range(300)],
        utilities=packages,
        reservations=np.full(9, 0.4),
        colours=party_colours(parties),
    )
    assert len(timeline.axes) == 3  # who put each forward, the grid of every delegation, the colour bar
    ticks = [int(tick.get_text()) for tick in timeline.axes[1].get_xticklabels()]
    assert ticks == sorted(set(ticks))  # whole rounds, each once


def test_points_that_coincide_are_named_together_on_the_plot() -> None:
    same = np.array([0.5, 0.5])
    figure = plot_utility_space(
        parties=("a", "b"),
        frontier=np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]),
        reservations=np.zeros(2),
        points={
            "nash": same,
            "kalai_smorodinsky": same,
            "egalitarian": np.array([0.0, 1.0]),
            "agreement": same,
        },
    )
    notes = [text.get_text().replace("\n", " ") for text in figure.axes[0].texts]
    assert notes == ["Kalai–Smorodinsky = Nash = Agreement"]


def _dollar_scenario() -> Scenario:
    agenda = Agenda((DiscreteIssue("venue", (Option("geneva", "In $Geneva_{"), Option("astana"))),))
    wants = {
        "<b>north$</b>": {"geneva": 1.0, "astana": 0.2},
        "$\\alpha$ south_{": {"geneva": 0.3, "astana": 1.0},
    }
    parties = tuple(
        Party(name, preferences=Preferences({"venue": 1.0}, {"venue": values}, reservation=0.1))
        for name, values in wants.items()
    )
    return Scenario("$x^{2", agenda, (Party("<i>envoy</i>", role=Role.MEDIATOR), *parties))


def test_names_are_drawn_and_written_as_data(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = _dollar_scenario()
    result = run_session(scenario, "one-text", {}, seed=0, rounds=5)
    kept = _figures(monkeypatch)
    html = session_report_html(result, scenario)  # draws every figure: unbalanced $ and { would raise
    assert "<b>north" not in html and "&lt;b&gt;north$&lt;/b&gt;" in html and "<i>envoy" not in html
    for figure in kept.values():
        figure.canvas.draw()
        texts = [text for text in figure.findobj(Text) if text.get_visible() and "$" in text.get_text()]
        assert texts  # the names are drawn …
        assert all(not text.get_parse_math() for text in texts)  # … as written, not as mathtext


class _Leaving(Agent):
    """Walks away at once, giving a reason."""

    def reset(self, context: Any, rng: Any) -> None:
        return None

    def act(self, observation: Any) -> Any:
        raise RuntimeError("the delegation was recalled to the capital")


def test_a_failed_report_says_who_said_no_to_what_and_when() -> None:
    scenario = three_party()
    result = run_session(scenario, "single-text", {}, seed=1, rounds=3)
    assert result.agreement is None and result.reason == "rejected"
    html = session_report_html(result, scenario)
    story = re.search(r"<h2>Why there is no agreement</h2><ul class='story'>(.*?)</ul>", html)
    assert story is not None
    sentences = re.findall(r"<li>(.*?)</li>", story.group(1))
    assert sentences[0] == f"The talks ended in round {result.rounds} of 3: the final text was voted down."
    votes = [event for event in result.events if event.kind == "vote"]
    refusing = [event.actor for event in votes if not event.data["accept"]]
    assert refusing and any(
        sentence.startswith(f"In round {votes[-1].round}, {refusing[0]}") for sentence in sentences
    )
    assert any(sentence.startswith("Over the talks, each delegation said no:") for sentence in sentences)
    called = [event for event in result.events if event.kind == "vote-called"][-1]
    who = "The deadline (round 3)" if called.data["called_by"] == "deadline" else called.actor
    assert any(sentence.startswith(f"{who} called the vote") for sentence in sentences)


def test_a_walk_out_is_told_with_its_reason() -> None:
    scenario = three_party()
    result = run_session(scenario, "alternating-offers", {"Middle": _Leaving()}, seed=0, rounds=5)
    assert result.reason == "walk-out"
    html = session_report_html(result, scenario)
    assert "Middle walked away in round" in html
    assert "recalled to the capital" in html


def test_a_red_line_the_agreement_crosses_is_marked_so() -> None:
    from types import SimpleNamespace

    from accord.domain import Condition, RedLine

    agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("astana"))),))
    line = RedLine((Condition("venue", ("astana",)),), reason="never there")
    north = Preferences({"venue": 1.0}, {"venue": {"geneva": 1.0, "astana": 0.5}}, red_lines=(line,))
    south = Preferences({"venue": 1.0}, {"venue": {"geneva": 0.0, "astana": 1.0}})
    scenario = Scenario(
        "venues", agenda, (Party("north", preferences=north), Party("south", preferences=south))
    )
    crossed = SimpleNamespace(
        agreement_mapping=lambda: {"venue": "astana"},
        parties=("north", "south"),
        utilities={"north": 0.5, "south": 1.0},
    )
    analysis = session_report.bargaining(scenario)
    html = session_report._delegation_section(crossed, scenario, analysis)  # type: ignore[arg-type]
    assert (
        "<strong class='below'>crossed by the agreement:</strong> never there (rules out venue: astana)"
        in html
    )
    kept = SimpleNamespace(
        agreement_mapping=lambda: {"venue": "geneva"},
        parties=("north", "south"),
        utilities={"north": 1.0, "south": 0.0},
    )
    html = session_report._delegation_section(kept, scenario, analysis)  # type: ignore[arg-type]
    assert "crossed by" not in html and "the agreement crosses none of them" in html
