"""Many sessions played together: what the batch covers, :func:`play_batch` and its results."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from accord.agents.concession import (
    BoulwareAgent,
    ConcederAgent,
    ConcessionCurve,
    LinearAgent,
    TimeBasedAgent,
)
from accord.agents.frequency import FrequencyAgent
from accord.agents.mediators import HillClimbingMediator, NashMediator
from accord.agents.registry import agent_by_id, default_agent_for
from accord.agents.tit_for_tat import TitForTatAgent
from accord.batch import alternating, single_text
from accord.batch.groups import Table, play_groups, play_texts, text_steps
from accord.batch.plans import Learner, PlanBook, PlanTables, outcome_of, outcomes_of
from accord.batch.replay import move_action, replay
from accord.compiled import CompiledScenario, compiled_scenario
from accord.domain import Agenda, Outcome, Role, Scenario
from accord.errors import AccordError
from accord.protocols import Action, Options, Protocol, ProtocolResult, Setup
from accord.protocols.alternating_offers import AlternatingOffers
from accord.protocols.registry import protocol_by_id
from accord.protocols.single_text import SingleText
from accord.session.result import SessionResult, agreement_utilities
from accord.session.seating import seating

__all__ = ["BatchRun", "BatchSession", "SessionSummary", "covers", "play_batch"]

#: The default settings, one object shared by every session that gives none (sessions are grouped by it).
_NO_OPTIONS = Options()

#: The agents the batch plays: exactly these classes (a subclass may decide otherwise).
_TIME_BASED = (TimeBasedAgent, BoulwareAgent, LinearAgent, ConcederAgent)


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchSession:
    """One session to play, as :func:`~accord.session.run_session` takes it.

    ``agents``: seat → agent id (seats left out get the protocol's default, as in ``run_session``).
    """

    scenario: Scenario
    agents: Mapping[str, str]
    seed: int
    rounds: int = 100
    options: Options = field(default_factory=lambda: _NO_OPTIONS)


@dataclass(frozen=True, slots=True)
class _Delegate:
    """A delegation's agent as the batch plays it: its id, its curve, whether it mirrors (tit-for-tat,
    whose curve is its deadline cap) and, for a frequency agent, its window and learning rate."""

    agent: str
    curve: ConcessionCurve
    mirror: bool = False
    learner: Learner | None = None


@functools.lru_cache(maxsize=64)
def _delegate(agent_id: str) -> _Delegate | None:
    """The registered agent as the batch plays it (``None``: it does not)."""
    try:
        agent = agent_by_id(agent_id)
    except AccordError:
        return None
    if type(agent) is TitForTatAgent:
        return _Delegate(agent.id, agent.deadline_curve, mirror=True)
    if type(agent) is FrequencyAgent:
        return _Delegate(agent.id, agent.curve, learner=Learner(agent.window, agent.learning))
    if type(agent) not in _TIME_BASED:
        return None
    assert isinstance(agent, TimeBasedAgent)
    return _Delegate(agent.id, agent.curve)


def _protocol(protocol: Protocol[Any] | str) -> Protocol[Any] | None:
    try:
        found = protocol_by_id(protocol) if isinstance(protocol, str) else protocol
    except AccordError:
        return None
    return found if type(found) in (AlternatingOffers, SingleText) else None


#: The mediators the batch plays in the single text: exactly these classes.
_MEDIATORS = (HillClimbingMediator, NashMediator)


@functools.lru_cache(maxsize=64)
def _mediator(agent_id: str) -> str | None:
    """The registered agent's id, when it is a mediator the batch plays (hill-climbing, Nash-seeking)."""
    try:
        agent = agent_by_id(agent_id)
    except AccordError:
        return None
    return agent.id if type(agent) in _MEDIATORS else None


