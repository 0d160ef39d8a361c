"""The batch engine gives exactly what ``run_session`` gives, session by session, field by field."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.batch import BatchSession, covers, play_batch
from accord.batch.alternating import REASONS
from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
from accord.protocols import Options
from accord.session import SessionResult, run_session
from accord.testing.strategies import small_scenarios
from scenarios import three_party, two_party

COVERED = ("boulware", "linear", "conceder", "tit-for-tat", "frequency")
TIME_BASED = (*COVERED, "boulware-v1", "linear-v1", "conceder-v1", "tit-for-tat-v1", "frequency-v1")
#: The delegations' agents the batch plays in the single text (not the frequency agent).
IN_THE_TEXT = ("boulware", "linear", "conceder", "tit-for-tat", "tit-for-tat-v1")
MEDIATORS = (None, "hill-climbing", "hill-climbing-v1", "nash-mediator", "nash-mediator-v1")


def assert_same(batch: SessionResult, single: SessionResult) -> None:
    """Field by field first (a failure then names the field), then the whole results."""
    for field in dataclasses.fields(SessionResult):
        if field.name != "compiled":
            assert getattr(batch, field.name) == getattr(single, field.name), field.name
    assert batch.steps == single.steps
    assert batch.trajectory == single.trajectory
    assert batch == single


def check_batch(sessions: list[BatchSession], *, trace: bool, protocol: str = "alternating-offers") -> None:
    run = play_batch(sessions, protocol, trace=trace)
    assert len(run) == len(sessions)
    for index, session in enumerate(sessions):
        single = run_session(
            session.scenario,
            protocol,
            dict(session.agents),
            seed=session.seed,
            rounds=session.rounds,
            options=session.options,
        )
        summary = run.summary(index)
        assert (summary.reason, summary.agreement, summary.rounds) == (
            single.reason,
            single.agreement,
            single.rounds,
        )
        assert summary.utilities == single.utilities and summary.pareto_optimal == single.pareto_optimal
        assert summary.agents == single.agents and summary.agreement_mapping() == single.agreement_mapping()
        assert REASONS[int(run.reasons[index])] == single.reason
        assert_same(run.result(index), single)


@st.composite
def batches(draw: st.DrawFn) -> list[BatchSession]:
    """A few scenarios (2 to 4 delegations, red lines, interactions, caps), each with a few sessions."""
    sessions = []
    for _ in range(draw(st.integers(1, 3))):
        scenario = draw(
            st.one_of(
                small_scenarios(max_parties=4),
                small_scenarios(max_parties=3, interactions=True),
                small_scenarios(max_parties=3, capped=True),
            )
        )
        names = [party.name for party in scenario.delegations]
        discount = draw(st.sampled_from((None, None, 0.9, 0.5)))
        options = Options.from_mapping({} if discount is None else {"discount": discount})
        for _ in range(draw(st.integers(1, 3))):
            agents = draw(st.lists(st.sampled_from(TIME_BASED), min_size=len(names), max_size=len(names)))
            seating = dict(zip(names, agents, strict=True))
            if draw(st.booleans()):  # a seat left out gets the protocol's default, as in run_session
                seating.pop(names[0])
            sessions.append(
                BatchSession(
                    scenario=scenario,
                    agents=seating,
                    seed=draw(st.integers(0, 2**63 - 1)),
                    rounds=draw(st.integers(1, 40)),
                    options=options,
                )
            )
    return sessions


@settings(max_examples=60)
@given(batches(), st.booleans())
def test_random_batches_give_what_run_session_gives(sessions: list[BatchSession], trace: bool) -> None:
    check_batch(sessions, trace=trace)


@pytest.mark.parametrize("scenario", [two_party(), three_party()], ids=["two-party", "three-party"])
@pytest.mark.parametrize("rounds", [1, 2, 3, 10, 100])
def test_every_seating_of_the_example_scenarios(scenario: Scenario, rounds: int) -> None:
    names = [party.name for party in scenario.delegations]
    sessions = [
        BatchSession(
            scenario=scenario, agents=dict(zip(names, agents, strict=True)), seed=seed, rounds=rounds
        )
        for seed, agents in enumerate(itertools.product(COVERED, repeat=len(names)))
    ]
    check_batch(sessions, trace=False)


def nothing_rational() -> Scenario:
    """B can sign nothing: it walks away at its first turn, the first mover offering nothing."""
    agenda = Agenda((DiscreteIssue("room", (Option("north"), Option("south"))),))
    values = {"room": {"north": 0.8, "south": 0.0}}
    parties = (
        Party("A", preferences=Preferences({"room": 1.0}, values)),
        Party("B", preferences=Preferences({"room": 1.0}, values, reservation=0.9)),
    )
    return Scenario("unreachable", agenda, parties)


@pytest.mark.parametrize("first", ["A", "B"])
def test_a_party_with_nothing_rational_walks_away(first: str) -> None:
    scenario = nothing_rational()
    if first == "B":
        scenario = dataclasses.replace(scenario, parties=scenario.parties[::-1])
    session = BatchSession(scenario=scenario, agents={"A": "linear", "B": "conceder"}, seed=1, rounds=5)
    run = play_batch([session])
    assert run.summary(0).reason == "walk-out"
    check_batch([session], trace=True)


def test_what_the_batch_does_not_cover() -> None:
    scenario = two_party()
    for agent in COVERED:
        assert covers(BatchSession(scenario=scenario, agents={"Port": agent}, seed=0), "alternating-offers")
    not_covered = [
        (BatchSession(scenario=scenario, agents={"Port": "random"}, seed=0), "alternating-offers"),
        (BatchSession(scenario=scenario, agents={"Nobody": "linear"}, seed=0), "alternating-offers"),
        (BatchSession(scenario=scenario, agents={"Port": "no-such-agent"}, seed=0), "alternating-offers"),
        (BatchSession(scenario=scenario, agents={}, seed=0), "one-text"),
        (BatchSession(scenario=scenario, agents={}, seed=0), "no-such-protocol"),
        (BatchSession(scenario=scenario, agents={}, seed=0, rounds=0), "alternating-offers"),
    ]
    for session, protocol in not_covered:
        assert not covers(session, protocol)
    with pytest.raises(ValueError, match="does not play"):
        play_batch([not_covered[0][0]])


def test_an_agenda_too_large_to_rank_is_left_to_run_session() -> None:
    """Beyond MAX_RANKED outcomes an agent samples with its seat's generator: not the batch's to play."""
    options = tuple(Option(f"o{number}") for number in range(10))
    agenda = Agenda(tuple(DiscreteIssue(f"issue{number}", options) for number in range(6)))
    values = {
        issue.name: {option: float(index) / 9 for index, option in enumerate(issue.values)}
        for issue in agenda.issues
    }
    parties = tuple(
        Party(name, preferences=Preferences({issue.name: 1 / 6 for issue in agenda.issues}, values))
        for name in "AB"
    )
    assert not covers(
        BatchSession(scenario=Scenario("large", agenda, parties), agents={}, seed=0), "alternating-offers"
    )


def test_a_large_batch_on_one_scenario_shares_its_plans() -> None:
    scenario = two_party()
    sessions = [
        BatchSession(scenario=scenario, agents={"Port": "boulware", "Fleet": agent}, seed=seed, rounds=30)
        for seed, agent in zip(range(3000), itertools.cycle(("boulware", "linear", "conceder")), strict=False)
    ]
    run = play_batch(sessions)
    for index in (0, 1, 2):
        assert np.all(run.rounds[index::3] == run.rounds[index])  # the agents draw nothing at random
        assert_same(
            run.result(index),
            run_session(scenario, "alternating-offers", dict(sessions[index].agents), seed=index, rounds=30),
        )


@st.composite
def text_batches(draw: st.DrawFn) -> list[BatchSession]:
    """Single-text sessions: a few scenarios, time-based and tit-for-tat delegations, the hill-climbing
    mediator (named, or the protocol's default) or the Nash-seeking one, random seeds and deadlines."""
    sessions = []
    for _ in range(draw(st.integers(1, 3))):
        scenario = draw(
            st.one_of(small_scenarios(max_parties=5), small_scenarios(max_parties=3, interactions=True))
        )
        names = [party.name for party in scenario.delegations]
        rounds = draw(st.integers(1, 30))
        for _ in range(draw(st.integers(1, 3))):
            agents = draw(st.lists(st.sampled_from(IN_THE_TEXT), min_size=len(names), max_size=len(names)))
            seating = dict(zip(names, agents, strict=True))
            mediator = draw(st.sampled_from(MEDIATORS))
            if mediator is not None:  # else the protocol's default: the hill-climber
                seating["Mediator"] = mediator
            sessions.append(
                BatchSession(
                    scenario=scenario, agents=seating, seed=draw(st.integers(0, 2**63 - 1)), rounds=rounds
                )
            )
    return sessions


@settings(max_examples=40)
@given(text_batches(), st.booleans())
def test_random_single_text_batches_give_what_run_session_gives(
    sessions: list[BatchSession], trace: bool
) -> None:
    check_batch(sessions, trace=trace, protocol="single-text")


@pytest.mark.parametrize("rounds", [1, 2, 10, 100])
def test_single_text_on_the_example_scenarios(rounds: int) -> None:
    sessions = []
    for scenario in (two_party(), three_party()):
        names = [party.name for party in scenario.delegations]
        sessions += [
            BatchSession(
                scenario=scenario, agents=dict(zip(names, agents, strict=True)), seed=seed, rounds=rounds
            )
            for seed, agents in enumerate(itertools.product(COVERED[:4], repeat=len(names)))
        ]
    check_batch(sessions, trace=False, protocol="single-text")


def test_what_the_batch_does_not_cover_in_the_single_text() -> None:
    scenario = two_party()  # its mediator is "Envoy"
    for mediator in ("hill-climbing", "nash-mediator"):
        assert covers(BatchSession(scenario=scenario, agents={"Envoy": mediator}, seed=0), "single-text")
    assert covers(BatchSession(scenario=scenario, agents={"Port": "tit-for-tat"}, seed=0), "single-text")
    for agents in (
        {"Envoy": "drafter"},
        {"Port": "frequency"},
        {"Port": "random"},
        {"Mediator": "hill-climbing"},  # no such seat here
    ):
        assert not covers(BatchSession(scenario=scenario, agents=agents, seed=0), "single-text"), agents


def test_single_text_with_nothing_to_change() -> None:
    """One package only: the mediator has nothing to change and proposes the text itself."""
    agenda = Agenda((DiscreteIssue("room", (Option("north"),)), DiscreteIssue("day", (Option("monday"),))))
    values = {"room": {"north": 0.6}, "day": {"monday": 0.5}}
    parties = tuple(
        Party(name, preferences=Preferences({"room": 0.5, "day": 0.5}, values, reservation=0.2))
        for name in "AB"
    )
    scenario = Scenario("one package", agenda, parties)
    sessions = [
        BatchSession(scenario=scenario, agents={"A": "boulware", "B": "conceder"}, seed=seed, rounds=rounds)
        for seed, rounds in enumerate((1, 2, 5))
    ]
    check_batch(sessions, trace=False, protocol="single-text")


@pytest.mark.parametrize("rounds", [1, 3, 30])
def test_single_text_with_the_nash_mediator_on_the_example_scenarios(rounds: int) -> None:
    sessions = []
    for scenario in (two_party(), three_party()):
        names = [party.name for party in scenario.delegations]
        mediator = scenario.mediator.name if scenario.mediator else "Mediator"
        sessions += [
            BatchSession(
                scenario=scenario,
                agents={mediator: "nash-mediator", **dict(zip(names, agents, strict=True))},
                seed=seed,
                rounds=rounds,
            )
            for seed, agents in enumerate(itertools.product(COVERED[:4], repeat=len(names)))
        ]
    check_batch(sessions, trace=False, protocol="single-text")
    run = play_batch(sessions, "single-text")
    assert {run.summary(index).reason for index in range(len(sessions))} >= {"agreement"}


def test_the_nash_mediator_with_no_outcome_rational_for_all_keeps_a_random_text() -> None:
    """With no Nash point it opens with a text drawn from its generator and proposes it every round."""
    scenario = nothing_rational()
    sessions = [
        BatchSession(
            scenario=scenario,
            agents={"Mediator": "nash-mediator", "A": "boulware", "B": "linear"},
            seed=seed,
            rounds=4,
        )
        for seed in range(8)
    ]
    check_batch(sessions, trace=True, protocol="single-text")
    run = play_batch(sessions, "single-text")
    firsts = {run.result(index).events[1].data["text"] for index in range(len(sessions))}
    assert firsts == {("north",), ("south",)}  # drawn per seed


@pytest.mark.parametrize("seating", [("frequency", "conceder"), ("linear", "frequency"), ("frequency",) * 3])
def test_the_frequency_agent_on_many_issues(seating: tuple[str, ...]) -> None:
    """Nine issues: its issue weights are summed over more than eight terms (numpy's pairwise sum, the
    agent's), and its candidates often number the full 64."""
    rng = np.random.default_rng(len(seating))
    options = tuple(Option(f"o{number}") for number in range(3))
    agenda = Agenda(tuple(DiscreteIssue(f"issue{number}", options) for number in range(9)))
    parties = []
    for name in ("A", "B", "C")[: len(seating)]:
        weights = rng.random(9)
        values = {
            issue.name: dict(zip(issue.values, rng.random(3).round(3).tolist(), strict=True))
            for issue in agenda.issues
        }
        parties.append(
            Party(
                name,
                preferences=Preferences(
                    dict(zip(agenda.names, (weights / weights.sum()).tolist(), strict=True)),
                    values,
                    reservation=0.2,
                ),
            )
        )
    scenario = Scenario("nine issues", agenda, tuple(parties))
    seats = dict(zip(("A", "B", "C"), seating, strict=False))
    sessions = [
        BatchSession(scenario=scenario, agents=seats, seed=seed, rounds=rounds)
        for seed, rounds in enumerate((5, 40, 120))
    ]
    check_batch(sessions, trace=True)
