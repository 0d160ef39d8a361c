from __future__ import annotations

import pytest

from accord.errors import ProtocolError
from accord.protocols import AcceptPackages, Offer, WalkAway
from accord.protocols.blind_bidding import BlindBidding

from .conftest import DELEGATIONS, MEDIATOR, assert_illegal, make_setup

A = ("oslo", "security-first", 2)
B = ("geneva", "politics-first", 0)
C = ("astana", "security-first", 3)


def bids(**by_seat: tuple[tuple[object, ...], ...]) -> dict[str, AcceptPackages]:
    return {seat: AcceptPackages(by_seat.get(seat, ())) for seat in DELEGATIONS}  # type: ignore[arg-type]


def test_overlap_is_an_agreement_by_the_stated_tie_break() -> None:
    protocol = BlindBidding()
    state = protocol.start(make_setup()).state
    transition = protocol.step(state, bids(north=(A, B, C), south=(C, A, B), east=(B, A)))
    result = protocol.result(transition.state)
    # without candidates: the smallest option indices in agenda order: geneva (0) before oslo (1)
    assert result is not None and result.reason == "agreement" and result.agreement == B


def test_candidates_order_breaks_ties() -> None:
    protocol = BlindBidding()
    state = protocol.start(make_setup(candidates=[C, A, B])).state
    result = protocol.result(
        protocol.step(state, bids(north=(A, B, C), south=(C, A, B), east=(B, A, C))).state
    )
    assert result is not None and result.agreement == C
    assert protocol.observe(state, "north").candidates == (C, A, B)


def test_bids_are_sealed_even_from_the_mediator() -> None:
    protocol = BlindBidding()
    state = protocol.start(make_setup()).state
    transition = protocol.step(state, bids(north=(A,), south=(B,), east=(A, B)))
    assert [event.kind for event in transition.events][-1] == "no-overlap"
    assert transition.events[-1].data == {}
    for seat in DELEGATIONS:
        sealed = [
            event for event in protocol.observe(transition.state, seat).history if event.kind == "sealed-bid"
        ]
        assert [event.actor for event in sealed] == [seat]
    assert all(event.kind != "sealed-bid" for event in protocol.observe(transition.state, MEDIATOR).history)
    assert protocol.pending(transition.state) == DELEGATIONS


def test_deadline() -> None:
    protocol = BlindBidding()
    state = protocol.start(make_setup(rounds=2)).state
    for _ in range(2):
        state = protocol.step(state, bids()).state
    result = protocol.result(state)
    assert result is not None and result.reason == "deadline" and result.rounds == 2


def test_illegal_bids() -> None:
    protocol = BlindBidding()
    state = protocol.start(make_setup(candidates=[A, B])).state
    assert_illegal(protocol, state, bids(north=(C,)), "not among the candidates")
    assert_illegal(protocol, state, bids(north=(("rome", "security-first", 2),)), "'rome' is not an option")
    assert_illegal(protocol, state, {**bids(), "south": Offer(A)}, "may not offer")
    assert_illegal(protocol, state, {**bids(), MEDIATOR: AcceptPackages(())}, "not this seat's turn")
    with pytest.raises(ProtocolError, match="candidates"):
        protocol.start(make_setup(candidates=[("rome", "security-first", 2)]))
    with pytest.raises(ProtocolError, match="empty"):
        protocol.start(make_setup(candidates=[]))


def test_a_delegation_may_walk_away_instead_of_bidding_and_the_bids_stay_sealed() -> None:
    protocol = BlindBidding()
    state = protocol.start(make_setup()).state
    assert protocol.observe(state, "south").allowed == ("accept-packages", "walk-away")
    transition = protocol.step(state, {**bids(north=(A,), east=(A,)), "south": WalkAway("called home")})
    result = protocol.result(transition.state)
    assert result is not None and (result.reason, result.agreement) == ("walk-out", None)
    final = transition.events[-1]
    assert (final.kind, final.actor, final.data["walkers"]) == ("walk-out", "south", ("south",))
    sealed = [event for event in transition.events if event.kind == "sealed-bid"]
    assert [(event.actor, event.visible_to) for event in sealed] == [
        ("north", frozenset({"north"})),
        ("east", frozenset({"east"})),
    ]
    assert_illegal(protocol, state, {**bids(), "south": WalkAway(None)}, "reason must be text")  # type: ignore[arg-type]
