"""The mediated single text (:mod:`accord.protocols.single_text`) for many sessions at once.

The mediator is one of two:

* the hill-climbing one (:class:`~accord.agents.mediators.HillClimbingMediator`,
  :class:`HillClimbingDrafts`): it opens with a random text and then, round after round,
  proposes the text in force with one issue changed at random. Its draws come from each
  session's own generator, built and drawn as ``run_session`` builds and draws it (the
  mediator's seat is the first, so its generator is ``SeedSequence(seed, spawn_key=(0,))``'s),
  so a session's proposals are the ones it makes there;
* the Nash-seeking one (:class:`~accord.agents.mediators.NashMediator`, :class:`NashDrafts`):
  what it proposes depends only on the text in force, through
  :meth:`~accord.agents.mediators.JointUtilities.draft_after` (the agent's own statement of
  it); each round asks it once per distinct text in force, not once per session, and the
  answers are remembered for the scenario. Its generator matters only where no outcome is
  rational for every party: it then opens with a random text and keeps it.

Every delegation holds a time-based agent or a tit-for-tat: it accepts a change it may sign that
is worth at least its target, or no worse than the text in force; at the deadline it votes for a
text it may sign. A tit-for-tat's target follows the changes put to it: its ceiling less how much
better the best change was than the first (:func:`~accord.batch.alternating.mirrored_targets`,
the statement alternating offers uses), under its deadline cap. The sessions of a group (one
agenda, number of delegations, deadline and mediator) move in lockstep: no session ends early
(nobody walks away, neither mediator calls the vote), every one votes after its last round.

The rules the arrays apply (a change is adopted when every delegation accepts it; after the
last round the text is put to the vote; a unanimous yes is agreement, anything else
``rejected``) are held to the protocol's own ``step`` at every replay
(:mod:`accord.batch.replay`) and by the equivalence tests.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from accord.agents.mediators import JointUtilities
from accord.batch.alternating import AGREEMENT, REJECTED, mirrored_targets
from accord.batch.plans import PlanTables
from accord.domain import Agenda

__all__ = ["Drafts", "HillClimbingDrafts", "NashDrafts", "TextPlayed", "mediator_draws", "play"]


@dataclass(frozen=True, slots=True)
class TextPlayed:
    """How each of ``count`` sessions of a group ended, and what was proposed and answered.

    ``reasons``, ``agreements: (count,)`` (flat outcome index, ``-1``: none); ``texts: (count,)``
    the first text; ``changes: (rounds, count)`` each round's proposed change, ``accepts:
    (rounds, n, count)`` each delegation's answer (both ``None`` unless traced); ``votes: (n, count)``.
    """

    reasons: np.ndarray
    agreements: np.ndarray
    texts: np.ndarray
    changes: np.ndarray | None
    accepts: np.ndarray | None
    votes: np.ndarray


class Drafts(Protocol):
    """What a group's mediator proposes: the first texts, then a change to each text in force."""

    def first(self) -> np.ndarray:
        """``(count,)`` each session's first text (flat outcome indices)."""
        ...

    def change(self, round_: int, text: np.ndarray) -> np.ndarray:
        """``(count,)`` the change each session's mediator proposes in ``round_`` to ``text: (count,)``."""
        ...


