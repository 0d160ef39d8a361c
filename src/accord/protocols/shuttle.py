"""Proximity talks (shuttle diplomacy): delegations speak only to the mediator, who decides what travels.

Rules (``shuttle-v1``), with a mediator seat. Each round:

* Phase ``consult``: every delegation at once sends the mediator a
  :class:`~accord.protocols.actions.Message` (text and optionally an offer,
  marked ``shareable`` or "for the mediator only") or
  :class:`~accord.protocols.actions.Wait` s. Messages are numbered 1, 2, … in
  the order received (seating order within a step) and seen only by the
  mediator and the author.
* Phase ``mediate``: the mediator acts once per step, as often as it likes (up to
  ``setup.options.mediator_moves``, default ``n**2`` for ``n`` delegations):
  :class:`~accord.protocols.actions.PassOn` a shareable message to a delegation
  other than its author (seen by the mediator and the addressee, with the
  author's name), or write a ``Message(to=delegation)`` of its own. The phase
  ends with a :class:`~accord.protocols.actions.Propose` (public), or a ``Wait``
  that ends the round. The mediator's observations list the messages it may
  pass on (``shareable``: ``(number, author)``) and its moves left (``moves_left``).
* Phase ``respond`` (after a proposal): every delegation at once
  :class:`~accord.protocols.actions.Accept` s or
  :class:`~accord.protocols.actions.Reject` s, seen by the mediator and the
  author. Unanimous acceptance → ``agreement``; otherwise the public event
  ``proposal-declined`` (no names) ends the round.
* :class:`~accord.protocols.actions.WalkAway` from anyone at their turn →
  ``walk-out`` (naming who left and why; the others' messages or responses of
  that step are recorded). After ``setup.rounds`` rounds: ``deadline``.

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> from accord.protocols.actions import Accept, Message, PassOn, Propose, Wait
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))
>>> setup = Setup(agenda=agenda, delegations=("north", "south"), mediator="envoy", rounds=2)
>>> protocol = Shuttle()
>>> state = protocol.start(setup).state
>>> state = protocol.step(state, {"north": Message("oslo, please", shareable=True), "south": Wait()}).state
>>> state = protocol.step(state, {"envoy": PassOn(1, to="south")}).state
>>> [event.data["text"] for event in protocol.observe(state, "south").history if event.kind == "passed-on"]
['oslo, please']
>>> state = protocol.step(state, {"envoy": Propose(("oslo",))}).state
>>> protocol.result(protocol.step(state, {"north": Accept(), "south": Accept()}).state)
ProtocolResult(reason='agreement', agreement=('oslo',), rounds=0)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from accord.domain import Outcome
from accord.errors import ProtocolError
from accord.frozen import EMPTY
from accord.protocols.actions import Accept, Action, Message, PassOn, Propose, Wait, WalkAway
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

__all__ = ["Shuttle", "ShuttleState"]
#: Builds an observation from all its fields in order (see "Hot records" in protocols.base).
_new_observation = tuple.__new__

_CONSULT = ("message", "wait", "walk-away")
_RESPOND = ("accept", "reject", "walk-away")
_MEDIATE = ("message", "pass-on", "propose", "wait", "walk-away")
_MEDIATE_NOTHING_TO_PASS = ("message", "propose", "wait", "walk-away")
_MEDIATE_NO_MOVES_LEFT = ("propose", "wait", "walk-away")


@dataclass(frozen=True, slots=True, kw_only=True)
class ShuttleState:
    """The phase, the delegations' messages (number ``k`` is ``messages[k - 1]``) and the proposal."""

    setup: Setup
    journal: Journal
    index: OutcomeIndex = field(compare=False, repr=False)
    phase: str = "consult"
    round: int = 0
    messages: tuple[tuple[str, Message], ...] = ()
    shareable: tuple[tuple[int, str], ...] = ()
    proposal: Outcome | None = None
    moves: int = 0
    moves_per_round: int = 0
    result: ProtocolResult | None = None


