"""``run_session``: the only loop that calls agents (see :mod:`accord.session`)."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any
from typing import Protocol as TypingProtocol

import numpy as np

from accord.agents.base import Agent, SeatContext
from accord.agents.registry import agent_by_id, default_agent_for
from accord.compiled import CompiledScenario, compiled_scenario
from accord.domain import Role, Scenario
from accord.errors import ProtocolError
from accord.protocols import Action, Event, Message, Offer, Propose, Protocol, Setup, WalkAway, action_kind
from accord.protocols.registry import protocol_by_id
from accord.session.result import Package, SessionResult, agreement_utilities

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "EventSink",
    "needs_mediator",
    "run_session",
]

#: Seconds an agent may take for one call (``reset`` or ``act``) before it is taken to have walked away.
DEFAULT_TIME_LIMIT = 10.0

#: Protocols whose rules need a mediator's seat (bare names). Others get none.
MEDIATED = frozenset({"single-text", "one-text", "shuttle", "post-settlement"})

#: Actions that put a package on the table (a tuple: ``Offer | Propose`` would build a union per call).
_PACKAGE_ACTIONS = (Offer, Propose)

#: The mediator's seat name when the scenario names no mediator.
MEDIATOR = "Mediator"


class EventSink(TypingProtocol):
    """Receives every event of a session, in order (a trace file, a progress display, a room)."""

    def receive(self, event: Event) -> None: ...


class _SessionEndedError(Exception):
    """A seat failed where the protocol gives it no way to walk away: the session ends it."""

    def __init__(self, seat: str, reason: str) -> None:
        super().__init__(reason)
        self.seat = seat
        self.reason = reason


def needs_mediator(protocol: Protocol[Any]) -> bool:
    """Whether the protocol's rules give a mediator a seat (its ``needs_mediator`` attribute, if any)."""
    needs = getattr(protocol, "needs_mediator", None)
    if needs is None:
        return protocol.id.rsplit("-v", 1)[0] in MEDIATED
    return bool(needs)


def _mediator_seat(scenario: Scenario, protocol: Protocol[Any]) -> str:
    if not needs_mediator(protocol):
        return ""
    mediator = scenario.mediator
    return mediator.name if mediator is not None else MEDIATOR


def _seat_agents(protocol_id: str, setup: Setup, agents: Mapping[str, Agent | str]) -> dict[str, Agent]:
    unknown = sorted(set(agents) - set(setup.seats))
    if unknown:
        raise ProtocolError(f"no seat named {', '.join(map(repr, unknown))}; seats: {', '.join(setup.seats)}")
    seated: dict[str, Agent] = {}
    for seat in setup.seats:
        given = agents.get(seat)
        if given is None:
            role = Role.MEDIATOR if seat == setup.mediator else Role.DELEGATION
            given = default_agent_for(protocol_id, role)
        seated[seat] = agent_by_id(given) if isinstance(given, str) else given
    return seated


def run_session(
    scenario: Scenario,
    protocol: Protocol[Any] | str,
    agents: Mapping[str, Agent | str],
    *,
    seed: int,
    rounds: int = 100,
    time_limit: float = DEFAULT_TIME_LIMIT,
    sink: EventSink | None = None,
    options: Mapping[str, Any] | None = None,
) -> SessionResult:
    """Play one session of ``protocol`` on ``scenario`` with ``agents`` (seat → agent or agent id).

    Seats without an agent get :func:`~accord.agents.registry.default_agent_for` the
    protocol and role. ``sink`` receives each event as it happens.
    """
    if isinstance(protocol, str):
        protocol = protocol_by_id(protocol)
    compiled = compiled_scenario(scenario)
    setup = Setup(
        agenda=scenario.agenda,
        delegations=compiled.utilities.parties,
        mediator=_mediator_seat(scenario, protocol),
        rounds=rounds,
        options=dict(options or {}),
    )
    seated = _seat_agents(protocol.id, setup, agents)
    loop = _Loop(protocol, setup, seated, compiled, time_limit=time_limit, sink=sink)
    loop.start(seed)
    loop.run()
    return loop.result(scenario, seed)