def _generator(seed: int) -> np.random.Generator:
    """The generator ``run_session`` hands the mediator's seat (the first) for ``seed``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(0,))))


def _flat(agenda: Agenda, choices: np.ndarray) -> np.ndarray:
    """Flat outcome indices of ``choices: (count, n_issues)``."""
    flat: np.ndarray = np.ravel_multi_index(tuple(choices.T), agenda.sizes).astype(np.int64)
    return flat


def mediator_draws(agenda: Agenda, seeds: Sequence[int], rounds: int) -> tuple[np.ndarray, np.ndarray]:
    """Each session's first text ``(count, n_issues)`` and its ``(count, 2 × rounds)`` uniform draws,
    from the generator ``run_session`` hands the mediator's seat (the first) for that seed.

    The hill-climbing mediator draws one integer per issue for its first text, then uniforms (two
    per proposal, when some issue has a choice); drawing them all at once gives the same numbers
    as drawing them in its batches. (The Nash-seeking mediator draws its fallback text the same way.)
    """
    changeable = any(size > 1 for size in agenda.sizes)
    texts = np.empty((len(seeds), len(agenda.sizes)), dtype=np.int64)
    uniforms = np.zeros((len(seeds), 2 * rounds))
    for number, seed in enumerate(seeds):
        rng = _generator(seed)
        texts[number] = [int(rng.integers(size)) for size in agenda.sizes]
        if changeable and rounds:
            uniforms[number] = rng.random(2 * rounds)
    return texts, uniforms


class HillClimbingDrafts:
    """The hill-climbing mediator's proposals (``HillClimbingMediator._neighbour``) for ``seeds``."""

    def __init__(self, agenda: Agenda, seeds: Sequence[int], rounds: int) -> None:
        texts, self._uniforms = mediator_draws(agenda, seeds, rounds)
        self._first = _flat(agenda, texts)
        self._sizes = np.array(agenda.sizes, dtype=np.int64)
        self._strides = np.array(
            [math.prod(agenda.sizes[position + 1 :]) for position in range(len(agenda.sizes))], dtype=np.int64
        )
        self._changeable = np.flatnonzero(self._sizes > 1)

    def first(self) -> np.ndarray:
        return self._first

    def change(self, round_: int, text: np.ndarray) -> np.ndarray:
        changeable = self._changeable
        if not changeable.size:
            return text
        uniforms = self._uniforms
        position = changeable[(uniforms[:, 2 * round_] * changeable.size).astype(np.int64)]
        stride, size = self._strides[position], self._sizes[position]
        current = (text // stride) % size
        choice = (uniforms[:, 2 * round_ + 1] * (size - 1)).astype(np.int64)
        chosen = np.where(choice < current, choice, choice + 1)
        changed: np.ndarray = text + (chosen - current) * stride
        return changed


class NashDrafts:
    """The Nash-seeking mediator's proposals for sessions of ``seeds`` on one scenario.

    ``joint``: the scenario's :class:`~accord.agents.mediators.JointUtilities` (its rows are the
    flat outcomes: the batch plays only spaces listed whole); ``drafts``: what is known of its
    :meth:`~accord.agents.mediators.JointUtilities.draft_after` (row → row, ``-1``: none), filled
    as texts come up and shared by every batch on the scenario.
    """

    def __init__(
        self, agenda: Agenda, joint: JointUtilities, drafts: dict[int, int], seeds: Sequence[int]
    ) -> None:
        self._joint, self._drafts = joint, drafts
        nash = joint.nash_row
        if nash is not None:
            self._first = np.full(len(seeds), nash, dtype=np.int64)
        else:  # its fallback: a random text, drawn as the hill-climber draws its first
            self._first = _flat(agenda, mediator_draws(agenda, seeds, 0)[0])

    def first(self) -> np.ndarray:
        return self._first

    def change(self, round_: int, text: np.ndarray) -> np.ndarray:
        distinct, where = np.unique(text, return_inverse=True)
        drafts, joint = self._drafts, self._joint
        answers = []
        for row in distinct.tolist():
            found = drafts.get(row)
            if found is None:
                draft = joint.draft_after(row)
                found = drafts[row] = -1 if draft is None else draft
            answers.append(found)
        proposed = np.array(answers, dtype=np.int64)[where.reshape(-1)]
        return np.where(proposed < 0, text, proposed)  # with no Nash point it proposes the text itself


def play(
    tables: PlanTables, plans: np.ndarray, drafts: Drafts, rounds: int, *, trace: bool = False
) -> TextPlayed:
    """Play a group: ``plans: (count, n)`` the delegations' plans, ``drafts`` its mediator's proposals,
    ``rounds`` the deadline; ``trace``: keep every change and answer."""
    assert tables.finals is not None and tables.reservations is not None
    count, parties = plans.shape
    offsets, values, rational = tables.value_offsets[plans], tables.values, tables.rational
    flat_text = drafts.first()
    first = flat_text.copy()
    # What each tit-for-tat seat made of the first change put to it, and of the best (NaN, -inf: none yet).
    mirrored = () if tables.mirrors is None else np.flatnonzero(tables.mirrors[plans].any(axis=0)).tolist()
    first_seen = {seat: np.full(count, np.nan) for seat in mirrored}
    best_seen = {seat: np.full(count, -np.inf) for seat in mirrored}
    everyone = np.ones(count, dtype=bool)
    changes = np.empty((rounds, count), dtype=np.int64) if trace else None
    accepts = np.empty((rounds, parties, count), dtype=bool) if trace else None
    for round_ in range(rounds):
        flat_change = drafts.change(round_, flat_text)
        if changes is not None:
            changes[round_] = flat_change
        moved = flat_change != flat_text
        adopted = np.ones(count, dtype=bool)
        for seat in range(parties):
            plan = plans[:, seat]
            worth = values[offsets[:, seat] + flat_change]
            target = tables.targets[plan, round_]
            if seat in first_seen:
                target = mirrored_targets(
                    tables, plan, worth, everyone, target, first_seen[seat], best_seen[seat]
                )[0]
            answer = rational[offsets[:, seat] + flat_change] & (
                (worth >= target) | (moved & (worth >= values[offsets[:, seat] + flat_text]))
            )
            if accepts is not None:
                accepts[round_, seat] = answer
            adopted &= answer
        flat_text = np.where(adopted, flat_change, flat_text)
    votes = np.empty((parties, count), dtype=bool)
    for seat in range(parties):
        plan = plans[:, seat]
        # At the deadline a delegation's target is its curve's last (a tit-for-tat's cap's), its floor:
        # it votes at the lower of that and its reservation value.
        threshold = np.minimum(tables.finals[plan], tables.reservations[plan])
        position = offsets[:, seat] + flat_text
        votes[seat] = rational[position] & (values[position] >= threshold)
    unanimous = votes.all(axis=0)
    reasons = np.where(unanimous, AGREEMENT, REJECTED).astype(np.int8)
    return TextPlayed(reasons, np.where(unanimous, flat_text, -1), first, changes, accepts, votes)
