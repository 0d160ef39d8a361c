"""Sessions of a batch played group by group: the groups each protocol's arrays move in lockstep.

Alternating offers: sessions with the same number of delegations (and, where a seat learns, the
same agenda) play together (:func:`play_groups`). The single text: sessions with the same agenda,
number of delegations, deadline and mediator (and, for the Nash-seeking mediator, scenario)
play together (:func:`play_texts`); :func:`text_steps` spells a session's moves out as the
protocol's actions, for its replay.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.agents.mediators import JointUtilities, NashMediator
from accord.batch import alternating, single_text
from accord.batch.plans import PlanTables, outcome_of
from accord.compiled import CompiledScenario
from accord.protocols import Accept, Action, Propose, Reject, Setup, Vote

__all__ = ["Table", "play_groups", "play_texts", "text_steps"]


@dataclass(frozen=True, slots=True)
class Table:
    """One session's table: what the protocol starts from, and the agents in it."""

    setup: Setup
    compiled: CompiledScenario
    agents: dict[str, str]
    plans: tuple[int, ...]


@functools.lru_cache(maxsize=16)
def _joint(compiled: CompiledScenario) -> tuple[JointUtilities, dict[int, int]]:
    """The Nash-seeking mediator's view of a scenario and its drafts known so far (a deterministic memo,
    shared by every batch on the scenario; the generator is never used on a space listed whole)."""
    members = dict(zip(compiled.utilities.parties, compiled.utilities.members, strict=True))
    return JointUtilities(compiled.scenario.agenda, members, np.random.default_rng(0)), {}


def play_groups(plan_tables: PlanTables, tables: list[Table], *, trace: bool) -> alternating.Played:
    """Play the sessions grouped by their number of delegations (and, where a seat learns, agenda);
    results in the sessions' order."""
    count = len(tables)
    reasons = np.full(count, -1, dtype=np.int8)
    rounds = np.zeros(count, dtype=np.int64)
    agreements = np.full(count, -1, dtype=np.int64)
    deadlines = np.array([table.setup.rounds for table in tables], dtype=np.int64)
    longest = int(deadlines.max()) if count else 0
    steps = longest * max((len(table.plans) for table in tables), default=0)
    moves = np.full((steps, count), alternating.OVER, dtype=np.int64) if trace else None
    learning = plan_tables.learning
    groups: dict[tuple[int, int], list[int]] = {}
    for index, table in enumerate(tables):
        learns = learning is not None and not np.isnan(learning[list(table.plans)]).all()
        key = (len(table.plans), id(table.setup.agenda) if learns else 0)
        groups.setdefault(key, []).append(index)
    for members in groups.values():
        agenda = tables[members[0]].setup.agenda
        plans = np.array([tables[index].plans for index in members], dtype=np.int64)
        played = alternating.play(plan_tables, plans, deadlines[members], trace=trace, agenda=agenda)
        reasons[members] = played.reasons
        rounds[members] = played.rounds
        agreements[members] = played.agreements
        if moves is not None and played.moves is not None:
            moves[: played.moves.shape[0], members] = played.moves
    return alternating.Played(reasons, rounds, agreements, moves)


def play_texts(
    plans: PlanTables, tables: list[Table], seeds: Sequence[int], *, trace: bool
) -> tuple[alternating.Played, dict[int, tuple[single_text.TextPlayed, int]]]:
    """Play single-text sessions grouped by agenda, number of delegations, deadline and mediator (and,
    for the Nash-seeking mediator, scenario)."""
    count = len(tables)
    reasons = np.full(count, -1, dtype=np.int8)
    rounds = np.zeros(count, dtype=np.int64)
    agreements = np.full(count, -1, dtype=np.int64)
    groups: dict[tuple[int, int, int, str, int], list[int]] = {}
    for index, table in enumerate(tables):
        mediator = table.agents[table.setup.mediator]
        scenario = id(table.compiled) if mediator == NashMediator.id else 0
        key = (id(table.setup.agenda), len(table.plans), table.setup.rounds, mediator, scenario)
        groups.setdefault(key, []).append(index)
    texts: dict[int, tuple[single_text.TextPlayed, int]] = {}
    for members in groups.values():
        table = tables[members[0]]
        agenda, deadline = table.setup.agenda, table.setup.rounds
        group_seeds = [seeds[index] for index in members]
        drafts: single_text.Drafts
        if table.agents[table.setup.mediator] == NashMediator.id:
            drafts = single_text.NashDrafts(agenda, *_joint(table.compiled), group_seeds)
        else:
            drafts = single_text.HillClimbingDrafts(agenda, group_seeds, deadline)
        group_plans = np.array([tables[index].plans for index in members], dtype=np.int64)
        played = single_text.play(plans, group_plans, drafts, deadline, trace=trace)
        reasons[members] = played.reasons
        rounds[members] = deadline
        agreements[members] = played.agreements
        for place, index in enumerate(members):
            texts[index] = (played, place)
    return alternating.Played(reasons, rounds, agreements, None), texts


def text_steps(table: Table, played: single_text.TextPlayed, place: int) -> list[dict[str, Action]]:
    """The actions of a single-text session: the first text, each round's change and answers, the votes."""
    agenda, mediator, delegations = table.setup.agenda, table.setup.mediator, table.setup.delegations
    assert played.changes is not None and played.accepts is not None
    steps: list[dict[str, Action]] = [{mediator: Propose(outcome_of(agenda, int(played.texts[place])))}]
    for round_ in range(played.changes.shape[0]):
        steps.append({mediator: Propose(outcome_of(agenda, int(played.changes[round_, place])))})
        steps.append(
            {
                seat: Accept() if played.accepts[round_, number, place] else Reject()
                for number, seat in enumerate(delegations)
            }
        )
    steps.append({seat: Vote(bool(played.votes[number, place])) for number, seat in enumerate(delegations)})
    return steps
