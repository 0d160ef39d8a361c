"""Post-settlement settlement (Raiffa, 1985): after a deal, the mediator looks for a better one for all.

Rules (``post-settlement-v1``), with a mediator seat:

* Phase ``base``: the talks run under a base protocol, ``setup.options.base``
  (a registered id, default ``alternating-offers``) with the same setup; its
  events pass through unchanged and its observations are the base protocol's
  (``protocol`` set to this id, ``stage == "base"``, ``base`` its id). If
  ``setup.options.agreement`` is given instead, the talks start straight
  from that agreement.
* If the base ends without agreement, post-settlement ends with the same result
  (the base's final event is the final event).
* Otherwise the public event ``improvement-phase`` records the original
  agreement (observations then carry it as ``original``, with ``stage ==
  "improvement"``), and in phase ``improve`` the mediator, who holds the confidential
  preferences, either :class:`~accord.protocols.actions.Propose` s a package
  (public event ``improvement-proposal``) or
  :class:`~accord.protocols.actions.Wait` s (no improvement found).
* Phase ``respond``: every delegation at once :class:`~accord.protocols.actions.Accept` s
  or :class:`~accord.protocols.actions.Reject` s (vetoes), seen by the mediator
  and the author. Unanimous acceptance → agreement on the improved package;
  any veto → the original agreement stands. Either way the reason is
  ``agreement``, and the final ``agreement`` event carries ``original`` and
  ``improved`` besides the result. The improvement takes no extra round:
  :attr:`ProtocolResult.rounds` is the base's.
* :class:`~accord.protocols.actions.WalkAway` is open to every awaited seat in
  every phase. Under the base protocol, its own rules apply (its ``walk-out``).
  After the agreement, leaving the improvement talks cannot undo it: the
  original agreement stands, and the final ``agreement`` event names who left
  (``walkers``) and why (``explanation``); the other delegations' responses of
  that step are recorded.

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> from accord.protocols.actions import Accept, Propose
>>> from accord.protocols.options import Options
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))
>>> setup = Setup(agenda=agenda, delegations=("north", "south"), mediator="envoy",
...               options=Options(agreement=("geneva",)))
>>> protocol = PostSettlement()
>>> state = protocol.step(protocol.start(setup).state, {"envoy": Propose(("oslo",))}).state
>>> transition = protocol.step(state, {"north": Accept(), "south": Accept()})
>>> protocol.result(transition.state)
ProtocolResult(reason='agreement', agreement=('oslo',), rounds=0)
>>> transition.events[-1].data["original"], transition.events[-1].data["improved"]
(('geneva',), True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from accord.domain import Outcome
from accord.errors import AccordError, ProtocolError
from accord.frozen import EMPTY
from accord.protocols.actions import Accept, Action, Propose, WalkAway
from accord.protocols.base import Event, Observation, Protocol, ProtocolResult, Setup, Transition
from accord.protocols.journal import Journal
from accord.protocols.legality import (
    OutcomeIndex,
    check_allowed,
    check_awaited,
    check_setup,
    closing,
    departure,
    opening,
    outcome_index,
    walkers,
)

__all__ = ["PostSettlement", "PostSettlementState"]
#: Builds an observation from all its fields in order (see "Hot records" in protocols.base).
_new_observation = tuple.__new__

_ALLOWED = {
    "improve": ("propose", "wait", "walk-away"),
    "respond": ("accept", "reject", "walk-away"),
    "finished": (),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class PostSettlementState:
    """The stage, the base protocol's state while it runs, the original agreement and the proposal."""

    setup: Setup
    journal: Journal
    index: OutcomeIndex = field(compare=False, repr=False)
    phase: str = "base"
    round: int = 0
    base_id: str = ""
    base: Any = field(default=None, compare=False, repr=False)
    base_state: Any = None
    original: Outcome | None = None
    proposal: Outcome | None = None
    result: ProtocolResult | None = None


