"""What a tournament plays: a frozen configuration and the sessions it enumerates.

A :class:`TournamentConfig` names scenario files, one protocol, the agents and
how often each pairing is repeated. :meth:`TournamentConfig.sessions` lists
every session as a :class:`SessionSpec`, in a fixed order: scenario by
scenario, assignment of agents to the delegation seats by assignment, then
repetition by repetition.

*Assignments.* With at least as many agents as the scenario has delegation
seats, every ordered choice of distinct agents fills the seats
(:func:`itertools.permutations`): two agents in a bilateral scenario play
``(A, B)`` and ``(B, A)``. With fewer agents than seats, every seat takes every
agent independently (:func:`itertools.product` with repetition), so two agents
at a five-seat table give ``2**5 = 32`` assignments, including the two where
one agent holds every seat.

*Seeds.* Each session has its own seed, spawned from
``numpy.random.SeedSequence(config.seed)``: the root spawns one child per
scenario, each scenario child one per assignment, and each of those one per
repetition. The seed is stored as a plain non-negative ``int`` (below 2**63),
so a worker on another process or machine rebuilds the same generator, and
adding repetitions or scenarios at the end leaves earlier sessions' seeds as
they were.

>>> specs = session_specs(
...     scenarios={"talks.yaml": ("north", "south")},
...     protocol="alternating-offers-v1",
...     agents=("boulware-v1", "conceder-v1"),
...     repetitions=2,
...     rounds=100,
...     seed=7,
... )
>>> [(spec.agents, spec.repetition) for spec in specs]  # doctest: +NORMALIZE_WHITESPACE
[(('boulware-v1', 'conceder-v1'), 0), (('boulware-v1', 'conceder-v1'), 1),
 (('conceder-v1', 'boulware-v1'), 0), (('conceder-v1', 'boulware-v1'), 1)]
>>> len({spec.seed for spec in specs})
4
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import AgentError, ArgumentError, InputError

__all__ = ["MOST_SESSIONS", "SessionPlan", "SessionSpec", "TournamentConfig", "assignments", "session_specs"]

#: The most sessions one tournament may hold (days of play on one machine; its bookkeeping,
#: one flag per session, stays small).
MOST_SESSIONS = 10**8


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionSpec:
    """One session of a tournament, in plain values a worker process can receive.

    ``seats``: the scenario's delegations in seating order; ``agents[i]`` sits in
    ``seats[i]``. ``index`` is the session's place in the tournament's order.
    """

    index: int
    scenario: str
    protocol: str
    seats: tuple[str, ...]
    agents: tuple[str, ...]
    repetition: int
    seed: int
    rounds: int
    mediator: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TournamentConfig:
    """A tournament: every scenario × every assignment of agents to seats × ``repetitions`` seeds.

    ``scenarios`` are paths to scenario files; ``protocol`` and ``agents`` are
    registry ids (bare or versioned). ``mediator``: the agent id in the mediator's seat of a
    protocol that seats one (``None``: the protocol's default mediator). ``jobs`` is how many
    processes (or Ray CPUs) run sessions; it never changes the results.
    """

    scenarios: tuple[str, ...]
    protocol: str
    agents: tuple[str, ...]
    repetitions: int = 1
    rounds: int = 100
    seed: int = 0
    jobs: int = 1
    mediator: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "scenarios", tuple(str(path) for path in self.scenarios))
        object.__setattr__(self, "agents", tuple(self.agents))
        if not self.scenarios:
            raise ArgumentError("scenarios", "give at least one scenario file")
        if not self.agents:
            raise ArgumentError("agents", "give at least one agent id")
        if self.mediator is not None and not self.mediator.strip():
            raise ArgumentError("mediator", "give an agent id")
        repeated = sorted({path for path in self.scenarios if self.scenarios.count(path) > 1})
        if repeated:
            raise ArgumentError("scenarios", f"{repeated[0]} is given more than once")
        for name, value, least in (
            ("repetitions", self.repetitions, 1),
            ("rounds", self.rounds, 1),
            ("jobs", self.jobs, 1),
            ("seed", self.seed, 0),
        ):
            if value < least:
                raise ArgumentError(name, f"must be at least {least}, got {value}")

    def seats(self) -> dict[str, tuple[str, ...]]:
        """Each scenario path → its delegations in seating order (loads every file once).

        Raises :class:`~accord.errors.ScenarioError` for a missing or malformed file.
        """
        from accord.io import load_scenario

        seats: dict[str, tuple[str, ...]] = {}
        for path in self.scenarios:
            scenario = load_scenario(Path(path))
            names = tuple(party.name for party in scenario.delegations)
            if not names:
                raise InputError(path, "parties", "no delegation with preferences to seat an agent")
            seats[path] = names
        return seats

    def sessions(self) -> tuple[SessionSpec, ...]:
        """Every session, in the tournament's fixed order (see the module docstring).

        Protocol and agent ids are made versioned (``boulware`` → ``boulware-v1``);
        :class:`~accord.errors.AgentError` names an unknown one (or a mediator's agent), and
        :class:`~accord.errors.ScenarioError` a missing or malformed scenario file.
        """
        return self.plan().specs()

    def plan(self) -> SessionPlan:
        """The sessions as a :class:`SessionPlan`, checked as :meth:`sessions` checks them."""
        from accord.agents.registry import AGENTS, check_seat
        from accord.domain import Role
        from accord.protocols.registry import PROTOCOLS

        protocol = PROTOCOLS.canonical(self.protocol)
        agents = tuple(AGENTS.canonical(agent) for agent in self.agents)
        seats = self.seats()
        first_seat = next(iter(seats.values()))[0]
        for agent in agents:  # every agent sits in every delegation's seat in turn
            check_seat(agent, seat=first_seat, role=Role.DELEGATION, protocol=protocol)
        mediator = None if self.mediator is None else _mediator(self.mediator.strip(), protocol)
        plan = SessionPlan(
            scenarios=tuple(seats.items()),
            protocol=protocol,
            agents=agents,
            repetitions=self.repetitions,
            rounds=self.rounds,
            seed=self.seed,
            mediator=mediator,
        )
        if len(plan) > MOST_SESSIONS:
            raise ArgumentError(
                "repetitions",
                f"{self.repetitions:,} repetitions make {len(plan):,} sessions, more than the "
                f"{MOST_SESSIONS:,} a tournament may hold; give fewer repetitions, agents or scenarios",
            )
        return plan


def _mediator(name: str, protocol: str) -> str:
    """The versioned id of the agent ``name`` for the mediator's seat of ``protocol`` (a versioned id).

    :class:`~accord.errors.AgentError` on ``mediator`` when the agent is unknown, is no mediator's
    agent or does not play ``protocol``, or when ``protocol`` seats no mediator.
    """
    from accord.agents.registry import AGENTS, check_seat
    from accord.domain import Role
    from accord.protocols.registry import PROTOCOLS
    from accord.session import MEDIATOR

    try:
        if not PROTOCOLS.resolve(protocol).needs_mediator:
            raise AgentError("mediator", f"{protocol} seats no mediator (agent {name!r} given)")
        agent = AGENTS.canonical(name)
        check_seat(agent, seat=MEDIATOR, role=Role.MEDIATOR, protocol=protocol)
    except AgentError as error:
        raise AgentError("mediator", error.reason) from None
    return agent


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionPlan:
    """A tournament's sessions without listing them: any range of them can be rebuilt from it.

    Small and plain, so a worker receives the plan and the bounds of its share and
    derives those sessions and their seeds itself (the seed of the ``k``-th repetition of
    the ``j``-th assignment in the ``i``-th scenario comes from
    ``SeedSequence(seed, spawn_key=(i, j, k))``, the very child the spawning in the
    module docstring gives). ``scenarios``: each path with its delegation seats;
    ``mediator``: the agent in the mediator's seat (``None``: the protocol's default).
    """

    scenarios: tuple[tuple[str, tuple[str, ...]], ...]
    protocol: str
    agents: tuple[str, ...]
    repetitions: int
    rounds: int
    seed: int
    mediator: str | None = None

    def to_data(self) -> dict[str, Any]:
        """Plain JSON data; two tournaments with equal data are the same tournament (``mediator``
        only when chosen, so a plan without one has the data it had before the option existed)."""
        data: dict[str, Any] = {
            "scenarios": [[path, list(seats)] for path, seats in self.scenarios],
            "protocol": self.protocol,
            "agents": list(self.agents),
            "repetitions": self.repetitions,
            "rounds": self.rounds,
            "seed": self.seed,
        }
        if self.mediator is not None:
            data["mediator"] = self.mediator
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> SessionPlan:
        """The plan :meth:`to_data` gave (``KeyError``/``TypeError``/``ValueError`` when malformed)."""
        return cls(
            scenarios=tuple(
                (str(path), tuple(str(seat) for seat in seats)) for path, seats in data["scenarios"]
            ),
            protocol=str(data["protocol"]),
            agents=tuple(str(agent) for agent in data["agents"]),
            repetitions=int(data["repetitions"]),
            rounds=int(data["rounds"]),
            seed=int(data["seed"]),
            mediator=None if data.get("mediator") is None else str(data["mediator"]),
        )

    def _seatings(self) -> list[list[tuple[str, ...]]]:
        return [list(assignments(self.agents, len(seats))) for _, seats in self.scenarios]

    def __len__(self) -> int:
        return sum(len(seatings) for seatings in self._seatings()) * self.repetitions

    def specs(self, start: int = 0, stop: int | None = None) -> tuple[SessionSpec, ...]:
        """The sessions ``start ≤ index < stop`` (every one by default), in order."""
        stop = len(self) if stop is None else stop
        specs: list[SessionSpec] = []
        first = 0  # index of the scenario's (then the assignment's) first session
        for number, ((path, seats), seatings) in enumerate(
            zip(self.scenarios, self._seatings(), strict=True)
        ):
            for position, seating in enumerate(seatings):
                for repetition in range(max(start - first, 0), min(stop - first, self.repetitions)):
                    sequence = np.random.SeedSequence(self.seed, spawn_key=(number, position, repetition))
                    specs.append(
                        SessionSpec(
                            index=first + repetition,
                            scenario=path,
                            protocol=self.protocol,
                            seats=seats,
                            agents=tuple(seating),
                            repetition=repetition,
                            seed=_plain_seed(sequence),
                            rounds=self.rounds,
                            mediator=self.mediator,
                        )
                    )
                first += self.repetitions
        return tuple(specs)


def assignments(agents: Sequence[str], seats: int) -> Iterator[tuple[str, ...]]:
    """Every way to seat ``agents`` at ``seats`` delegation seats, in a fixed order.

    Distinct agents (permutations) when there are enough of them, else every
    agent in every seat (product with repetition).

    >>> list(assignments(("a", "b", "c"), 2))
    [('a', 'b'), ('a', 'c'), ('b', 'a'), ('b', 'c'), ('c', 'a'), ('c', 'b')]
    >>> len(list(assignments(("a", "b"), 3)))
    8
    """
    if len(agents) >= seats:
        return itertools.permutations(agents, seats)
    return itertools.product(agents, repeat=seats)


def _plain_seed(sequence: np.random.SeedSequence) -> int:
    """A seed in ``[0, 2**63)`` drawn from ``sequence``: an int fits every record format."""
    return int(sequence.generate_state(1, dtype=np.uint64)[0]) >> 1


def session_specs(
    *,
    scenarios: Mapping[str, tuple[str, ...]],
    protocol: str,
    agents: Sequence[str],
    repetitions: int,
    rounds: int,
    seed: int,
    mediator: str | None = None,
) -> tuple[SessionSpec, ...]:
    """The sessions of a tournament whose scenarios (path → seat names) are already known."""
    return SessionPlan(
        scenarios=tuple(scenarios.items()),
        protocol=protocol,
        agents=tuple(agents),
        repetitions=repetitions,
        rounds=rounds,
        seed=seed,
        mediator=mediator,
    ).specs()
