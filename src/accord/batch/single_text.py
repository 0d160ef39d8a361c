"""The mediated single text (:mod:`accord.protocols.single_text`) for many sessions at once.

The mediator is the hill-climbing one (:class:`~accord.agents.mediators.HillClimbingMediator`):
it opens with a random text and then, round after round, proposes the text in force with one
issue changed at random. Its draws come from each session's own generator, built and drawn
as ``run_session`` builds and draws it (the mediator's seat is the first, so its generator is
``SeedSequence(seed, spawn_key=(0,))``'s), so a session's proposals are the ones it makes there.
Every delegation holds a time-based agent: it accepts a change it may sign that is worth at
least its target, or no worse than the text in force; at the deadline it votes for a text it
may sign. The sessions of a group (one agenda, number of delegations and deadline) move in
lockstep: no session ends early (nobody walks away), every one votes after its last round.

The rules the arrays apply (a change is adopted when every delegation accepts it; after the
last round the text is put to the vote; a unanimous yes is agreement, anything else
``rejected``) are held to the protocol's own ``step`` at every replay
(:mod:`accord.batch.replay`) and by the equivalence tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.batch.alternating import AGREEMENT, REJECTED
from accord.batch.plans import PlanTables
from accord.domain import Agenda

__all__ = ["TextPlayed", "mediator_draws", "play"]


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


def mediator_draws(agenda: Agenda, seeds: Sequence[int], rounds: int) -> tuple[np.ndarray, np.ndarray]:
    """Each session's first text ``(count, n_issues)`` and its ``(count, 2 × rounds)`` uniform draws,
    from the generator ``run_session`` hands the mediator's seat (the first) for that seed.

    The mediator draws one integer per issue for its first text, then uniforms (two per
    proposal, when some issue has a choice); drawing them all at once gives the same numbers as
    drawing them in its batches.
    """
    changeable = any(size > 1 for size in agenda.sizes)
    texts = np.empty((len(seeds), len(agenda.sizes)), dtype=np.int64)
    uniforms = np.zeros((len(seeds), 2 * rounds))
    for number, seed in enumerate(seeds):
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(0,))))
        texts[number] = [int(rng.integers(size)) for size in agenda.sizes]
        if changeable:
            uniforms[number] = rng.random(2 * rounds)
    return texts, uniforms


def play(
    tables: PlanTables,
    agenda: Agenda,
    plans: np.ndarray,
    texts: np.ndarray,
    uniforms: np.ndarray,
    rounds: int,
    *,
    trace: bool = False,
) -> TextPlayed:
    """Play a group: ``plans: (count, n)`` the delegations' plans, ``texts``/``uniforms`` the mediator's
    draws (:func:`mediator_draws`), ``rounds`` the deadline; ``trace``: keep every change and answer."""
    assert tables.finals is not None and tables.reservations is not None
    count, parties = plans.shape
    sizes = np.array(agenda.sizes, dtype=np.int64)
    strides = np.array([int(np.prod(agenda.sizes[position + 1 :])) for position in range(len(sizes))])
    changeable = np.flatnonzero(sizes > 1)
    rows = np.arange(count)
    offsets, values, rational = tables.value_offsets[plans], tables.values, tables.rational
    text = texts.copy()
    flat_text = text @ strides
    first = flat_text.copy()
    changes = np.empty((rounds, count), dtype=np.int64) if trace else None
    accepts = np.empty((rounds, parties, count), dtype=bool) if trace else None
    for round_ in range(rounds):
        change = text.copy()
        if changeable.size:  # HillClimbingMediator._neighbour
            position = changeable[(uniforms[:, 2 * round_] * changeable.size).astype(np.int64)]
            current = text[rows, position]
            choice = (uniforms[:, 2 * round_ + 1] * (sizes[position] - 1)).astype(np.int64)
            change[rows, position] = np.where(choice < current, choice, choice + 1)
        flat_change = change @ strides
        if changes is not None:
            changes[round_] = flat_change
        moved = flat_change != flat_text
        adopted = np.ones(count, dtype=bool)
        for seat in range(parties):
            plan = plans[:, seat]
            worth = values[offsets[:, seat] + flat_change]
            answer = rational[offsets[:, seat] + flat_change] & (
                (worth >= tables.targets[plan, round_])
                | (moved & (worth >= values[offsets[:, seat] + flat_text]))
            )
            if accepts is not None:
                accepts[round_, seat] = answer
            adopted &= answer
        text = np.where(adopted[:, None], change, text)
        flat_text = np.where(adopted, flat_change, flat_text)
    votes = np.empty((parties, count), dtype=bool)
    for seat in range(parties):
        plan = plans[:, seat]
        threshold = np.minimum(tables.finals[plan], tables.reservations[plan])  # at the deadline
        position = offsets[:, seat] + flat_text
        votes[seat] = rational[position] & (values[position] >= threshold)
    unanimous = votes.all(axis=0)
    reasons = np.where(unanimous, AGREEMENT, REJECTED).astype(np.int8)
    return TextPlayed(reasons, np.where(unanimous, flat_text, -1), first, changes, accepts, votes)
