"""The session report: self-contained HTML whose numbers and plots are the analysis's own."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import accord
import accord.reports.session_report as session_report
from accord.analysis import analyze
from accord.cli import main
from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
from accord.errors import InputError
from accord.reports.session_report import (
    bargaining,
    nash_distance,
    report_pair,
    session_report_html,
    write_session_report,
)
from accord.reports.utility_space import plot_utility_space
from accord.session import run_session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenarios import three_party, two_party

POINTS = ("nash", "kalai_smorodinsky", "max_welfare", "egalitarian")
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _cell(html: str, heading: str) -> str:
    found = re.search(rf"<tr><th>{re.escape(heading)}</th><td>([^<]*)</td></tr>", html)
    assert found is not None, f"no row {heading!r} in the report"
    return found.group(1)


def test_the_report_is_self_contained(tmp_path: Path) -> None:
    scenario = two_party()
    result = run_session(
        scenario, "alternating-offers", {"Port": "linear", "Fleet": "boulware"}, seed=0, rounds=20
    )
    path = write_session_report(result, scenario, tmp_path / "report.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.count("data:image/png;base64,") == 3  # every delegation, the timeline, the utility space
    assert "http://" not in text and "https://" not in text
    assert scenario.name in text


@pytest.mark.parametrize("scenario", [two_party(), three_party()], ids=["two parties", "three parties"])
def test_the_reports_frontier_and_points_are_the_analysis(scenario: Scenario) -> None:
    analysis = analyze(scenario)
    shown = bargaining(scenario)
    assert shown.unavailable is None and shown.parties == analysis.parties
    assert np.array_equal(shown.frontier, analysis.frontier.utilities)
    for name in POINTS:
        row = getattr(analysis, name)
        point = shown.points[name]
        if row is None:
            assert point is None
        else:
            assert point is not None and np.array_equal(point, analysis.frontier.utilities[row])
    assert shown.points["nash"] is not None  # the scenarios have rational outcomes


def test_the_nash_distance_in_the_report_is_measured_from_the_analysis_nash_point() -> None:
    scenario = two_party()
    result = run_session(
        scenario, "alternating-offers", {"Port": "linear", "Fleet": "boulware"}, seed=0, rounds=20
    )
    assert result.agreement is not None
    analysis = analyze(scenario)
    assert analysis.nash is not None
    nash = analysis.frontier.utilities[analysis.nash]
    expected = math.dist([result.utilities[party] for party in analysis.parties], nash.tolist())
    distance = nash_distance(result, bargaining(scenario))
    assert distance is not None and abs(distance - expected) < 1e-12
    html = session_report_html(result, scenario)
    assert _cell(html, "Distance to the Nash point") == f"{expected:.4f}"
    assert _cell(html, "Pareto optimal") == ("yes" if result.pareto_optimal else "no")
    rows = re.findall(
        r"<tr><td class='delegation'><span class='swatch'[^>]*></span>([^<]*)</td>"
        r"((?:<td[^>]*>[^<]*</td>){4})",
        html,
    )
    shown = {party: re.findall(r">([^<]*)</td>", cells) for party, cells in rows}
    for party, value in zip(analysis.parties, nash, strict=True):
        reservation = scenario.preferences_of(party).reservation
        assert shown[party] == [
            f"{result.utilities[party]:.4f}",
            f"{reservation:.4f}",
            f"{result.utilities[party] - reservation:+.4f}",
            f"{value:.4f}",
        ]
    assert "<strong>Distance to the Nash point</strong>: the straight-line (Euclidean) distance" in html


def _recorded_plot(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    drawn: list[dict[str, Any]] = []

    def recording(**arguments: Any) -> Any:
        drawn.append(arguments)
        return plot_utility_space(**arguments)

    monkeypatch.setattr(session_report, "plot_utility_space", recording)
    return drawn


def test_the_plot_draws_the_points_of_every_delegation_projected_onto_the_pair(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scenario = three_party()
    result = run_session(scenario, "alternating-offers", {}, seed=1, rounds=30)
    drawn = _recorded_plot(monkeypatch)
    session_report_html(result, scenario)
    assert len(drawn) == 1
    analysis = analyze(scenario)  # every delegation, as the tables of the report
    pair = drawn[0]["parties"]
    columns = [analysis.parties.index(name) for name in pair]
    assert np.array_equal(drawn[0]["frontier"], analysis.frontier.utilities[:, columns])
    assert drawn[0]["frontier_projected"] and "projected" in drawn[0]["point_suffix"]
    for name in POINTS:
        row = getattr(analysis, name)
        expected = None if row is None else analysis.frontier.utilities[row, columns]
        shown = drawn[0]["points"][name]
        assert (shown is None) == (expected is None)
        assert expected is None or np.array_equal(shown, expected)
    assert "projected" in drawn[0]["title"] and "red line" in drawn[0]["title"]
    assert pair[0] in drawn[0]["title"] and pair[1] in drawn[0]["title"]


def test_on_astana_the_plot_shows_the_agreement_at_the_nash_point_as_the_table_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The shuttle run's table says the agreement is the Nash point; the plot drew the Nash point
    of the pair alone, far from it. Now both show the Nash point of all five delegations."""
    scenario = accord.load_scenario(EXAMPLES / "astana-2017.yaml")
    result = run_session(scenario, "shuttle", {}, seed=1)
    drawn = _recorded_plot(monkeypatch)
    html = session_report_html(result, scenario)
    assert _cell(html, "Distance to the Nash point") == "0.0000"
    points = drawn[0]["points"]
    assert np.allclose(points["nash"], points["agreement"])
    figure = plot_utility_space(**drawn[0])
    notes = [text.get_text() for text in figure.axes[0].texts]
    assert any("Nash" in note and "Agreement" in note for note in notes)  # named together where they coincide


