"""What a session gives back: how it ended, every event, and the packages put forward.

:class:`SessionResult` is what :func:`~accord.session.run_session` returns; its
:attr:`~SessionResult.trajectory` (each package with what it is worth to every
delegation) is worked out only when asked for, since tournaments never need it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.compiled import CompiledScenario
from accord.domain import Outcome
from accord.protocols import Action, Event, Setup, action_to_data

__all__ = ["Package", "SessionResult", "TrajectoryPoint", "agreement_utilities"]

#: A package put on the table: the round, the seat that put it forward, the package.
Package = tuple[int, str, Outcome]


# Not frozen: a session builds one per package put forward, and a frozen dataclass's __init__
# costs several times more (see "Hot records" in accord.protocols.base). Never mutated.
@dataclass(slots=True, kw_only=True)
class TrajectoryPoint:
    """A package put on the table: when, by whom, and what it is worth to each delegation.

    ``utilities`` lists the delegations' utilities in :attr:`SessionResult.parties` order.
    """

    round: int
    actor: str
    outcome: Outcome
    utilities: tuple[float, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionResult:
    """How a session ended, with every event and the packages put forward.

    ``reason``: ``agreement``, ``deadline``, ``walk-out`` (or ``rejected``).
    ``packages``: each package put on the table, as ``(round, seat, outcome)``, in order;
    :attr:`trajectory` adds what each is worth to every delegation.
    ``utilities``: each delegation's (discounted) utility of the agreement, or its
    reservation value without one. ``pareto_optimal``: ``None`` without agreement.
    ``walk_outs``: each seat whose agent failed (raised, overran its time, acted
    illegally) with the reason; its move was replaced by a
    :class:`~accord.protocols.WalkAway`.

    Every session is replayable: ``setup`` is what the protocol started from and
    ``step_actions`` the actions fed to each step, in order (a failed agent's
    replacement walk-away included); :attr:`steps` gives them as plain data, so
    ``check_replay(protocol, result.setup, result.steps, expected=result.events)``
    (:mod:`accord.protocols.replay`) rebuilds every event.
    """

    scenario: str
    protocol: str
    seed: int
    rounds: int
    deadline: int
    reason: str
    agreement: Outcome | None
    utilities: Mapping[str, float]
    pareto_optimal: bool | None
    issues: tuple[str, ...]
    parties: tuple[str, ...]
    agents: Mapping[str, str]
    events: tuple[Event, ...]
    packages: tuple[Package, ...]
    walk_outs: Mapping[str, str]
    setup: Setup = field(repr=False)
    step_actions: tuple[Mapping[str, Action], ...] = field(repr=False)
    compiled: CompiledScenario = field(compare=False, repr=False)

    @property
    def steps(self) -> tuple[dict[str, dict[str, Any]], ...]:
        """Each step's actions as plain data (seat → :func:`~accord.protocols.action_to_data`), in order."""
        return tuple(
            {seat: action_to_data(action) for seat, action in actions.items()}
            for actions in self.step_actions
        )

    @property
    def trajectory(self) -> tuple[TrajectoryPoint, ...]:
        """The packages put forward, each with every delegation's utility (worked out when asked for)."""
        return _trajectory(self.compiled, self.packages)

    def agreement_mapping(self) -> dict[str, Any] | None:
        """The agreement as ``{issue: option}``, or ``None``."""
        return None if self.agreement is None else dict(zip(self.issues, self.agreement, strict=True))

    def to_dict(self) -> dict[str, Any]:
        """The JSON summary: protocol, seed, rounds, reason, agreement, utilities, Pareto optimality…"""
        return {
            "scenario": self.scenario,
            "protocol": self.protocol,
            "seed": self.seed,
            "rounds": self.rounds,
            "deadline": self.deadline,
            "reason": self.reason,
            "agreement": self.agreement_mapping(),
            "utilities": dict(self.utilities),
            "pareto_optimal": self.pareto_optimal,
            "agents": dict(self.agents),
            "walk_outs": dict(self.walk_outs),
            "events": len(self.events),
            "packages": len(self.packages),
        }


def agreement_utilities(
    compiled: CompiledScenario, setup: Setup, agreement: Outcome | None, rounds: int
) -> list[float]:
    """Each delegation's (discounted) utility of ``agreement`` reached after ``rounds`` rounds.

    Without an agreement, each delegation's reservation value.
    """
    utilities = compiled.utilities
    if agreement is None:
        return [float(value) for value in utilities.reservations]
    raw = compiled.values_of([agreement])[0]
    if raw is None:  # not on the agenda: let the agenda say why
        raw = tuple(utilities.utilities_of(agreement).tolist())
    time_ = min(1.0, rounds / max(1, setup.rounds))
    shared = setup.options.discount
    values = []
    for member, value in zip(utilities.members, raw, strict=True):
        discount = member.discount if member.discount is not None else shared
        values.append(float(value) * (float(discount) ** time_ if discount is not None else 1.0))
    return values


def _trajectory(compiled: CompiledScenario, packages: Sequence[Package]) -> tuple[TrajectoryPoint, ...]:
    """The packages put forward, with every delegation's utility (new packages evaluated in one batch)."""
    values = compiled.values_of([outcome for _, _, outcome in packages])
    return tuple(
        TrajectoryPoint(round=round_, actor=actor, outcome=outcome, utilities=row)
        for (round_, actor, outcome), row in zip(packages, values, strict=True)
        if row is not None
    )
