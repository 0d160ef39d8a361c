"""The frequency opponent model (:class:`~accord.agents.frequency.FrequencyAgent`) of many sessions at once.

Each frequency seat of a group keeps, per session, what the agent keeps: how often each
option appeared in the packages put to it (``counts: (live, n_issues, widest)``), the issue
weights (``weights: (live, n_issues)``), the choices of the last package it learned from and
that package (``-1``: none yet). At its turn, as the agent does:

* it learns from the standing offer, unless it is the package it learned from last: one more
  count for each of its options, ``learning`` more weight for each issue the other side left
  as it was, then the weights divided by their sum (numpy's row sums, the agent's own sum);
* when it does not accept, it offers, among its candidates for the round (the plan's
  ``window_first … window_last`` ranks), the one whose score is highest, the first (its best)
  among equals; the score adds, issue after issue, ``weight × count / peak count`` in the
  agent's order of operations, so that the floats are the agent's. Before it has learned
  anything, or with a single candidate, it offers its plan's package.

Its target, and so its acceptances, are its plan's (a time-based plan along its late curve).
All sessions of a group share one agenda (:func:`accord.batch.sessions.play_batch` groups them so).
"""

from __future__ import annotations

import numpy as np

from accord.batch.plans import PlanTables
from accord.domain import Agenda

__all__ = ["FrequencyModels"]


class FrequencyModels:
    """The opponent models of the frequency seats of ``count`` sessions: ``plans: (count, n)``."""

    def __init__(self, tables: PlanTables, plans: np.ndarray, agenda: Agenda) -> None:
        assert tables.learning is not None and tables.window_first is not None
        assert tables.ranked_counts is not None
        self._tables = tables
        self._choices = agenda.all_choices()  # (size, n_issues): the batch plays spaces listed whole
        count, issues = plans.shape[0], len(agenda.sizes)
        learners = ~np.isnan(tables.learning[plans])
        #: The seats where some session holds a frequency agent.
        self.seats = tuple(np.flatnonzero(learners.any(axis=0)).tolist())
        widest = max(agenda.sizes)
        self._counts = {seat: np.zeros((count, issues, widest)) for seat in self.seats}
        self._weights = {seat: np.full((count, issues), 1.0 / max(1, issues)) for seat in self.seats}
        self._last = {seat: np.full((count, issues), -1, dtype=np.int64) for seat in self.seats}
        self._last_seen = {seat: np.full(count, -1, dtype=np.int64) for seat in self.seats}
        #: Per seat, each session's learning rate and whether it learns (with nothing rational it walks).
        self._learning = {seat: tables.learning[plans[:, seat]] for seat in self.seats}
        self._learns = {
            seat: learners[:, seat] & (tables.ranked_counts[plans[:, seat]] > 0) for seat in self.seats
        }

    def keep(self, going: np.ndarray) -> None:
        """Keep only the sessions ``going`` (a mask over the live sessions)."""
        for table in (self._counts, self._weights, self._last, self._last_seen, self._learning, self._learns):
            for seat in self.seats:
                table[seat] = table[seat][going]

    def offers(
        self,
        seat: int,
        plan: np.ndarray,
        round_: int,
        standing: np.ndarray,
        accept: np.ndarray,
        offer: np.ndarray,
    ) -> np.ndarray:
        """Learn from ``standing`` (``-1``: no offer yet) where ``seat`` holds a frequency agent, and
        return ``offer`` with the packages those that do not ``accept`` put forward."""
        tables = self._tables
        learning, learner = self._learning[seat], self._learns[seat]
        counts, weights = self._counts[seat], self._weights[seat]
        last, last_seen = self._last[seat], self._last_seen[seat]
        rows = np.flatnonzero(learner & (standing >= 0) & (standing != last_seen))
        if rows.size:
            choices = self._choices[standing[rows]]
            issues = np.arange(choices.shape[1])
            counts[rows[:, np.newaxis], issues, choices] += 1.0
            kept = last[rows] == choices  # last is -1 before the first package
            row_weights = weights[rows]
            row_weights = np.where(kept, row_weights + learning[rows, np.newaxis], row_weights)
            weights[rows] = row_weights / row_weights.sum(axis=1, keepdims=True)
            last[rows] = choices
            last_seen[rows] = standing[rows]
        assert tables.window_first is not None and tables.window_last is not None
        first, final = tables.window_first[plan, round_], tables.window_last[plan, round_]
        chosen = np.flatnonzero(learner & ~accept & (last[:, 0] >= 0) & (first < final))
        if not chosen.size:
            return offer
        offer = offer.copy()
        offer[chosen] = self._best(chosen, plan[chosen], first[chosen], final[chosen], counts, weights)
        return offer

    def _best(
        self,
        rows: np.ndarray,
        plan: np.ndarray,
        first: np.ndarray,
        final: np.ndarray,
        counts: np.ndarray,
        weights: np.ndarray,
    ) -> np.ndarray:
        """The flat outcome each of ``rows`` offers: its best-scored candidate of ranks ``first … final``."""
        tables = self._tables
        assert tables.ranked_offsets is not None and tables.ranked_counts is not None
        assert tables.ranked_outcomes is not None
        width = int((final - first).max()) + 1
        ranks = first[:, np.newaxis] + np.arange(width)
        valid = ranks <= final[:, np.newaxis]
        # rank r (best first) is entry count - 1 - r of the ranking's ascending rows
        ascending = tables.ranked_counts[plan, np.newaxis] - 1 - np.minimum(ranks, final[:, np.newaxis])
        candidates = tables.ranked_outcomes[tables.ranked_offsets[plan, np.newaxis] + ascending]
        choices = self._choices[candidates]  # (rows, width, n_issues)
        row_counts, row_weights = counts[rows], weights[rows]
        peaks = row_counts.max(axis=2)
        scores = np.zeros(candidates.shape)
        lines = np.arange(rows.size)[:, np.newaxis]
        for position in range(choices.shape[2]):
            peak = peaks[:, position, np.newaxis]
            seen = row_counts[lines, position, choices[:, :, position]]
            added = row_weights[:, position, np.newaxis] * seen / np.where(peak > 0, peak, 1.0)
            scores = np.where(peak > 0, scores + added, scores)
        scores[~valid] = -np.inf
        best: np.ndarray = candidates[np.arange(rows.size), np.argmax(scores, axis=1)]
        return best
