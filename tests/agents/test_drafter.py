"""The one-text drafter reaches the zone of agreement from criticism alone, and delegations criticise and
vote soundly."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.agents import DrafterMediator, agent_by_id
from accord.agents.base import SeatContext
from accord.agents.outcomes import OwnUtility
from accord.agents.responses import critique
from accord.domain import Outcome, Role, Scenario
from accord.io import load_scenario, parse_scenario
from accord.preferences import ScenarioUtilities, scenario_utilities
from accord.protocols import Observation, Vote
from accord.session import run_session

GENEVA = Path(__file__).resolve().parents[2] / "examples" / "geneva-2017.yaml"

LAKE = """
format: accord-scenario/1
name: Shared lake
issues:
  - {name: water, options: [farms, even, towns, wildlife]}
  - {name: levy, options: [none, low, mid, high]}
  - {name: board, options: [state, joint, local]}
  - {name: review, options: [yearly, five-yearly, never]}
parties:
  - name: Farmers
    role: delegation
    preferences:
      weights: {water: 0.5, levy: 0.3, board: 0.1, review: 0.1}
      values:
        water: {farms: 1.0, even: 0.6, towns: 0.2, wildlife: 0.0}
        levy: {none: 1.0, low: 0.7, mid: 0.3, high: 0.0}
        board: {state: 0.2, joint: 0.6, local: 1.0}
        review: {yearly: 0.0, five-yearly: 0.7, never: 1.0}
      reservation: 0.55
      red_lines:
        - when: {levy: [high]}
          reason: a high levy ruins small farms
  - name: Towns
    role: delegation
    preferences:
      weights: {water: 0.4, levy: 0.2, board: 0.3, review: 0.1}
      values:
        water: {farms: 0.1, even: 0.6, towns: 1.0, wildlife: 0.3}
        levy: {none: 0.0, low: 0.4, mid: 0.8, high: 1.0}
        board: {state: 1.0, joint: 0.7, local: 0.0}
        review: {yearly: 0.6, five-yearly: 1.0, never: 0.0}
      reservation: 0.55
  - name: Conservancy
    role: delegation
    preferences:
      weights: {water: 0.4, levy: 0.2, board: 0.1, review: 0.3}
      values:
        water: {farms: 0.0, even: 0.5, towns: 0.3, wildlife: 1.0}
        levy: {none: 0.0, low: 0.5, mid: 1.0, high: 0.8}
        board: {state: 0.5, joint: 1.0, local: 0.3}
        review: {yearly: 1.0, five-yearly: 0.6, never: 0.0}
      reservation: 0.5
      red_lines:
        - when: {review: [never]}
          reason: the lake must be reviewed
