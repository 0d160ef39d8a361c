"""Conformance checks every registered agent and protocol passes; plugin authors run them on theirs.

In the spirit of PettingZoo's API test: :func:`check_agent` plays an agent in
every registered protocol where its role has a seat, on small built-in
scenarios, and checks that it

- has a versioned ``id`` and builds with no arguments;
- acts only from ``observation.allowed``, never raises and never overruns its time;
- gives the same actions for the same seed (reset/act determinism);
- as a delegation, never offers, accepts, votes for or bids a package below its
  reservation value or across its red lines.

:func:`check_protocol` checks a protocol's state machine: the opening, seats'
observations (only awaited seats may act, histories hold only visible events),
numbered events, illegal actions refused without a change of state, termination
within the deadline, and a seeded session that replays identically.

Each check raises :class:`ConformanceError` naming what failed.

>>> check_agent("boulware-v1", protocols=("alternating-offers",))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import numpy as np

from accord.agents.base import Agent, SeatContext
from accord.agents.outcomes import OwnUtility
from accord.agents.registry import agent_by_id, agent_roles
from accord.domain import (
    Agenda,
    Condition,
    DiscreteIssue,
    IntegerIssue,
    Option,
    Party,
    Preferences,
    RedLine,
    Role,
    Scenario,
    ValueFunction,
)
from accord.errors import ProtocolError
from accord.protocols import (
    Accept,
    AcceptPackages,
    Action,
    Message,
    Observation,
    Offer,
    Protocol,
    Vote,
    action_kind,
)
from accord.protocols.registry import PROTOCOLS, protocol_by_id
from accord.registry import split_id
from accord.session import run_session

__all__ = ["ConformanceError", "check_agent", "check_protocol", "conformance_scenarios"]

#: Seeds each check plays.
SEEDS = (0, 1)
ROUNDS = 12


class ConformanceError(AssertionError):
    """An agent or protocol broke the contract; the message says how."""


def conformance_scenarios() -> tuple[Scenario, ...]:
    """Two small scenarios: bilateral with a red line and reservations; trilateral with a mediator."""
    agenda = Agenda(
        (
            DiscreteIssue("venue", (Option("geneva"), Option("vienna"), Option("astana"))),
            DiscreteIssue("sequence", (Option("security-first"), Option("politics-first"))),
            IntegerIssue("monitors", 0, 3),
        )
    )

    def preferences(
        venue: tuple[float, ...],
        sequence: tuple[float, ...],
        monitors: tuple[float, float],
        *,
        reservation: float,
        red_lines: tuple[RedLine, ...] = (),
    ) -> Preferences:
        return Preferences(
            weights={"venue": 0.4, "sequence": 0.35, "monitors": 0.25},
            option_values={
                "venue": dict(zip(("geneva", "vienna", "astana"), venue, strict=True)),
                "sequence": dict(zip(("security-first", "politics-first"), sequence, strict=True)),
            },
            value_functions={"monitors": ValueFunction(((0.0, monitors[0]), (3.0, monitors[1])))},
            reservation=reservation,
            red_lines=red_lines,
        )

    no_astana = (RedLine((Condition("venue", ("astana",)),), "not on their ground"),)
    north = preferences((1.0, 0.6, 0.0), (1.0, 0.2), (0.0, 1.0), reservation=0.3, red_lines=no_astana)
    south = preferences((0.2, 0.7, 1.0), (0.0, 1.0), (1.0, 0.0), reservation=0.25)
    east = preferences((0.5, 1.0, 0.4), (0.6, 0.4), (0.2, 0.8), reservation=0.35)
    bilateral = Scenario(
        "conformance: bilateral",
        agenda,
        (
            Party("north", Role.DELEGATION, preferences=north),
            Party("south", Role.DELEGATION, preferences=south),
        ),
    )
    trilateral = Scenario(
        "conformance: trilateral",
        agenda,
        (
            Party("envoy", Role.MEDIATOR),
            Party("north", Role.DELEGATION, preferences=north),
            Party("south", Role.DELEGATION, preferences=south),
            Party("east", Role.DELEGATION, preferences=east),
        ),
    )
    return bilateral, trilateral


class _Watched:
    """Wraps an agent and records every observation it saw and action it took."""

    id: ClassVar[str] = "watched-v1"

    def __init__(self, agent: Agent) -> None:
        self.agent = agent
        self.roles = agent_roles(agent)  # the seats it may take are the wrapped agent's
        self.protocols = getattr(agent, "protocols", None)
        self.moves: list[tuple[Observation, Action]] = []
        self.context: SeatContext | None = None

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self.context = context
        self.agent.reset(context, rng)

    def act(self, observation: Observation) -> Action:
        action = self.agent.act(observation)
        self.moves.append((observation, action))
        return action


def _new(agent: str | type[Any]) -> Agent:
    if isinstance(agent, str):
        return agent_by_id(agent)
    built: Agent = agent()
    return built


def _check_rational(name: str, watched: _Watched) -> None:
    context = watched.context
    if context is None or context.utility is None:
        return
    own = OwnUtility(context.agenda, context.utility)
    for observation, action in watched.moves:
        packages: list[Any] = []
        if isinstance(action, Offer):
            packages = [action.outcome]
        elif isinstance(action, Message) and action.offer is not None:
            packages = [action.offer]
        elif isinstance(action, AcceptPackages):
            packages = list(action.outcomes)
        elif (isinstance(action, Accept) or (isinstance(action, Vote) and action.accept)) and (
            observation.on_table is not None
        ):
            packages = [observation.on_table]
        for package in packages:
            if not own.rational(tuple(package)):
                raise ConformanceError(
                    f"{name} in seat {context.seat!r} ({observation.protocol}, "
                    f"round {observation.round}) would "
                    f"sign {package!r} ({action_kind(action)}): below its reservation or across a red line"
                )


def _play(
    agent: str | type[Any], protocol: str, scenario: Scenario, role: Role, seed: int
) -> tuple[Any, list[_Watched]]:
    protocol_object = protocol_by_id(protocol)
    mediated = protocol_object.needs_mediator
    if role is Role.MEDIATOR:
        seats = [scenario.mediator.name if scenario.mediator else "Mediator"]
    else:
        seats = [party.name for party in scenario.delegations]
    watched = [_Watched(_new(agent)) for _ in seats]
    if role is Role.MEDIATOR and not mediated:
        return None, []
    result = run_session(
        scenario,
        protocol_object,
        dict(zip(seats, watched, strict=True)),
        seed=seed,
        rounds=ROUNDS,
        time_limit=5.0,
    )
    return result, watched


def check_agent(agent: str | type[Any], *, protocols: Iterable[str] | None = None) -> None:
    """Check one agent (a registered id or a class) against every registered protocol (or ``protocols``)."""
    built = _new(agent)
    name = f"agent {getattr(built, 'id', agent)!r}"
    try:
        split_id(built.id)
    except (AttributeError, ValueError) as error:
        raise ConformanceError(
            f"{name}: needs a versioned class attribute `id` such as 'mine-v1' ({error})"
        ) from None
    for protocol in protocols if protocols is not None else PROTOCOLS.ids():
        for scenario in conformance_scenarios():
            for role in agent_roles(built):
                traces = []
                for seed in (SEEDS[0], SEEDS[0], SEEDS[1]):
                    result, watched = _play(agent, protocol, scenario, role, seed)
                    if result is None:
                        break
                    where = f"{name} in {protocol} on {scenario.name!r} (seed {seed})"
                    seats = {seat.context.seat for seat in watched if seat.context is not None}
                    failed = {seat: why for seat, why in result.walk_outs.items() if seat in seats}
                    if failed:
                        raise ConformanceError(f"{where}: walked out involuntarily: {failed}")
                    for seat in watched:
                        _check_rational(where, seat)
                    traces.append([event.to_data() for event in result.events])
                if len(traces) >= 2 and traces[0] != traces[1]:
                    raise ConformanceError(
                        f"{name} in {protocol} on {scenario.name!r}: same seed, different session"
                    )


def check_protocol(
    protocol: Protocol[Any] | str, *, agents: Iterable[str] = ("random-v1", "linear-v1")
) -> None:
    """Check a protocol's state machine, and that seeded sessions with ``agents`` end and replay alike."""
    protocol = protocol_by_id(protocol) if isinstance(protocol, str) else protocol
    name = f"protocol {protocol.id!r}"
    try:
        split_id(protocol.id)
    except ValueError as error:
        raise ConformanceError(f"{name}: {error}") from None
    for scenario in conformance_scenarios():
        for agent in agents:
            seats = {party.name: agent for party in scenario.delegations}
            first = run_session(scenario, protocol, seats, seed=SEEDS[1], rounds=ROUNDS)
            again = run_session(scenario, protocol, seats, seed=SEEDS[1], rounds=ROUNDS)
            where = f"{name} on {scenario.name!r} with {agent}"
            if [event.to_data() for event in first.events] != [event.to_data() for event in again.events]:
                raise ConformanceError(f"{where}: the same seed gave different events")
            if [event.index for event in first.events] != list(range(len(first.events))):
                raise ConformanceError(f"{where}: events are not numbered 0, 1, 2, … in order")
            if first.reason not in ("agreement", "deadline", "walk-out", "rejected"):
                raise ConformanceError(f"{where}: unknown reason {first.reason!r}")
            if first.walk_outs:
                raise ConformanceError(
                    f"{where}: built-in agents were made to walk out: {dict(first.walk_outs)}"
                )
            if first.rounds > ROUNDS:
                raise ConformanceError(f"{where}: ran {first.rounds} rounds, past the deadline of {ROUNDS}")
        _check_states(protocol, scenario, name)


