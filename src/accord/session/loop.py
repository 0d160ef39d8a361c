"""``run_session``: the only loop that calls agents (see :mod:`accord.session`)."""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any
from typing import Protocol as TypingProtocol

import numpy as np

from accord.agents.base import Agent, SeatContext
from accord.agents.registry import agent_by_id, check_seat, default_agent_for
from accord.compiled import CompiledScenario, compiled_scenario
from accord.domain import Role, Scenario
from accord.errors import AgentError, ProtocolError
from accord.protocols import Action, Event, Message, Offer, Options, Propose, Protocol, Setup, WalkAway
from accord.protocols.registry import protocol_by_id
from accord.session.result import Package, SessionResult, agreement_utilities
from accord.session.seating import seating
from accord.session.watchdog import Abandoned, absorb_abandonment, run_inline, run_watched

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "EventSink",
    "run_session",
]

#: Seconds an agent may take for one call (``reset`` or ``act``) before it is taken to have walked away.
DEFAULT_TIME_LIMIT = 10.0

#: Actions that put a package on the table (a tuple: ``Offer | Propose`` would build a union per call).
_PACKAGE_ACTIONS = (Offer, Propose)


class EventSink(TypingProtocol):
    """Receives every event of a session, in order (a trace file, a progress display, a room)."""

    def receive(self, event: Event) -> None: ...


def _seat_agents(
    protocol: Protocol[Any], setup: Setup, agents: Mapping[str, Agent | str]
) -> dict[str, Agent]:
    unknown = sorted(set(agents) - set(setup.seats))
    if unknown:
        seats = ", ".join(setup.seats)
        raise AgentError("agents", f"no seat {unknown[0]!r} at this table; seats: {seats}")
    seated: dict[str, Agent] = {}
    for seat in setup.seats:
        role = Role.MEDIATOR if seat == setup.mediator else Role.DELEGATION
        given = agents.get(seat)
        if given is None:
            given = default_agent_for(protocol.id, role)
        check_seat(given, seat=seat, role=role, protocol=protocol.id)
        seated[seat] = agent_by_id(given) if isinstance(given, str) else given
    return seated


def run_session(
    scenario: Scenario,
    protocol: Protocol[Any] | str,
    agents: Mapping[str, Agent | str],
    *,
    seed: int,
    rounds: int = 100,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    sink: EventSink | None = None,
    options: Options | Mapping[str, Any] | None = None,
) -> SessionResult:
    """Play one session of ``protocol`` on ``scenario`` with ``agents`` (seat → agent or agent id).

    Seats without an agent get :func:`~accord.agents.registry.default_agent_for` the
    protocol and role; ``options`` are the protocol settings (a mapping is read by
    :meth:`~accord.protocols.Options.from_mapping`). Every agent is checked to fit its seat
    (:func:`~accord.agents.registry.check_seat`: :class:`~accord.errors.AgentError`
    naming the seat, the agent and why). ``sink`` receives each event as it happens.

    ``time_limit``: seconds each call of an agent (``reset`` or ``act``) may take. A call
    past it is abandoned at the limit, the session going on without it (the seat walks
    away; :mod:`accord.session.watchdog`), so ``run_session`` returns promptly whatever
    an agent does. ``None``: no limit (the session then runs on the calling thread, as it
    also does when every seat holds one of Accord's own agents: a sentry stops an overrun).
    """
    if time_limit is not None and not time_limit > 0:
        raise ValueError(f"time_limit must be a positive number of seconds (or None), got {time_limit!r}")
    if isinstance(protocol, str):
        protocol = protocol_by_id(protocol)
    compiled = compiled_scenario(scenario)
    setup = Setup(
        agenda=scenario.agenda,
        delegations=compiled.utilities.parties,
        mediator=seating(scenario, protocol).mediator,
        rounds=rounds,
        options=options if isinstance(options, Options) else Options.from_mapping(options or {}),
    )
    seated = _seat_agents(protocol, setup, agents)
    inline = time_limit is None or all(_trusted(agent) for agent in seated.values())
    loop = _Loop(protocol, setup, seated, compiled, time_limit=time_limit, sink=sink, inline=inline)
    loop.open(seed)
    if time_limit is None:
        loop.play()
    elif inline:
        run_inline(loop, time_limit=time_limit)
    else:
        run_watched(loop, time_limit=time_limit)
    return loop.result(scenario, seed)


