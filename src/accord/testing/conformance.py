"""Conformance checks every registered agent and protocol passes; plugin authors run them on theirs.

In the spirit of PettingZoo's API test, and the same bar Accord's own tests hold
its agents and protocols to.

:func:`check_protocol` plays the protocol with random legal actions to the end, on
small built-in setups (:func:`conformance_setups`) or yours, from several seeds, and
checks every state of every run (:mod:`~accord.testing.protocol_checks`,
:mod:`~accord.testing.record_checks`): each seat's observation, and that its history is
exactly the events visible to it; walking away always allowed; three kinds of illegal
step refused, naming the seat at fault, with the state unchanged; immutable states;
events numbered 0, 1, 2, … and JSON-ready; the end within the deadline with a public
final event; a replay of the stored steps giving the same state and events; and no seat
able to write what it observes. It then runs seeded sessions with built-in agents, which
must end without an agent being made to walk out, replay from their recorded steps, and
give the same events when played again with every agent probing its context and
observations: nothing a seat is handed can be written (:mod:`~accord.testing.seal_checks`).

:func:`check_agent` plays an agent in every registered protocol where its role has a
seat, on the built-in scenarios (:func:`conformance_scenarios`), and checks that it

- has a versioned ``id``, builds with no arguments and names the roles it takes;
- acts only from ``observation.allowed``, never raises and never overruns its time;
- gives the same actions for the same seed, also when the same object plays again
  after other sessions (``reset`` forgets them);
- as a delegation, never offers, accepts, votes for or bids a package below its
  reservation value or across its red lines.

Each check raises :class:`~accord.testing.failures.ConformanceError` naming the
protocol or agent, the setup, the seed, the step, the seat and what failed.

>>> check_agent("boulware-v1", protocols=("alternating-offers",))
>>> from accord.protocols.alternating_offers import AlternatingOffers
>>> check_protocol(AlternatingOffers(), seeds=(0, 1))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from accord.agents.registry import agent_by_id, agent_roles, check_seat
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
from accord.errors import AgentError, ProtocolError
from accord.protocols import Protocol, Setup
from accord.protocols.registry import PROTOCOLS, protocol_by_id
from accord.protocols.replay import check_replay
from accord.registry import split_id
from accord.session import run_session
from accord.testing.agent_checks import ROUNDS, build_agent, check_rational, play
from accord.testing.failures import ConformanceError, Where
from accord.testing.protocol_checks import check_random_run
from accord.testing.record_checks import REASONS
from accord.testing.seal_checks import Probing

__all__ = ["ConformanceError", "check_agent", "check_protocol", "conformance_scenarios", "conformance_setups"]

#: Seeds of the random legal runs :func:`check_protocol` plays on each setup.
SEEDS = (0, 1, 2, 3, 4)
#: Seeds of the sessions with agents.
SESSION_SEEDS = (0, 1)
#: The mediator's seat in the built-in setups of protocols that need one.
MEDIATOR = "envoy"


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
            Party(MEDIATOR, Role.MEDIATOR),
            Party("north", Role.DELEGATION, preferences=north),
            Party("south", Role.DELEGATION, preferences=south),
            Party("east", Role.DELEGATION, preferences=east),
        ),
    )
    return bilateral, trilateral


def conformance_setups(protocol: Protocol[Any], *, rounds: int = 6) -> dict[str, Setup]:
    """The built-in setups, by name: the conformance scenarios' tables, with a mediator's seat if the
    protocol needs one (its ``needs_mediator``).

    >>> from accord.protocols.shuttle import Shuttle
    >>> {name: setup.seats for name, setup in conformance_setups(Shuttle()).items()}
    {'bilateral': ('envoy', 'north', 'south'), 'trilateral': ('envoy', 'north', 'south', 'east')}
    """
    mediator = MEDIATOR if protocol.needs_mediator else ""
    return {
        scenario.name.removeprefix("conformance: "): Setup(
            agenda=scenario.agenda,
            delegations=tuple(party.name for party in scenario.delegations),
            mediator=mediator,
            rounds=rounds,
        )
        for scenario in conformance_scenarios()
    }


def check_protocol(
    protocol: Protocol[Any] | str,
    *,
    setups: Mapping[str, Setup] | None = None,
    seeds: Iterable[int] = SEEDS,
    agents: Iterable[str] = ("random-v1", "linear-v1"),
) -> None:
    """Check a protocol's state machine over random legal runs on ``setups`` (by name; the built-in
    ones by default) from each of ``seeds``; then that seeded sessions with each of ``agents`` in
    every delegation's seat end, without a walk-out forced on an agent, and replay alike."""
    protocol = protocol_by_id(protocol) if isinstance(protocol, str) else protocol
    where = Where(getattr(protocol, "id", type(protocol).__name__))
    try:
        split_id(protocol.id)
    except (AttributeError, ValueError) as error:
        where.fail(f"needs a versioned attribute `id` such as 'haggling-v1' ({error})")
    if not isinstance(getattr(protocol, "needs_mediator", None), bool):
        where.fail("needs a boolean attribute `needs_mediator`: whether its rules give a mediator a seat")
    chosen = conformance_setups(protocol) if setups is None else setups
    seeds = tuple(seeds)
    if not chosen or not seeds:
        where.fail("nothing to check: give at least one setup and one seed")
    for label, setup in chosen.items():
        for seed in seeds:
            check_random_run(protocol, setup, seed=seed, label=label)
    for scenario in conformance_scenarios():
        for agent in agents:
            _check_sessions(protocol, scenario, agent, where.at(setup=f"{scenario.name} with {agent}"))


