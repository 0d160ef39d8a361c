"""An analysis estimated to take more than a minute is refused before it starts, saying what would work.

The hostile cases are legal scenarios that took over a minute on this 2-core machine before
the estimate existed (10^7 outcomes for five delegations: 72 s enumerated, 62 s in linked
blocks); they are now refused within seconds. The large cases that are feasible keep their
estimate under the limit (each one's real run is timed in ``bench/`` or tested elsewhere).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pytest

from accord.analysis import additive_pareto_frontier, analyze
from accord.analysis.cost import TIME_LIMIT
from accord.analysis.summary import estimated_seconds
from accord.cli import main
from accord.domain import Agenda, Condition, DiscreteIssue, Option, Party, Preferences, RedLine, Scenario
from accord.errors import AnalysisError, Remedy
from accord.io import import_genius, save_scenario
from accord.preferences import scenario_utilities
from accord.reports.session_report import bargaining

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from shared_data import shared_path


def hostile(n_issues: int, n_parties: int, kind: str, *, n_options: int = 10) -> Scenario:
    """Random values; ``capped``: weights summing to 1.5 (only enumeration is exact); ``linked``:
    one red line across every issue (one group of linked issues); ``additive``: neither."""
    rng = np.random.default_rng(1)
    issues = tuple(
        DiscreteIssue(f"i{j}", tuple(Option(f"v{o}") for o in range(n_options))) for j in range(n_issues)
    )
    parties = []
    for number in range(n_parties):
        weights = rng.random(n_issues)
        weights *= (1.5 if kind == "capped" else 1.0) / weights.sum()
        values = {
            issue.name: {
                value: float(x) for value, x in zip(issue.values, rng.random(n_options), strict=True)
            }
            for issue in issues
        }
        lines = ()
        if kind == "linked" and number == 0:
            lines = (RedLine(tuple(Condition(issue.name, (issue.values[0],)) for issue in issues)),)
        preferences = Preferences(
            {issue.name: float(weight) for issue, weight in zip(issues, weights, strict=True)},
            values,
            red_lines=lines,
        )
        parties.append(Party(f"p{number}", preferences=preferences))
    return Scenario("hostile", Agenda(issues), tuple(parties))


@pytest.mark.parametrize("kind", ["capped", "linked"])
def test_ten_million_outcomes_for_five_delegations_are_refused_within_seconds(kind: str) -> None:
    scenario = hostile(7, 5, kind)
    start = time.perf_counter()
    with pytest.raises(AnalysisError) as raised:
        analyze(scenario)
    assert time.perf_counter() - start < 10
    message = str(raised.value)
    assert "10,000,000 outcomes for 5 delegations" in message
    assert "would take about" in message and f"more than the {TIME_LIMIT:.0f} s allowed" in message
    # what would work: two delegations (their estimate fits), or fewer outcomes
    assert raised.value.remedies == (Remedy("parties", ("p0", "p1"), "analyses two delegations"),)
    assert "fewer outcomes" in message
    assert estimated_seconds(scenario_utilities(scenario).restricted_to(["p0", "p1"])) <= TIME_LIMIT


def test_the_estimate_grows_with_outcomes_and_delegations() -> None:
    def estimate(n_issues: int, n_parties: int, kind: str) -> float:
        return estimated_seconds(scenario_utilities(hostile(n_issues, n_parties, kind)))

    # measured here: 10^6 capped for 5 parties 12 s, 10^7 for 2 parties 36 s; 10^6 linked for 5 parties 13 s
    assert estimate(6, 5, "capped") <= TIME_LIMIT
    assert estimate(7, 2, "capped") <= TIME_LIMIT
    assert estimate(6, 5, "linked") <= TIME_LIMIT
    assert estimate(6, 9, "capped") > TIME_LIMIT  # nine delegations' Pareto sets are large: over 200 s
    assert estimate(8, 2, "capped") > TIME_LIMIT
    assert estimate(6, 3, "capped") < estimate(6, 5, "capped") < estimate(7, 5, "capped")


def test_genius_ten_billion_outcome_scenario_stays_within_the_limit() -> None:
    folder = shared_path("domains", "genius", "S-1NIKFRT-1")
    scenario = import_genius(
        folder / "S-1NIKFRT-1-domain.xml", [folder / "profile-1.xml", folder / "profile-2.xml"]
    )
    # analysed in about 20 s (tests/io/test_genius.py runs it)
    assert 5 < estimated_seconds(scenario_utilities(scenario)) <= TIME_LIMIT


def test_an_issue_wise_merge_step_past_the_time_limit_is_refused_before_it_runs() -> None:
    compiled = scenario_utilities(hostile(6, 5, "additive"))
    assert estimated_seconds(compiled) == 0  # estimated step by step instead
    assert len(additive_pareto_frontier(compiled.tables, time_limit=TIME_LIMIT)) > 0
    with pytest.raises(AnalysisError, match=r"partial packages at issue .* merging would take about"):
        additive_pareto_frontier(compiled.tables, time_limit=0.001)


def test_report_says_why_there_is_no_analysis() -> None:
    shown = bargaining(hostile(7, 5, "capped"))
    assert shown.unavailable is not None and "would take about" in shown.unavailable
    assert shown.unavailable.endswith("fewer outcomes or delegations would work")  # no Python spelling


def test_analyze_refuses_in_one_line_naming_the_option_that_would_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.yaml"
    save_scenario(hostile(7, 5, "linked"), path)
    assert main(["analyze", str(path)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("accord: error: scenario 'hostile': ")
    assert "would take about" in error
    assert error.rstrip().endswith(
        "fewer outcomes or delegations would work; --parties p0,p1 analyses two delegations"
    )