def _seated(
    session: BatchSession, protocol: Protocol[Any]
) -> tuple[dict[str, str], list[tuple[str, _Delegate]]] | None:
    """The mediator's seat and agent (if any), and each delegation's seat and agent in seating order
    (``None``: the batch cannot play it)."""
    mediator = seating(session.scenario, protocol).mediator
    delegations = tuple(party.name for party in session.scenario.delegations)
    if set(session.agents) - set(delegations) - {mediator}:
        return None
    chair: dict[str, str] = {}
    if mediator:  # single text: the hill-climbing or Nash-seeking mediator, time-based delegations
        found_mediator = _mediator(
            session.agents.get(mediator) or default_agent_for(protocol.id, Role.MEDIATOR)
        )
        if found_mediator is None:
            return None
        chair[mediator] = found_mediator
    seated = []
    for seat in delegations:
        found = _delegate(session.agents.get(seat) or default_agent_for(protocol.id, Role.DELEGATION))
        if found is None or (mediator and found.learner is not None):
            return None
        seated.append((seat, found))
    return chair, seated


def covers(session: BatchSession, protocol: Protocol[Any] | str) -> bool:
    """Whether :func:`play_batch` plays ``session`` of ``protocol`` (else play it with ``run_session``).

    Covered, on an agenda the agents rank in full, with at least one round: alternating offers
    where every delegation holds a time-based agent (Boulware, linear, conceder), a tit-for-tat
    or a frequency agent; the single text with the hill-climbing or the Nash-seeking mediator and
    time-based or tit-for-tat delegations.
    """
    found = _protocol(protocol)
    return (
        found is not None
        and session.rounds >= 1
        and PlanBook.fits(session.scenario.agenda)
        and _seated(session, found) is not None
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionSummary:
    """What :class:`~accord.session.SessionResult` says of how a session ended, without its events."""

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

    def agreement_mapping(self) -> dict[str, Any] | None:
        """The agreement as ``{issue: option}``, or ``None`` (as :meth:`SessionResult.agreement_mapping`)."""
        return None if self.agreement is None else dict(zip(self.issues, self.agreement, strict=True))


class BatchRun:
    """How every session of a batch ended (arrays), each as a summary or, replayed, a full result.

    ``reasons: (count,)`` codes of :data:`accord.batch.alternating.REASONS`, ``rounds: (count,)``,
    ``agreements: (count,)`` flat outcome indices (``-1``: none).
    """

    def __init__(
        self,
        protocol: Protocol[Any],
        sessions: Sequence[BatchSession],
        tables: list[Table],
        plans: PlanTables,
        played: alternating.Played,
        texts: dict[int, tuple[single_text.TextPlayed, int]] | None = None,
    ) -> None:
        self.protocol = protocol
        self.sessions = sessions
        self._tables = tables
        self._plans = plans
        self._played = played
        #: Single text: each session's group's record and its place in the group.
        self._texts = texts or {}
        #: What a table's ending gives (the same for every session at the table that ended so): the
        #: protocol's result, the utilities (read-only, shared by those summaries) and the Pareto verdict.
        self._endings: dict[
            tuple[int, int, int, int], tuple[ProtocolResult, Mapping[str, float], bool | None]
        ] = {}
        #: What every summary at a table shares: scenario name, issues, parties, agents (read-only).
        self._shared: dict[int, tuple[str, tuple[str, ...], tuple[str, ...], Mapping[str, str]]] = {}
        self._codes: list[tuple[int, int, int]] | None = None  # (reason, agreement, rounds) per session
        self._outcomes: dict[tuple[int, int], Outcome] = {}  # (id(agenda), flat) → outcome, met in summaries
        self.reasons = played.reasons
        self.rounds = played.rounds
        self.agreements = played.agreements

    def __len__(self) -> int:
        return len(self.sessions)

    def _ending(self, index: int) -> ProtocolResult:
        agenda = self._tables[index].setup.agenda
        flat = int(self.agreements[index])
        agreement = None if flat < 0 else self._outcomes.get((id(agenda), flat))
        return ProtocolResult(
            reason=alternating.REASONS[int(self.reasons[index])],
            agreement=agreement if agreement is not None or flat < 0 else outcome_of(agenda, flat),
            rounds=int(self.rounds[index]),
        )

    def summary(self, index: int) -> SessionSummary:
        """How session ``index`` ended, with the utilities and Pareto verdict ``run_session`` gives.

        The summaries of sessions at one table that ended alike share their (read-only) mappings.
        """
        session, table = self.sessions[index], self._tables[index]
        key = (id(table), *self._endings_codes()[index])
        known = self._endings.get(key)
        if known is None:
            ending = self._ending(index)
            reached = agreement_utilities(table.compiled, table.setup, ending.agreement, ending.rounds)
            optimal = None if ending.agreement is None else table.compiled.pareto_optimal(ending.agreement)
            reached_by = MappingProxyType(dict(zip(table.compiled.utilities.parties, reached, strict=True)))
            known = self._endings[key] = (ending, reached_by, optimal)
        ending, utilities, optimal = known
        shared = self._shared.get(id(table))
        if shared is None:
            scenario = session.scenario
            shared = self._shared[id(table)] = (
                scenario.name,
                scenario.agenda.names,
                table.compiled.utilities.parties,
                MappingProxyType(dict(table.agents)),
            )
        name, issues, parties, agents = shared
        return SessionSummary(
            scenario=name,
            protocol=self.protocol.id,
            seed=session.seed,
            rounds=ending.rounds,
            deadline=table.setup.rounds,
            reason=ending.reason,
            agreement=ending.agreement,
            utilities=utilities,
            pareto_optimal=optimal,
            issues=issues,
            parties=parties,
            agents=agents,
        )

    def _endings_codes(self) -> list[tuple[int, int, int]]:
        """Each session's (reason, agreement, rounds) as Python integers (once, rather than numpy scalars)."""
        if self._codes is None:
            self._codes = list(
                zip(self.reasons.tolist(), self.agreements.tolist(), self.rounds.tolist(), strict=True)
            )
        return self._codes

    def summaries(self) -> list[SessionSummary]:
        """Every session's :meth:`summary`, in order; the utilities and Pareto verdicts of the batch's
        agreements are worked out together first (the scenario's memo then answers each summary)."""
        agreed: dict[int, tuple[CompiledScenario, Agenda, set[int]]] = {}
        for table, (_, agreement, _) in zip(self._tables, self._endings_codes(), strict=True):
            if agreement >= 0:
                found = agreed.get(id(table.compiled))
                if found is None:
                    found = agreed[id(table.compiled)] = (table.compiled, table.setup.agenda, set())
                found[2].add(agreement)
        for compiled, agenda, flats in agreed.values():
            ordered = sorted(flats)
            outcomes = outcomes_of(agenda, ordered)
            self._outcomes.update(zip([(id(agenda), flat) for flat in ordered], outcomes, strict=True))
            compiled.values_of(outcomes)
            compiled.pareto_verdicts(outcomes)
        return [self.summary(index) for index in range(len(self.sessions))]

    def _steps(self, index: int) -> list[dict[str, Action]]:
        """Each step's actions in session ``index``, as its agents chose them."""
        table = self._tables[index]
        text = self._texts.get(index)
        moves = self._played.moves
        if (text is None and moves is None) or (text is not None and text[0].changes is None):
            # not traced: play this session again, alone, traced
            return play_batch([self.sessions[index]], self.protocol, trace=True)._steps(0)
        if text is not None:
            return text_steps(table, *text)
        assert moves is not None
        delegations = table.setup.delegations
        found: list[dict[str, Action]] = []
        for step, move in enumerate(moves[:, index].tolist()):
            if move == alternating.OVER:
                break
            seat = delegations[step % len(delegations)]
            if move == alternating.ACCEPT:
                found.append({seat: move_action(True)})
            elif move == alternating.WALK_AWAY:
                found.append({seat: move_action(None)})
            else:
                found.append({seat: move_action(outcome_of(table.setup.agenda, move))})
        return found

    def result(self, index: int) -> SessionResult:
        """Session ``index`` as :func:`~accord.session.run_session` returns it, events and all: its moves
        replayed through the protocol (:mod:`accord.batch.replay`)."""
        session, table = self.sessions[index], self._tables[index]
        summary = self.summary(index)
        replayed = replay(self.protocol, table.setup, self._steps(index), expected=self._ending(index))
        return SessionResult(
            scenario=summary.scenario,
            protocol=summary.protocol,
            seed=session.seed,
            rounds=summary.rounds,
            deadline=summary.deadline,
            reason=summary.reason,
            agreement=summary.agreement,
            utilities=summary.utilities,
            pareto_optimal=summary.pareto_optimal,
            issues=summary.issues,
            parties=summary.parties,
            agents=summary.agents,
            events=replayed.events,
            packages=replayed.packages,
            walk_outs={},
            setup=table.setup,
            step_actions=replayed.step_actions,
            compiled=table.compiled,
        )


def play_batch(
    sessions: Sequence[BatchSession],
    protocol: Protocol[Any] | str = "alternating-offers",
    *,
    trace: bool = False,
) -> BatchRun:
    """Play ``sessions`` of ``protocol`` together; each must be one :func:`covers` (``ValueError`` otherwise).

    ``trace``: keep every move, so that :meth:`BatchRun.result` replays without playing the
    session again (alternating offers: eight bytes per session and turn; single text: nine
    per session and round, and one per delegation and round).
    """
    found = _protocol(protocol)
    if found is None:
        raise ValueError(f"the batch engine does not play {protocol!r}")
    book = PlanBook()
    tables: list[Table] = []
    # Sessions at the same table (scenario, seating, rounds, options) share one Table. Keyed by
    # identity: the sessions keep their scenarios and options alive while the batch plays.
    known: dict[tuple[int, int, int, tuple[tuple[str, str], ...]], Table] = {}
    setups: dict[tuple[int, int, int], tuple[Setup, CompiledScenario]] = {}
    for session in sessions:
        key = (id(session.scenario), session.rounds, id(session.options), tuple(session.agents.items()))
        table = known.get(key)
        if table is None:
            table = known[key] = _table(found, session, book, setups)
        tables.append(table)
    plans = book.tables()
    if type(found) is SingleText:
        played, texts = play_texts(plans, tables, [session.seed for session in sessions], trace=trace)
        return BatchRun(found, sessions, tables, plans, played, texts)
    return BatchRun(found, sessions, tables, plans, play_groups(plans, tables, trace=trace))


def _table(
    protocol: Protocol[Any],
    session: BatchSession,
    book: PlanBook,
    setups: dict[tuple[int, int, int], tuple[Setup, CompiledScenario]],
) -> Table:
    seated = _seated(session, protocol) if PlanBook.fits(session.scenario.agenda) else None
    if seated is None or session.rounds < 1:
        raise ValueError(f"the batch engine does not play this session of {protocol.id}: {session.agents}")
    key = (id(session.scenario), session.rounds, id(session.options))
    known = setups.get(key)
    if known is None:
        compiled = compiled_scenario(session.scenario)
        setup = Setup(
            agenda=session.scenario.agenda,
            delegations=compiled.utilities.parties,
            mediator=seating(session.scenario, protocol).mediator,
            rounds=session.rounds,
            options=session.options,
        )
        protocol.start(setup)  # the protocol refuses a setup it cannot run, as in run_session
        known = setups[key] = (setup, compiled)
    setup, compiled = known
    members = dict(zip(compiled.utilities.parties, compiled.utilities.members, strict=True))
    chair, delegations = seated
    plans = tuple(
        book.plan(
            setup.agenda,
            members[seat],
            delegate.curve,
            session.rounds,
            mirror=delegate.mirror,
            learner=delegate.learner,
        )
        for seat, delegate in delegations
    )
    return Table(setup, compiled, chair | {seat: delegate.agent for seat, delegate in delegations}, plans)