def _trusted(agent: Agent) -> bool:
    """Whether ``agent`` is one of Accord's own, which compute and return (never block), not a plugin's.

    A subclass defined elsewhere is not trusted: its module is its author's.
    """
    return type(agent).__module__.startswith("accord.agents.")


class _Loop:
    """One session's mutable bookkeeping; :func:`run_session` is its only user.

    Resumable, for the watchdog: what is done is recorded before each agent call
    (seats started, the current step's actions so far), so that a fresh worker can
    :meth:`play` on from where an abandoned one stood.
    """

    def __init__(
        self,
        protocol: Protocol[Any],
        setup: Setup,
        agents: dict[str, Agent],
        compiled: CompiledScenario,
        *,
        time_limit: float | None,
        sink: EventSink | None,
        inline: bool = False,
    ) -> None:
        self.protocol = protocol
        #: Played on the calling thread (watchdog.run_inline): an overrun arrives as Abandoned, caught here.
        self.inline = inline
        self.setup = setup
        self.agents = agents
        self.compiled = compiled
        self.utilities = compiled.utilities
        self.time_limit = math.inf if time_limit is None else time_limit
        self.sink = sink
        self.events: list[Event] = []
        self.failed: dict[str, str] = {}
        self.packages: list[Package] = []
        #: The actions fed to each step, in order (what a replay feeds again).
        self.steps: list[dict[str, Action]] = []
        self.state: Any = None
        #: The latest agent call's ticket and seat (see accord.session.watchdog).
        self.call: list[float] = []  # no call yet
        self.calling = ""
        #: Each seat's context and generator, and how many seats have been started.
        self.contexts: list[tuple[str, SeatContext, np.random.Generator]] = []
        self.started = 0
        self.running = False
        #: The current step's actions so far, and the packages put forward before it.
        self.partial: dict[str, Action] = {}
        self.marked = 0

    def emit(self, events: tuple[Event, ...]) -> None:
        self.events.extend(events)
        if self.sink is not None:
            for event in events:
                self.sink.receive(event)

    def open(self, seed: int) -> None:
        """Start the protocol and prepare every seat's context and generator (no agent is called)."""
        setup = self.setup
        transition = self.protocol.start(setup)
        self.state = transition.state
        self.emit(transition.events)
        members = dict(zip(self.utilities.parties, self.utilities.members, strict=True))
        confidential = MappingProxyType(members)  # the mediator's, read-only
        nothing: Mapping[str, Any] = MappingProxyType({})
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
                confidential=confidential if mediator else nothing,
                options=setup.options,
            )
            self.contexts.append((seat, context, np.random.Generator(np.random.PCG64(child))))

    def play(self) -> None:
        """Start the agents not yet started, then play the talks to the end (or on from where they stood)."""
        self._start_agents()
        self._run()

    def overran(self, seat: str) -> None:
        """The watchdog's word that ``seat``'s current call outlived the time limit."""
        self.failed.setdefault(seat, self._late(starting=not self.running))

    def _late(self, *, starting: bool) -> str:
        return f"took longer than the time limit of {self.time_limit:g} s" + (" to start" if starting else "")

    def _start_agents(self) -> None:
        while self.started < len(self.contexts):
            seat, context, rng = self.contexts[self.started]
            self.started += 1  # before the call: a worker taking over goes on with the next seat
            ticket = [time.perf_counter()]
            self.calling, self.call = seat, ticket
            try:
                try:
                    self.agents[seat].reset(context, rng)
                except Exception as error:  # an agent's failure must never end the session abruptly
                    self._taken_back(ticket)
                    self.failed[seat] = f"failed to start: {type(error).__name__}: {error}"
                    continue
                if time.perf_counter() - self._taken_back(ticket) > self.time_limit:
                    self.failed[seat] = self._late(starting=True)
            except Abandoned:
                if not self.inline:
                    raise  # this worker was given up on: it stops here
                self.overran(seat)

    def _taken_back(self, ticket: list[float]) -> float:
        """Take back a call's ticket (its start time), or meet the abandonment if the watchdog took it."""
        try:
            return ticket.pop()
        except IndexError:
            if self.inline:
                absorb_abandonment()
            raise Abandoned from None

    def _walk_away(self, seat: str, reason: str) -> WalkAway:
        """The walk-away that replaces a failed agent's move; the first failure is the one recorded."""
        self.failed.setdefault(seat, reason)
        return WalkAway(f"{seat} ({getattr(self.agents[seat], 'id', '?')}) {self.failed[seat]}")

    def ask(self, seat: str) -> Action:
        observation = self.protocol.observe(self.state, seat)
        if seat in self.failed:
            return self._walk_away(seat, self.failed[seat])
        ticket = [time.perf_counter()]
        self.calling, self.call = seat, ticket
        try:
            try:
                action = self.agents[seat].act(observation)
            except Exception as error:  # recorded as walking away, as the rules say
                self._taken_back(ticket)
                return self._walk_away(seat, f"raised {type(error).__name__}: {error}")
            try:
                began = ticket.pop()  # taken back from the watchdog (inlined _taken_back: the hot path)
            except IndexError:
                began = self._taken_back(ticket)
        except Abandoned:
            if not self.inline:
                raise  # this worker was given up on: it stops here
            return self._walk_away(seat, self._late(starting=False))
        if time.perf_counter() - began > self.time_limit:
            return self._walk_away(seat, self._late(starting=False))
        # Whether the action is legal is the protocol's to say (ProtocolError.seat; see run).
        if isinstance(action, _PACKAGE_ACTIONS):
            self.packages.append((observation.round, seat, action.outcome))
        elif isinstance(action, Message) and action.offer is not None:
            self.packages.append((observation.round, seat, action.offer))
        return action

    def _run(self) -> None:
        self.running = True
        protocol = self.protocol
        pending_of, step, ask, steps = protocol.pending, protocol.step, self.ask, self.steps
        while pending := pending_of(self.state):
            actions = self.partial  # empty, unless a worker taking over goes on with a step
            if len(pending) == 1 and not actions:  # the common case
                actions[pending[0]] = ask(pending[0])
            else:
                for seat in pending:
                    if seat not in actions:
                        actions[seat] = ask(seat)
            try:
                transition = step(self.state, actions)
            except ProtocolError as error:
                actions, transition = self._after_illegal(actions, error, self.marked)
            steps.append(actions)
            self.state = transition.state
            self.partial = {}
            self.marked = len(self.packages)
            self.emit(transition.events)

    def _after_illegal(
        self, actions: dict[str, Action], error: ProtocolError, marked: int
    ) -> tuple[dict[str, Action], Any]:
        """Step again with each seat the protocol refuses (``error.seat``) walking away instead."""
        actions = dict(actions)
        replaced: set[str] = set()
        while True:
            seat = error.seat
            if seat is None or seat not in actions or seat in replaced:
                raise error  # no seat's move is to blame: the protocol itself is at fault
            replaced.add(seat)
            actions[seat] = self._walk_away(seat, f"acted illegally: {error}")
            self.packages[marked:] = [package for package in self.packages[marked:] if package[1] != seat]
            try:
                return actions, self.protocol.step(self.state, actions)
            except ProtocolError as again:
                error = again

    def result(self, scenario: Scenario, seed: int) -> SessionResult:
        outcome = self.protocol.result(self.state)
        if outcome is None:
            raise ProtocolError(f"{self.protocol.id}: no seat is awaited, yet the talks have no result")
        parties = self.utilities.parties
        values = agreement_utilities(self.compiled, self.setup, outcome.agreement, outcome.rounds)
        return SessionResult(
            scenario=scenario.name,
            protocol=self.protocol.id,
            seed=seed,
            rounds=outcome.rounds,
            deadline=self.setup.rounds,
            reason=outcome.reason,
            agreement=outcome.agreement,
            utilities=dict(zip(parties, values, strict=True)),
            pareto_optimal=None
            if outcome.agreement is None
            else self.compiled.pareto_optimal(outcome.agreement),
            issues=scenario.agenda.names,
            parties=parties,
            agents={seat: str(getattr(agent, "id", "?")) for seat, agent in self.agents.items()},
            events=tuple(self.events),
            packages=tuple(self.packages),
            walk_outs=dict(self.failed),
            setup=self.setup,
            step_actions=tuple(self.steps),
            compiled=self.compiled,
        )