def _check_states(protocol: Protocol[Any], scenario: Scenario, name: str) -> None:
    from accord.protocols import Setup, WalkAway

    mediator = "envoy" if protocol.needs_mediator else ""
    setup = Setup(
        agenda=scenario.agenda,
        delegations=tuple(party.name for party in scenario.delegations),
        mediator=mediator,
        rounds=ROUNDS,
    )
    transition = protocol.start(setup)
    state = transition.state
    pending = protocol.pending(state)
    if not pending or protocol.result(state) is not None:
        raise ConformanceError(f"{name}: the talks must open awaiting someone, with no result yet")
    for seat in setup.seats:
        observation = protocol.observe(state, seat)
        if observation.seat != seat or (seat not in pending and observation.allowed):
            raise ConformanceError(f"{name}: seat {seat!r} not awaited but may {observation.allowed}")
        if any(not event.visible_for(seat) for event in observation.history):
            raise ConformanceError(f"{name}: seat {seat!r} sees an event not visible to it")
    seat = pending[0]
    allowed = protocol.observe(state, seat).allowed
    illegal: Action = WalkAway() if "walk-away" not in allowed else Vote(True)
    if action_kind(illegal) in allowed:
        return
    before = [event.to_data() for event in state.journal.events] if hasattr(state, "journal") else None
    try:
        protocol.step(state, {other: illegal for other in pending})
    except ProtocolError:
        pass
    else:
        raise ConformanceError(f"{name}: accepted {action_kind(illegal)} though only {allowed} is allowed")
    after = [event.to_data() for event in state.journal.events] if hasattr(state, "journal") else None
    if before != after:
        raise ConformanceError(f"{name}: an illegal action changed the state")
