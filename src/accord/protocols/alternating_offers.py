"""Stacked alternating offers for any number of parties, as in Genius and ANAC.

Rules (``alternating-offers-v1``):

* One delegation moves at a time, in seating order; a *round* is one full cycle
  of turns. The first mover must :class:`~accord.protocols.actions.Offer` (or
  :class:`~accord.protocols.actions.WalkAway`).
* Every later mover may :class:`~accord.protocols.actions.Accept` the standing
  offer, replace it with an ``Offer`` of its own (which resets the acceptances),
  or ``WalkAway``. Offers and acceptances are public.
* Agreement when the other ``n - 1`` delegations have accepted the standing
  offer, one after another. A walk-away ends the talks for everyone (the public
  ``walk-out`` event names who left and why). After ``setup.rounds`` rounds
  without agreement: ``deadline``.
* ``setup.options.discount`` (optional, in ``(0, 1]``) is only announced:
  the session discounts utilities as ``u × d**t`` with ``t`` the relative time
  (Genius's convention); the protocol reports the round of agreement in
  :attr:`ProtocolResult.rounds` (rounds completed before the agreement).
* A mediator seat, if set, watches: it sees every (public) event and never acts.
* Observations tell who put the standing offer forward (``offered_by``) and how
  many have accepted it since (``acceptances``).

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> from accord.protocols.actions import Accept, Offer
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))
>>> protocol = AlternatingOffers()
>>> state = protocol.start(Setup(agenda=agenda, delegations=("north", "south"), rounds=3)).state
>>> protocol.pending(state)
('north',)
>>> state = protocol.step(state, {"north": Offer(("oslo",))}).state
>>> protocol.observe(state, "south").allowed
('accept', 'offer', 'walk-away')
>>> state = protocol.step(state, {"south": Accept()}).state
>>> protocol.result(state)
ProtocolResult(reason='agreement', agreement=('oslo',), rounds=0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import overload

import numpy as np

from accord.domain import Outcome
from accord.errors import ProtocolError
from accord.frozen import EMPTY
from accord.protocols.actions import Action, Offer, WalkAway
from accord.protocols.base import Event, Observation, ProtocolResult, Setup, Transition
from accord.protocols.journal import Journal
from accord.protocols.legality import (
    OutcomeIndex,
    check_allowed,
    check_awaited,
    check_setup,
    closing,
    opening,
    outcome_index,
    walk_out,
)

__all__ = ["AlternatingOffers", "AlternatingOffersState", "expired", "settled"]

_FIRST_MOVE = ("offer", "walk-away")
_LATER_MOVE = ("accept", "offer", "walk-away")
#: Builds an observation from all its fields in order (a hot path: see "Hot records" in protocols.base).
_new_observation = tuple.__new__


@overload
def settled(acceptances: int, delegations: int) -> bool: ...
@overload
def settled(acceptances: np.ndarray, delegations: int) -> np.ndarray: ...
def settled(acceptances: int | np.ndarray, delegations: int) -> bool | np.ndarray:
    """Whether the standing offer is agreed: each of the other ``delegations - 1`` has accepted it.

    Elementwise on arrays: the batch engine (:mod:`accord.batch`) applies this very rule to
    many sessions at once.
    """
    return acceptances == delegations - 1


@overload
def expired(completed: int, rounds: int) -> bool: ...
@overload
def expired(completed: int | np.ndarray, rounds: np.ndarray) -> np.ndarray: ...
def expired(completed: int | np.ndarray, rounds: int | np.ndarray) -> bool | np.ndarray:
    """Whether the deadline has come once ``completed`` of ``rounds`` rounds are over (elementwise)."""
    return completed >= rounds


@dataclass(slots=True, kw_only=True)  # not frozen, to build one per step cheaply; never mutated
class AlternatingOffersState:
    """Whose turn it is, the standing offer, who made it and how many have accepted it since."""

    setup: Setup
    journal: Journal
    index: OutcomeIndex = field(compare=False, repr=False)
    round: int = 0
    turn: int = 0
    standing: Outcome | None = None
    offered_by: str = ""
    acceptances: int = 0
    result: ProtocolResult | None = None


class AlternatingOffers:
    """Delegations take turns to offer a package or accept the standing one; a deal once all accept.

    The rules, who sees what and how the talks end are in the module's docstring.
    """

    id: str = "alternating-offers-v1"
    needs_mediator: bool = False

    def start(self, setup: Setup) -> Transition[AlternatingOffersState]:
        check_setup(setup, protocol=self.id, needs_mediator=self.needs_mediator)
        discount = setup.options.discount
        if discount is not None and not (
            isinstance(discount, int | float) and not isinstance(discount, bool) and 0 < discount <= 1
        ):
            raise ProtocolError(f"{self.id}: options.discount must be in (0, 1], got {discount!r}")
        journal, event = opening(Journal(setup.seats), setup, protocol=self.id, discount=discount)
        return Transition(
            AlternatingOffersState(setup=setup, journal=journal, index=outcome_index(setup.agenda)), (event,)
        )

    def pending(self, state: AlternatingOffersState) -> tuple[str, ...]:
        if state.result is not None:
            return ()
        return (state.setup.delegations[state.turn],)

    def observe(self, state: AlternatingOffersState, seat: str) -> Observation:
        if seat not in state.journal.seats:
            raise ProtocolError(f"{seat!r} has no seat at this table")
        going = state.result is None
        awaited = going and seat == state.setup.delegations[state.turn]
        allowed = (_FIRST_MOVE if state.standing is None else _LATER_MOVE) if awaited else ()
        # Every field in order: protocol, seat, round, rounds, phase, allowed, on_table, history,
        # text, original, candidates, critiques, shareable, moves_left, offered_by, acceptances,
        # stage, base, extra.
        fields = (
            self.id,
            seat,
            state.round,
            state.setup.rounds,
            "offers" if going else "finished",
            allowed,
            state.standing,
            state.journal.view(seat),
            None,
            None,
            None,
            None,
            (),
            None,
            state.offered_by,
            state.acceptances,
            "",
            "",
            EMPTY,
        )
        observation: Observation = _new_observation(Observation, fields)
        return observation

    def step(
        self, state: AlternatingOffersState, actions: Mapping[str, Action]
    ) -> Transition[AlternatingOffersState]:
        setup = state.setup
        delegations = setup.delegations
        seat = delegations[state.turn]
        if state.result is not None or len(actions) != 1 or seat not in actions:
            check_awaited(self.pending(state), actions)  # raises: the wrong seats acted
        action = actions[seat]
        kind = check_allowed(seat, action, self._allowed(state), phase="offers")
        if isinstance(action, WalkAway):
            journal, event, ended = walk_out(state.journal, actions, (seat,), round=state.round)
            return Transition(replace(state, journal=journal, result=ended), (event,))
        standing: Outcome | None
        if isinstance(action, Offer):
            outcome = state.index.outcome(action.outcome, seat=seat, action=action)
            journal, event = state.journal.record(
                round=state.round, kind="offer", actor=seat, data={"outcome": outcome}
            )
            standing, offered_by, acceptances = outcome, seat, 0
        else:
            journal, event = state.journal.record(
                round=state.round, kind=kind, actor=seat, data={"outcome": state.standing}
            )
            standing, offered_by, acceptances = state.standing, state.offered_by, state.acceptances + 1
        result: ProtocolResult | None = None
        if settled(acceptances, len(delegations)):
            result = ProtocolResult(reason="agreement", agreement=standing, rounds=state.round)
        turn, round_ = state.turn + 1, state.round
        if turn == len(delegations):
            turn, round_ = 0, round_ + 1
            if result is None and expired(round_, setup.rounds):
                result = ProtocolResult(reason="deadline", agreement=None, rounds=round_)
        events: tuple[Event, ...] = (event,)
        if result is not None:
            journal, closed = closing(journal, result)
            events = (event, closed)
        next_state = AlternatingOffersState(
            setup=setup,
            journal=journal,
            index=state.index,
            round=round_ if result is None else result.rounds,
            turn=turn,
            standing=standing,
            offered_by=offered_by,
            acceptances=acceptances,
            result=result,
        )
        return Transition(next_state, events)

    def result(self, state: AlternatingOffersState) -> ProtocolResult | None:
        return state.result

    @staticmethod
    def _allowed(state: AlternatingOffersState) -> tuple[str, ...]:
        return _FIRST_MOVE if state.standing is None else _LATER_MOVE
