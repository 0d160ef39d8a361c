"""Checks every registered protocol passes, driven by random legal action sequences."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain import Agenda, DiscreteIssue, Option
from accord.errors import AccordError, AgentError, ProtocolError
from accord.protocols import (
    Accept,
    AcceptPackages,
    Action,
    CallVote,
    Critique,
    Event,
    Message,
    Offer,
    PassOn,
    Propose,
    Reject,
    Setup,
    Vote,
    Wait,
    WalkAway,
    action_kind,
    action_to_data,
    visible_events,
)
from accord.protocols.legality import outcome_data
from accord.protocols.registry import PROTOCOLS, protocol_by_id
from accord.protocols.replay import check_replay, replay
from accord.testing.random_actions import random_action

from .conftest import DELEGATIONS, MEDIATOR, make_setup, small_agenda

KEBAB = re.compile(r"^[a-z]+(-[a-z]+)*$")
CANDIDATES = [("oslo", "security-first", 2), ("geneva", "politics-first", 0), ("astana", "security-first", 3)]
PAIR = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))

CASES: dict[str, tuple[str, Setup]] = {
    "alternating-offers": ("alternating-offers-v1", make_setup(rounds=4)),
    "alternating-offers, no mediator, discounted": (
        "alternating-offers-v1",
        make_setup(mediator="", rounds=3, discount=0.9),
    ),
    "alternating-offers, two parties": (
        "alternating-offers-v1",
        Setup(agenda=PAIR, delegations=("north", "south"), rounds=5),
    ),
    "single-text": ("single-text-v1", make_setup(rounds=4)),
    "one-text": ("one-text-v1", make_setup(rounds=3)),
    "shuttle": ("shuttle-v1", make_setup(rounds=3)),
    "blind-bidding": ("blind-bidding-v1", make_setup(rounds=3)),
    "blind-bidding, candidates": (
        "blind-bidding-v1",
        make_setup(mediator="", rounds=3, candidates=CANDIDATES),
    ),
    "blind-bidding, two parties": (
        "blind-bidding-v1",
        Setup(agenda=PAIR, delegations=("north", "south"), mediator=MEDIATOR, rounds=3),
    ),
    "post-settlement": ("post-settlement-v1", make_setup(rounds=4)),
    "post-settlement, given agreement": (
        "post-settlement-v1",
        make_setup(agreement=CANDIDATES[0]),
    ),
    "post-settlement over single-text": ("post-settlement-v1", make_setup(rounds=2, base="single-text")),
    "post-settlement over blind-bidding": (
        "post-settlement-v1",
        Setup(
            agenda=PAIR, delegations=("north", "south"), mediator=MEDIATOR, options={"base": "blind-bidding"}
        ),
    ),
}


def sample_actions(outcome: tuple[Any, ...]) -> list[Action]:
    """One action of every kind, for trying kinds that are not allowed."""
    return [
        Offer(outcome),
        Accept(),
        Reject(),
        WalkAway(),
        Wait(),
        Propose(outcome),
        CallVote(),
        Vote(True),
        Critique(()),
        Message("x"),
        PassOn(1, to=DELEGATIONS[0]),
        AcceptPackages(()),
    ]


def check_illegal_moves(
    protocol: Any, state: Any, legal: dict[str, Action], rng: np.random.Generator
) -> None:
    """Three kinds of illegal step, each refused with the state unchanged."""
    setup: Setup = state.setup
    before = copy.deepcopy(state)
    pending = protocol.pending(state)
    seat = pending[int(rng.integers(len(pending)))]
    allowed = protocol.observe(state, seat).allowed
    wrong = [action for action in sample_actions(CANDIDATES[0]) if action_kind(action) not in allowed]
    attempts = [{**legal, seat: wrong[int(rng.integers(len(wrong)))]}]
    outsiders = [other for other in setup.seats if other not in pending]
    if outsiders:
        attempts.append({**legal, outsiders[0]: Wait()})
    attempts.append({other: action for other, action in legal.items() if other != seat})
    for actions in attempts:
        with pytest.raises(ProtocolError):
            protocol.step(state, actions)
        assert state == before


def check_observations(protocol: Any, state: Any) -> None:
    setup: Setup = state.setup
    pending = protocol.pending(state)
    for seat in setup.seats:
        observation = protocol.observe(state, seat)
        assert observation.history == state.journal.view(seat)
        assert observation.seat == seat and observation.rounds == setup.rounds
        assert 0 <= observation.round <= setup.rounds
        assert bool(observation.allowed) == (seat in pending), (seat, observation)
        if seat in setup.delegations:
            assert observation.critiques is None and not observation.shareable
    with pytest.raises(ProtocolError, match="no seat"):
        protocol.observe(state, "stranger")


def check_confidentiality(events: tuple[Event, ...], setup: Setup) -> None:
    for event in events:
        if event.visible_to is None:
            continue
        assert event.actor in event.visible_to, event
        for seat in event.visible_to & set(setup.delegations):
            assert seat in (event.actor, event.data.get("to")), event


def play(
    identifier: str, setup: Setup, seed: int
) -> tuple[Any, Any, list[dict[str, Action]], tuple[Event, ...]]:
    rng = np.random.default_rng(seed)
    protocol = protocol_by_id(identifier)
    transition = protocol.start(setup)
    state, events, steps = transition.state, list(transition.events), []
    for _ in range(2_000):
        check_observations(protocol, state)
        pending = protocol.pending(state)
        if not pending:
            break
        actions = {
            seat: random_action(
                protocol.observe(state, seat), rng, agenda=setup.agenda, delegations=setup.delegations
            )
            for seat in pending
        }
        if rng.random() < 0.15:
            check_illegal_moves(protocol, state, actions, rng)
        transition = protocol.step(state, actions)
        assert transition.state.journal.events[len(events) :] == transition.events
        state = transition.state
        events.extend(transition.events)
        steps.append(actions)
    return protocol, state, steps, tuple(events)


@pytest.mark.parametrize("case", sorted(CASES))
@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_legal_sessions_keep_the_contract(case: str, seed: int) -> None:
    identifier, setup = CASES[case]
    protocol, state, steps, events = play(identifier, setup, seed)
    result = protocol.result(state)
    assert result is not None, "a random session must end"
    assert protocol.pending(state) == ()
    with pytest.raises(ProtocolError, match="talks are over"):
        protocol.step(state, {})
    # the journal: every event, numbered in order, kebab-case, each seat's view exactly what it may read
    assert state.journal.events == events
    assert [event.index for event in events] == list(range(len(events)))
    assert all(KEBAB.match(event.kind) for event in events)
    for seat in setup.seats:
        assert state.journal.view(seat) == visible_events(events, seat)
    check_confidentiality(events, setup)
    # the final event carries the result
    final = events[-1]
    assert final.kind == result.reason and final.visible_to is None
    assert final.data["agreement"] == outcome_data(result.agreement)
    assert final.data["rounds"] == result.rounds <= setup.rounds
    if result.agreement is not None:
        setup.agenda.choices_of(result.agreement)
    # events survive JSON
    for event in events:
        assert Event.from_data(json.loads(json.dumps(event.to_data()))) == event
    # replaying the stored actions rebuilds the same state and events
    stored = json.loads(json.dumps([{seat: action_to_data(a) for seat, a in step.items()} for step in steps]))
    replayed = replay(protocol_by_id(identifier), setup, stored)
    assert replayed.state == state
    assert replayed.events == events
    check_replay(protocol, setup, stored, expected=[Event.from_data(event.to_data()) for event in events])


def test_every_registered_protocol_is_exercised() -> None:
    assert {identifier for identifier, _ in CASES.values()} == set(PROTOCOLS.ids())
    assert PROTOCOLS.ids() == (
        "alternating-offers-v1",
        "blind-bidding-v1",
        "one-text-v1",
        "post-settlement-v1",
        "shuttle-v1",
        "single-text-v1",
    )


@pytest.mark.parametrize("identifier", PROTOCOLS.ids())
def test_registry_builds_each_protocol_by_versioned_and_bare_name(identifier: str) -> None:
    protocol = protocol_by_id(identifier)
    assert protocol.id == identifier
    assert protocol_by_id(identifier.removesuffix("-v1")).id == identifier
    with pytest.raises(ProtocolError, match="at least two delegations"):
        protocol.start(Setup(agenda=small_agenda(), delegations=("north",), mediator=MEDIATOR))


def test_unknown_protocol_is_an_accord_error() -> None:
    with pytest.raises(AgentError, match="unknown id 'haggling'") as caught:
        protocol_by_id("haggling")
    assert isinstance(caught.value, AccordError)


def test_check_replay_names_the_first_difference() -> None:
    setup = make_setup(rounds=2)
    steps = [{"north": {"kind": "offer", "outcome": list(CANDIDATES[0])}}, {"south": {"kind": "accept"}}]
    events = list(replay(protocol_by_id("alternating-offers"), setup, steps).events)
    tampered = [*events[:-1], Event.from_data({**events[-1].to_data(), "actor": "east"})]
    with pytest.raises(ProtocolError, match="differs at event 2"):
        check_replay(protocol_by_id("alternating-offers"), setup, steps, expected=tampered)
    with pytest.raises(ProtocolError, match="the stored log holds 2"):
        check_replay(protocol_by_id("alternating-offers"), setup, steps, expected=events[:2])
    with pytest.raises(ProtocolError, match="malformed action"):
        replay(protocol_by_id("alternating-offers"), setup, [{"north": {"kind": "bribe"}}])
