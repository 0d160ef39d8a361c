"""Every registered protocol passes the shipped conformance checks (``accord.testing``) on the
setups below, plus what only Accord's own protocols promise (their journal, their details)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain import Agenda, DiscreteIssue, Option
from accord.errors import AccordError, AgentError, ProtocolError
from accord.protocols import Event, Setup
from accord.protocols.registry import PROTOCOLS, protocol_by_id
from accord.protocols.replay import check_replay, replay
from accord.testing import check_protocol, check_random_run

from .conftest import MEDIATOR, make_setup, small_agenda

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


def check_journal_and_details(protocol: Any, state: Any) -> None:
    """Accord's protocols, beyond the shipped checks: the journal hands out the views, and
    delegations never see the mediator's working details."""
    setup: Setup = state.setup
    for seat in setup.seats:
        observation = protocol.observe(state, seat)
        assert observation.history == state.journal.view(seat)
        if seat in setup.delegations:
            assert observation.critiques is None and not observation.shareable
    with pytest.raises(ProtocolError, match="no seat"):
        protocol.observe(state, "stranger")


def check_confidentiality(events: tuple[Event, ...], setup: Setup) -> None:
    """Accord's rule for private events: a delegation reads one only as its actor or addressee."""
    for event in events:
        if event.visible_to is None:
            continue
        for seat in event.visible_to & set(setup.delegations):
            assert seat in (event.actor, event.data.get("to")), event


@pytest.mark.parametrize("case", sorted(CASES))
@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_random_legal_sessions_keep_the_contract(case: str, seed: int) -> None:
    identifier, setup = CASES[case]
    protocol = protocol_by_id(identifier)
    run = check_random_run(protocol, setup, seed=seed, label=case)
    for state in run.states:
        check_journal_and_details(protocol, state)
    final = run.states[-1]
    assert final.journal.events == run.events
    with pytest.raises(ProtocolError, match="talks are over"):
        protocol.step(final, {})
    check_confidentiality(run.events, setup)


@pytest.mark.parametrize("identifier", PROTOCOLS.ids())
def test_every_registered_protocol_passes_the_shipped_conformance_check(identifier: str) -> None:
    check_protocol(identifier)


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
    with pytest.raises(AgentError, match=r"^protocol: unknown protocol 'haggling'") as caught:
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
