from __future__ import annotations

import pytest

from accord.errors import ProtocolError
from accord.protocols import Accept, Offer, Propose, Reject, Wait, WalkAway
from accord.protocols.post_settlement import PostSettlement

from .conftest import DELEGATIONS, MEDIATOR, assert_illegal, make_setup

ORIGINAL = ("geneva", "security-first", 1)
BETTER = ("oslo", "security-first", 2)
ALL_ACCEPT = {seat: Accept() for seat in DELEGATIONS}


def after_base_agreement() -> tuple[PostSettlement, object]:
    protocol = PostSettlement()
    state = protocol.start(make_setup()).state
    assert protocol.observe(state, "north").stage == "base"
    assert protocol.observe(state, "north").base == "alternating-offers-v1"
    assert protocol.observe(state, "north").protocol == "post-settlement-v1"
    state = protocol.step(state, {"north": Offer(ORIGINAL)}).state
    state = protocol.step(state, {"south": Accept()}).state
    return protocol, protocol.step(state, {"east": Accept()}).state


def test_base_agreement_then_improvement_accepted_by_all() -> None:
    protocol, state = after_base_agreement()
    assert protocol.result(state) is None
    assert protocol.pending(state) == (MEDIATOR,)
    kinds = [event.kind for event in state.journal.events]  # type: ignore[attr-defined]
    assert kinds[-2:] == ["agreement", "improvement-phase"]
    state = protocol.step(state, {MEDIATOR: Propose(BETTER)}).state
    assert protocol.observe(state, "north").on_table == BETTER
    transition = protocol.step(state, ALL_ACCEPT)
    result = protocol.result(transition.state)
    assert result is not None and result.reason == "agreement" and result.agreement == BETTER
    final = transition.events[-1]
    assert final.kind == "agreement" and final.data["original"] == ORIGINAL and final.data["improved"]


def test_a_veto_keeps_the_original() -> None:
    protocol, state = after_base_agreement()
    state = protocol.step(state, {MEDIATOR: Propose(BETTER)}).state
    transition = protocol.step(state, {**ALL_ACCEPT, "south": Reject()})
    result = protocol.result(transition.state)
    assert result is not None and result.reason == "agreement" and result.agreement == ORIGINAL
    assert transition.events[-1].data["improved"] is False
    responses = [event for event in transition.events if event.kind == "response"]
    assert all(event.visible_to == frozenset({MEDIATOR, event.actor}) for event in responses)


def test_mediator_may_find_nothing() -> None:
    protocol, state = after_base_agreement()
    result = protocol.result(protocol.step(state, {MEDIATOR: Wait()}).state)
    assert result is not None and result.agreement == ORIGINAL


def test_base_failure_is_the_result() -> None:
    protocol = PostSettlement()
    state = protocol.start(make_setup()).state
    transition = protocol.step(state, {"north": WalkAway()})
    result = protocol.result(transition.state)
    assert result is not None and result.reason == "walk-out"
    assert protocol.pending(transition.state) == ()


def test_given_agreement_and_other_bases() -> None:
    protocol = PostSettlement()
    state = protocol.start(make_setup(agreement=list(ORIGINAL))).state
    assert protocol.pending(state) == (MEDIATOR,)
    assert protocol.observe(state, MEDIATOR).on_table == ORIGINAL
    state = protocol.start(make_setup(base="single-text")).state
    assert protocol.pending(state) == (MEDIATOR,)
    assert protocol.observe(state, MEDIATOR).allowed == ("propose", "walk-away")


def test_illegal_actions_and_setups() -> None:
    protocol, state = after_base_agreement()
    assert_illegal(protocol, state, {MEDIATOR: Offer(BETTER)}, "may not offer")
    assert_illegal(protocol, state, {MEDIATOR: Propose(("rome", "security-first", 1))}, "'rome' is not")
    state = protocol.step(state, {MEDIATOR: Propose(BETTER)}).state
    assert_illegal(protocol, state, {**ALL_ACCEPT, "north": WalkAway(3)}, "reason must be text")  # type: ignore[arg-type]
    fresh = protocol.start(make_setup()).state
    assert_illegal(protocol, fresh, {"south": Offer(BETTER)}, "not this seat's turn")
    with pytest.raises(ProtocolError, match="needs a mediator"):
        protocol.start(make_setup(mediator=""))
    with pytest.raises(ProtocolError, match=r"options\.base: unknown protocol 'haggling'"):
        protocol.start(make_setup(base="haggling"))
    with pytest.raises(ProtocolError, match="itself"):
        protocol.start(make_setup(base="post-settlement"))
    with pytest.raises(ProtocolError, match="agreement"):
        protocol.start(make_setup(agreement=("rome", "security-first", 1)))


@pytest.mark.parametrize("when", ["improve", "respond"])
def test_leaving_the_improvement_talks_keeps_the_agreement_and_says_who_left(when: str) -> None:
    protocol, state = after_base_agreement()
    if when == "improve":
        actions = {MEDIATOR: WalkAway("nothing to add")}
        walker = MEDIATOR
    else:
        state = protocol.step(state, {MEDIATOR: Propose(BETTER)}).state
        actions = {**ALL_ACCEPT, "south": WalkAway("nothing to add")}
        walker = "south"
    transition = protocol.step(state, actions)
    result = protocol.result(transition.state)
    assert result is not None and (result.reason, result.agreement) == ("agreement", ORIGINAL)
    final = transition.events[-1]
    assert final.kind == "agreement" and final.data["improved"] is False
    assert (final.data["walkers"], final.data["explanation"]) == ((walker,), "nothing to add")
    responses = [event.actor for event in transition.events if event.kind == "response"]
    assert responses == ([] if when == "improve" else ["north", "east"])