def _check_sessions(protocol: Protocol[Any], scenario: Scenario, agent: str, where: Where) -> None:
    seats = {party.name: agent for party in scenario.delegations}
    seed = SESSION_SEEDS[1]
    first = run_session(scenario, protocol, seats, seed=seed, rounds=ROUNDS)
    # the same session again, every seat's agent probing the context and observations it is handed
    probes = {seat: Probing(agent_by_id(first.agents[seat])) for seat in first.setup.seats}
    again = run_session(scenario, protocol, probes, seed=seed, rounds=ROUNDS)
    where = where.at(seed=seed)
    for seat, probe in probes.items():
        if probe.writable:
            where.at(seat=seat).fail(f"a seat can write what it is handed: {', '.join(probe.writable)}")
    if [event.to_data() for event in first.events] != [event.to_data() for event in again.events]:
        where.fail("the same seed gave different events (the second time with agents probing what they get)")
    if [event.index for event in first.events] != list(range(len(first.events))):
        where.fail("events are not numbered 0, 1, 2, … in order")
    if first.reason not in REASONS:
        where.fail(f"unknown reason {first.reason!r}")
    if first.walk_outs:
        where.fail(f"built-in agents were made to walk out: {dict(first.walk_outs)}")
    if first.rounds > ROUNDS:
        where.fail(f"ran {first.rounds} rounds, past the deadline of {ROUNDS}")
    try:
        check_replay(protocol, first.setup, first.steps, expected=first.events)
    except ProtocolError as error:
        where.fail(f"the session's recorded steps do not replay: {error}")


def check_agent(agent: str | type[Any], *, protocols: Iterable[str] | None = None) -> None:
    """Check one agent (a registered id or a class) against every registered protocol (or ``protocols``)."""
    try:
        built = build_agent(agent)
        identifier = built.id
        split_id(identifier)
    except (AttributeError, TypeError, ValueError) as error:
        raise ConformanceError(
            f"agent {agent!r}: needs a versioned class attribute `id` such as 'mine-v1' and no "
            f"constructor arguments ({type(error).__name__}: {error})"
        ) from None
    where = Where(identifier, kind="agent")
    roles = agent_roles(built)
    if not roles or not all(isinstance(role, Role) for role in roles):
        where.fail(f"`roles` must name the seats it takes (Role.DELEGATION, Role.MEDIATOR), not {roles!r}")
    checked = 0
    for protocol in protocols if protocols is not None else PROTOCOLS.ids():
        for role in roles:
            try:
                check_seat(built, seat="conformance", role=role, protocol=protocol_by_id(protocol).id)
            except AgentError as error:
                if protocols is not None:  # asked for by name: that it cannot play it is a failure
                    where.at(setup=protocol).fail(error.reason)
                continue  # a registered protocol it declares it does not play
            for scenario in conformance_scenarios():
                checked += _check_agent_sessions(
                    agent, protocol, scenario, role, where.at(setup=f"{protocol} on {scenario.name}")
                )
    if not checked:
        where.fail("took no seat in any session: it plays none of the protocols checked in its roles")


def _check_agent_sessions(
    agent: str | type[Any], protocol: str, scenario: Scenario, role: Role, where: Where
) -> int:
    """Seeds a, a (new agents), b, then a again with the agents that played b: the same trace for a.

    Returns how many sessions were played (none where the protocol has no seat for the role).
    """
    first, second = SESSION_SEEDS
    traces: list[list[dict[str, Any]]] = []
    seated = None
    for seed, reuse in ((first, False), (first, False), (second, False), (first, True)):
        result, watched = play(
            agent, protocol, scenario, seed=seed, role=role, seated=seated if reuse else None
        )
        if result is None:
            return 0
        here = where.at(seed=seed)
        seats = {player.context.seat for player in watched if player.context is not None}
        failed = sorted((seat, why) for seat, why in result.walk_outs.items() if seat in seats)
        if failed:
            here.at(seat=failed[0][0]).fail(f"walked out involuntarily: {failed[0][1]}")
        for player in watched:
            check_rational(player, here)
        traces.append([event.to_data() for event in result.events])
        seated = watched
    if traces[1] != traces[0]:
        where.at(seed=first).fail("two sessions with the same seed went differently")
    if traces[3] != traces[0]:
        where.at(seed=first).fail(
            "the same seed played again after another session went differently: "
            "reset must forget earlier sessions"
        )
    return len(traces)