class _Loop:
    """One session's mutable bookkeeping; :func:`run_session` is its only user."""

    def __init__(
        self,
        protocol: Protocol[Any],
        setup: Setup,
        agents: dict[str, Agent],
        compiled: CompiledScenario,
        *,
        time_limit: float,
        sink: EventSink | None,
    ) -> None:
        self.protocol = protocol
        self.setup = setup
        self.agents = agents
        self.compiled = compiled
        self.utilities = compiled.utilities
        self.time_limit = time_limit
        self.sink = sink
        self.events: list[Event] = []
        self.failed: dict[str, str] = {}
        self.packages: list[Package] = []
        self.ended_by: tuple[str, str] | None = None
        self.state: Any = None

    def emit(self, events: tuple[Event, ...]) -> None:
        self.events.extend(events)
        if self.sink is not None:
            for event in events:
                self.sink.receive(event)

    def start(self, seed: int) -> None:
        setup = self.setup
        transition = self.protocol.start(setup)
        self.state = transition.state
        self.emit(transition.events)
        members = dict(zip(self.utilities.parties, self.utilities.members, strict=True))
        # The children SeedSequence(seed).spawn(n) would give, built directly (spawn costs twice as much).
        children = [np.random.SeedSequence(seed, spawn_key=(number,)) for number in range(len(setup.seats))]
        for seat, child in zip(setup.seats, children, strict=True):
            mediator = seat == setup.mediator
            context = SeatContext(
                seat=seat,
                role=Role.MEDIATOR if mediator else Role.DELEGATION,
                protocol=self.protocol.id,
                agenda=setup.agenda,
                delegations=setup.delegations,
                rounds=setup.rounds,
                utility=None if mediator else members[seat],
                confidential=members if mediator else {},
                options=setup.options,
            )
            began = time.perf_counter()
            try:
                self.agents[seat].reset(context, np.random.Generator(np.random.PCG64(child)))
            except Exception as error:  # an agent's failure must never end the session abruptly
                self.failed[seat] = f"failed to start: {type(error).__name__}: {error}"
                continue
            if time.perf_counter() - began > self.time_limit:
                self.failed[seat] = f"took longer than the time limit of {self.time_limit:g} s to start"

    def _walk_away(self, seat: str, allowed: tuple[str, ...], reason: str) -> Action:
        self.failed.setdefault(seat, reason)
        if "walk-away" not in allowed:
            raise _SessionEndedError(seat, reason)
        return WalkAway(f"{seat} ({self.agents[seat].id}) {reason}")

    def ask(self, seat: str) -> Action:
        observation = self.protocol.observe(self.state, seat)
        allowed = observation.allowed
        if seat in self.failed:
            return self._walk_away(seat, allowed, self.failed[seat])
        began = time.perf_counter()
        try:
            action = self.agents[seat].act(observation)
        except Exception as error:  # recorded as walking away, as the rules say
            return self._walk_away(seat, allowed, f"raised {type(error).__name__}: {error}")
        if time.perf_counter() - began > self.time_limit:
            return self._walk_away(seat, allowed, f"took longer than the time limit of {self.time_limit:g} s")
        try:
            kind = action_kind(action)
        except KeyError:
            return self._walk_away(seat, allowed, f"returned {action!r}, which is not an action")
        if kind not in allowed:
            return self._walk_away(seat, allowed, f"tried to {kind}; allowed now: {', '.join(allowed)}")
        if isinstance(action, _PACKAGE_ACTIONS):
            self.packages.append((observation.round, seat, action.outcome))
        elif isinstance(action, Message) and action.offer is not None:
            self.packages.append((observation.round, seat, action.offer))
        return action

    def run(self) -> None:
        protocol = self.protocol
        pending_of, step, ask = protocol.pending, protocol.step, self.ask
        try:
            while pending := pending_of(self.state):
                if len(pending) == 1:  # the common case, without a comprehension's frame
                    actions = {pending[0]: ask(pending[0])}
                else:
                    actions = {seat: ask(seat) for seat in pending}
                try:
                    transition = step(self.state, actions)
                except ProtocolError as error:
                    transition = self._after_illegal(pending, actions, error)
                self.state = transition.state
                self.emit(transition.events)
        except _SessionEndedError as ended:
            self.ended_by = (ended.seat, ended.reason)
            last = self.events[-1] if self.events else None
            round_ = last.round if last is not None else 0
            self.emit(
                (
                    Event(
                        index=len(self.events),
                        round=round_,
                        kind="walk-out",
                        actor=ended.seat,
                        data={
                            "reason": "walk-out",
                            "agreement": None,
                            "rounds": round_,
                            "explanation": ended.reason,
                        },
                    ),
                )
            )

    def _after_illegal(
        self, pending: tuple[str, ...], actions: dict[str, Action], error: ProtocolError
    ) -> Any:
        message = str(error)
        blamed = next((seat for seat in pending if f"seat {seat!r}" in message), pending[0])
        observation = self.protocol.observe(self.state, blamed)
        replaced = dict(actions)
        replaced[blamed] = self._walk_away(blamed, observation.allowed, f"acted illegally: {message}")
        if self.packages and self.packages[-1][1] in pending:
            self.packages.pop()
        try:
            return self.protocol.step(self.state, replaced)
        except ProtocolError as again:
            raise _SessionEndedError(blamed, f"acted illegally: {message} ({again})") from None

    def result(self, scenario: Scenario, seed: int) -> SessionResult:
        outcome = self.protocol.result(self.state)
        if self.ended_by is not None or outcome is None:
            reason, agreement, rounds = "walk-out", None, self.events[-1].round if self.events else 0
        else:
            reason, agreement, rounds = outcome.reason, outcome.agreement, outcome.rounds
        parties = self.utilities.parties
        values = agreement_utilities(self.compiled, self.setup, agreement, rounds)
        return SessionResult(
            scenario=scenario.name,
            protocol=self.protocol.id,
            seed=seed,
            rounds=rounds,
            deadline=self.setup.rounds,
            reason=reason,
            agreement=agreement,
            utilities=dict(zip(parties, values, strict=True)),
            pareto_optimal=None if agreement is None else self.compiled.pareto_optimal(agreement),
            issues=scenario.agenda.names,
            parties=parties,
            agents={seat: agent.id for seat, agent in self.agents.items()},
            events=tuple(self.events),
            packages=tuple(self.packages),
            walk_outs=dict(self.failed),
            compiled=self.compiled,
        )