class Shuttle:
    """Delegations speak only to the mediator, who passes on what it chooses and puts proposals to all.

    The rules, who sees what and how the talks end are in the module's docstring.
    """

    id: str = "shuttle-v1"
    needs_mediator: bool = True

    def start(self, setup: Setup) -> Transition[ShuttleState]:
        check_setup(setup, protocol=self.id, needs_mediator=self.needs_mediator)
        moves = setup.options.mediator_moves
        if moves is None:
            moves = len(setup.delegations) ** 2
        if isinstance(moves, bool) or not isinstance(moves, int) or moves < 0:
            raise ProtocolError(
                f"{self.id}: options.mediator_moves must be a whole number ≥ 0, got {moves!r}"
            )
        journal, event = opening(Journal(setup.seats), setup, protocol=self.id, mediator_moves=moves)
        return Transition(
            ShuttleState(
                setup=setup, journal=journal, index=outcome_index(setup.agenda), moves_per_round=moves
            ),
            (event,),
        )

    def pending(self, state: ShuttleState) -> tuple[str, ...]:
        if state.phase == "mediate":
            return (state.setup.mediator,)
        if state.phase == "finished":
            return ()
        return state.setup.delegations

    def observe(self, state: ShuttleState, seat: str) -> Observation:
        if seat not in state.journal.seats:
            raise ProtocolError(f"{seat!r} has no seat at this table")
        mediator = seat == state.setup.mediator
        # Every field in order: protocol, seat, round, rounds, phase, allowed, on_table, history,
        # text, original, candidates, critiques, shareable, moves_left, offered_by, acceptances,
        # stage, base, extra.
        fields = (
            self.id,
            seat,
            state.round,
            state.setup.rounds,
            state.phase,
            self._allowed(state) if seat in self.pending(state) else (),
            state.proposal,
            state.journal.view(seat),
            None,
            None,
            None,
            None,
            state.shareable if mediator else (),
            state.moves_per_round - state.moves if mediator else None,
            "",
            0,
            "",
            "",
            EMPTY,
        )
        observation: Observation = _new_observation(Observation, fields)
        return observation

    def step(self, state: ShuttleState, actions: Mapping[str, Action]) -> Transition[ShuttleState]:
        check_awaited(self.pending(state), actions)
        allowed = self._allowed(state)
        for seat, action in actions.items():
            check_allowed(seat, action, allowed, phase=state.phase)
        if state.phase == "mediate":
            return self._mediate(state, actions[state.setup.mediator])
        if state.phase == "consult":
            return self._consult(state, actions)
        return self._respond(state, actions)

    def result(self, state: ShuttleState) -> ProtocolResult | None:
        return state.result

    @staticmethod
    def _allowed(state: ShuttleState) -> tuple[str, ...]:
        if state.phase == "consult":
            return _CONSULT
        if state.phase == "respond":
            return _RESPOND
        if state.phase == "finished":
            return ()
        if state.moves >= state.moves_per_round:
            return _MEDIATE_NO_MOVES_LEFT
        return _MEDIATE if state.shareable else _MEDIATE_NOTHING_TO_PASS

    def _consult(self, state: ShuttleState, actions: Mapping[str, Action]) -> Transition[ShuttleState]:
        setup, journal = state.setup, state.journal
        events: list[Event] = []
        messages, shareable = list(state.messages), list(state.shareable)
        for seat in setup.delegations:
            action = actions[seat]
            if not isinstance(action, Message):
                continue
            if action.to not in ("", setup.mediator):
                raise illegal(seat, action, "a delegation writes only to the mediator")
            message = self._checked_message(state, seat, action)
            messages.append((seat, message))
            if message.shareable:
                shareable.append((len(messages), seat))
            journal, event = journal.record(
                round=state.round,
                kind="message",
                actor=seat,
                data={
                    "number": len(messages),
                    "text": message.text,
                    "offer": message.offer,
                    "shareable": message.shareable,
                },
                visible_to=frozenset((setup.mediator, seat)),
            )
            events.append(event)
        next_state = replace(
            state,
            journal=journal,
            phase="mediate",
            messages=tuple(messages),
            shareable=tuple(shareable),
            moves=0,
        )
        return self._walk_out_if_any(next_state, actions, events)

    def _mediate(self, state: ShuttleState, action: Action) -> Transition[ShuttleState]:
        setup, mediator = state.setup, state.setup.mediator
        if isinstance(action, WalkAway):
            return self._walk_out_if_any(state, {mediator: action}, [])
        if isinstance(action, Wait):
            return self._end_round(state, state.journal, [])
        if isinstance(action, Propose):
            proposal = state.index.outcome(action.outcome, seat=mediator, action=action)
            journal, event = state.journal.record(
                round=state.round, kind="proposal", actor=mediator, data={"proposal": proposal}
            )
            return Transition(replace(state, journal=journal, phase="respond", proposal=proposal), (event,))
        if isinstance(action, PassOn):
            number = action.message
            if (
                isinstance(number, bool)
                or not isinstance(number, int)
                or not 1 <= number <= len(state.messages)
            ):
                raise illegal(
                    mediator, action, f"there is no message {number!r} (messages are numbered from 1)"
                )
            author, message = state.messages[number - 1]
            if not message.shareable:
                raise illegal(mediator, action, f"message {number} from {author!r} is for the mediator only")
            if action.to not in setup.delegations:
                raise illegal(mediator, action, f"{action.to!r} is not a delegation")
            to = setup.delegations[setup.delegations.index(action.to)]  # the seat's own name
            if to == author:
                raise illegal(mediator, action, f"message {number} was written by {author!r} itself")
            journal, event = state.journal.record(
                round=state.round,
                kind="passed-on",
                actor=mediator,
                data={
                    "number": int(number),
                    "author": author,
                    "text": message.text,
                    "offer": message.offer,
                    "to": to,
                },
                visible_to=frozenset((mediator, to)),
            )
        else:
            assert isinstance(action, Message)
            if action.to not in setup.delegations:
                raise illegal(
                    mediator, action, f"the mediator writes to one delegation; {action.to!r} is not one"
                )
            message = self._checked_message(state, mediator, action)
            to = setup.delegations[setup.delegations.index(action.to)]  # the seat's own name
            journal, event = state.journal.record(
                round=state.round,
                kind="message",
                actor=mediator,
                data={"text": str(message.text), "offer": message.offer, "to": to},
                visible_to=frozenset((mediator, to)),
            )
        return Transition(replace(state, journal=journal, moves=state.moves + 1), (event,))

    def _respond(self, state: ShuttleState, actions: Mapping[str, Action]) -> Transition[ShuttleState]:
        setup, journal = state.setup, state.journal
        events: list[Event] = []
        unanimous = True
        for seat in setup.delegations:
            action = actions[seat]
            if isinstance(action, WalkAway):
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
        if any(isinstance(action, WalkAway) for action in actions.values()):
            return self._walk_out_if_any(replace(state, journal=journal), actions, events)
        if unanimous:
            result = ProtocolResult(reason="agreement", agreement=state.proposal, rounds=state.round)
            journal, event = closing(journal, result)
            events.append(event)
            return Transition(replace(state, journal=journal, phase="finished", result=result), tuple(events))
        journal, event = journal.record(
            round=state.round, kind="proposal-declined", data={"proposal": state.proposal}
        )
        events.append(event)
        return self._end_round(state, journal, events)

    def _end_round(
        self, state: ShuttleState, journal: Journal, events: list[Event]
    ) -> Transition[ShuttleState]:
        round_ = state.round + 1
        if round_ < state.setup.rounds:
            next_state = replace(state, journal=journal, phase="consult", round=round_, proposal=None)
            return Transition(next_state, tuple(events))
        result = ProtocolResult(reason="deadline", agreement=None, rounds=round_)
        journal, event = closing(journal, result)
        events.append(event)
        finished = replace(
            state, journal=journal, phase="finished", round=round_, proposal=None, result=result
        )
        return Transition(finished, tuple(events))

    def _walk_out_if_any(
        self, state: ShuttleState, actions: Mapping[str, Action], events: list[Event]
    ) -> Transition[ShuttleState]:
        left = walkers(state.setup.seats, actions)
        if not left:
            return Transition(state, tuple(events))
        journal, event, result = walk_out(state.journal, actions, left, round=state.round)
        events.append(event)
        return Transition(replace(state, journal=journal, phase="finished", result=result), tuple(events))

    @staticmethod
    def _checked_message(state: ShuttleState, seat: str, action: Message) -> Message:
        if not isinstance(action.text, str) or not isinstance(action.shareable, bool):
            raise illegal(seat, action, "a message's text must be a string and 'shareable' a bool")
        if action.offer is None:
            return action
        offer = state.index.outcome(action.offer, seat=seat, action=action)
        return replace(action, offer=offer)
