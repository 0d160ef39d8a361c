"""Mediators: the hill-climber of single-text, the Nash-seeking envoy, the one-text drafter.

Every mediator acts legally under every protocol with a mediator's seat: it
answers what ``observation.allowed`` offers (``propose``, ``call-vote``,
``message``, ``pass-on``, ``wait`` …) and falls back on the least committal.

- :class:`HillClimbingMediator` knows nothing of the delegations' preferences: it
  keeps the text in force and proposes a change of one issue at a time, at random
  (Klein et al.'s mediated single-text protocol).
- :class:`NashMediator` uses the confidential preferences it holds, as an envoy in
  proximity talks does: it proposes the package that most raises the product of
  the delegations' gains over their reservation values among those that leave
  nobody worse off than the text in force, and otherwise the Nash point itself
  (both found by :func:`accord.analysis.nash_point`).
- :class:`DrafterMediator` writes a first draft without knowing anyone's
  preferences and revises it from the criticism it receives (Fisher's one-text
  procedure), and calls the vote once nobody objects (else the deadline brings it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import numpy as np

from accord.agents.base import SeatContext
from accord.agents.concession import time_after_round
from accord.agents.criticism import CriticismModel
from accord.agents.outcomes import MAX_RANKED
from accord.analysis import PARETO_TOLERANCE, nash_point
from accord.domain import Agenda, Outcome, Role
from accord.protocols import Action, CallVote, Message, Observation, PassOn, Propose, Vote, Wait, WalkAway

__all__ = ["DrafterMediator", "HillClimbingMediator", "JointUtilities", "NashMediator", "mediator_action"]

#: Uniform draws the hill-climber takes from its generator at a time.
_BATCH = 64


def mediator_action(observation: Observation, draft: Outcome | None, *, call_vote: bool = False) -> Action:
    """The legal action of a mediator who would put ``draft`` forward (and call the vote if ``call_vote``)."""
    allowed = observation.allowed
    if call_vote and "call-vote" in allowed:
        return CallVote()
    if "propose" in allowed and draft is not None:
        return Propose(draft)
    if "pass-on" in allowed:
        shareable = _shareable_messages(observation)
        if shareable:
            number, sender = shareable[-1]
            others = [seat for seat in _delegations(observation) if seat != sender]
            if others:
                return PassOn(number, others[0])
    if "message" in allowed and draft is not None:
        addressees = _delegations(observation)
        if addressees:
            return Message(offer=draft, shareable=True, to=addressees[observation.round % len(addressees)])
    if "call-vote" in allowed and draft is None:
        return CallVote()
    if "wait" in allowed:
        return Wait()
    if "vote" in allowed:
        return Vote(True)
    if "call-vote" in allowed:
        return CallVote()
    return WalkAway("the mediator has nothing to put forward")


def _delegations(observation: Observation) -> list[str]:
    for event in observation.history:
        if event.kind == "opening":
            return [str(name) for name in event.data.get("delegations", ())]
    return []


def _shareable_messages(observation: Observation) -> list[tuple[int, str]]:
    found = []
    for event in observation.history:
        if event.kind == "message" and event.data.get("shareable") and event.actor != observation.seat:
            number = event.data.get("number", event.index)
            found.append((int(number), event.actor))
    return found


def _random_outcome(agenda: Agenda, rng: np.random.Generator) -> Outcome:
    return agenda.outcome([int(rng.integers(size)) for size in agenda.sizes])


def _text_in_force(observation: Observation) -> Outcome | None:
    text = observation.text if observation.text is not None else observation.original
    return text if text is not None else observation.on_table


class HillClimbingMediator:
    """Preference-blind: proposes the text in force with one issue changed at random."""

    id: ClassVar[str] = "hill-climbing-v1"
    roles: ClassVar[tuple[Role, ...]] = (Role.MEDIATOR,)

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self._agenda = context.agenda
        self._rng = rng
        self._text = _random_outcome(context.agenda, rng)
        # The issues with a choice to make, once per session rather than at every proposal.
        self._changeable = [position for position, size in enumerate(context.agenda.sizes) if size > 1]
        self._uniforms: list[float] = []

    def _uniform(self) -> float:
        """A draw from [0, 1); the generator is asked for a batch at a time, far cheaper than one by one."""
        if not self._uniforms:
            self._uniforms = self._rng.random(_BATCH).tolist()[::-1]
        return self._uniforms.pop()

    def _neighbour(self, text: Outcome) -> Outcome:
        agenda, changeable = self._agenda, self._changeable
        if not changeable:
            return text
        position = changeable[int(self._uniform() * len(changeable))]
        issue = agenda.issues[position]
        current = issue.index_of(text[position])
        choice = int(self._uniform() * (issue.size - 1))
        values = list(text)
        values[position] = issue.values[choice if choice < current else choice + 1]
        return tuple(values)

    def act(self, observation: Observation) -> Action:
        text = _text_in_force(observation)
        if text is not None:
            self._text = text
        draft = self._neighbour(self._text) if text is not None else self._text
        return mediator_action(observation, draft)


class JointUtilities:
    """The delegations' utilities over every outcome (a seeded sample of large spaces), and the drafts
    of the Nash-seeking mediator over them.

    ``choices: (n, n_issues)`` (on a space listed whole, row ``r`` is the outcome of flat index
    ``r``), ``utilities: (n, n_parties)``, ``acceptable: (n,)`` bool (no red line crossed),
    ``reservations: (n_parties,)``. Nash points are :func:`accord.analysis.nash_point`'s, over
    the acceptable rows: on a space small enough to list whole, :attr:`nash_row` is the point
    ``accord analyze`` reports. :meth:`draft_after` is the one statement of what
    :class:`NashMediator` proposes, used by the agent and by the batch engine (:mod:`accord.batch`).
    """

    def __init__(self, agenda: Agenda, confidential: Mapping[str, Any], rng: np.random.Generator) -> None:
        members = list(confidential.values())
        if agenda.size > MAX_RANKED:
            choices = np.stack([rng.integers(0, size, MAX_RANKED) for size in agenda.sizes], axis=1)
        else:
            choices = agenda.all_choices()
        self.agenda = agenda
        self.choices = choices
        self.utilities = np.stack([member.evaluate(choices) for member in members], axis=1)
        self.reservations = np.array([member.reservation for member in members], dtype=np.float64)
        self.acceptable = np.ones(choices.shape[0], dtype=bool)
        for member in members:
            self.acceptable &= member.acceptable(choices)
        self._rows: dict[tuple[int, ...], int] | None = None
        #: The Nash point among the acceptable rows (``None``: no row is rational for every party).
        self.nash_row = self._nash_among(np.flatnonzero(self.acceptable))

    def _nash_among(self, rows: np.ndarray) -> int | None:
        found = nash_point(self.utilities[rows], self.reservations)
        return None if found is None else int(rows[found])

    def outcome(self, row: int) -> Outcome:
        """The outcome of row ``row``."""
        return self.agenda.outcome(self.choices[row])

    def row_of(self, outcome: Outcome) -> int | None:
        """The row of ``outcome`` (``None``: not on the agenda, or not sampled)."""
        if self._rows is None:  # built on first use: the batch engine, on spaces listed whole, never asks
            self._rows = (
                {tuple(row): index for index, row in enumerate(self.choices.tolist())}
                if len(self.choices) < 200_000
                else {}
            )
        try:
            return self._rows.get(self.agenda.choices_of(outcome))
        except KeyError:
            return None

    def improving_row(self, row: int) -> int | None:
        """The Nash point among the acceptable rows that leave nobody worse off than row ``row``."""
        floor = self.utilities[row] - PARETO_TOLERANCE
        return self._nash_among(np.flatnonzero(self.acceptable & (self.utilities >= floor).all(axis=1)))

    def improving(self, text: Outcome) -> Outcome | None:
        """The Nash point among the acceptable outcomes that leave nobody worse off than ``text``."""
        row = self.row_of(text)
        found = None if row is None else self.improving_row(row)
        return None if found is None else self.outcome(found)

    def draft_after(self, row: int | None) -> int | None:
        """The row the Nash-seeking mediator proposes while row ``row`` is the text in force (``None``:
        no text yet, or one not among the rows): the Nash point among the outcomes that leave nobody
        worse off than the text unless that is the text itself, otherwise the Nash point (``None``
        when there is none: it then keeps the text in force)."""
        if row is not None:
            step = self.improving_row(row)
            if step is not None and self.choices[step].tolist() != self.choices[row].tolist():
                return step
        return self.nash_row


class NashMediator:
    """Seeks the Nash bargaining point with the confidential preferences it holds."""

    id: ClassVar[str] = "nash-mediator-v1"
    roles: ClassVar[tuple[Role, ...]] = (Role.MEDIATOR,)

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self._joint = JointUtilities(context.agenda, context.confidential, rng)
        self._fallback = _random_outcome(context.agenda, rng)

    def act(self, observation: Observation) -> Action:
        joint = self._joint
        standing = observation.original
        if standing is not None:
            better = joint.improving(standing)
            return mediator_action(observation, better if better != standing else None)
        text = _text_in_force(observation)
        row = joint.draft_after(None if text is None else joint.row_of(text))
        fallback = text if text is not None else self._fallback  # with no Nash point it keeps the text
        draft = joint.outcome(row) if row is not None else fallback
        return mediator_action(observation, draft)


class DrafterMediator:
    """Writes a first draft blind, then redrafts from the criticism it receives (Fisher's one-text).

    It never reads the confidential preferences: everything it knows comes from the criticism
    (see :class:`~accord.agents.criticism.CriticismModel`: what each option costs each
    delegation, which combinations cross a red line, how much each delegation can live with).

    - The first draft takes the middle option of every issue.
    - Each revision is the package whose predicted criticism is weakest for the delegation
      that would criticise it most (the least maximal shortfall). Ties go, in turn, to the
      package that asks least of delegations that have conceded more (each delegation's
      accumulated concessions are tracked), to drafts tried fewer times (no cycling), to the
      one that changes fewest issues of the draft (one text, amended), and then to the
      generator.
    - An option nobody has criticised yet costs nothing in the prediction, so untried options
      get tried while there is time; over the last rounds (``caution``) they are priced at the
      largest known loss on their issue instead.
    - The vote is called once no delegation raises anything; otherwise the deadline brings it.

    Agendas of up to :attr:`max_drafts` packages are searched whole; larger ones through a
    sample drawn from the generator, plus the neighbours of the current draft.
    """

    id: ClassVar[str] = "drafter-v1"
    roles: ClassVar[tuple[Role, ...]] = (Role.MEDIATOR,)
    max_drafts: ClassVar[int] = 50_000
    caution: ClassVar[float] = 0.1

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        agenda = context.agenda
        self._agenda = agenda
        self._rng = rng
        self._model = CriticismModel(agenda, context.delegations)
        if agenda.size <= self.max_drafts:
            self._pool = agenda.all_choices()
        else:
            self._pool = np.stack([rng.integers(0, size, self.max_drafts) for size in agenda.sizes], axis=1)
        middle = tuple(size // 2 for size in agenda.sizes)
        self._draft: Outcome = agenda.outcome(middle)
        self._tried: dict[tuple[int, ...], int] = {middle: 1}
        self._conceded = np.zeros(len(context.delegations))

    def act(self, observation: Observation) -> Action:
        critiques = observation.critiques
        if not isinstance(critiques, Mapping) or not critiques:
            return mediator_action(observation, self._draft)
        criticised = observation.on_table if observation.on_table is not None else self._draft
        try:
            self._model.take(criticised, critiques)
        except (KeyError, ValueError):
            return mediator_action(observation, self._draft)
        if not any(_requests(requests) for requests in critiques.values()):
            return mediator_action(observation, criticised, call_vote=True)
        self._revise(criticised, observation)
        return mediator_action(observation, self._draft)

    def _revise(self, criticised: Outcome, observation: Observation) -> None:
        agenda, model = self._agenda, self._model
        held = np.array(agenda.choices_of(criticised), dtype=np.int64)
        candidates = self._candidates(held)
        left = 1.0 - time_after_round(observation)
        unknown = None if left <= self.caution else 0.0
        shortfalls = model.shortfalls(candidates, unknown=unknown)
        before = model.shortfalls(held[np.newaxis, :], unknown=unknown)[0]
        worst = np.round(shortfalls.max(axis=1), 9)
        conceded = np.clip(shortfalls - before, 0.0, None) @ (1.0 + self._conceded)
        tried = self._tried_counts(candidates)
        changes = (candidates != held).sum(axis=1)
        keys = (self._rng.random(len(candidates)), changes, tried, np.round(conceded, 9), worst)
        chosen = int(np.lexsort(keys)[0])
        after = shortfalls[chosen]
        self._conceded += np.clip(after - before, 0.0, None)
        self._draft = agenda.outcome(candidates[chosen])
        key = tuple(candidates[chosen].tolist())
        self._tried[key] = self._tried.get(key, 0) + 1

    def _tried_counts(self, candidates: np.ndarray) -> np.ndarray:
        """How many times each candidate has been put forward already."""
        if self._agenda.size <= self.max_drafts:
            counts = np.zeros(self._agenda.size, dtype=np.int64)
            for key, times in self._tried.items():
                counts[np.ravel_multi_index(key, self._agenda.sizes)] = times
            rows = np.ravel_multi_index(tuple(candidates.T), self._agenda.sizes)
            found: np.ndarray = counts[rows]
            return found
        return np.array([self._tried.get(tuple(row), 0) for row in candidates.tolist()])

    def _candidates(self, held: np.ndarray) -> np.ndarray:
        if self._agenda.size <= self.max_drafts:
            return self._pool
        neighbours = [held[np.newaxis, :]]
        for position, size in enumerate(self._agenda.sizes):
            options = np.arange(size) if size <= 64 else self._rng.integers(0, size, 64)
            rows = np.repeat(held[np.newaxis, :], len(options), axis=0)
            rows[:, position] = options
            neighbours.append(rows)
        return np.concatenate([self._pool, *neighbours])


def _requests(requests: Any) -> list[tuple[Any, Any, float]]:
    if isinstance(requests, Mapping) and "requests" in requests:
        requests = requests["requests"]
    if isinstance(requests, Mapping):
        return [(issue, value[0], float(value[1])) for issue, value in requests.items()]
    found = []
    for item in requests or ():
        if isinstance(item, list | tuple) and len(item) == 3:
            found.append((item[0], item[1], float(item[2])))
    return found
