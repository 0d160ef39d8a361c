"""The mediated single negotiating text (Klein et al. 2003): the mediator hill-climbs on vetoes.

Rules (``single-text-v1``), with a mediator seat:

* Phase ``propose``: the mediator :class:`~accord.protocols.actions.Propose` s a
  complete package. The first proposal becomes the *text* outright (event
  ``initial-text``); every later one is a *change* to it (``proposed-change``).
  Once a text exists the mediator may instead
  :class:`~accord.protocols.actions.CallVote`. Proposals are public.
* Phase ``respond``: every delegation at once :class:`~accord.protocols.actions.Accept` s
  or :class:`~accord.protocols.actions.Reject` s (vetoes) the change. Each
  response is seen only by the mediator and its author. If all accept, the
  change becomes the text (``change-adopted``), else it is dropped
  (``change-dropped``): delegations learn only whether the text changed.
  That ends a round.
* After ``setup.rounds`` rounds, or on the mediator's ``CallVote``, phase
  ``vote``: every delegation :class:`~accord.protocols.actions.Vote` s on the
  current text (votes private to the mediator and author). Unanimous yes →
  ``agreement`` on the text, otherwise ``rejected``.
* Every observation carries the text in force (``text``); ``on_table`` is the
  change while delegations respond, else the text.
* :class:`~accord.protocols.actions.WalkAway` is open to every awaited seat in
  every phase: the talks end for everyone (``walk-out``, naming who left and
  why). The other delegations' responses or votes of that step are recorded.

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> from accord.protocols.actions import Accept, Propose, Reject, Vote
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))
>>> setup = Setup(agenda=agenda, delegations=("north", "south"), mediator="envoy", rounds=1)
>>> protocol = SingleText()
>>> state = protocol.step(protocol.start(setup).state, {"envoy": Propose(("geneva",))}).state
>>> state = protocol.step(state, {"envoy": Propose(("oslo",))}).state
>>> state = protocol.step(state, {"north": Accept(), "south": Reject()}).state
>>> protocol.observe(state, "north").phase, protocol.observe(state, "north").on_table
('vote', ('geneva',))
>>> protocol.result(protocol.step(state, {"north": Vote(True), "south": Vote(True)}).state)
ProtocolResult(reason='agreement', agreement=('geneva',), rounds=1)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from accord.domain import Outcome
from accord.errors import ProtocolError
from accord.frozen import EMPTY
from accord.protocols.actions import Accept, Action, Propose, WalkAway
from accord.protocols.base import Event, Observation, ProtocolResult, Setup, Transition
from accord.protocols.journal import Journal
from accord.protocols.legality import (
    OutcomeIndex,
    call_vote,
    check_allowed,
    check_awaited,
    check_setup,
    closing,
    opening,
    outcome_index,
    record_votes,
    walk_out,
    walkers,
)

__all__ = ["SingleText", "SingleTextState"]

_ALLOWED = {
    "respond": ("accept", "reject", "walk-away"),
    "vote": ("vote", "walk-away"),
    "finished": (),
}
_FIRST_PROPOSAL = ("propose", "walk-away")
_LATER_PROPOSAL = ("call-vote", "propose", "walk-away")
#: Builds an observation from all its fields in order (a hot path: see "Hot records" in protocols.base).
_new_observation = tuple.__new__


@dataclass(slots=True, kw_only=True)  # not frozen, to build one per step cheaply; never mutated
class SingleTextState:
    """The phase, the current text and the change under consideration."""

    setup: Setup
    journal: Journal
    index: OutcomeIndex = field(compare=False, repr=False)
    phase: str = "propose"
    round: int = 0
    text: Outcome | None = None
    change: Outcome | None = None
    result: ProtocolResult | None = None


class SingleText:
    """The mediator proposes changes to a single text; a change is adopted only if no delegation vetoes it.

    The rules, who sees what and how the talks end are in the module's docstring.
    """

    id: str = "single-text-v1"
    needs_mediator: bool = True

    def start(self, setup: Setup) -> Transition[SingleTextState]:
        check_setup(setup, protocol=self.id, needs_mediator=self.needs_mediator)
        journal, event = opening(Journal(setup.seats), setup, protocol=self.id)
        return Transition(
            SingleTextState(setup=setup, journal=journal, index=outcome_index(setup.agenda)), (event,)
        )

    def pending(self, state: SingleTextState) -> tuple[str, ...]:
        if state.phase == "propose":
            return (state.setup.mediator,)
        if state.phase == "finished":
            return ()
        return state.setup.delegations

    def observe(self, state: SingleTextState, seat: str) -> Observation:
        if seat not in state.journal.seats:
            raise ProtocolError(f"{seat!r} has no seat at this table")
        phase = state.phase
        if phase == "propose":
            awaited = seat == state.setup.mediator
        else:
            awaited = phase != "finished" and seat in state.setup.delegations
        # Every field in order: protocol, seat, round, rounds, phase, allowed, on_table, history,
        # text, original, candidates, critiques, shareable, moves_left, offered_by, acceptances,
        # stage, base, extra.
        fields = (
            self.id,
            seat,
            state.round,
            state.setup.rounds,
            phase,
            self._allowed(state) if awaited else (),
            state.change if phase == "respond" else state.text,
            state.journal.view(seat),
            state.text,
            None,
            None,
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

    def step(self, state: SingleTextState, actions: Mapping[str, Action]) -> Transition[SingleTextState]:
        pending = self.pending(state)
        if not pending or len(actions) != len(pending) or not all(seat in actions for seat in pending):
            check_awaited(pending, actions)  # raises: the wrong seats acted
        allowed = self._allowed(state)
        for seat, action in actions.items():
            check_allowed(seat, action, allowed, phase=state.phase)
        if state.phase == "propose":
            return self._propose(state, actions[state.setup.mediator])
        if state.phase == "respond":
            return self._respond(state, actions)
        return self._vote(state, actions)

    def result(self, state: SingleTextState) -> ProtocolResult | None:
        return state.result

    @staticmethod
    def _allowed(state: SingleTextState) -> tuple[str, ...]:
        if state.phase == "propose":
            return _FIRST_PROPOSAL if state.text is None else _LATER_PROPOSAL
        return _ALLOWED[state.phase]

    def _propose(self, state: SingleTextState, action: Action) -> Transition[SingleTextState]:
        mediator = state.setup.mediator
        if type(action) is WalkAway:
            return _walked_out(state, state.journal, {mediator: action}, (mediator,), [])
        if not isinstance(action, Propose):
            journal, event = call_vote(state.journal, round=state.round, called_by=mediator, text=state.text)
            return Transition(replace(state, journal=journal, phase="vote"), (event,))
        outcome = state.index.outcome(action.outcome, seat=mediator, action=action)
        if state.text is None:
            journal, event = state.journal.record(
                round=state.round, kind="initial-text", actor=mediator, data={"text": outcome}
            )
            return Transition(replace(state, journal=journal, text=outcome), (event,))
        journal, event = state.journal.record(
            round=state.round,
            kind="proposed-change",
            actor=mediator,
            data={"change": outcome, "text": state.text},
        )
        # Built directly rather than with dataclasses.replace, which costs several times more each round.
        next_state = SingleTextState(
            setup=state.setup,
            journal=journal,
            index=state.index,
            phase="respond",
            round=state.round,
            text=state.text,
            change=outcome,
            result=state.result,
        )
        return Transition(next_state, (event,))

    def _respond(self, state: SingleTextState, actions: Mapping[str, Action]) -> Transition[SingleTextState]:
        setup, journal, events = state.setup, state.journal, []
        change_data = state.change
        adopted = True
        for seat in setup.delegations:
            action = actions[seat]
            if type(action) is WalkAway:
                continue
            accept = isinstance(action, Accept)
            adopted = adopted and accept
            journal, event = journal.record(
                round=state.round,
                kind="response",
                actor=seat,
                data={"accept": accept, "change": change_data},
                visible_to=frozenset((setup.mediator, seat)),
            )
            events.append(event)
        left = walkers(setup.delegations, actions)
        if left:
            return _walked_out(state, journal, actions, left, events)
        text = state.change if adopted else state.text
        journal, event = journal.record(
            round=state.round,
            kind="change-adopted" if adopted else "change-dropped",
            data={"text": text},
        )
        events.append(event)
        next_state = SingleTextState(
            setup=setup,
            journal=journal,
            index=state.index,
            phase="propose",
            round=state.round + 1,
            text=text,
            change=None,
            result=state.result,
        )
        if next_state.round >= setup.rounds:
            journal, event = call_vote(
                journal, round=next_state.round, called_by="deadline", text=next_state.text
            )
            events.append(event)
            next_state = replace(next_state, journal=journal, phase="vote")
        return Transition(next_state, tuple(events))

    def _vote(self, state: SingleTextState, actions: Mapping[str, Action]) -> Transition[SingleTextState]:
        journal, events, unanimous = record_votes(state.journal, state.setup, actions, round=state.round)
        left = walkers(state.setup.delegations, actions)
        if left:
            return _walked_out(state, journal, actions, left, events)
        result = ProtocolResult(
            reason="agreement" if unanimous else "rejected",
            agreement=state.text if unanimous else None,
            rounds=state.round,
        )
        journal, event = closing(journal, result, text=state.text)
        events.append(event)
        return Transition(replace(state, journal=journal, phase="finished", result=result), tuple(events))


def _walked_out(
    state: SingleTextState,
    journal: Journal,
    actions: Mapping[str, Action],
    left: tuple[str, ...],
    events: list[Event],
) -> Transition[SingleTextState]:
    journal, event, result = walk_out(journal, actions, left, round=state.round, text=state.text)
    events.append(event)
    return Transition(replace(state, journal=journal, phase="finished", result=result), tuple(events))
