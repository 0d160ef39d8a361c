"""A protocol's state machine checked at every state of random legal runs played to the end.

:func:`check_random_run` plays a protocol from :meth:`~accord.protocols.Protocol.start`
with random legal actions (:func:`~accord.testing.random_actions.random_action`)
until no seat is awaited, and checks

- at every state, every seat's observation (:func:`check_observations`): only awaited
  seats may act, each may always walk away, and each seat's history is exactly the
  events visible to it;
- at every state, that an awaited seat walking away is accepted (:func:`check_walk_away`);
- at every state, that no seat can write what it observes (its fields, its latest events
  and their data: :func:`~accord.testing.seal_checks.check_sealed_observations`), and
  that the probing left every observation and the state as they were;
- at every state, three kinds of illegal step (:func:`check_refusals`): an awaited seat
  taking a kind of action it may not take, a seat that is not awaited acting, and an
  awaited seat's action missing; each must raise :class:`~accord.errors.ProtocolError`
  naming the seat at fault (``ProtocolError.seat``, which the session blames) and leave
  the state, what is awaited and every seat's observation unchanged;
- every legal step: it leaves the state it was applied to unchanged (states are
  immutable), and its events (:func:`check_new_events`) are numbered on from the last,
  kebab-case, JSON-ready, and never hidden from their own actor;
- the end (:func:`check_ending`): a known reason, within the deadline, an agreement on
  the agenda, a public final event carrying the result, no step accepted afterwards;
- replay (:func:`check_replayable`): the run's steps, stored as JSON, rebuild the same
  state and the same events (:func:`~accord.protocols.replay.check_replay`).

Every failure raises :class:`~accord.testing.failures.ConformanceError` naming the
protocol, the setup, the seed, the step, the seat and what failed. A check that could
not be made is a failure too, with the reason (a state that cannot be compared with
its copy; a run in which no awaited seat was ever refused anything).

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> from accord.protocols.alternating_offers import AlternatingOffers
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))
>>> setup = Setup(agenda=agenda, delegations=("north", "south"), rounds=4)
>>> run = check_random_run(AlternatingOffers(), setup, seed=7)
>>> run.events[-1].kind, len(run.states) == len(run.steps) + 1
('agreement', True)
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.errors import ProtocolError
from accord.frozen import thaw
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
    Protocol,
    Reject,
    Setup,
    Vote,
    Wait,
    WalkAway,
    action_kind,
    visible_events,
)
from accord.testing.failures import ConformanceError, Where
from accord.testing.random_actions import random_action, random_outcome
from accord.testing.record_checks import check_ending, check_new_events, check_replayable
from accord.testing.seal_checks import check_sealed_observations

__all__ = [
    "RandomRun",
    "check_observations",
    "check_random_run",
    "check_refusals",
    "check_walk_away",
]

#: A seat name no setup uses: it must be refused a view and a say.
STRANGER = "stranger at the door"


@dataclass(frozen=True, slots=True)
class RandomRun:
    """A random legal run: each step's actions, the state before each step and after the last, every event."""

    steps: tuple[dict[str, Action], ...]
    states: tuple[Any, ...]
    events: tuple[Event, ...]


def check_random_run(
    protocol: Protocol[Any], setup: Setup, *, seed: int, label: str = "", max_steps: int | None = None
) -> RandomRun:
    """Play ``protocol`` on ``setup`` with random legal actions drawn from ``seed``, checking every state.

    ``label`` names the setup in failures; the run must end within ``max_steps`` steps
    (by default 100 per round and seat). Returns the run for further checks.
    """
    where = Where(protocol.id, setup=label, seed=seed, step=0)
    rng = np.random.default_rng(seed)
    try:
        transition = protocol.start(setup)
    except ProtocolError as error:
        where.fail(f"refused the setup: {error}")
    state, events = transition.state, list(transition.events)
    check_new_events(transition.events, 0, setup, where=where)
    if not protocol.pending(state) or protocol.result(state) is not None:
        where.fail("the talks must open awaiting someone, with no result yet")
    steps: list[dict[str, Action]] = []
    states = [state]
    refused_a_kind = False
    limit = max_steps if max_steps is not None else 100 * (setup.rounds + 1) * len(setup.seats)
    for number in range(limit + 1):
        here = where.at(step=number)
        check_observations(protocol, state, setup, events, where=here)
        pending = protocol.pending(state)
        if not pending:
            break
        if number == limit:
            here.fail(f"did not end within {limit} steps (the deadline is {setup.rounds} rounds)")
        legal = {seat: _random_legal(protocol, state, seat, setup, rng, here) for seat in pending}
        refused_a_kind |= check_refusals(protocol, state, setup, legal, rng, where=here)
        check_walk_away(protocol, state, setup, legal, events, rng, where=here)
        snapshot = _Snapshot(protocol, state, setup, here)
        check_sealed_observations(protocol, state, setup, where=here)
        snapshot.check_unchanged(protocol, state, "probing what each seat observes")
        try:
            transition = protocol.step(state, legal)
        except ProtocolError as error:
            here.fail(f"refused actions drawn from `allowed` ({_listed(legal)}): {error}")
        snapshot.check_unchanged(protocol, state, f"the legal step ({_listed(legal)})")
        check_new_events(transition.events, len(events), setup, where=here)
        state = transition.state
        events.extend(transition.events)
        steps.append(legal)
        states.append(state)
    end = where.at(step=len(steps))
    check_ending(protocol, state, setup, events, where=end)
    check_replayable(protocol, setup, steps, state, events, where=end)
    if not refused_a_kind:
        end.fail(
            "no state of the run left an awaited seat a kind of action it may not take, so refusing "
            "a disallowed action was never checked; try other seeds or a longer setup"
        )
    return RandomRun(tuple(steps), tuple(states), tuple(events))


