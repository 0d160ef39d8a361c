from __future__ import annotations

import pytest

from accord.errors import ProtocolError
from accord.protocols import Action, CallVote, Critique, Propose, Vote, WalkAway
from accord.protocols.one_text import OneText

from .conftest import DELEGATIONS, MEDIATOR, assert_illegal, make_setup

DRAFT = ("geneva", "security-first", 1)
REVISED = ("oslo", "security-first", 2)
NO_OBJECTION = {seat: Critique(()) for seat in DELEGATIONS}


def drafted(rounds: int = 3) -> tuple[OneText, object]:
    protocol = OneText()
    state = protocol.start(make_setup(rounds=rounds)).state
    return protocol, protocol.step(state, {MEDIATOR: Propose(DRAFT)}).state


def test_criticism_reaches_only_the_mediator_and_feeds_its_observation() -> None:
    protocol, state = drafted()
    critiques = {
        "north": Critique((("venue", "oslo", 0.9), ("monitors", 2.0, 0.2))),
        "south": Critique(()),
        "east": Critique((("sequence", "politics-first", 1),)),
    }
    state = protocol.step(state, critiques).state
    mediator = protocol.observe(state, MEDIATOR)
    assert mediator.phase == "draft" and mediator.round == 1
    assert mediator.critiques is not None
    assert mediator.critiques["north"] == (("venue", "oslo", 0.9), ("monitors", 2, 0.2))
    assert mediator.critiques["south"] == ()
    for seat in DELEGATIONS:
        observation = protocol.observe(state, seat)
        assert observation.critiques is None
        assert {event.actor for event in observation.history if event.kind == "critique"} == {seat}
    # the latest criticism replaces the earlier one
    state = protocol.step(state, {MEDIATOR: Propose(REVISED)}).state
    state = protocol.step(state, NO_OBJECTION).state
    assert protocol.observe(state, MEDIATOR).critiques == {"north": (), "south": (), "east": ()}


def test_deadline_vote_agreement_and_rejection() -> None:
    protocol, state = drafted(rounds=2)
    state = protocol.step(state, NO_OBJECTION).state
    state = protocol.step(state, {MEDIATOR: Propose(REVISED)}).state
    state = protocol.step(state, NO_OBJECTION).state
    assert protocol.pending(state) == DELEGATIONS and protocol.observe(state, "north").allowed == (
        "vote",
        "walk-away",
    )
    assert protocol.observe(state, "north").on_table == REVISED
    agreed = protocol.result(protocol.step(state, {seat: Vote(True) for seat in DELEGATIONS}).state)
    assert agreed is not None and agreed.reason == "agreement" and agreed.agreement == REVISED
    assert agreed.rounds == 2
    no = protocol.step(state, {"north": Vote(True), "south": Vote(True), "east": Vote(False)})
    assert protocol.result(no.state) == no.state.result
    assert no.events[-1].kind == "rejected"


def test_call_vote() -> None:
    protocol, state = drafted()
    state = protocol.step(state, NO_OBJECTION).state
    state = protocol.step(state, {MEDIATOR: CallVote()}).state
    assert protocol.observe(state, "south").phase == "vote"


def test_illegal_actions() -> None:
    protocol = OneText()
    state = protocol.start(make_setup()).state
    assert_illegal(protocol, state, {MEDIATOR: CallVote()}, "may only propose")
    state = protocol.step(state, {MEDIATOR: Propose(DRAFT)}).state
    bad = [
        (Critique((("venue", "paris", 0.5),)), "'paris' is not an option"),
        (Critique((("colour", "red", 0.5),)), "no issue named 'colour'"),
        (Critique((("venue", "oslo", 1.5),)), r"intensity for 'venue' must be in \[0, 1\]"),
        (Critique((("venue", "oslo", 0.5), ("venue", "astana", 0.5))), "criticised twice"),
        (Critique((("venue", "oslo"),)), "bad request"),  # type: ignore[arg-type]
        (Vote(True), "may not vote"),
    ]
    for action, match in bad:
        assert_illegal(protocol, state, {**NO_OBJECTION, "south": action}, match)


def test_needs_a_mediator() -> None:
    with pytest.raises(ProtocolError, match="needs a mediator"):
        OneText().start(make_setup(mediator=""))


@pytest.mark.parametrize("phase", ["draft", "criticise", "vote"])
def test_any_awaited_seat_may_walk_away_and_the_talks_end(phase: str) -> None:
    protocol = OneText()
    state = protocol.start(make_setup(rounds=3)).state
    if phase == "draft":
        actions: dict[str, Action] = {MEDIATOR: WalkAway("called home")}
        walkers = [MEDIATOR]
    elif phase == "criticise":
        state = protocol.step(state, {MEDIATOR: Propose(DRAFT)}).state
        actions = {**NO_OBJECTION, "east": WalkAway("called home")}
        walkers = ["east"]
    else:
        state = protocol.step(state, {MEDIATOR: Propose(DRAFT)}).state
        state = protocol.step(state, NO_OBJECTION).state
        state = protocol.step(state, {MEDIATOR: CallVote()}).state
        actions = {"north": WalkAway("called home"), "south": Vote(True), "east": WalkAway("no")}
        walkers = ["north", "east"]
    transition = protocol.step(state, actions)
    result = protocol.result(transition.state)
    assert result is not None and (result.reason, result.agreement) == ("walk-out", None)
    final = transition.events[-1]
    assert (final.kind, final.actor, final.data["walkers"]) == ("walk-out", walkers[0], tuple(walkers))
    assert final.data["explanation"] == "called home"
    assert [event.actor for event in transition.events[:-1]] == [
        seat for seat in DELEGATIONS if seat not in walkers and phase != "draft"
    ]
