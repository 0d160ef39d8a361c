"""What a protocol's run leaves on record: its events, its ending, and a replay of its steps.

Used at every step of :func:`~accord.testing.protocol_checks.check_random_run`, and
usable on any run (a session's, a room's stored log):

- :func:`check_new_events`: one transition's events are numbered on from the last,
  kebab-case, JSON-ready, visible only to seats at the table and never hidden from
  their own actor;
- :func:`check_ending`: a known reason, within the deadline, an agreement on the agenda
  exactly when the reason is ``agreement``, a public final event named after the reason
  carrying the result (what a stored log or a room shows as the ending), and no step
  accepted afterwards;
- :func:`check_replayable`: the steps, stored as JSON, rebuild the same state and events.

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> from accord.protocols.alternating_offers import AlternatingOffers
>>> from accord.protocols import Offer, Accept
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))
>>> setup = Setup(agenda=agenda, delegations=("north", "south"), rounds=3)
>>> protocol, steps = AlternatingOffers(), [{"north": Offer(("oslo",))}, {"south": Accept()}]
>>> transition = replay(protocol, setup, [{s: action_to_data(a) for s, a in step.items()} for step in steps])
>>> where = Where(protocol.id, step=2)
>>> check_ending(protocol, transition.state, setup, transition.events, where=where)
>>> check_replayable(protocol, setup, steps, transition.state, transition.events, where=where)
>>> check_ending(protocol, transition.state, setup, transition.events[:-1], where=where)
Traceback (most recent call last):
...
accord.testing.failures.ConformanceError: protocol 'alternating-offers-v1', step 2: the last event must be ...
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from accord.errors import ProtocolError
from accord.protocols import Action, Event, Protocol, Setup, action_to_data
from accord.protocols.legality import outcome_data
from accord.protocols.replay import check_replay, replay
from accord.testing.failures import Where

__all__ = ["REASONS", "check_ending", "check_new_events", "check_replayable"]

#: The ways talks may end (``ProtocolResult.reason``).
REASONS = ("agreement", "deadline", "walk-out", "rejected")
_KEBAB = re.compile(r"^[a-z]+(-[a-z]+)*$")


def check_new_events(new: Sequence[Event], first: int, setup: Setup, *, where: Where) -> None:
    """Events of one transition: numbered ``first``, ``first + 1`` …; kebab-case kinds; visible only to
    seats at the table and always to their own actor; ``to_data`` survives JSON."""
    seats = set(setup.seats)
    for offset, event in enumerate(new):
        named = f"event {event.index} ({event.kind!r})"
        if event.index != first + offset:
            where.fail(
                f"{named} should be numbered {first + offset}: events are numbered 0, 1, 2, … in order"
            )
        if not _KEBAB.match(event.kind):
            where.fail(f"{named}: kinds are kebab-case words")
        if event.visible_to is not None:
            if not event.visible_to <= seats:
                where.fail(
                    f"{named} is visible to {sorted(event.visible_to - seats)}, who are not at the table"
                )
            if event.actor in seats and event.actor not in event.visible_to:
                where.fail(f"{named} is hidden from its own actor {event.actor!r}")
        try:
            again = Event.from_data(json.loads(json.dumps(event.to_data())))
        except (TypeError, ValueError) as error:
            where.fail(f"{named} is not JSON-ready: {error}")
        if again != event:
            where.fail(f"{named} comes back from JSON as {again}")


def check_ending(
    protocol: Protocol[Any], state: Any, setup: Setup, events: Sequence[Event], *, where: Where
) -> None:
    """The ended talks: a known reason, within the deadline, an agreement on the agenda exactly when
    the reason is ``agreement``, a public final event named after the reason carrying the result,
    and every further step refused."""
    result = protocol.result(state)
    if result is None or protocol.pending(state):
        where.fail("the talks were expected to have ended")
    if result.reason not in REASONS:
        where.fail(f"ended for the unknown reason {result.reason!r}; known: {REASONS}")
    if not 0 <= result.rounds <= setup.rounds:
        where.fail(f"ended in round {result.rounds}, past the deadline of {setup.rounds}")
    if (result.agreement is not None) != (result.reason == "agreement"):
        where.fail(f"ended with reason {result.reason!r} and agreement {result.agreement!r}")
    if result.agreement is not None:
        try:
            setup.agenda.choices_of(result.agreement)
        except (KeyError, ValueError, IndexError, TypeError) as error:
            where.fail(f"agreed on {result.agreement!r}, not a package on the agenda ({error})")
    final = events[-1] if events else None
    expected = {"reason": result.reason, "agreement": outcome_data(result.agreement), "rounds": result.rounds}
    if final is None or final.kind != result.reason or final.visible_to is not None:
        where.fail(
            f"the last event must be public and named {result.reason!r} after the result; it is {final}"
        )
    if {key: final.data.get(key) for key in expected} != expected:
        where.fail(f"the final event carries {dict(final.data)}, not the result {expected}")
    try:
        protocol.step(state, {})
    except ProtocolError:
        pass
    else:
        where.fail("accepted a step after the talks ended")


def check_replayable(
    protocol: Protocol[Any],
    setup: Setup,
    steps: Sequence[Mapping[str, Action]],
    state: Any,
    events: Sequence[Event],
    *,
    where: Where,
) -> None:
    """``steps``, stored as JSON, replay to ``state`` and to the same ``events`` (:func:`check_replay`)."""
    try:
        stored = json.loads(
            json.dumps([{seat: action_to_data(a) for seat, a in step.items()} for step in steps])
        )
    except (TypeError, ValueError) as error:
        where.fail(f"the run's actions are not JSON-ready: {error}")
    try:
        replayed = replay(protocol, setup, stored)
        check_replay(protocol, setup, stored, expected=[Event.from_data(event.to_data()) for event in events])
    except ProtocolError as error:
        where.fail(f"replaying the run's stored steps: {error}")
    if replayed.state != state:
        where.fail("replaying the run's stored steps rebuilds a different state")
