"""The room's driver: the agents in a room's seats act as soon as the protocol awaits them.

The room replaces the engine's session loop by one that waits for people as
well as agents: after every committed command the application asks
:meth:`SeatAgents.next_move` for the records of the next agent's move, appends
them, and asks again until no agent-held seat is awaited. People act through
the application's commands; :func:`accord.room.rules.deadline` acts for a person
whose time is up.

Each agent holds exactly what its seat holds: a delegation's agent its own
preferences; the mediator's agent every delegation's (``preferences: all``) or
only those disclosed to it (``disclosed``), and it is rebuilt when that set
changes, as an agent is when preferences it holds are set anew. An agent that
fails to start, raises, overruns its time limit, returns something that is not
an action or an illegal one is recorded as walking away, with the reason in the
action record's ``note``. Agent calls go through the engine's
:func:`accord.session.within`: the same worker thread and the same abandonment at
the time limit as a session's.

Agents keep their strategy's state in memory only: after a restart, or when a
seat is handed to an agent, the agent is built afresh (``reset`` with the seat's
context) and reads the talks so far from its observation's history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import Any

import numpy as np

from accord.agents.base import Agent, SeatContext
from accord.agents.registry import agent_by_id
from accord.compiled import compiled_scenario
from accord.domain import Role
from accord.protocols import Action, WalkAway, action_kind, action_to_data
from accord.room.errors import RefusedError
from accord.room.records import ActionTaken, Record
from accord.room.rules import submit
from accord.room.state import RoomState
from accord.session import within

__all__ = ["SeatAgents", "Within", "seat_context"]

#: Runs an agent's call for at most ``limit`` seconds: ``(result, "")``, or ``(None, why it failed)``;
#: :func:`accord.session.within`, the engine's own, unless a test gives another.
Within = Callable[[float, Callable[[], Any]], "tuple[Any, str]"]


def seat_context(state: RoomState, seat: str) -> SeatContext:
    """What the agent in ``seat`` may know before its first move: exactly what the seat holds."""
    utilities = compiled_scenario(state.scenario).utilities
    members = dict(zip(utilities.parties, utilities.members, strict=True))
    mediator = seat == state.mediator
    if mediator:
        held = tuple(delegation for delegation in state.setup.delegations if state.mediator_holds(delegation))
        confidential = MappingProxyType({delegation: members[delegation] for delegation in held})
    return SeatContext(
        seat=seat,
        role=Role.MEDIATOR if mediator else Role.DELEGATION,
        protocol=state.protocol.id,
        agenda=state.setup.agenda,
        delegations=state.setup.delegations,
        rounds=state.setup.rounds,
        utility=None if mediator else members[seat],
        confidential=confidential if mediator else MappingProxyType({}),
        options=state.setup.options,
    )


@dataclass(slots=True)
class _Seated:
    """An agent built for a seat, with what it was built from (rebuilt when that changes)."""

    key: tuple[Any, ...]
    agent: Agent | None
    failure: str


class SeatAgents:
    """The agents sitting in one room's seats, built when first needed. Not thread-safe: one per room,
    used under the room's lock.
    """

    def __init__(self, *, call: Within = within, build: Callable[[str], Agent] = agent_by_id) -> None:
        self._call = call
        self._build = build
        self._seated: dict[str, _Seated] = {}

    def _key(self, state: RoomState, seat: str) -> tuple[Any, ...]:
        handed = state.handed.get(seat, 0)
        held = (
            tuple(delegation for delegation in state.setup.delegations if state.mediator_holds(delegation))
            if seat == state.mediator
            else (seat,)
        )
        revisions = tuple(state.preferences_set.get(delegation, 0) for delegation in held)
        return (state.holders[seat].agent, handed, held, revisions)

    def _agent(self, state: RoomState, seat: str) -> _Seated:
        key = self._key(state, seat)
        seated = self._seated.get(seat)
        if seated is not None and seated.key == key:
            return seated
        agent_id = str(state.holders[seat].agent)
        number = state.seats.index(seat)
        sequence = np.random.SeedSequence(state.created.settings.seed, spawn_key=(number, key[1]))
        limit = state.created.settings.time_limit
        try:
            agent = self._build(agent_id)
        except Exception as error:  # an agent that cannot be built walks away at its first turn
            seated = _Seated(key, None, f"failed to start: {type(error).__name__}: {error}")
        else:
            context, rng = seat_context(state, seat), np.random.Generator(np.random.PCG64(sequence))
            _, failure = self._call(limit, partial(agent.reset, context, rng))
            seated = _Seated(key, agent, f"failed to start: {failure}" if failure else "")
        self._seated[seat] = seated
        return seated

    def next_move(self, state: RoomState) -> list[Record]:
        """The records of the next move of an agent whose seat is awaited; ``[]`` when there is none."""
        for seat in state.awaited:
            holder = state.holders[seat]
            if holder.holder != "agent":
                continue
            seated = self._agent(state, seat)
            observation = state.protocol.observe(state.protocol_state, seat)
            action: Action | None = None
            failure = seated.failure
            if seated.agent is not None and not failure:
                agent = seated.agent
                action, failure = self._call(
                    state.created.settings.time_limit, partial(agent.act, observation)
                )
                if failure:
                    seated.failure = failure  # never asked again: an abandoned call may still be running
            if action is not None:
                try:
                    action_kind(action)
                except KeyError:
                    action, failure = None, f"returned {action!r}, which is not an action"
            agent_id = str(holder.agent)
            if action is not None:
                taken = ActionTaken(seat=seat, agent=agent_id, action=action_to_data(action))
                try:
                    return submit(state, [taken])
                except RefusedError as refusal:
                    failure = f"acted illegally: {refusal.reason}"
            walk = WalkAway(f"{seat} ({agent_id}) {failure}")
            return submit(
                state, [ActionTaken(seat=seat, agent=agent_id, action=action_to_data(walk), note=failure)]
            )
        return []
