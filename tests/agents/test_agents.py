"""Every registered agent passes the shared conformance checks; concession curves behave as Genius's."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from accord.agents import AGENTS, ConcessionCurve, agent_by_id, agent_roles, default_agent_for
from accord.agents.base import SeatContext
from accord.agents.outcomes import OutcomeRanking, OwnUtility
from accord.domain import Role
from accord.preferences import scenario_utilities
from accord.protocols import Action, Critique, Observation, Offer, Vote
from accord.testing.conformance import ConformanceError, check_agent
from scenarios import two_party


@pytest.mark.parametrize("agent", AGENTS.ids())
def test_every_registered_agent_conforms(agent: str) -> None:
    check_agent(agent)


def test_the_conformance_check_catches_an_agent_that_signs_anything() -> None:
    class Reckless:
        id = "reckless-v1"

        def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
            self.agenda = context.agenda

        def act(self, observation: Observation) -> Offer:
            return Offer(self.agenda.outcome([size - 1 for size in self.agenda.sizes]))

    with pytest.raises(ConformanceError, match="would sign"):
        check_agent(Reckless, protocols=("alternating-offers",))


def test_the_conformance_check_catches_an_agent_that_raises() -> None:
    class Broken:
        id = "broken-v1"

        def reset(self, context: SeatContext, rng: np.random.Generator) -> None: ...

        def act(self, observation: Observation) -> Offer:
            raise RuntimeError("boom")

    with pytest.raises(ConformanceError, match="walked out"):
        check_agent(Broken, protocols=("alternating-offers",))


class Remembering:
    """Plays as random-v1, but draws from how many sessions it has played, not from the seed alone."""

    id = "remembering-v1"

    def __init__(self) -> None:
        self.agent = agent_by_id("random-v1")
        self.sessions = 0

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self.sessions += 1
        self.agent.reset(context, np.random.default_rng([int(rng.integers(2**32)), self.sessions]))

    def act(self, observation: Observation) -> Action:
        return self.agent.act(observation)


def test_the_conformance_check_catches_an_agent_that_remembers_earlier_sessions() -> None:
    with pytest.raises(ConformanceError, match="reset must forget earlier sessions") as caught:
        check_agent(Remembering, protocols=("alternating-offers",))
    where = caught.value.where
    assert where is not None and (where.kind, where.subject, where.seed) == ("agent", "remembering-v1", 0)
    assert where.setup == "alternating-offers on conformance: bilateral"


def test_the_conformance_check_names_the_seat_and_seed_of_a_failure() -> None:
    class Broken:
        id = "broken-v1"

        def reset(self, context: SeatContext, rng: np.random.Generator) -> None: ...

        def act(self, observation: Observation) -> Offer:
            raise RuntimeError("boom")

    with pytest.raises(ConformanceError) as caught:
        check_agent(Broken, protocols=("alternating-offers",))
    assert str(caught.value) == (
        "agent 'broken-v1', setup 'alternating-offers on conformance: bilateral', seed 0, seat 'north': "
        "walked out involuntarily: raised RuntimeError: boom"
    )


@pytest.mark.parametrize(
    ("attributes", "reason"),
    [
        ({"id": "unversioned"}, "needs a versioned class attribute `id`"),
        ({"id": "roleless-v1", "roles": ()}, "`roles` must name the seats it takes"),
    ],
)
def test_the_conformance_check_refuses_an_agent_without_a_versioned_id_or_roles(
    attributes: dict[str, object], reason: str
) -> None:
    agent = type("Faulty", (), {**attributes, "reset": lambda self, context, rng: None})
    with pytest.raises(ConformanceError, match=reason):
        check_agent(agent, protocols=("alternating-offers",))


@given(
    exponent=st.floats(0.05, 20),
    time=st.floats(0, 1),
    later=st.floats(0, 1),
    floor=st.floats(0, 0.5),
    ceiling=st.floats(0.5, 1),
)
@example(exponent=0.2, time=0.0, later=1.0, floor=0.0, ceiling=1.0)
def test_a_concession_curve_falls_from_ceiling_to_floor(
    exponent: float, time: float, later: float, floor: float, ceiling: float
) -> None:
    curve = ConcessionCurve(exponent)
    early, late = sorted((time, later))
    assert curve.target(0.0, floor=floor, ceiling=ceiling) == pytest.approx(ceiling)
    assert curve.target(1.0, floor=floor, ceiling=ceiling) == pytest.approx(floor)
    assert (
        curve.target(early, floor=floor, ceiling=ceiling)
        >= curve.target(late, floor=floor, ceiling=ceiling) - 1e-12
    )


def test_boulware_holds_out_longer_than_conceder() -> None:
    for time in (0.2, 0.5, 0.8):
        boulware = ConcessionCurve.boulware().target(time, floor=0.0, ceiling=1.0)
        linear = ConcessionCurve.linear().target(time, floor=0.0, ceiling=1.0)
        conceder = ConcessionCurve.conceder().target(time, floor=0.0, ceiling=1.0)
        assert boulware > linear > conceder


def test_a_ranking_holds_only_rational_outcomes_best_first() -> None:
    scenario = two_party()
    utilities = scenario_utilities(scenario)
    fleet = utilities.members[1]
    ranking = OutcomeRanking.build(scenario.agenda, fleet, np.random.default_rng(0))
    own = OwnUtility(scenario.agenda, fleet)
    assert np.all(np.diff(ranking.utilities) <= 0)
    outcomes = [ranking.outcome(rank) for rank in range(len(ranking))]
    assert all(own.rational(outcome) for outcome in outcomes)
    every = scenario.agenda.all_choices()
    rational = (fleet.evaluate(every) >= fleet.reservation) & fleet.acceptable(every)
    assert len(ranking) == int(rational.sum())
    assert ranking.count_at_least(ranking.utilities[3]) >= 4


def test_huge_spaces_are_sampled_with_the_generator() -> None:
    scenario = two_party()
    fleet = scenario_utilities(scenario).members[1]
    first = OutcomeRanking.build(scenario.agenda, fleet, np.random.default_rng(3), limit=10)
    again = OutcomeRanking.build(scenario.agenda, fleet, np.random.default_rng(3), limit=10)
    assert first.choices.tolist() == again.choices.tolist()
    assert len(first) <= 11


def _context(role: Role = Role.DELEGATION) -> SeatContext:
    scenario = two_party()
    utilities = scenario_utilities(scenario)
    return SeatContext(
        seat="Fleet" if role is Role.DELEGATION else "Envoy",
        role=role,
        protocol="one-text-v1",
        agenda=scenario.agenda,
        delegations=utilities.parties,
        rounds=10,
        utility=utilities.members[1] if role is Role.DELEGATION else None,
        confidential=dict(zip(utilities.parties, utilities.members, strict=True))
        if role is Role.MEDIATOR
        else {},
    )


def test_a_delegation_criticises_a_draft_on_the_issues_where_it_loses() -> None:
    agent = agent_by_id("boulware")
    agent.reset(_context(), np.random.default_rng(0))
    observation = Observation(
        protocol="one-text-v1",
        seat="Fleet",
        round=0,
        rounds=10,
        phase="criticise",
        allowed=("critique",),
        on_table=("high", 4, "north"),
    )
    action = agent.act(observation)
    assert isinstance(action, Critique)
    requests = action.as_mapping()
    assert requests["rent"][0] == "low" and requests["berth"][0] == "south"
    assert all(0 < intensity <= 1 for _, intensity in requests.values())


def test_a_delegation_votes_no_on_a_package_across_its_red_line() -> None:
    agent = agent_by_id("conceder")
    agent.reset(_context(), np.random.default_rng(0))
    observation = Observation(
        protocol="one-text-v1",
        seat="Fleet",
        round=10,
        rounds=10,
        phase="vote",
        allowed=("vote",),
        on_table=("high", 3, "south"),
    )
    assert agent.act(observation) == Vote(False)


def test_mediators_take_the_mediator_seat_and_delegations_the_others() -> None:
    for agent in AGENTS.ids():
        roles = agent_roles(agent_by_id(agent))
        assert roles in ((Role.MEDIATOR,), (Role.DELEGATION,))
    assert default_agent_for("single-text-v1", Role.MEDIATOR) == "hill-climbing-v1"
    assert Role.MEDIATOR in agent_roles(agent_by_id(default_agent_for("shuttle", Role.MEDIATOR)))
    assert agent_roles(agent_by_id(default_agent_for("alternating-offers-v1", Role.DELEGATION))) == (
        Role.DELEGATION,
    )


def test_the_nash_mediator_proposes_the_nash_point_of_the_rational_outcomes() -> None:
    agent = agent_by_id("nash-mediator")
    agent.reset(_context(Role.MEDIATOR), np.random.default_rng(0))
    action = agent.act(
        Observation(
            protocol="one-text-v1", seat="Envoy", round=0, rounds=10, phase="draft", allowed=("propose",)
        )
    )
    scenario = two_party()
    utilities = scenario_utilities(scenario)
    choices = scenario.agenda.all_choices()
    values = utilities.evaluate(choices)
    rational = (values >= utilities.reservations).all(axis=1) & utilities.acceptable(choices)
    product = np.where(rational, np.prod(values - utilities.reservations, axis=1), -np.inf)
    assert action == type(action)(scenario.agenda.outcome(choices[int(np.argmax(product))]))  # type: ignore[call-arg]


def test_the_conformance_check_plays_only_the_protocols_an_agent_declares() -> None:
    class OnlyOffers(type(agent_by_id("boulware"))):  # type: ignore[misc]
        id = "only-offers-v1"
        protocols = ("alternating-offers",)

    check_agent(OnlyOffers)
    with pytest.raises(ConformanceError, match="cannot play shuttle-v1: it plays only alternating-offers"):
        check_agent(OnlyOffers, protocols=("shuttle",))