def check_observations(
    protocol: Protocol[Any], state: Any, setup: Setup, events: Sequence[Event], *, where: Where
) -> None:
    """Each seat's observation of ``state``: its own, only awaited seats may act, and its history is
    exactly the events among ``events`` (all so far) visible to it; a stranger is refused a view."""
    pending = protocol.pending(state)
    if len(set(pending)) != len(pending) or not set(pending) <= set(setup.seats):
        where.fail(f"awaits {pending}, which must be distinct seats among {setup.seats}")
    result = protocol.result(state)
    if (result is None) != bool(pending):
        where.fail(f"awaits {pending} with the result {result}: talks await someone until they end")
    for seat in setup.seats:
        here = where.at(seat=seat)
        observation = protocol.observe(state, seat)
        facts, expected_facts = (
            (observation.seat, observation.protocol, observation.rounds),
            (seat, protocol.id, setup.rounds),
        )
        if facts != expected_facts:
            here.fail(f"observation names seat, protocol and deadline {facts}, not {expected_facts}")
        if not 0 <= observation.round <= setup.rounds:
            here.fail(f"observation in round {observation.round}, outside 0..{setup.rounds}")
        if bool(observation.allowed) != (seat in pending):
            awaited = "awaited" if seat in pending else "not awaited"
            here.fail(f"{awaited}, yet may take {tuple(observation.allowed)}")
        if seat in pending and "walk-away" not in observation.allowed:
            here.fail(
                f"awaited, may take {tuple(observation.allowed)}: every awaited seat may always walk away"
            )
        history = tuple(observation.history)
        expected = visible_events(events, seat)
        if history != expected:
            here.fail(_view_difference(history, expected, seat))
    try:
        protocol.observe(state, STRANGER)
    except ProtocolError:
        pass
    else:
        where.at(seat=STRANGER).fail(
            "a seat not at the table was given a view; observe must raise ProtocolError"
        )


def check_refusals(
    protocol: Protocol[Any],
    state: Any,
    setup: Setup,
    legal: Mapping[str, Action],
    rng: np.random.Generator,
    *,
    where: Where,
) -> bool:
    """Three kinds of illegal step, each refused with :class:`ProtocolError` and ``state`` unchanged.

    ``legal``: an action for each awaited seat that the step would accept. The illegal
    steps: one awaited seat takes a kind of action it may not take (the seats are tried
    in random order until one has such a kind); a seat not awaited (or, when every seat
    is, a stranger) acts too; one awaited seat's action is left out. Returns whether an
    awaited seat could be offered a disallowed kind here (if not, that kind of refusal
    was not checked at this state).
    """
    snapshot = _Snapshot(protocol, state, setup, where)
    pending = list(protocol.pending(state))
    # (seat, what was tried, the actions, the seats ProtocolError.seat may name)
    attempts: list[tuple[str, str, dict[str, Action], tuple[str | None, ...]]] = []
    for seat in (pending[index] for index in rng.permutation(len(pending))):
        allowed = protocol.observe(state, seat).allowed
        wrong = [action for action in _one_of_each_kind(setup, rng) if action_kind(action) not in allowed]
        if wrong:
            action = wrong[int(rng.integers(len(wrong)))]
            what = f"{action_kind(action)} by an awaited seat allowed only {tuple(allowed)}"
            attempts.append((seat, what, {**legal, seat: action}, (seat,)))
            break
    refused_a_kind = bool(attempts)
    outsiders = [seat for seat in setup.seats if seat not in pending] or [STRANGER]
    outsider = outsiders[int(rng.integers(len(outsiders)))]
    attempts.append((outsider, "an action by a seat not awaited", {**legal, outsider: Wait()}, (outsider,)))
    missing = pending[int(rng.integers(len(pending)))]
    left_out = {other: action for other, action in legal.items() if other != missing}
    attempts.append((missing, "a step without this awaited seat's action", left_out, (None, missing)))
    for seat, what, actions, blamed in attempts:
        here = where.at(seat=seat)
        try:
            protocol.step(state, actions)
        except ProtocolError as error:
            if error.seat not in blamed:
                named = " or ".join(repr(name) for name in blamed)
                here.fail(
                    f"refused {what} naming seat {error.seat!r} (ProtocolError.seat), not {named}: {error}"
                )
        except Exception as error:
            here.fail(
                f"raised {type(error).__name__} ({error}) for {what}; illegal steps raise ProtocolError"
            )
        else:
            here.fail(f"accepted {what}")
        snapshot.check_unchanged(protocol, state, f"refusing {what} by seat {seat!r}")
    return refused_a_kind


