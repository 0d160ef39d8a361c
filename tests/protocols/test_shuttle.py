from __future__ import annotations

import pytest

from accord.errors import ProtocolError
from accord.protocols import Accept, Message, Offer, PassOn, Propose, Reject, Wait, WalkAway
from accord.protocols.shuttle import Shuttle

from .conftest import DELEGATIONS, MEDIATOR, assert_illegal, make_setup

PACKAGE = ("oslo", "security-first", 2)
QUIET = {seat: Wait() for seat in DELEGATIONS}


def consulted(rounds: int = 3, **options: object) -> tuple[Shuttle, object]:
    protocol = Shuttle()
    state = protocol.start(make_setup(rounds=rounds, **options)).state
    messages = {
        "north": Message("we could live with oslo", offer=PACKAGE, shareable=True),
        "south": Message("our bottom line: no monitors", shareable=False),
        "east": Wait(),
    }
    return protocol, protocol.step(state, messages).state


def test_messages_are_numbered_and_private() -> None:
    protocol, state = consulted()
    mediator = protocol.observe(state, MEDIATOR)
    numbers = [(event.actor, event.data["number"]) for event in mediator.history if event.kind == "message"]
    assert numbers == [("north", 1), ("south", 2)]
    assert (mediator.shareable, mediator.moves_left) == (((1, "north"),), 9)
    assert protocol.observe(state, "north").shareable == ()
    assert mediator.allowed == ("message", "pass-on", "propose", "wait", "walk-away")
    east = protocol.observe(state, "east").history
    assert [event.kind for event in east] == ["opening"]


def test_pass_on_reaches_only_the_addressee_with_the_authors_name() -> None:
    protocol, state = consulted()
    transition = protocol.step(state, {MEDIATOR: PassOn(1, to="east")})
    (event,) = transition.events
    assert event.kind == "passed-on" and event.visible_to == frozenset({MEDIATOR, "east"})
    assert event.data["author"] == "north" and event.data["offer"] == PACKAGE
    state = transition.state
    assert protocol.pending(state) == (MEDIATOR,)
    assert all(event.kind != "passed-on" for event in protocol.observe(state, "south").history)
    state = protocol.step(state, {MEDIATOR: Message("think again", to="south")}).state
    assert protocol.observe(state, "south").history[-1].data["text"] == "think again"
    assert protocol.observe(state, "north").history[-1].kind != "message" or (
        protocol.observe(state, "north").history[-1].actor == "north"
    )


def test_illegal_pass_ons_and_messages() -> None:
    protocol, state = consulted()
    assert_illegal(protocol, state, {MEDIATOR: PassOn(2, to="east")}, "for the mediator only")
    assert_illegal(protocol, state, {MEDIATOR: PassOn(7, to="east")}, "no message 7")
    assert_illegal(protocol, state, {MEDIATOR: PassOn(1, to="north")}, "written by 'north' itself")
    assert_illegal(protocol, state, {MEDIATOR: PassOn(1, to="nobody")}, "'nobody' is not a delegation")
    assert_illegal(protocol, state, {MEDIATOR: Message("hi")}, "writes to one delegation")
    assert_illegal(protocol, state, {MEDIATOR: Offer(PACKAGE)}, "may not offer")
    assert_illegal(protocol, state, {"north": Wait()}, "not this seat's turn")
    fresh = protocol.start(make_setup()).state
    assert_illegal(protocol, fresh, {**QUIET, "north": Message("psst", to="south")}, "only to the mediator")
    bad_offer = Message("x", offer=("rome", "security-first", 2))
    assert_illegal(protocol, fresh, {**QUIET, "north": bad_offer}, "'rome' is not an option")


def test_proposal_accepted_by_all_is_an_agreement() -> None:
    protocol, state = consulted()
    state = protocol.step(state, {MEDIATOR: Propose(PACKAGE)}).state
    assert protocol.observe(state, "south").on_table == PACKAGE
    declined = protocol.step(state, {"north": Accept(), "south": Reject(), "east": Accept()})
    assert [event.kind for event in declined.events][-1] == "proposal-declined"
    assert protocol.observe(declined.state, "north").phase == "consult"
    assert protocol.observe(declined.state, "north").round == 1
    agreed = protocol.step(state, {seat: Accept() for seat in DELEGATIONS})
    result = protocol.result(agreed.state)
    assert result is not None and result.reason == "agreement" and result.agreement == PACKAGE


def test_deadline_and_walk_out() -> None:
    protocol = Shuttle()
    state = protocol.start(make_setup(rounds=2)).state
    for _ in range(2):
        state = protocol.step(state, QUIET).state
        state = protocol.step(state, {MEDIATOR: Wait()}).state
    result = protocol.result(state)
    assert result is not None and result.reason == "deadline" and result.rounds == 2
    walked = protocol.step(protocol.start(make_setup()).state, {**QUIET, "east": WalkAway("enough")})
    result = protocol.result(walked.state)
    assert result is not None and result.reason == "walk-out"
    assert walked.events[-1].actor == "east" and walked.events[-1].visible_to is None


def test_mediator_moves_are_capped() -> None:
    protocol, state = consulted(mediator_moves=1)
    state = protocol.step(state, {MEDIATOR: PassOn(1, to="east")}).state
    assert protocol.observe(state, MEDIATOR).allowed == ("propose", "wait", "walk-away")
    assert_illegal(protocol, state, {MEDIATOR: PassOn(1, to="south")}, "may only propose / wait / walk-away")
    with pytest.raises(ProtocolError, match="mediator_moves"):
        protocol.start(make_setup(mediator_moves=-1))
