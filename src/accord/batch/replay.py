"""A batch session's moves turned into actions and fed through the protocol's own ``step``.

This is how a batch session gets its events, step actions and packages on request: the
protocol records each move exactly as in :func:`~accord.session.run_session`, and its
result must be the one the batch found (:class:`BatchMismatchError` otherwise), so the
rules of the arrays are checked against the protocol's at every replay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.agents.responses import NOTHING_RATIONAL
from accord.domain import Outcome
from accord.protocols import Accept, Action, Event, Offer, Propose, Protocol, ProtocolResult, Setup, WalkAway
from accord.session.result import Package

__all__ = ["BatchMismatchError", "Move", "Replayed", "move_action", "replay"]


class BatchMismatchError(RuntimeError):
    """The protocol, replaying a batch session's moves, ended it otherwise than the batch did (a bug)."""


@dataclass(frozen=True, slots=True)
class Replayed:
    """What the protocol made of the moves: its events, each step's actions, the packages put forward."""

    events: tuple[Event, ...]
    step_actions: tuple[dict[str, Action], ...]
    packages: tuple[Package, ...]
    result: ProtocolResult


#: A move of alternating offers as the batch recorded it: the seat, and the outcome it offered,
#: ``True`` for an acceptance, or ``None`` for walking away.
Move = tuple[str, Outcome | bool | None]


def move_action(move: Outcome | bool | None) -> Action:
    """The action of an alternating-offers move (see :data:`Move`)."""
    if move is True:
        return Accept()
    if move is None or move is False:
        return WalkAway(NOTHING_RATIONAL)
    return Offer(move)


def replay(
    protocol: Protocol[Any], setup: Setup, steps: Sequence[dict[str, Action]], *, expected: ProtocolResult
) -> Replayed:
    """Feed ``steps`` (each step's actions, in order) to ``protocol`` started on ``setup``."""
    transition = protocol.start(setup)
    state = transition.state
    events: list[Event] = list(transition.events)
    packages: list[Package] = []
    for actions in steps:
        for seat, action in actions.items():
            if isinstance(action, Offer | Propose):
                packages.append((protocol.observe(state, seat).round, seat, action.outcome))
        transition = protocol.step(state, actions)
        state = transition.state
        events.extend(transition.events)
    result = protocol.result(state)
    if result != expected or protocol.pending(state):
        raise BatchMismatchError(
            f"{protocol.id}: the batch ended a session with {expected}, the protocol with {result}"
        )
    return Replayed(tuple(events), tuple(steps), tuple(packages), result)