"""


def _zone(utilities: ScenarioUtilities) -> set[Outcome]:
    """Brute force: every package rational for every delegation."""
    choices = utilities.agenda.all_choices()
    sufficient = (utilities.evaluate(choices) >= utilities.reservations).all(axis=1)
    rational = utilities.acceptable(choices) & sufficient
    return {utilities.agenda.outcome(row) for row in choices[rational]}


def _lake() -> Scenario:
    return parse_scenario(LAKE, source="lake.yaml")


def test_the_lake_has_a_small_zone_of_agreement() -> None:
    utilities = scenario_utilities(_lake())
    assert 0 < len(_zone(utilities)) <= utilities.agenda.size // 20


@pytest.mark.skipif(not GENEVA.exists(), reason="examples/geneva-2017.yaml is not in this checkout")
def test_one_text_with_default_agents_reaches_the_geneva_zone_for_most_seeds() -> None:
    scenario = load_scenario(GENEVA)
    zone = _zone(scenario_utilities(scenario))
    results = [run_session(scenario, "one-text", {}, seed=seed) for seed in range(10)]
    agreements = [result.agreement for result in results if result.reason == "agreement"]
    assert len(agreements) >= 7, [result.reason for result in results]
    assert all(agreement in zone for agreement in agreements)


@pytest.mark.parametrize("delegations", ["boulware", "linear", "conceder"])
def test_the_drafter_reaches_a_known_zone_between_three_parties(delegations: str) -> None:
    scenario = _lake()
    utilities = scenario_utilities(scenario)
    zone = _zone(utilities)
    for seed in range(3):
        agents = {party: delegations for party in utilities.parties}
        result = run_session(scenario, "one-text", agents, seed=seed, rounds=30)
        assert result.reason == "agreement"
        assert result.agreement in zone


class _Sealed(Mapping[str, Any]):
    """A confidential mapping that fails the test on any access."""

    def __getitem__(self, key: str) -> Any:
        raise AssertionError("the drafter read the confidential preferences")

    def __iter__(self) -> Iterator[str]:
        raise AssertionError("the drafter read the confidential preferences")

    def __len__(self) -> int:
        raise AssertionError("the drafter read the confidential preferences")


class _BlindDrafter(DrafterMediator):
    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        super().reset(dataclasses.replace(context, confidential=_Sealed()), rng)


def test_the_drafter_works_from_criticism_alone() -> None:
    scenario = _lake()
    result = run_session(scenario, "one-text", {"Mediator": _BlindDrafter()}, seed=0, rounds=30)
    assert not result.walk_outs
    assert result.reason == "agreement"


def test_the_drafter_is_deterministic_given_its_seed() -> None:
    scenario = _lake()
    first = run_session(scenario, "one-text", {}, seed=4, rounds=20)
    again = run_session(scenario, "one-text", {}, seed=4, rounds=20)
    assert [event.data for event in first.events] == [event.data for event in again.events]


def _own(party: str) -> OwnUtility:
    utilities = scenario_utilities(_lake())
    return OwnUtility(utilities.agenda, utilities.members[utilities.parties.index(party)])


def test_criticism_names_the_costliest_issues_and_softens_as_the_threshold_falls() -> None:
    own = _own("Towns")
    draft = ("farms", "none", "local", "never")
    value = own.of(draft)
    full = critique(own, draft)
    assert [issue for issue, _, _ in full.requests] == ["water", "board", "levy", "review"]
    # weight × value loss as a share of its utility range (0.96: the levy and board span 0.3 and 0.2 …)
    wanted, intensity = full.as_mapping()["water"]
    assert wanted == "towns" and intensity == pytest.approx(0.4 * 0.9 / 0.96)
    better = ("towns", "none", "state", "never")
    value = own.of(better)
    soft = critique(own, better, threshold=value + 0.1)
    assert [issue for issue, _, _ in soft.requests] == ["levy", "review"]
    assert sum(intensity for _, _, intensity in soft.requests) == pytest.approx(0.1 / 0.96)
    assert critique(own, better, threshold=value).requests == ()


def test_a_crossed_red_line_is_criticised_with_intensity_one() -> None:
    own = _own("Conservancy")
    requests = critique(own, ("wildlife", "mid", "joint", "never"), threshold=0.0).as_mapping()
    assert requests == {"review": ("yearly", 1.0)}


def _voter(agent_id: str, party: str, *, rounds: int = 10) -> Any:
    utilities = scenario_utilities(_lake())
    agent = agent_by_id(agent_id)
    context = SeatContext(
        seat=party,
        role=Role.DELEGATION,
        protocol="one-text-v1",
        agenda=utilities.agenda,
        delegations=utilities.parties,
        rounds=rounds,
        utility=utilities.members[utilities.parties.index(party)],
    )
    agent.reset(context, np.random.default_rng(0))
    return agent


def _vote(agent: Any, draft: Outcome, *, round_: int, rounds: int = 10) -> bool:
    observation = Observation(
        protocol="one-text-v1",
        seat="",
        round=round_,
        rounds=rounds,
        phase="vote",
        allowed=("vote",),
        on_table=draft,
    )
    action = agent.act(observation)
    assert isinstance(action, Vote)
    return action.accept


@pytest.mark.parametrize("agent_id", ["boulware", "linear", "conceder", "tit-for-tat", "frequency"])
def test_at_the_deadline_a_delegation_votes_yes_exactly_on_rational_drafts(agent_id: str) -> None:
    utilities = scenario_utilities(_lake())
    drafts = [utilities.agenda.outcome(row) for row in utilities.agenda.all_choices()]
    for party in utilities.parties:
        own, agent = _own(party), _voter(agent_id, party)
        for draft in drafts:
            assert _vote(agent, draft, round_=10) == own.rational(draft), (party, draft)


def test_early_votes_follow_the_concession_curve() -> None:
    draft = ("even", "low", "joint", "five-yearly")
    assert _own("Towns").rational(draft)
    towns = _voter("boulware", "Towns")
    assert not _vote(towns, draft, round_=1)
    assert _vote(towns, draft, round_=10)
