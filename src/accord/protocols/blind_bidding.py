"""Blind bidding: sealed acceptances; a deal only where every delegation's acceptances overlap.

Rules (``blind-bidding-v1``):

* Each round every delegation at once sends
  :class:`~accord.protocols.actions.AcceptPackages`: the packages it would sign
  (any number, possibly none). Bids are sealed: each is recorded as a
  ``sealed-bid`` event visible to its author alone (not even to a mediator).
* If some package is accepted by every delegation → ``agreement`` on it. Tie-break
  among overlapping packages: the first in ``setup.options.candidates`` order
  when candidates are given, otherwise the one with the smallest option indices
  in agenda order (lexicographically, i.e. the first in the agenda's enumeration).
  Nothing else is revealed: not the size of the overlap, not who bid what.
* Otherwise the only public event is ``no-overlap`` and the next round begins.
  After ``setup.rounds`` rounds: ``deadline``.
* ``setup.options.candidates`` (optional): the public list of packages that
  may be accepted; bidding anything else is illegal. Observations carry them
  (``candidates``, ``None`` when any package may be bid for).
* Instead of bidding, a delegation may :class:`~accord.protocols.actions.WalkAway`:
  the talks end for everyone (``walk-out``, naming who left and why); the
  others' bids of that round are recorded, sealed, and not compared.

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> from accord.protocols.actions import AcceptPackages
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"), Option("rome"))),))
>>> protocol = BlindBidding()
>>> state = protocol.start(Setup(agenda=agenda, delegations=("north", "south"), rounds=2)).state
>>> bids = {"north": AcceptPackages((("rome",), ("oslo",))), "south": AcceptPackages((("oslo",), ("rome",)))}
>>> protocol.result(protocol.step(state, bids).state)
ProtocolResult(reason='agreement', agreement=('oslo',), rounds=0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from accord.domain import Agenda, Outcome
from accord.errors import ProtocolError
from accord.frozen import EMPTY
from accord.protocols.actions import AcceptPackages, Action, WalkAway
from accord.protocols.base import Event, Observation, ProtocolResult, Setup, Transition
from accord.protocols.journal import Journal
from accord.protocols.legality import (
    OutcomeIndex,
    check_allowed,
    check_awaited,
    check_setup,
    closing,
    illegal,
    opening,
    outcome_index,
    walk_out,
    walkers,
)

__all__ = ["BlindBidding", "BlindBiddingState"]
#: Builds an observation from all its fields in order (see "Hot records" in protocols.base).
_new_observation = tuple.__new__

_ALLOWED = ("accept-packages", "walk-away")
Choices = tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BlindBiddingState:
    """The round, and the public candidates (``None``: any package) with their tie-break ranks."""

    setup: Setup
    journal: Journal
    index: OutcomeIndex = field(compare=False, repr=False)
    round: int = 0
    candidates: tuple[Outcome, ...] | None = None
    ranks: Mapping[Choices, int] = field(default_factory=dict)
    result: ProtocolResult | None = None


class BlindBidding:
    """Each round every delegation seals the packages it would sign; a deal only where all of them overlap.

    The rules, who sees what and how the talks end are in the module's docstring.
    """

    id: str = "blind-bidding-v1"
    needs_mediator: bool = False

    def start(self, setup: Setup) -> Transition[BlindBiddingState]:
        check_setup(setup, protocol=self.id, needs_mediator=self.needs_mediator)
        candidates, ranks = _candidates(setup.agenda, setup.options.candidates, protocol=self.id)
        journal, event = opening(
            Journal(setup.seats),
            setup,
            protocol=self.id,
            candidates=candidates,
        )
        state = BlindBiddingState(
            setup=setup,
            journal=journal,
            index=outcome_index(setup.agenda),
            candidates=candidates,
            ranks=ranks,
        )
        return Transition(state, (event,))

    def pending(self, state: BlindBiddingState) -> tuple[str, ...]:
        return () if state.result is not None else state.setup.delegations

    def observe(self, state: BlindBiddingState, seat: str) -> Observation:
        if seat not in state.journal.seats:
            raise ProtocolError(f"{seat!r} has no seat at this table")
        awaited = state.result is None and seat in state.setup.delegations
        # Every field in order: protocol, seat, round, rounds, phase, allowed, on_table, history,
        # text, original, candidates, critiques, shareable, moves_left, offered_by, acceptances,
        # stage, base, extra.
        fields = (
            self.id,
            seat,
            state.round,
            state.setup.rounds,
            "bidding" if state.result is None else "finished",
            _ALLOWED if awaited else (),
            None,
            state.journal.view(seat),
            None,
            None,
            state.candidates,
            None,
            (),
            None,
            "",
            0,
            "",
            "",
            EMPTY,
        )
        observation: Observation = _new_observation(Observation, fields)
        return observation

    def step(self, state: BlindBiddingState, actions: Mapping[str, Action]) -> Transition[BlindBiddingState]:
        check_awaited(self.pending(state), actions)
        setup, journal = state.setup, state.journal
        events: list[Event] = []
        overlap: set[Choices] | None = None
        for seat in setup.delegations:
            action = actions[seat]
            check_allowed(seat, action, _ALLOWED, phase="bidding")
            if type(action) is WalkAway:
                continue
            assert isinstance(action, AcceptPackages)
            accepted = self._accepted(state, seat, action)
            overlap = set(accepted) if overlap is None else overlap & accepted.keys()
            journal, event = journal.record(
                round=state.round,
                kind="sealed-bid",
                actor=seat,
                data={"outcomes": tuple(accepted.values())},
                visible_to=frozenset((seat,)),
            )
            events.append(event)
        left = walkers(setup.delegations, actions)
        if left:
            journal, event, ended = walk_out(journal, actions, left, round=state.round)
            events.append(event)
            return Transition(replace(state, journal=journal, result=ended), tuple(events))
        result: ProtocolResult | None = None
        if overlap:
            winner = min(overlap, key=state.ranks.__getitem__) if state.ranks else min(overlap)
            result = ProtocolResult(
                reason="agreement", agreement=state.index.from_choices(winner), rounds=state.round
            )
        else:
            journal, event = journal.record(round=state.round, kind="no-overlap")
            events.append(event)
            if state.round + 1 >= setup.rounds:
                result = ProtocolResult(reason="deadline", agreement=None, rounds=state.round + 1)
        if result is not None:
            journal, event = closing(journal, result)
            events.append(event)
        round_ = state.round + 1 if result is None else result.rounds
        return Transition(replace(state, journal=journal, round=round_, result=result), tuple(events))

    def result(self, state: BlindBiddingState) -> ProtocolResult | None:
        return state.result

    @staticmethod
    def _accepted(state: BlindBiddingState, seat: str, action: AcceptPackages) -> dict[Choices, Outcome]:
        """Option indices → canonical outcome of each package bid, if all are legal, in bid order."""
        index = state.index
        accepted: dict[Choices, Outcome] = {}
        try:
            packages = tuple(action.outcomes)
        except TypeError:
            raise illegal(seat, action, "outcomes must be a sequence of packages") from None
        for package in packages:
            choices = index.choices(package, seat=seat, action=action)
            if state.ranks and choices not in state.ranks:
                raise illegal(seat, action, f"package {package!r} is not among the candidates")
            if choices not in accepted:
                accepted[choices] = index.from_choices(choices)
        return accepted


def _candidates(
    agenda: Agenda, given: Any, *, protocol: str
) -> tuple[tuple[Outcome, ...] | None, dict[Choices, int]]:
    if given is None:
        return None, {}
    ranks: dict[Choices, int] = {}
    try:
        for package in given:
            ranks.setdefault(agenda.choices_of(tuple(package)), len(ranks))
    except (KeyError, TypeError, ValueError) as error:
        raise ProtocolError(f"{protocol}: options.candidates: {error}") from None
    if not ranks:
        raise ProtocolError(f"{protocol}: options.candidates is empty; leave it out to allow any package")
    return tuple(agenda.outcome(choices) for choices in ranks), ranks
