"""The shipped protocol checks catch each way a protocol can break the contract, and say where.

Each broken protocol below wraps a correct one and breaks one promise; the check must
fail with a ConformanceError naming the protocol, setup, seed, step, seat and what failed.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import pytest

from accord.errors import ProtocolError
from accord.protocols import Action, Event, Observation, ProtocolResult, Setup, Transition, action_kind
from accord.protocols.alternating_offers import AlternatingOffers
from accord.protocols.journal import Journal
from accord.protocols.legality import check_awaited, closing, illegal
from accord.protocols.shuttle import Shuttle
from accord.testing import ConformanceError, Where, check_protocol, check_random_run

from .conftest import make_setup


class Wrapped:
    """A correct protocol, delegated to; subclasses break one thing."""

    def __init__(self, inner: Any = None) -> None:
        self.inner = inner if inner is not None else AlternatingOffers()
        self.id: str = self.inner.id
        self.needs_mediator: bool = self.inner.needs_mediator

    def start(self, setup: Setup) -> Transition[Any]:
        return self.inner.start(setup)  # type: ignore[no-any-return]

    def pending(self, state: Any) -> tuple[str, ...]:
        return self.inner.pending(state)  # type: ignore[no-any-return]

    def observe(self, state: Any, seat: str) -> Observation:
        return self.inner.observe(state, seat)  # type: ignore[no-any-return]

    def step(self, state: Any, actions: Mapping[str, Action]) -> Transition[Any]:
        return self.inner.step(state, actions)  # type: ignore[no-any-return]

    def result(self, state: Any) -> ProtocolResult | None:
        return self.inner.result(state)  # type: ignore[no-any-return]


def failure(protocol: Any, setup: Setup | None = None, *, seed: int = 0, **options: Any) -> ConformanceError:
    with pytest.raises(ConformanceError) as caught:
        check_random_run(protocol, setup or make_setup(rounds=4), seed=seed, label="table", **options)
    error = caught.value
    assert error.where is not None and error.where.subject == protocol.id
    assert error.where.setup == "table" and error.where.seed == seed and error.where.step is not None
    assert str(error).startswith(
        f"protocol {protocol.id!r}, setup 'table', seed {seed}, step {error.where.step}"
    )
    return error


def test_a_correct_protocol_passes() -> None:
    run = check_random_run(Wrapped(), make_setup(rounds=4), seed=0)
    assert run.events[-1].kind in ("agreement", "deadline", "walk-out")


class AcceptsAnything(Wrapped):
    def step(self, state: Any, actions: Mapping[str, Action]) -> Transition[Any]:
        try:
            return self.inner.step(state, actions)  # type: ignore[no-any-return]
        except ProtocolError:
            return Transition(state, ())


def test_an_accepted_illegal_step_is_caught() -> None:
    error = failure(AcceptsAnything())
    assert error.reason.startswith("accepted ") and error.where.step == 0
    assert error.where.seat in make_setup().seats


class RaisesValueError(Wrapped):
    def step(self, state: Any, actions: Mapping[str, Action]) -> Transition[Any]:
        try:
            return self.inner.step(state, actions)  # type: ignore[no-any-return]
        except ProtocolError as error:
            raise ValueError(str(error)) from None


def test_an_illegal_step_must_raise_protocol_error() -> None:
    assert "raised ValueError" in failure(RaisesValueError()).reason


@dataclass(eq=True)
class Box:
    """A mutable state: the correct protocol's state and a tally of the steps tried on it."""

    inner: Any
    tried: list[int] = field(default_factory=list)


class CountsAttempts(Wrapped):
    def start(self, setup: Setup) -> Transition[Any]:
        transition = self.inner.start(setup)
        return Transition(Box(transition.state), transition.events)

    def pending(self, state: Any) -> tuple[str, ...]:
        return self.inner.pending(state.inner)  # type: ignore[no-any-return]

    def observe(self, state: Any, seat: str) -> Observation:
        return self.inner.observe(state.inner, seat)  # type: ignore[no-any-return]

    def step(self, state: Any, actions: Mapping[str, Action]) -> Transition[Any]:
        state.tried.append(len(actions))  # mutates the state it was given, even when refusing
        transition = self.inner.step(state.inner, actions)
        return Transition(Box(transition.state), transition.events)

    def result(self, state: Any) -> ProtocolResult | None:
        return self.inner.result(state.inner)  # type: ignore[no-any-return]


def test_a_refusal_that_changes_the_state_is_caught() -> None:
    assert "changed the state it was applied to" in failure(CountsAttempts()).reason


