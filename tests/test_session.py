"""run_session: seeded determinism to the byte, failures recorded as walk-outs, rational agreements."""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accord.agents import AGENTS, agent_roles
from accord.agents.base import SeatContext
from accord.analysis import PARETO_TOLERANCE, analyze, dominated_by
from accord.compiled import compiled_scenario
from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Role, Scenario
from accord.errors import AnalysisError
from accord.preferences import scenario_utilities
from accord.protocols import Observation, Offer, Propose, WalkAway
from accord.protocols.registry import PROTOCOLS
from accord.session import SessionResult, run_session
from accord.trace import TraceWriter, read_trace, write_trace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenarios import three_party, two_party

DELEGATION_AGENTS = [agent for agent in AGENTS.ids() if Role.DELEGATION in agent_roles(AGENTS.resolve(agent))]
MEDIATORS = [agent for agent in AGENTS.ids() if Role.MEDIATOR in agent_roles(AGENTS.resolve(agent))]


def _trace(result: SessionResult) -> str:
    stream = io.StringIO()
    write_trace(result.events, stream)
    return stream.getvalue()


@pytest.mark.parametrize("protocol", PROTOCOLS.ids())
def test_the_same_seed_gives_a_byte_identical_trace(protocol: str) -> None:
    scenario = three_party()
    agents = {"Upper": "random", "Middle": "frequency", "Lower": "tit-for-tat"}
    first = run_session(scenario, protocol, agents, seed=11, rounds=15)
    streamed = io.StringIO()
    again = run_session(scenario, protocol, agents, seed=11, rounds=15, sink=TraceWriter(streamed))
    assert _trace(first) == _trace(again) == streamed.getvalue()
    assert first.to_dict() == again.to_dict()
    assert [event.to_data() for event in read_trace(io.StringIO(streamed.getvalue()))] == [
        event.to_data() for event in first.events
    ]


def test_different_seeds_can_give_different_sessions() -> None:
    scenario = two_party()
    traces = {
        _trace(run_session(scenario, "alternating-offers", {}, seed=seed, rounds=20)) for seed in range(4)
    }
    agents = {"Port": "random", "Fleet": "random"}
    traces |= {
        _trace(run_session(scenario, "alternating-offers", agents, seed=seed, rounds=20)) for seed in range(4)
    }
    assert len(traces) > 1


def test_the_json_summary_has_the_promised_fields() -> None:
    result = run_session(two_party(), "alternating-offers", {"Port": "boulware", "Fleet": "conceder"}, seed=1)
    data = result.to_dict()
    for key in ("protocol", "seed", "rounds", "reason", "agreement", "utilities", "pareto_optimal"):
        assert key in data
    assert data["reason"] == "agreement"
    assert set(data["agreement"]) == {"rent", "years", "berth"}
    assert set(data["utilities"]) == {"Port", "Fleet"}
    assert result.trajectory and all(len(point.utilities) == 2 for point in result.trajectory)


class _Raises:
    id = "raises-v1"

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None: ...

    def act(self, observation: Observation) -> Offer:
        raise ValueError("no idea")


class _Slow:
    id = "slow-v1"

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self.agenda = context.agenda

    def act(self, observation: Observation) -> Offer:
        time.sleep(0.05)
        return Offer(self.agenda.outcome([0 for _ in self.agenda.sizes]))


class _Illegal:
    id = "illegal-v1"

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None: ...

    def act(self, observation: Observation) -> Propose:
        return Propose(("nowhere",))


class _BadOutcome:
    id = "bad-outcome-v1"

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None: ...

    def act(self, observation: Observation) -> Offer:
        return Offer(("free", 99, "east"))


