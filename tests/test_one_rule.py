"""One implementation of each rule: what sessions, tournaments and mediators report agrees with
:mod:`accord.analysis` — the same frontier, Nash point, tolerance and enumeration limit."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings

from accord.analysis import ENUMERATION_LIMIT, PARETO_TOLERANCE, analyze
from accord.compiled import CompiledScenario, compiled_scenario
from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
from accord.errors import AnalysisError
from accord.io import save_scenario
from accord.preferences import scenario_utilities
from accord.session import run_session, seating
from accord.testing.strategies import small_scenarios
from accord.tournament import TournamentConfig, run_local
from analysis.reference import all_choices, dominance_matrix
from scenarios import three_party, two_party


def _near_tie(gap: float) -> Scenario:
    """Two venues worth the same to south; to north, ``astana`` is better by ``gap``."""
    agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("astana"))),))
    north = Preferences({"venue": 1.0}, {"venue": {"geneva": 0.5, "astana": 0.5 + gap}})
    south = Preferences({"venue": 1.0}, {"venue": {"geneva": 0.5, "astana": 0.5}})
    return Scenario(
        "near tie", agenda, (Party("north", preferences=north), Party("south", preferences=south))
    )


def test_an_agreement_pareto_optimal_within_the_tolerance_is_reported_as_such() -> None:
    within = _near_tie(PARETO_TOLERANCE / 2)
    assert compiled_scenario(within).pareto_optimal(("geneva",)) is True
    assert len(analyze(within).frontier) == 2  # the analysis keeps both venues on the frontier too
    beyond = _near_tie(100 * PARETO_TOLERANCE)
    assert compiled_scenario(beyond).pareto_optimal(("geneva",)) is False
    assert len(analyze(beyond).frontier) == 1
    result = run_session(within, "alternating-offers", {}, seed=0)
    assert result.agreement is not None and result.pareto_optimal is True


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios(interactions=True, capped=True))
def test_the_session_memo_answers_as_the_analysis_and_brute_force_do(scenario: Scenario) -> None:
    compiled = compiled_scenario(scenario)
    analysis = analyze(scenario)
    nash = compiled.nash_utilities()
    if analysis.nash is None:
        assert nash is None
    else:
        assert nash == tuple(analysis.frontier.utilities[analysis.nash].tolist())
    utilities = scenario_utilities(scenario)
    choices = all_choices(scenario.agenda.sizes)
    choices = choices[utilities.acceptable(choices)]
    values = utilities.evaluate(choices)
    optimal = ~dominance_matrix(values).any(axis=0)
    outcomes = [scenario.agenda.outcome(row) for row in choices]
    # all at once on a fresh memo (the batch engine's way), then one by one from the memo
    assert CompiledScenario(scenario).pareto_verdicts([*outcomes, *outcomes[:1]]) == [
        *optimal.tolist(),
        *optimal.tolist()[:1],
    ]
    for outcome, expected in zip(outcomes, optimal.tolist(), strict=True):
        assert compiled.pareto_optimal(outcome) is expected


def _mediator_seat(scenario: Scenario) -> str:
    return seating(scenario, "one-text").mediator


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_scenarios(interactions=True))
def test_the_nash_mediators_target_is_the_analysis_nash_point(scenario: Scenario) -> None:
    seat = _mediator_seat(scenario)
    result = run_session(scenario, "one-text", {seat: "nash-mediator"}, seed=0, rounds=1)
    analysis = analyze(scenario)
    first = result.packages[0]
    assert first[1] == seat
    if analysis.nash is None:
        return  # no Nash point: the mediator falls back on a package of its own
    target = scenario_utilities(scenario).utilities_of(first[2])
    # the same point, to within the sums' rounding (the analysis adds issue by issue)
    assert np.allclose(target, analysis.frontier.utilities[analysis.nash], rtol=0.0, atol=PARETO_TOLERANCE)


def test_the_nash_mediators_target_on_the_test_scenarios() -> None:
    for scenario in (two_party(), three_party()):
        seat = _mediator_seat(scenario)
        result = run_session(scenario, "one-text", {seat: "nash-mediator"}, seed=0, rounds=1)
        analysis = analyze(scenario)
        assert analysis.nash is not None
        assert scenario.agenda.choices_of(result.packages[0][2]) == tuple(
            analysis.frontier.choices[analysis.nash].tolist()
        )


def _write(tmp_path: Path, scenario: Scenario) -> str:
    path = tmp_path / f"{scenario.name.replace(' ', '-')}.yaml"
    save_scenario(scenario, path)
    return str(path)


def _wide(seed: int) -> Scenario:
    """Twelve issues of ten options, additive: 10^12 outcomes, an exact frontier in well under a second."""
    rng = np.random.default_rng(seed)
    issues = tuple(DiscreteIssue(f"i{n}", tuple(Option(f"o{k}") for k in range(10))) for n in range(12))
    parties = tuple(
        Party(
            name,
            preferences=Preferences(
                {issue.name: 1 / 12 for issue in issues},
                {issue.name: {value: float(rng.random()) for value in issue.values} for issue in issues},
                reservation=0.3,
            ),
        )
        for name in ("north", "south")
    )
    return Scenario(f"wide {seed}", Agenda(issues), parties)


def _capped_beyond_the_limit() -> Scenario:
    """Ten issues of ten options with capped utilities: only enumeration would do, past the limit."""
    issues = tuple(DiscreteIssue(f"i{n}", tuple(Option(f"o{k}") for k in range(10))) for n in range(10))
    rng = np.random.default_rng(5)
    parties = tuple(
        Party(
            name,
            preferences=Preferences(
                {issue.name: 0.2 for issue in issues},
                {issue.name: {value: float(rng.random()) for value in issue.values} for issue in issues},
            ),
        )
        for name in ("north", "south")
    )
    return Scenario("vast", Agenda(issues), parties)


def test_the_tournaments_nash_distance_is_measured_from_the_analysis_nash_point(tmp_path: Path) -> None:
    scenarios = (two_party(), three_party(), _wide(1))
    assert _wide(1).agenda.size > 10**6  # formerly given no Nash distance at all
    paths = [_write(tmp_path, scenario) for scenario in scenarios]
    config = TournamentConfig(
        scenarios=tuple(paths), protocol="alternating-offers", agents=("conceder", "linear"), rounds=40
    )
    records = run_local(config)
    agreed = [record for record in records if record["agreement"] is not None]
    assert {record["scenario"] for record in agreed} == set(paths)
    for path, scenario in zip(paths, scenarios, strict=True):
        analysis = analyze(scenario)
        assert analysis.nash is not None
        nash = analysis.frontier.utilities[analysis.nash]
        for record in (record for record in agreed if record["scenario"] == path):
            seats = len(scenario.delegations)
            reached = {record[f"seat_{n}"]: record[f"utility_{n}"] for n in range(1, seats + 1)}
            expected = math.dist([reached[party] for party in analysis.parties], nash.tolist())
            assert record["nash_distance"] == expected


def test_one_enumeration_limit_decides_for_analysis_session_and_tournament(tmp_path: Path) -> None:
    scenario = _capped_beyond_the_limit()
    assert scenario.agenda.size > ENUMERATION_LIMIT
    try:
        analyze(scenario)
    except AnalysisError as error:
        assert "enumeration limit" in str(error)
    else:
        raise AssertionError("the analysis did not refuse a space past the enumeration limit")
    compiled = compiled_scenario(scenario)
    assert compiled.frontier() is None and compiled.nash_utilities() is None
    config = TournamentConfig(
        scenarios=(_write(tmp_path, scenario),), protocol="alternating-offers", agents=("conceder",), rounds=5
    )
    [record] = run_local(config)
    assert record["agreement"] is not None
    assert record["pareto_optimal"] is None and record["nash_distance"] is None
