from __future__ import annotations

import pytest

from accord.errors import ProtocolError
from accord.protocols import Accept, Action, CallVote, Offer, Propose, Reject, Vote, WalkAway
from accord.protocols.single_text import SingleText

from .conftest import DELEGATIONS, MEDIATOR, assert_illegal, make_setup

TEXT = ("geneva", "security-first", 1)
CHANGE = ("oslo", "security-first", 1)
ALL_ACCEPT = {seat: Accept() for seat in DELEGATIONS}


def opened(rounds: int = 3) -> tuple[SingleText, object]:
    protocol = SingleText()
    state = protocol.start(make_setup(rounds=rounds)).state
    return protocol, protocol.step(state, {MEDIATOR: Propose(TEXT)}).state


def test_first_proposal_is_the_text_then_changes_need_unanimity() -> None:
    protocol, state = opened()
    assert protocol.observe(state, MEDIATOR).allowed == ("call-vote", "propose", "walk-away")
    assert protocol.observe(state, "north").on_table == TEXT
    state = protocol.step(state, {MEDIATOR: Propose(CHANGE)}).state
    assert protocol.pending(state) == DELEGATIONS
    assert protocol.observe(state, "north").on_table == CHANGE
    vetoed = protocol.step(state, {"north": Accept(), "south": Reject(), "east": Accept()})
    assert [event.kind for event in vetoed.events][-1] == "change-dropped"
    assert protocol.observe(vetoed.state, "north").on_table == TEXT
    adopted = protocol.step(state, ALL_ACCEPT)
    assert adopted.events[-1].kind == "change-adopted"
    assert protocol.observe(adopted.state, "north").on_table == CHANGE
    assert protocol.observe(adopted.state, "north").round == 1


def test_responses_are_private_to_the_mediator_and_author() -> None:
    protocol, state = opened()
    state = protocol.step(state, {MEDIATOR: Propose(CHANGE)}).state
    state = protocol.step(state, {"north": Accept(), "south": Reject(), "east": Accept()}).state
    north = protocol.observe(state, "north").history
    responses = [event for event in north if event.kind == "response"]
    assert [event.actor for event in responses] == ["north"]
    assert len([e for e in protocol.observe(state, MEDIATOR).history if e.kind == "response"]) == 3


def test_deadline_sends_the_text_to_a_vote_agreement_and_rejection() -> None:
    protocol, state = opened(rounds=1)
    state = protocol.step(state, {MEDIATOR: Propose(CHANGE)}).state
    state = protocol.step(state, ALL_ACCEPT).state
    assert protocol.observe(state, "east").phase == "vote"
    assert protocol.observe(state, "east").allowed == ("vote", "walk-away")
    agreed = protocol.step(state, {seat: Vote(True) for seat in DELEGATIONS})
    result = protocol.result(agreed.state)
    assert result is not None and result.reason == "agreement" and result.agreement == CHANGE
    assert result.rounds == 1
    rejected = protocol.step(state, {"north": Vote(True), "south": Vote(False), "east": Vote(True)})
    result = protocol.result(rejected.state)
    assert result is not None and result.reason == "rejected" and result.agreement is None
    assert rejected.events[-1].kind == "rejected"


def test_call_vote_ends_early() -> None:
    protocol, state = opened(rounds=10)
    state = protocol.step(state, {MEDIATOR: CallVote()}).state
    state = protocol.step(state, {seat: Vote(True) for seat in DELEGATIONS}).state
    result = protocol.result(state)
    assert result is not None and result.agreement == TEXT and result.rounds == 0


def test_illegal_actions() -> None:
    protocol = SingleText()
    state = protocol.start(make_setup()).state
    assert_illegal(protocol, state, {MEDIATOR: CallVote()}, "may not call-vote.*may only propose")
    assert_illegal(protocol, state, {"north": Accept()}, "not this seat's turn")
    assert_illegal(protocol, state, {MEDIATOR: Offer(TEXT)}, "may not offer")
    assert_illegal(protocol, state, {MEDIATOR: Propose(("geneva", "security-first", 9))}, "9 is not a value")
    state = protocol.step(state, {MEDIATOR: Propose(TEXT)}).state
    state = protocol.step(state, {MEDIATOR: Propose(CHANGE)}).state
    assert_illegal(protocol, state, {"north": Accept(), "south": Accept()}, "no action from awaited seat")
    assert_illegal(protocol, state, {**ALL_ACCEPT, "east": Vote(True)}, "'east' may not vote")
    state = protocol.step(state, ALL_ACCEPT).state
    state = protocol.step(state, {MEDIATOR: CallVote()}).state
    assert_illegal(protocol, state, {**{s: Vote(True) for s in DELEGATIONS}, "north": Vote(1)}, "a vote must")


def test_needs_a_mediator() -> None:
    with pytest.raises(ProtocolError, match="needs a mediator"):
        SingleText().start(make_setup(mediator=""))


@pytest.mark.parametrize("phase", ["propose", "respond", "vote"])
def test_any_awaited_seat_may_walk_away_and_the_talks_end(phase: str) -> None:
    protocol, state = opened(rounds=1)
    if phase == "propose":
        actions: dict[str, Action] = {MEDIATOR: WalkAway("called home")}
        walkers = [MEDIATOR]
    elif phase == "respond":
        state = protocol.step(state, {MEDIATOR: Propose(CHANGE)}).state
        actions = {**ALL_ACCEPT, "south": WalkAway("called home"), "east": WalkAway("too")}
        walkers = ["south", "east"]
    else:
        state = protocol.step(state, {MEDIATOR: CallVote()}).state
        actions = {seat: Vote(True) for seat in DELEGATIONS} | {"north": WalkAway("called home")}
        walkers = ["north"]
    assert "walk-away" in protocol.observe(state, protocol.pending(state)[0]).allowed
    transition = protocol.step(state, actions)
    result = protocol.result(transition.state)
    assert result is not None and (result.reason, result.agreement) == ("walk-out", None)
    assert protocol.pending(transition.state) == ()
    final = transition.events[-1]
    assert (final.kind, final.actor, final.visible_to) == ("walk-out", walkers[0], None)
    assert (final.data["walkers"], final.data["explanation"]) == (tuple(walkers), "called home")
    others = [event.actor for event in transition.events[:-1]]
    assert others == [seat for seat in DELEGATIONS if seat not in walkers and phase != "propose"]