@pytest.mark.parametrize(
    ("agent", "why"),
    [
        (_Raises(), "raised ValueError"),
        (_Slow(), "time limit"),
        (_Illegal(), "may not propose"),
        (_BadOutcome(), "acted illegally"),
    ],
)
def test_a_failing_agent_is_recorded_as_walking_away(agent: object, why: str) -> None:
    result = run_session(
        two_party(), "alternating-offers", {"Port": agent}, seed=0, rounds=5, time_limit=0.01
    )
    assert result.reason == "walk-out"
    assert why in result.walk_outs["Port"]
    assert result.agreement is None
    assert result.utilities == {"Port": 0.3, "Fleet": 0.25}
    assert result.events[-1].kind == "walk-out" and why in str(result.events[-1].data)


class _RaisingMediator(_Raises):
    roles = (Role.MEDIATOR,)


@pytest.mark.parametrize("protocol", ["single-text", "one-text", "shuttle"])
def test_a_failing_mediator_walks_away_and_the_protocol_ends_the_talks(protocol: str) -> None:
    result = run_session(two_party(), protocol, {"Envoy": _RaisingMediator()}, seed=0, rounds=5)
    assert result.reason == "walk-out"
    assert "raised ValueError" in result.walk_outs["Envoy"]
    assert [event.index for event in result.events] == list(range(len(result.events)))
    last = result.events[-1]
    assert (last.kind, last.actor, last.data["walkers"]) == ("walk-out", "Envoy", ("Envoy",))


def test_a_walk_away_is_an_ordinary_end() -> None:
    class Leaves:
        id = "leaves-v1"

        def reset(self, context: SeatContext, rng: np.random.Generator) -> None: ...

        def act(self, observation: Observation) -> WalkAway:
            return WalkAway("not today")

    result = run_session(two_party(), "alternating-offers", {"Port": Leaves()}, seed=0)
    assert result.reason == "walk-out" and not result.walk_outs


def test_discounted_utilities_shrink_with_the_time_of_agreement() -> None:
    scenario = two_party()
    agents = {"Port": "boulware", "Fleet": "boulware"}
    plain = run_session(scenario, "alternating-offers", agents, seed=2, rounds=20)
    discounted = run_session(
        scenario, "alternating-offers", agents, seed=2, rounds=20, options={"discount": 0.5}
    )
    assert plain.agreement == discounted.agreement
    share = plain.rounds / 20
    for party, value in plain.utilities.items():
        assert discounted.utilities[party] == pytest.approx(value * 0.5**share)


def _rational(result: SessionResult) -> None:
    if result.agreement is None:
        return
    scenario = two_party() if len(result.parties) == 2 else three_party()
    utilities = scenario_utilities(scenario)
    choices = np.array([scenario.agenda.choices_of(result.agreement)])
    assert utilities.acceptable(choices)[0], "an agreement crosses a red line"
    values = utilities.evaluate(choices)[0]
    assert (values >= utilities.reservations - 1e-12).all(), "an agreement is below a reservation value"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    protocol=st.sampled_from(PROTOCOLS.ids()),
    delegates=st.lists(st.sampled_from(DELEGATION_AGENTS), min_size=3, max_size=3),
    mediator=st.sampled_from(MEDIATORS),
    seed=st.integers(0, 2**32 - 1),
    rounds=st.integers(1, 25),
    bilateral=st.booleans(),
)
@example(
    protocol="single-text-v1",
    delegates=["random-v1"] * 3,
    mediator="hill-climbing-v1",
    seed=0,
    rounds=3,
    bilateral=True,
)
def test_every_agreement_is_rational_for_every_party_and_respects_red_lines(
    protocol: str, delegates: list[str], mediator: str, seed: int, rounds: int, bilateral: bool
) -> None:
    scenario = two_party() if bilateral else three_party()
    agents: dict[str, object] = dict(
        zip((party.name for party in scenario.delegations), delegates, strict=False)
    )
    if scenario.mediator is not None and protocol.split("-v")[0] in (
        "single-text",
        "one-text",
        "shuttle",
        "post-settlement",
    ):
        agents[scenario.mediator.name] = mediator
    result = run_session(scenario, protocol, agents, seed=seed, rounds=rounds)  # type: ignore[arg-type]
    assert not result.walk_outs
    _rational(result)