class PostSettlement:
    """After a deal under a base protocol the mediator proposes one better for all; a veto keeps the deal.

    The rules, who sees what and how the talks end are in the module's docstring.
    """

    id: str = "post-settlement-v1"
    needs_mediator: bool = True

    def start(self, setup: Setup) -> Transition[PostSettlementState]:
        check_setup(setup, protocol=self.id, needs_mediator=self.needs_mediator)
        given = setup.options.agreement
        if given is not None:
            try:
                original = setup.agenda.outcome(setup.agenda.choices_of(tuple(given)))
            except (KeyError, TypeError, ValueError) as error:
                raise ProtocolError(f"{self.id}: options.agreement {given!r}: {error}") from None
            journal, event = opening(Journal(setup.seats), setup, protocol=self.id, base=None)
            state = PostSettlementState(setup=setup, journal=journal, index=outcome_index(setup.agenda))
            return self._improvement_phase(state, original, [event], source="given")
        base = self._base(setup)
        transition = base.start(setup)
        base_journal = getattr(transition.state, "journal", None)
        if not isinstance(base_journal, Journal) or base_journal.seats != setup.seats:
            raise ProtocolError(
                f"{self.id}: the base {base.id!r} does not keep a journal of this table's seats"
            )
        state = PostSettlementState(
            setup=setup,
            journal=base_journal,
            index=outcome_index(setup.agenda),
            base_id=base.id,
            base=base,
            base_state=transition.state,
        )
        return self._after_base(state, list(transition.events))

    def pending(self, state: PostSettlementState) -> tuple[str, ...]:
        if state.phase == "base":
            pending: tuple[str, ...] = state.base.pending(state.base_state)
            return pending
        if state.phase == "improve":
            return (state.setup.mediator,)
        if state.phase == "respond":
            return state.setup.delegations
        return ()

    def observe(self, state: PostSettlementState, seat: str) -> Observation:
        if seat not in state.journal.seats:
            raise ProtocolError(f"{seat!r} has no seat at this table")
        if state.phase == "base":
            seen: Observation = state.base.observe(state.base_state, seat)
            # The base's observation, as this protocol's, in the base stage (every field in order).
            fields = (self.id, *seen[1:16], "base", state.base_id, seen.extra)
            observation: Observation = _new_observation(Observation, fields)
            return observation
        # Every field in order: protocol, seat, round, rounds, phase, allowed, on_table, history,
        # text, original, candidates, critiques, shareable, moves_left, offered_by, acceptances,
        # stage, base, extra.
        fields = (
            self.id,
            seat,
            state.round,
            state.setup.rounds,
            state.phase,
            _ALLOWED[state.phase] if seat in self.pending(state) else (),
            state.proposal if state.phase == "respond" else state.original,
            state.journal.view(seat),
            None,
            state.original,
            None,
            None,
            (),
            None,
            "",
            0,
            "improvement",
            state.base_id,
            EMPTY,
        )
        improvement: Observation = _new_observation(Observation, fields)
        return improvement

    def step(
        self, state: PostSettlementState, actions: Mapping[str, Action]
    ) -> Transition[PostSettlementState]:
        if state.phase == "base":
            transition = state.base.step(state.base_state, actions)
            next_state = replace(state, journal=transition.state.journal, base_state=transition.state)
            return self._after_base(next_state, list(transition.events))
        check_awaited(self.pending(state), actions)
        allowed = _ALLOWED[state.phase]
        for seat, action in actions.items():
            check_allowed(seat, action, allowed, phase=state.phase)
        if state.phase == "improve":
            return self._improve(state, actions[state.setup.mediator])
        return self._respond(state, actions)

    def result(self, state: PostSettlementState) -> ProtocolResult | None:
        return state.result

    def _base(self, setup: Setup) -> Protocol[Any]:
        from accord.protocols.registry import protocol_by_id

        name = setup.options.base or "alternating-offers"
        try:
            base = protocol_by_id(str(name))
        except AccordError as error:
            raise ProtocolError(f"{self.id}: options.base: {getattr(error, 'reason', error)}") from None
        if base.id == self.id:
            raise ProtocolError(f"{self.id}: options.base cannot be post-settlement itself")
        return base

    def _after_base(self, state: PostSettlementState, events: list[Event]) -> Transition[PostSettlementState]:
        ended = state.base.result(state.base_state)
        if ended is None:
            return Transition(state, tuple(events))
        if ended.reason != "agreement" or ended.agreement is None:
            finished = replace(state, phase="finished", round=ended.rounds, result=ended)
            return Transition(finished, tuple(events))
        return self._improvement_phase(
            replace(state, round=ended.rounds), ended.agreement, events, source=state.base_id
        )

    def _improvement_phase(
        self, state: PostSettlementState, original: Outcome, events: list[Event], *, source: str
    ) -> Transition[PostSettlementState]:
        journal, event = state.journal.record(
            round=state.round,
            kind="improvement-phase",
            data={"protocol": self.id, "original": original, "source": source},
        )
        events.append(event)
        next_state = replace(state, journal=journal, phase="improve", original=original)
        return Transition(next_state, tuple(events))

    def _improve(self, state: PostSettlementState, action: Action) -> Transition[PostSettlementState]:
        mediator = state.setup.mediator
        if type(action) is WalkAway:
            return self._close(state, improved=False, events=[], actions={mediator: action}, left=(mediator,))
        if not isinstance(action, Propose):
            return self._close(state, improved=False, events=[])
        proposal = state.index.outcome(action.outcome, seat=mediator, action=action)
        journal, event = state.journal.record(
            round=state.round,
            kind="improvement-proposal",
            actor=mediator,
            data={"proposal": proposal, "original": state.original},
        )
        return Transition(replace(state, journal=journal, phase="respond", proposal=proposal), (event,))

    def _respond(
        self, state: PostSettlementState, actions: Mapping[str, Action]
    ) -> Transition[PostSettlementState]:
        setup, journal = state.setup, state.journal
        events: list[Event] = []
        unanimous = True
        for seat in setup.delegations:
            action = actions[seat]
            if type(action) is WalkAway:
                continue
            accept = isinstance(action, Accept)
            unanimous = unanimous and accept
            journal, event = journal.record(
                round=state.round,
                kind="response",
                actor=seat,
                data={"accept": accept, "proposal": state.proposal},
                visible_to=frozenset((setup.mediator, seat)),
            )
            events.append(event)
        left = walkers(setup.delegations, actions)
        return self._close(
            replace(state, journal=journal),
            improved=unanimous and not left,
            events=events,
            actions=actions,
            left=left,
        )

    def _close(
        self,
        state: PostSettlementState,
        *,
        improved: bool,
        events: list[Event],
        actions: Mapping[str, Action] | None = None,
        left: tuple[str, ...] = (),
    ) -> Transition[PostSettlementState]:
        final = state.proposal if improved else state.original
        result = ProtocolResult(reason="agreement", agreement=final, rounds=state.round)
        extra = departure(actions or {}, left) if left else {}
        journal, event = closing(
            state.journal,
            result,
            original=state.original,
            improved=improved,
            proposal=state.proposal,
            **extra,
        )
        events.append(event)
        return Transition(replace(state, journal=journal, phase="finished", result=result), tuple(events))
