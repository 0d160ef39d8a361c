"""Rebuild a protocol's state from the actions that were taken, and check a stored log against it.

A room stores the setup and, for every step, the awaited seats' actions as
plain data (:func:`~accord.protocols.actions.action_to_data`). Replaying them
through the pure state machine gives back the same state and the same events.

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> from accord.protocols.alternating_offers import AlternatingOffers
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))
>>> setup = Setup(agenda=agenda, delegations=("north", "south"), rounds=3)
>>> steps = [{"north": {"kind": "offer", "outcome": ["oslo"]}}, {"south": {"kind": "accept"}}]
>>> transition = replay(AlternatingOffers(), setup, steps)
>>> [event.kind for event in transition.events]
['opening', 'offer', 'accept', 'agreement']
>>> check_replay(AlternatingOffers(), setup, steps, expected=transition.events)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from accord.errors import ProtocolError
from accord.protocols.actions import Action, action_from_data
from accord.protocols.base import Event, Protocol, Setup, Transition

__all__ = ["check_replay", "replay"]

StateT = TypeVar("StateT")


def _actions(step: Mapping[str, Mapping[str, Any]], number: int) -> dict[str, Action]:
    actions: dict[str, Action] = {}
    for seat, data in step.items():
        try:
            actions[seat] = action_from_data(data)
        except (KeyError, TypeError) as error:
            raise ProtocolError(
                f"step {number}: seat {seat!r}: malformed action {data!r} ({error})"
            ) from None
    return actions


def replay(
    protocol: Protocol[StateT], setup: Setup, steps: Sequence[Mapping[str, Mapping[str, Any]]]
) -> Transition[StateT]:
    """The state after ``steps`` (each: seat → action data) and every event since the start."""
    transition = protocol.start(setup)
    state, events = transition.state, list(transition.events)
    for number, step in enumerate(steps):
        transition = protocol.step(state, _actions(step, number))
        state = transition.state
        events.extend(transition.events)
    return Transition(state, tuple(events))


def check_replay(
    protocol: Protocol[StateT],
    setup: Setup,
    steps: Sequence[Mapping[str, Mapping[str, Any]]],
    *,
    expected: Sequence[Event],
) -> None:
    """Raise :class:`ProtocolError` at the first event where replaying ``steps`` differs from ``expected``."""
    replayed = replay(protocol, setup, steps).events
    for index, (got, want) in enumerate(zip(replayed, expected, strict=False)):
        if got.to_data() != want.to_data():
            raise ProtocolError(
                f"replay differs at event {index}: replayed {got.to_data()}, stored {want.to_data()}"
            )
    if len(replayed) != len(expected):
        raise ProtocolError(f"replay gives {len(replayed)} events, the stored log holds {len(expected)}")