@settings(max_examples=25, deadline=None)
@given(
    delegates=st.lists(st.sampled_from(DELEGATION_AGENTS), min_size=2, max_size=2),
    mediator=st.sampled_from(MEDIATORS),
    seed=st.integers(0, 2**32 - 1),
    rounds=st.integers(1, 25),
)
def test_post_settlement_never_leaves_anyone_worse_off_than_the_agreement_it_improves(
    delegates: list[str], mediator: str, seed: int, rounds: int
) -> None:
    scenario = two_party()
    agents = dict(zip(("Port", "Fleet"), delegates, strict=True))
    base = run_session(scenario, "alternating-offers", agents, seed=seed, rounds=rounds)
    if base.agreement is None:
        return
    improved = run_session(
        scenario,
        "post-settlement",
        {**agents, "Envoy": mediator},
        seed=seed,
        rounds=rounds,
        options={"agreement": base.agreement},
    )
    assert improved.reason == "agreement"
    for party in ("Port", "Fleet"):
        assert improved.utilities[party] >= base.utilities[party] - 1e-12


def _wide(seed: int) -> Scenario:
    """12 issues × 10 options (10^12 outcomes), two parties with drawn additive preferences."""
    rng = np.random.default_rng(seed)
    issues = tuple(
        DiscreteIssue(f"i{index}", tuple(Option(f"o{value}") for value in range(10))) for index in range(12)
    )
    parties = []
    for name in ("north", "south"):
        weights = rng.random(12)
        preferences = Preferences(
            {
                issue.name: float(weight / weights.sum())
                for issue, weight in zip(issues, weights, strict=True)
            },
            {issue.name: {value: float(rng.random()) for value in issue.values} for issue in issues},
            reservation=0.3,
        )
        parties.append(Party(name, preferences=preferences))
    return Scenario("wide", Agenda(issues), tuple(parties))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pareto_optimality_is_known_far_beyond_enumeration(seed: int) -> None:
    scenario = _wide(seed)
    result = run_session(
        scenario, "alternating-offers", {"north": "conceder", "south": "conceder"}, seed=seed
    )
    assert result.agreement is not None and result.pareto_optimal is not None
    compiled = scenario_utilities(scenario)
    reached = compiled.utilities_of(result.agreement)
    frontier = analyze(scenario).frontier
    dominating = (frontier.utilities >= reached - PARETO_TOLERANCE).all(axis=1) & (
        frontier.utilities > reached + PARETO_TOLERANCE
    ).any(axis=1)
    # every package on the exact frontier is judged optimal
    judged = compiled_scenario(scenario)
    assert all(judged.pareto_optimal(scenario.agenda.outcome(row)) for row in frontier.choices[::7])
    if result.pareto_optimal:
        # nothing in a large sample of the space dominates the agreement
        sample = compiled.evaluate(np.random.default_rng(seed).integers(0, 10, size=(200_000, 12)))
        assert not ((sample >= reached).all(axis=1) & (sample > reached).any(axis=1)).any()
        assert not dominating.any()
    else:
        # a frontier package dominates it, and evaluated on its own it does
        better = compiled.evaluate(frontier.choices[dominating][:1])[0]
        assert (better >= reached).all() and (better > reached).any()


def test_a_frontier_too_large_to_merge_falls_back_to_enumeration(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.analysis.frontier

    monkeypatch.setattr(accord.analysis.frontier, "MERGE_LIMIT", 4)
    scenario = two_party()
    analysis = analyze(scenario)  # the analysis and the session's verdict fall back alike
    assert analysis.frontier_method == "enumeration"
    result = run_session(scenario, "alternating-offers", {}, seed=3)
    assert result.agreement is not None and result.pareto_optimal is not None
    reached = scenario_utilities(scenario).utilities_of(result.agreement)
    assert result.pareto_optimal == (not dominated_by(reached[None, :], analysis.frontier.utilities)[0])
    with pytest.raises(AnalysisError, match="enumeration limit"):
        analyze(scenario, enumeration_limit=10)