def check_walk_away(
    protocol: Protocol[Any],
    state: Any,
    setup: Setup,
    legal: Mapping[str, Action],
    events: Sequence[Event],
    rng: np.random.Generator,
    *,
    where: Where,
) -> None:
    """One awaited seat (at random) walks away while the others take ``legal`` actions: the step
    is accepted, leaves ``state`` unchanged, and leads to a state that passes the checks
    (:func:`check_observations`, and :func:`check_ending` if the talks ended)."""
    pending = protocol.pending(state)
    seat = pending[int(rng.integers(len(pending)))]
    here = where.at(seat=seat)
    snapshot = _Snapshot(protocol, state, setup, here)
    try:
        transition = protocol.step(state, {**legal, seat: WalkAway("checking that walking away is allowed")})
    except ProtocolError as error:
        here.fail(f"refused a walk-away, which every awaited seat may always take: {error}")
    snapshot.check_unchanged(protocol, state, "walking away")
    after = [*events, *transition.events]
    try:
        check_new_events(transition.events, len(events), setup, where=here)
        check_observations(protocol, transition.state, setup, after, where=here)
        if not protocol.pending(transition.state):
            check_ending(protocol, transition.state, setup, after, where=here)
    except ConformanceError as error:
        raise ConformanceError(
            f"after seat {seat!r} walked away: {error.reason}", where=error.where
        ) from None


class _Snapshot:
    """What must not change when a step is refused (or once a step has been made from a state)."""

    def __init__(self, protocol: Protocol[Any], state: Any, setup: Setup, where: Where) -> None:
        self.where = where
        self.copy = copy.deepcopy(state)
        if self.copy != state:
            where.fail(
                f"a state ({type(state).__name__}) must compare equal to its deep copy (define __eq__, "
                "e.g. a dataclass): else no check can tell that a step left it unchanged"
            )
        self.pending = protocol.pending(state)
        self.observed = {seat: _observed(protocol, state, seat) for seat in setup.seats}

    def check_unchanged(self, protocol: Protocol[Any], state: Any, attempt: str) -> None:
        if state != self.copy:
            self.where.fail(f"{attempt} changed the state it was applied to (states are immutable)")
        if protocol.pending(state) != self.pending:
            self.where.fail(
                f"{attempt} changed who is awaited from {self.pending} to {protocol.pending(state)}"
            )
        for seat, observed in self.observed.items():
            if _observed(protocol, state, seat) != observed:
                self.where.at(seat=seat).fail(f"{attempt} changed what this seat observes")


def _observed(protocol: Protocol[Any], state: Any, seat: str) -> tuple[Any, ...]:
    """A copy of ``seat``'s observation that no later change to the state can reach."""
    observation = protocol.observe(state, seat)
    return (
        observation.protocol,
        observation.seat,
        observation.round,
        observation.rounds,
        observation.phase,
        tuple(observation.allowed),
        observation.on_table,
        tuple(json.dumps(event.to_data(), sort_keys=True, default=repr) for event in observation.history),
        json.dumps(  # the protocol's own facts: every field after the history
            thaw(tuple(observation)[observation._fields.index("history") + 1 :]),
            sort_keys=True,
            default=repr,
        ),
    )


def _one_of_each_kind(setup: Setup, rng: np.random.Generator) -> list[Action]:
    """One action of every kind, to try kinds that are not allowed."""
    outcome = random_outcome(setup.agenda, rng)
    return [
        Offer(outcome),
        Accept(),
        Reject(),
        WalkAway("trying"),
        Wait(),
        Propose(outcome),
        CallVote(),
        Vote(True),
        Critique(()),
        Message("note"),
        PassOn(0, to=setup.delegations[0]),
        AcceptPackages((outcome,)),
    ]


def _random_legal(
    protocol: Protocol[Any], state: Any, seat: str, setup: Setup, rng: np.random.Generator, where: Where
) -> Action:
    observation = protocol.observe(state, seat)
    try:
        return random_action(observation, rng, agenda=setup.agenda, delegations=setup.delegations)
    except (ValueError, KeyError, IndexError) as error:
        where.at(seat=seat).fail(f"no random legal action among {tuple(observation.allowed)}: {error}")


def _view_difference(history: Sequence[Event], expected: Sequence[Event], seat: str) -> str:
    leaked = [event.index for event in history if not event.visible_for(seat)]
    if leaked:
        return f"sees events {leaked}, which are not visible to it"
    seen, visible = [event.index for event in history], [event.index for event in expected]
    if seen != visible:
        return f"sees events {seen}; visible to it are {visible}"
    differing = next(mine for mine, theirs in zip(history, expected, strict=True) if mine != theirs)
    return f"sees event {differing.index} as {differing}, not as the step returned it"


def _listed(actions: Mapping[str, Action]) -> str:
    return ", ".join(f"{seat}: {action_kind(action)}" for seat, action in actions.items())
