"""The facade: analyze(scenario) against enumeration, red lines, non-additive utilities, JSON."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

import accord
import accord.analysis
from accord.analysis import Analysis, analyze, blocking_masks, opposition
from accord.domain import Agenda, Condition, DiscreteIssue, Option, Party, Preferences, RedLine, Scenario
from accord.errors import AnalysisError
from accord.preferences import scenario_utilities
from accord.testing.strategies import small_scenarios
from analysis.reference import brute_pareto_mask
from shared_data import shared_path

REQUIRED_KEYS = {
    "n_outcomes",
    "parties",
    "pareto_size",
    "pareto",
    "nash",
    "kalai_smorodinsky",
    "max_welfare",
    "egalitarian",
    "agreement_zone_size",
}


def _brute(scenario: Scenario) -> tuple[set[tuple[int, ...]], int]:
    compiled = scenario_utilities(scenario)
    choices = scenario.agenda.all_choices()
    choices = choices[compiled.acceptable(choices)]
    utilities = compiled.evaluate(choices)
    frontier = {tuple(row) for row in choices[brute_pareto_mask(utilities)].tolist()}
    zone = int((utilities >= compiled.reservations - 1e-9).all(axis=1).sum())
    return frontier, zone


def _frontier_set(result: Analysis) -> set[tuple[int, ...]]:
    return {tuple(row) for row in result.frontier.choices.tolist()}


@settings(max_examples=60, deadline=None)
@given(small_scenarios())
def test_additive_scenarios_with_red_lines_match_enumeration(scenario: Scenario) -> None:
    result = analyze(scenario)
    frontier, zone = _brute(scenario)
    assert _frontier_set(result) == frontier
    assert result.agreement_zone.count == zone
    crossing = scenario_utilities(scenario).has_cross_issue_red_lines
    assert result.frontier_method == ("issue-wise over linked issue groups" if crossing else "issue-wise")


@settings(max_examples=40, deadline=None)
@given(small_scenarios(interactions=True, capped=True))
def test_non_additive_scenarios_match_enumeration(scenario: Scenario) -> None:
    result = analyze(scenario)
    frontier, zone = _brute(scenario)
    assert _frontier_set(result) == frontier
    assert result.agreement_zone.count == zone
    compiled = scenario_utilities(scenario)
    if any(member.capped for member in compiled.members):
        assert result.frontier_method == "enumeration"
    elif not compiled.additive:
        assert result.frontier_method == "issue-wise over linked issue groups"


def test_red_lines_across_issues_stay_exact_far_beyond_enumeration() -> None:
    """10^10 outcomes with a red line across two issues: the linked pair becomes one group."""
    names = [f"issue{index}" for index in range(10)]
    issues = tuple(DiscreteIssue(name, tuple(Option(f"o{value}") for value in range(10))) for name in names)
    rng = np.random.default_rng(7)
    values_a = {name: {f"o{value}": value / 9 for value in range(10)} for name in names}
    values_b = {name: {f"o{value}": float(rng.random()) for value in range(10)} for name in names}
    weights = {name: 0.1 for name in names}
    line = RedLine((Condition("issue0", ("o9",)), Condition("issue1", ("o9",))))
    parties = (
        Party("north", preferences=Preferences(weights, values_a, red_lines=(line,))),
        Party("south", preferences=Preferences(weights, values_b, reservation=0.05)),
    )
    scenario = Scenario("wide", Agenda(issues), parties)
    result = analyze(scenario, enumeration_limit=10**6)
    assert result.frontier_method == "issue-wise over linked issue groups"
    choices = result.frontier.choices
    assert not ((choices[:, 0] == 9) & (choices[:, 1] == 9)).any()
    # north's best outcome is forbidden; its best allowed one gives up one step on issue 0 or 1
    assert result.frontier.utilities[:, 0].max() == pytest.approx(1 - 0.1 / 9)
    assert result.agreement_zone.exact
    # every frontier point is undominated among a large sample of allowed outcomes
    sample = np.stack([rng.integers(0, 10, 20_000) for _ in names], axis=1)
    sample = sample[~((sample[:, 0] == 9) & (sample[:, 1] == 9))]
    sampled = scenario_utilities(scenario).evaluate(sample)
    best = result.frontier.utilities
    beaten = (sampled[:, None, :] >= best[None, :, :] + 1e-9).all(axis=2)
    assert not beaten.any()


def _two_party(reservation: float = 0.0, *, weights: float = 0.5) -> Scenario:
    issues = tuple(
        DiscreteIssue(name, (Option("x"), Option("y"), Option("z"))) for name in ("alpha", "beta", "gamma")
    )
    values_a = {issue.name: {"x": 1.0, "y": 0.5, "z": 0.0} for issue in issues}
    values_b = {issue.name: {"x": 0.0, "y": 0.75, "z": 1.0} for issue in issues}
    weight = {issue.name: weights for issue in issues}
    parties = (
        Party("north", preferences=Preferences(weight, values_a, reservation=reservation)),
        Party("south", preferences=Preferences(weight, values_b, reservation=reservation)),
    )
    return Scenario("three issues", Agenda(issues), parties)


def test_to_dict_has_the_documented_keys_and_is_json() -> None:
    result = analyze(_two_party(weights=1 / 3))
    data = result.to_dict()
    assert data.keys() >= REQUIRED_KEYS
    assert data["parties"] == ["north", "south"]
    assert data["n_outcomes"] == 27
    assert data["pareto_size"] == len(data["pareto"]) == len(result.frontier)
    assert set(data["nash"]) == {"outcome", "utilities"}
    assert set(data["nash"]["outcome"]) == {"alpha", "beta", "gamma"}
    assert data["agreement_zone_size"] == 27 and data["agreement_zone_exact"]
    assert json.loads(json.dumps(data)) == data
    assert data == analyze(_two_party(weights=1 / 3)).to_dict()  # deterministic
    assert result.frontier_utilities.shape == (data["pareto_size"], 2)


def test_capped_weights_use_enumeration() -> None:
    result = analyze(_two_party(weights=0.5))  # weights sum to 1.5: utility capped at 1
    assert result.frontier_method == "enumeration"
    frontier, zone = _brute(_two_party(weights=0.5))
    assert _frontier_set(result) == frontier
    assert result.agreement_zone.count == zone


def test_progress_is_reported() -> None:
    class Recorder:
        def __init__(self) -> None:
            self.calls: list[tuple[int, int]] = []

        def advance(self, done: int, total: int) -> None:
            self.calls.append((done, total))

    recorder = Recorder()
    analyze(_two_party(weights=0.5), progress=recorder)
    assert recorder.calls and recorder.calls[-1] == (27, 27)


def test_parties_restrict_and_order_the_analysis() -> None:
    result = analyze(_two_party(weights=1 / 3), parties=["south", "north"])
    assert result.parties == ("south", "north")
    with pytest.raises(AnalysisError, match="no delegation named 'east'"):
        analyze(_two_party(), parties=["east"])


def test_enumeration_limit_is_an_analysis_error() -> None:
    with pytest.raises(AnalysisError, match="enumeration limit"):
        analyze(_two_party(weights=0.5), enumeration_limit=10)


def test_empty_zone_gives_null_points_and_blocking() -> None:
    result = analyze(_two_party(0.9, weights=1 / 3))
    data = result.to_dict()
    assert data["agreement_zone_size"] == 0
    assert data["nash"] is None and data["kalai_smorodinsky"] is None
    assert data["max_welfare"] is None and data["egalitarian"] is None
    # Each party blocks the frontier points the other would accept.
    assert data["blocking"]["north"] and data["blocking"]["south"]


def test_blocking_masks_and_opposition() -> None:
    utilities = np.array([[1.0, 0.2], [0.6, 0.6], [0.2, 1.0]])
    masks = blocking_masks(utilities, np.array([0.5, 0.5]))
    assert masks.tolist() == [[False, False, True], [True, False, False]]
    assert opposition(utilities) == pytest.approx(np.sqrt(2 * 0.4**2))
    assert opposition(np.zeros((0, 2))) is None


def _anl_scenario(folder: Path) -> Scenario:
    domain = json.loads(next(folder.glob("domain*.json")).read_text())
    issues = tuple(
        DiscreteIssue(name, tuple(Option(value) for value in spec["values"]))
        for name, spec in domain["issuesValues"].items()
    )
    parties = []
    for profile_name in ("profileA", "profileB"):
        space = json.loads((folder / f"{profile_name}.json").read_text())["LinearAdditiveUtilitySpace"]
        values = {
            issue: spec["DiscreteValueSetUtilities"]["valueUtilities"]
            for issue, spec in space["issueUtilities"].items()
        }
        parties.append(Party(profile_name, preferences=Preferences(space["issueWeights"], values)))
    return Scenario(folder.name, Agenda(issues), tuple(parties))


@pytest.mark.parametrize("name", ["anl2023-domain00", "anl2023-domain01", "anl2023-domain09"])
def test_anl_2023_specials(name: str) -> None:
    folder = shared_path("domains", "geniusweb", name)
    specials = json.loads((folder / "specials.json").read_text())
    result = analyze(_anl_scenario(folder))
    data = result.to_dict()
    assert data["n_outcomes"] == specials["size"]
    expected_frontier = sorted(tuple(point["utility"]) for point in specials["pareto_front"])
    assert data["pareto_size"] == len(expected_frontier)
    np.testing.assert_allclose(sorted(map(tuple, result.frontier.utilities)), expected_frontier, atol=1e-9)
    assert data["opposition"] == pytest.approx(specials["opposition"], abs=1e-9)
    assert data["nash"]["outcome"] == specials["nash"]["bid"]
    assert data["max_welfare"]["outcome"] == specials["social_welfare"]["bid"]
    assert data["kalai_smorodinsky"]["outcome"] == specials["kalai"]["bid"]


def test_public_names_are_sorted_and_exported() -> None:
    # Sorted as ruff's RUF022 sorts: constants, then classes, then functions.
    def isort_key(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert accord.analysis.__all__ == sorted(accord.analysis.__all__, key=isort_key)
    assert accord.__all__ == sorted(accord.__all__, key=isort_key)
    assert accord.analyze is analyze
    for name in accord.analysis.__all__:
        assert hasattr(accord.analysis, name)


def test_a_frontier_too_large_to_hold_is_refused_with_a_reason() -> None:
    """Exactly opposed utilities put every one of 10^12 outcomes on the frontier."""
    names = [f"issue{index}" for index in range(12)]
    issues = tuple(DiscreteIssue(name, tuple(Option(f"o{value}") for value in range(10))) for name in names)
    values_a = {name: {f"o{value}": value / 9 for value in range(10)} for name in names}
    values_b = {name: {f"o{value}": 1 - value / 9 for value in range(10)} for name in names}
    weights = {name: 1 / 12 for name in names}
    parties = (
        Party("north", preferences=Preferences(weights, values_a)),
        Party("south", preferences=Preferences(weights, values_b)),
    )
    with pytest.raises(AnalysisError, match="exactly opposed"):
        analyze(Scenario("zero-sum", Agenda(issues), parties))