class Opaque:
    """A state that compares by identity only."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner


class Incomparable(CountsAttempts):
    def start(self, setup: Setup) -> Transition[Any]:
        transition = self.inner.start(setup)
        return Transition(Opaque(transition.state), transition.events)

    def step(self, state: Any, actions: Mapping[str, Action]) -> Transition[Any]:
        transition = self.inner.step(state.inner, actions)
        return Transition(Opaque(transition.state), transition.events)


def test_a_state_that_cannot_be_compared_is_reported_not_skipped() -> None:
    assert "must compare equal to its deep copy" in failure(Incomparable()).reason


class Leaky(Wrapped):
    def __init__(self) -> None:
        super().__init__(Shuttle())

    def observe(self, state: Any, seat: str) -> Observation:
        return self.inner.observe(state, seat)._replace(history=tuple(state.journal.events))  # type: ignore[no-any-return]


def test_a_view_holding_another_seats_private_events_is_caught() -> None:
    error = failure(Leaky())
    assert "which are not visible to it" in error.reason and error.where.seat in ("north", "south", "east")


class ShowsStrangers(Wrapped):
    def observe(self, state: Any, seat: str) -> Observation:
        return self.inner.observe(state, "north" if seat not in state.setup.seats else seat)  # type: ignore[no-any-return]


def test_a_view_given_to_a_stranger_is_caught() -> None:
    assert "not at the table was given a view" in failure(ShowsStrangers()).reason


class LetsEveryoneAct(Wrapped):
    def observe(self, state: Any, seat: str) -> Observation:
        observation = self.inner.observe(state, seat)
        return observation._replace(allowed=observation.allowed or ("wait",))  # type: ignore[no-any-return]


def test_a_seat_allowed_to_act_while_not_awaited_is_caught() -> None:
    error = failure(LetsEveryoneAct())
    assert error.reason == "not awaited, yet may take ('wait',)" and error.where.step == 0


def renumbered(events: tuple[Event, ...], shift: int) -> tuple[Event, ...]:
    return tuple(event._replace(index=event.index + shift) for event in events)


class CountsFromOne(Wrapped):
    def start(self, setup: Setup) -> Transition[Any]:
        transition = self.inner.start(setup)
        return Transition(transition.state, renumbered(transition.events, 1))


def test_events_not_numbered_from_zero_are_caught() -> None:
    error = failure(CountsFromOne())
    assert "should be numbered 0" in error.reason and error.where.step == 0


class HidesFromActor(Wrapped):
    def step(self, state: Any, actions: Mapping[str, Action]) -> Transition[Any]:
        transition = self.inner.step(state, actions)
        hidden = tuple(
            event._replace(visible_to=frozenset({"envoy"})) if event.actor else event
            for event in transition.events
        )
        return Transition(transition.state, hidden)


def test_an_event_hidden_from_its_actor_is_caught() -> None:
    assert "hidden from its own actor" in failure(HidesFromActor()).reason


_OPENINGS: Iterator[int] = itertools.count(1)


class RemembersStarts(Wrapped):
    """Announces a discount drawn from a count kept outside the state: a replay opens differently."""

    def start(self, setup: Setup) -> Transition[Any]:
        options = replace(setup.options, discount=1 / (1 + next(_OPENINGS)))
        return self.inner.start(replace(setup, options=options))  # type: ignore[no-any-return]


def test_a_run_that_does_not_replay_is_caught() -> None:
    error = failure(RemembersStarts())
    assert error.reason.startswith("replaying the run's stored steps: replay differs at event 0")


@dataclass(frozen=True)
class Countdown:
    """A toy protocol, written as a plugin author would: the first delegation waits ``rounds``
    times (or walks away), then the deadline passes."""

    ends: bool = True
    public_ending: bool = True
    walk_away: bool = True
    id: str = "countdown-v1"
    needs_mediator: bool = False

    def start(self, setup: Setup) -> Transition[Any]:
        journal, event = Journal(setup.seats).record(round=0, kind="opening")
        return Transition((setup, journal, None), (event,))

    def pending(self, state: Any) -> tuple[str, ...]:
        setup, _, result = state
        return () if result is not None else setup.delegations[:1]

    def observe(self, state: Any, seat: str) -> Observation:
        setup, journal, _ = state
        if seat not in setup.seats:
            raise ProtocolError(f"{seat!r} has no seat at this table")
        moves = ("wait", "walk-away") if self.walk_away else ("wait",)
        return Observation(
            protocol=self.id,
            seat=seat,
            round=min(len(journal.events) - 1, setup.rounds),
            rounds=setup.rounds,
            phase="waiting",
            allowed=moves if seat in self.pending(state) else (),
            history=journal.view(seat),
        )

    def step(self, state: Any, actions: Mapping[str, Action]) -> Transition[Any]:
        setup, journal, result = state
        check_awaited(self.pending(state), actions)
        seat = setup.delegations[0]
        action = actions[seat]
        round_ = min(len(journal.events) - 1, setup.rounds)
        if action_kind(action) == "walk-away" and self.walk_away:
            ended = ProtocolResult(reason="walk-out", agreement=None, rounds=round_)
            journal, event = closing(journal, ended, actor=seat)
            return Transition((setup, journal, ended), (event,))
        if action_kind(action) != "wait":
            raise illegal(seat, action, "the only moves are to wait and to walk away")
        journal, event = journal.record(round=round_, kind="waited", actor=seat)
        events = [event]
        if self.ends and len(journal.events) > setup.rounds:
            result = ProtocolResult(reason="deadline", agreement=None, rounds=setup.rounds)
            audience = None if self.public_ending else frozenset(setup.delegations[:1])
            journal, event = journal.record(
                round=setup.rounds,
                kind="deadline",
                data={"reason": "deadline", "agreement": None, "rounds": setup.rounds},
                visible_to=audience,
            )
            events.append(event)
        return Transition((setup, journal, result), tuple(events))

    def result(self, state: Any) -> ProtocolResult | None:
        return state[2]  # type: ignore[no-any-return]


TWO = Setup(agenda=make_setup().agenda, delegations=("north", "south"), rounds=3)


def test_the_toy_protocol_passes() -> None:
    kinds = [event.kind for event in check_random_run(Countdown(), TWO, seed=0).events]
    assert kinds == ["opening", "waited", "waited", "waited", "deadline"]


def test_an_ending_not_announced_to_everyone_is_caught() -> None:
    error = failure(Countdown(public_ending=False), TWO)
    assert error.reason.startswith("the last event must be public") and error.where.step == 3


def test_talks_that_never_end_are_caught() -> None:
    # seed 2 never draws a walk-away in 12 steps, which would end even these talks
    error = failure(Countdown(ends=False), TWO, seed=2, max_steps=12)
    assert error.reason == "did not end within 12 steps (the deadline is 3 rounds)" and error.where.step == 12


def test_check_protocol_names_a_protocol_without_a_versioned_id() -> None:
    unversioned = Wrapped()
    unversioned.id = "haggling"
    with pytest.raises(ConformanceError, match="protocol 'haggling': needs a versioned attribute `id`"):
        check_protocol(unversioned)


def test_check_protocol_runs_the_given_setups_and_seeds() -> None:
    with pytest.raises(ConformanceError) as caught:
        check_protocol(AcceptsAnything(), setups={"pair": make_setup(rounds=2)}, seeds=(5,))
    assert (caught.value.where.setup, caught.value.where.seed) == ("pair", 5)  # type: ignore[union-attr]


def test_where_reads_as_a_location() -> None:
    assert str(Where("x-v1")) == "protocol 'x-v1'"
    assert (
        str(Where("tit-for-tat-v1", kind="agent", seed=0, seat="north"))
        == "agent 'tit-for-tat-v1', seed 0, seat 'north'"
    )


class Restamps(Wrapped):
    """Returns events other than the ones its journal keeps."""

    def step(self, state: Any, actions: Mapping[str, Action]) -> Transition[Any]:
        transition = self.inner.step(state, actions)
        stamped = tuple(event._replace(data={**event.data, "stamp": 1}) for event in transition.events)
        return Transition(transition.state, stamped)


def test_a_view_that_differs_from_the_events_returned_is_caught() -> None:
    error = failure(Restamps())  # caught on the first step, in the branch where a seat walks away
    assert error.reason.startswith("after seat 'north' walked away: sees event 1 as Event(")
    assert error.reason.endswith("not as the step returned it") and error.where.step == 0


def test_an_awaited_seat_that_may_not_walk_away_is_caught() -> None:
    error = failure(Countdown(walk_away=False), TWO)
    assert error.reason == "awaited, may take ('wait',): every awaited seat may always walk away"
    assert (error.where.step, error.where.seat) == (0, "north")


class RefusesWalkAways(Wrapped):
    def step(self, state: Any, actions: Mapping[str, Action]) -> Transition[Any]:
        if any(action_kind(action) == "walk-away" for action in actions.values()):
            raise ProtocolError("no one leaves", seat=next(iter(actions)))
        return self.inner.step(state, actions)  # type: ignore[no-any-return]


def test_a_refused_walk_away_is_caught() -> None:
    error = failure(RefusesWalkAways())
    assert error.reason.startswith("refused a walk-away, which every awaited seat may always take")


class BlamesNoOne(Wrapped):
    def step(self, state: Any, actions: Mapping[str, Action]) -> Transition[Any]:
        try:
            return self.inner.step(state, actions)  # type: ignore[no-any-return]
        except ProtocolError as error:
            raise ProtocolError(str(error)) from None


def test_a_refusal_that_does_not_name_the_seat_at_fault_is_caught() -> None:
    error = failure(BlamesNoOne())
    assert "naming seat None (ProtocolError.seat), not " in error.reason


def test_check_protocol_needs_to_know_whether_a_mediator_sits() -> None:
    unsure = Wrapped()
    del unsure.needs_mediator
    with pytest.raises(ConformanceError, match="needs a boolean attribute `needs_mediator`"):
        check_protocol(unsure)


class HandsOutLists(Wrapped):
    """Gives each seat its history as a list it could edit."""

    def observe(self, state: Any, seat: str) -> Observation:
        observation = self.inner.observe(state, seat)
        # Built field by field: Observation(...) and _replace would make the list a tuple.
        fields = (*observation[:7], list(observation.history), *observation[8:])
        return tuple.__new__(type(observation), fields)  # type: ignore[no-any-return]


def test_an_observation_a_seat_can_write_is_caught() -> None:
    error = failure(HandsOutLists())
    assert error.reason == "a seat can write what it observes: observation.history" and error.where.step == 0