def test_the_default_pair_is_the_two_delegations_furthest_apart() -> None:
    scenario = accord.load_scenario(EXAMPLES / "geneva-2017.yaml")
    shown = bargaining(scenario)
    assert report_pair(shown) == ("Government", "High Negotiations Committee")
    astana = bargaining(accord.load_scenario(EXAMPLES / "astana-2017.yaml"))
    assert report_pair(astana) == ("Government", "Armed opposition")  # not Russia and Turkey, the first two
    assert report_pair(astana, ["Iran", "Turkey"]) == ("Iran", "Turkey")
    with pytest.raises(InputError, match="two different delegations"):
        report_pair(astana, ["Iran", "Iran"])


def test_accord_run_parties_chooses_the_reports_pair(tmp_path: Path) -> None:
    report = tmp_path / "geneva.html"
    arguments = ["run", str(EXAMPLES / "geneva-2017.yaml"), "--protocol", "one-text", "--seed", "1"]
    pair = ["--parties", "Moscow platform,Cairo platform", "--report", str(report)]
    assert main([*arguments, *pair, "--rounds", "10"]) == 0
    assert "<h2>Utility space: Moscow platform and Cairo platform</h2>" in report.read_text(encoding="utf-8")
    assert main([*arguments, "--parties", "Government", "--report", str(report)]) == 2
    assert main([*arguments, "--parties", "Government,Cairo platform"]) == 2  # no report to choose for


def test_an_agreement_at_the_nash_point_is_at_distance_zero() -> None:
    scenario = two_party()
    result = run_session(scenario, "one-text", {"Envoy": "nash-mediator"}, seed=0, rounds=10)
    analysis = bargaining(scenario)
    assert result.agreement is not None
    distance = nash_distance(result, analysis)
    assert distance is not None and distance < 1e-9


def _opposed(reservation: float) -> Scenario:
    """One issue, two venues, each delegation wanting its own; no venue is rational for both above 0.5."""
    agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("astana"))),))
    wants = {"north": {"geneva": 1.0, "astana": 0.0}, "south": {"geneva": 0.0, "astana": 1.0}}
    parties = tuple(
        Party(name, preferences=Preferences({"venue": 1.0}, {"venue": values}, reservation=reservation))
        for name, values in wants.items()
    )
    return Scenario("opposed", agenda, parties)


