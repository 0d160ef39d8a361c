from __future__ import annotations

import pytest

from accord.errors import ProtocolError
from accord.protocols import Accept, Offer, Reject, WalkAway
from accord.protocols.alternating_offers import AlternatingOffers

from .conftest import DELEGATIONS, assert_illegal, make_setup

DEAL = ("oslo", "security-first", 2)
OTHER = ("geneva", "politics-first", 1)


def test_agreement_when_all_others_accept() -> None:
    protocol = AlternatingOffers()
    state = protocol.start(make_setup()).state
    assert protocol.pending(state) == ("north",)
    assert protocol.observe(state, "north").allowed == ("offer", "walk-away")
    state = protocol.step(state, {"north": Offer(DEAL)}).state
    state = protocol.step(state, {"south": Accept()}).state
    assert protocol.result(state) is None
    transition = protocol.step(state, {"east": Accept()})
    result = protocol.result(transition.state)
    assert result is not None and result.reason == "agreement" and result.agreement == DEAL
    assert result.rounds == 0
    assert transition.events[-1].kind == "agreement"
    assert transition.events[-1].data["agreement"] == DEAL
    assert protocol.pending(transition.state) == ()


def test_counter_offer_resets_acceptances_and_stacks_across_rounds() -> None:
    protocol = AlternatingOffers()
    state = protocol.start(make_setup()).state
    state = protocol.step(state, {"north": Offer(DEAL)}).state
    state = protocol.step(state, {"south": Accept()}).state
    state = protocol.step(state, {"east": Offer(OTHER)}).state
    assert protocol.observe(state, "north").round == 1
    assert protocol.observe(state, "north").on_table == OTHER
    state = protocol.step(state, {"north": Accept()}).state
    assert protocol.result(state) is None
    state = protocol.step(state, {"south": Accept()}).state
    result = protocol.result(state)
    assert result is not None and result.agreement == OTHER and result.rounds == 1


def test_deadline_after_rounds_full_cycles() -> None:
    protocol = AlternatingOffers()
    state = protocol.start(make_setup(rounds=2)).state
    for _ in range(2):
        for seat in DELEGATIONS:
            state = protocol.step(state, {seat: Offer(DEAL)}).state
    result = protocol.result(state)
    assert result is not None and result.reason == "deadline" and result.rounds == 2
    assert state.journal.events[-1].kind == "deadline"


def test_walk_away_ends_for_everyone() -> None:
    protocol = AlternatingOffers()
    state = protocol.start(make_setup()).state
    state = protocol.step(state, {"north": Offer(DEAL)}).state
    transition = protocol.step(state, {"south": WalkAway("too little")})
    result = protocol.result(transition.state)
    assert result is not None and result.reason == "walk-out" and result.agreement is None
    assert transition.events[-1].actor == "south"
    assert transition.events[-1].data["explanation"] == "too little"


def test_illegal_actions_leave_the_state_unchanged() -> None:
    protocol = AlternatingOffers()
    state = protocol.start(make_setup()).state
    assert_illegal(protocol, state, {"south": Offer(DEAL)}, "'south' may not offer.*not this seat's turn")
    assert_illegal(protocol, state, {"north": Accept()}, "seat 'north' may not accept.*may only offer")
    assert_illegal(protocol, state, {"north": Offer(("paris", "security-first", 2))}, "'paris' is not")
    assert_illegal(protocol, state, {"north": Offer(("oslo",))}, "has 3 values")
    assert_illegal(protocol, state, {}, "no action from awaited seat")
    state = protocol.step(state, {"north": Offer(DEAL)}).state
    assert_illegal(protocol, state, {"south": Reject()}, "may not reject")


def test_bad_setup() -> None:
    with pytest.raises(ProtocolError, match="discount"):
        AlternatingOffers().start(make_setup(discount=1.5))
    with pytest.raises(ProtocolError, match="rounds"):
        AlternatingOffers().start(make_setup(rounds=0))
