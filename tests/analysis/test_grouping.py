"""Linked issue groups too large to list: interchangeable options merged, blockwise Pareto sets.

Every case is checked against enumerating the whole space: the frontier's utility points,
how many outcomes are Pareto optimal, and the agreement zone.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord.analysis.summary
from accord.analysis import analyze
from accord.analysis.grouping import group_issues, interchangeable_options
from accord.analysis.zone import additive_zone_size
from accord.domain import (
    Agenda,
    Condition,
    DiscreteIssue,
    Interaction,
    Option,
    Party,
    Preferences,
    RedLine,
    Scenario,
)
from accord.preferences import scenario_utilities
from analysis.reference import all_choices, brute_pareto_mask


def linked_scenario(seed: int) -> Scenario:
    """3–4 issues of 2–4 options, 2–3 parties with coarse values (many interchangeable options),
    interactions over two or three issues and sometimes a red line across two."""
    rng = np.random.default_rng(seed)
    issues = tuple(
        DiscreteIssue(f"i{index}", tuple(Option(f"o{value}") for value in range(int(rng.integers(2, 5)))))
        for index in range(int(rng.integers(3, 5)))
    )

    def condition(issue: DiscreteIssue) -> Condition:
        chosen = rng.choice(issue.size, size=int(rng.integers(1, issue.size + 1)), replace=False)
        return Condition(issue.name, tuple(issue.values[int(index)] for index in sorted(chosen)))

    parties = []
    for number in range(int(rng.integers(2, 4))):
        weights = {issue.name: 1.0 / len(issues) for issue in issues}
        values = {
            issue.name: {value: float(rng.choice([0.0, 0.5, 1.0])) for value in issue.values}
            for issue in issues
        }
        interactions = []
        for _ in range(int(rng.integers(1, 3))):
            linked = rng.choice(
                len(issues), size=int(rng.integers(2, min(3, len(issues)) + 1)), replace=False
            )
            interactions.append(
                Interaction(
                    tuple(condition(issues[int(index)]) for index in sorted(linked)),
                    float(rng.choice([-0.2, 0.3])),
                )
            )
        lines = []
        if rng.random() < 0.4:
            first, second = rng.choice(len(issues), size=2, replace=False)
            lines.append(RedLine((condition(issues[int(first)]), condition(issues[int(second)]))))
        preferences = Preferences(
            weights,
            values,
            reservation=float(rng.choice([0.0, 0.2, 0.4])),
            red_lines=tuple(lines),
            interactions=tuple(interactions),
        )
        parties.append(Party(f"p{number}", preferences=preferences))
    return Scenario("linked", Agenda(issues), tuple(parties))


def enumerated(scenario: Scenario) -> tuple[set[tuple[float, ...]], int, int]:
    """Frontier utility points, how many outcomes are on the frontier, the zone: by enumeration."""
    compiled = scenario_utilities(scenario)
    choices = all_choices(scenario.agenda.sizes)
    choices = choices[compiled.acceptable(choices)]
    utilities = compiled.evaluate(choices)
    mask = brute_pareto_mask(utilities)
    points = {tuple(np.round(row, 9)) for row in utilities[mask].tolist()}
    zone = int((utilities >= compiled.reservations - 1e-9).all(axis=1).sum())
    return points, int(mask.sum()), zone


def _no_enumeration(*arguments: object, **options: object) -> None:
    raise AssertionError("the space was enumerated")


@pytest.mark.parametrize("limit", [4, 16])
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_merged_and_blockwise_groups_match_enumeration(limit: int, seed: int) -> None:
    scenario = linked_scenario(seed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accord.analysis.summary, "group_issues", functools.partial(group_issues, limit=limit))
        patch.setattr(accord.analysis.summary, "outcome_census", _no_enumeration)  # it may not stand in
        result = analyze(scenario)
    points, on_frontier, zone = enumerated(scenario)
    assert {tuple(np.round(row, 9)) for row in result.frontier.utilities.tolist()} == points
    assert result.frontier_outcomes == on_frontier
    # every listed row is a real outcome with the utilities shown
    compiled = scenario_utilities(scenario)
    assert np.allclose(compiled.evaluate(result.frontier.choices), result.frontier.utilities)
    assert compiled.acceptable(result.frontier.choices).all()
    if result.agreement_zone.exact:
        assert result.agreement_zone.count == zone
    else:
        assert "reduced to its Pareto set" in result.agreement_zone.method


def test_interchangeable_options_are_those_nothing_tells_apart() -> None:
    issue = DiscreteIssue("seats", tuple(Option(f"o{value}") for value in range(6)))
    other = DiscreteIssue("venue", (Option("geneva"), Option("astana")))
    values = {
        "seats": {"o0": 1.0, "o1": 1.0, "o2": 0.5, "o3": 0.5, "o4": 0.5, "o5": 1.0},
        "venue": {"geneva": 1.0},
    }
    bonus = Interaction((Condition("seats", ("o3", "o4")), Condition("venue", ("geneva",))), 0.2)
    party = Party(
        "north", preferences=Preferences({"seats": 0.5, "venue": 0.5}, values, interactions=(bonus,))
    )
    compiled = scenario_utilities(Scenario("classes", Agenda((issue, other)), (party,)))
    first, sizes = interchangeable_options(compiled, 0)
    # {o0, o1, o5} alike; o2 apart from {o3, o4}, which the interaction names
    assert first.tolist() == [0, 2, 3] and sizes.tolist() == [3, 1, 2]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_weighted_zone_counts_match_enumeration_on_every_path(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_parties = int(rng.integers(1, 3))
    tables = [rng.choice([0.0, 0.25, 0.5], size=(int(rng.integers(1, 5)), n_parties)) for _ in range(4)]
    weights = [np.asarray(rng.integers(1, 4, size=table.shape[0])) for table in tables]
    reservations = rng.choice([0.0, 0.5, 1.0], size=n_parties)
    expected = 0
    for row in all_choices([table.shape[0] for table in tables]):
        total = sum(table[option] for table, option in zip(tables, row, strict=True))
        if (total >= reservations - 1e-9).all():
            expected += math.prod(int(weight[option]) for weight, option in zip(weights, row, strict=True))
    for counted in (10**7, 0):  # enumeration, then meet in the middle (when one reservation binds)
        found = additive_zone_size(tables, reservations, weights=weights, counted_outcomes=counted)
        if found.exact:
            assert found.count == expected, found.method


@pytest.mark.parametrize("seed", [0, 1])
def test_two_binding_reservations_are_counted_in_the_middle_as_by_enumeration(seed: int) -> None:
    rng = np.random.default_rng(seed)
    tables = [rng.random((10, 2)) / 7 for _ in range(7)]  # 10^7 outcomes
    reservations = np.array([0.55, 0.5])
    enumerated_count = additive_zone_size(tables, reservations)
    in_the_middle = additive_zone_size(tables, reservations, counted_outcomes=0)
    assert enumerated_count.method == "counted by enumeration"
    assert in_the_middle.method.endswith("(two parties' reservations bind)")
    assert in_the_middle.count == enumerated_count.count
    assert enumerated_count.count is not None and 0 < enumerated_count.count < 10**7