def test_a_report_without_agreement_says_so() -> None:
    scenario = _opposed(reservation=0.8)
    result = run_session(scenario, "alternating-offers", {"north": "boulware", "south": "boulware"}, seed=0)
    assert result.agreement is None  # nothing is worth 0.8 to both
    html = session_report_html(result, scenario)
    assert "<h2>Agreement</h2><p><strong>No agreement.</strong></p>" in html
    assert "Reservation value (kept: no agreement)" in html and "Worth of the agreement" not in html
    assert _cell(html, "Distance to the Nash point") == "—"
    assert _cell(html, "Pareto optimal") == "—"
    assert bargaining(scenario).points["nash"] is None  # no rational outcome: no Nash point either
    assert re.search(r"north</td><td class='number'>0.8000</td><td class='number'>—</td><td>none</td>", html)
    assert "<h2>Why there is no agreement</h2>" in html
    assert "The deadline of 100 rounds passed with no package accepted by every delegation." in html
    assert "Without an agreement each delegation keeps its reservation value." in html
    assert "Distance to the Nash point</strong>" not in html  # defined only where it is shown


def _too_large() -> Scenario:
    """Ten issues of ten options (10^10 outcomes) with capped utilities: only enumeration would do."""
    issues = tuple(DiscreteIssue(f"i{n}", tuple(Option(f"o{k}") for k in range(10))) for n in range(10))
    rng = np.random.default_rng(5)
    parties = tuple(
        Party(
            name,
            preferences=Preferences(
                {issue.name: 0.2 for issue in issues},  # weights sum to 2: utilities capped at 1
                {issue.name: {value: float(rng.random()) for value in issue.values} for issue in issues},
            ),
        )
        for name in ("north", "south")
    )
    return Scenario("vast", Agenda(issues), parties)


def test_a_scenario_too_large_to_analyse_gets_a_report_that_says_why() -> None:
    scenario = _too_large()
    result = run_session(scenario, "alternating-offers", {}, seed=0, rounds=5)
    shown = bargaining(scenario)
    assert shown.unavailable is not None and "enumeration limit" in shown.unavailable
    assert len(shown.frontier) == 0 and not shown.points
    html = session_report_html(result, scenario)
    assert _cell(html, "Analysis").startswith("not available: ")
    assert "enumeration limit" in _cell(html, "Analysis")
    assert result.pareto_optimal is None  # the session's memo refuses the same scenarios


def test_errors_other_than_a_refused_analysis_propagate(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = two_party()
    result = run_session(scenario, "alternating-offers", {}, seed=0, rounds=5)

    def broken(*arguments: object, **options: object) -> None:
        raise KeyError("a bug in the analysis")

    monkeypatch.setattr(session_report, "analyze", broken)
    with pytest.raises(KeyError, match="a bug in the analysis"):
        session_report_html(result, scenario)


def test_reports_draw_without_pyplot_or_a_backend_chosen_at_import() -> None:
    """Figures are made with matplotlib's object API, so threads can draw at once and importing
    Accord leaves matplotlib's global state alone."""
    code = (
        "import sys\n"
        "import accord.reports, accord.reports.session_report, accord.cli.analyze\n"
        "import accord.reports.forecast_plots\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    pyplot = re.compile(r"^\s*(import matplotlib\.pyplot|from matplotlib(\.pyplot)? import .*)$", re.M)
    for path in Path(accord.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "matplotlib.use(" not in text, f"{path} chooses a backend"
        imports = [found.group(0) for found in pyplot.finditer(text)]
        assert not any("pyplot" in line for line in imports), f"{path} imports pyplot"


def test_analyze_plot_shows_the_points_of_its_table(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """``accord analyze --plot`` on five delegations: the table's points (all five), projected
    onto the two furthest apart, not the points of the first two analysed alone."""
    import accord.reports

    drawn: list[dict[str, Any]] = []

    def recording(**arguments: Any) -> Any:
        drawn.append(arguments)
        return plot_utility_space(**arguments)

    monkeypatch.setattr(accord.reports, "plot_utility_space", recording)
    path = EXAMPLES / "astana-2017.yaml"
    assert main(["analyze", str(path), "--plot", str(tmp_path / "space.png")]) == 0
    analysis = analyze(accord.load_scenario(path))
    assert drawn[0]["parties"] == ("Government", "Armed opposition")
    columns = [analysis.parties.index(name) for name in drawn[0]["parties"]]
    assert analysis.nash is not None
    assert np.array_equal(drawn[0]["points"]["nash"], analysis.frontier.utilities[analysis.nash, columns])
    assert (tmp_path / "space.png").stat().st_size > 0
