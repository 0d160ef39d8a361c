"""Checks and event shapes shared by the protocols: whose turn, which actions, which outcomes.

Every check raises :class:`~accord.errors.ProtocolError` with a message that
names the seat, the action and the reason, and carries them as data
(``error.seat``, ``error.action``, ``error.reason``; :func:`illegal` is the one
constructor of such errors); none of them changes anything, so a protocol that
calls them before building its next state leaves the old state untouched.

Walking away is legal for every awaited seat in every protocol (a delegation, or
the mediator, can always leave real talks): :func:`walkers` finds the seats that
left in a step and :func:`walk_out` records the public closing event.

>>> from accord.domain import Agenda, DiscreteIssue, IntegerIssue, Option
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))), IntegerIssue("days", 1, 3)))
>>> checked_outcome(agenda, ("oslo", 2.0), seat="north", action=Offer(("oslo", 2.0)))
('oslo', 2)
>>> checked_outcome(agenda, ("paris", 2), seat="east", action=Offer(("paris", 2)))
Traceback (most recent call last):
...
accord.errors.ProtocolError: seat 'east' may not offer ('paris', 2): 'paris' is not an option of issue 'venue'
>>> error = illegal("east", Offer(("paris", 2)), "'paris' is not on the agenda")
>>> error.seat, error.action, error.reason
('east', 'offer', "'paris' is not on the agenda")
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from accord.domain import Agenda, Outcome, RealIssue
from accord.errors import ProtocolError
from accord.protocols.actions import (
    Action,
    Critique,
    Message,
    Offer,
    PassOn,
    Propose,
    Vote,
    WalkAway,
    action_kind,
)
from accord.protocols.base import Event, ProtocolResult, Setup
from accord.protocols.journal import Journal

__all__ = [
    "OutcomeIndex",
    "call_vote",
    "check_allowed",
    "check_awaited",
    "check_setup",
    "checked_outcome",
    "closing",
    "departure",
    "describe",
    "illegal",
    "opening",
    "outcome_data",
    "outcome_index",
    "record_votes",
    "walk_out",
    "walkers",
]


def describe(action: object) -> str:
    """A short human description of an action for error messages, e.g. ``offer ('oslo', 2)``."""
    try:
        kind = action_kind(action)  # type: ignore[arg-type]
    except KeyError:
        return f"send {action!r} (not an action)"
    if isinstance(action, Offer | Propose):
        return f"{kind} {action.outcome!r}"
    if isinstance(action, PassOn):
        return f"pass on message {action.message} to {action.to!r}"
    if isinstance(action, Message):
        return f"send a message{f' to {action.to!r}' if action.to else ''}"
    if isinstance(action, Critique):
        return "send a critique"
    return kind


def illegal(seat: str, action: object, why: str) -> ProtocolError:
    """The error for ``seat`` trying ``action``, which is illegal because ``why`` (seat and kind as data)."""
    try:
        kind: str | None = action_kind(action)  # type: ignore[arg-type]
    except KeyError:
        kind = None
    return ProtocolError(
        f"seat {seat!r} may not {describe(action)}: {why}", seat=seat, action=kind, reason=why
    )


def check_setup(setup: Setup, *, protocol: str, needs_mediator: bool) -> None:
    """Reject a setup the protocol cannot run: too few delegations, clashing seats, no rounds.

    ``needs_mediator`` is the protocol's own :attr:`~accord.protocols.base.Protocol.needs_mediator`.
    """
    if len(setup.delegations) < 2:
        raise ProtocolError(f"{protocol}: needs at least two delegations, got {list(setup.delegations)}")
    if len(set(setup.delegations)) != len(setup.delegations) or "" in setup.delegations:
        raise ProtocolError(f"{protocol}: delegation names must be distinct and non-empty")
    if setup.mediator in setup.delegations:
        raise ProtocolError(f"{protocol}: the mediator {setup.mediator!r} cannot also be a delegation")
    if needs_mediator and not setup.mediator:
        raise ProtocolError(f"{protocol}: needs a mediator seat (Setup.mediator is empty)")
    if setup.rounds < 1:
        raise ProtocolError(f"{protocol}: rounds must be at least 1, got {setup.rounds}")


def check_awaited(pending: tuple[str, ...], actions: Mapping[str, Action]) -> None:
    """Exactly the awaited seats act, each with one action object."""
    if not pending:
        raise ProtocolError("the talks are over: no seat is awaited, no action can be taken")
    for seat, action in actions.items():
        if seat not in pending:
            raise illegal(seat, action, f"it is not this seat's turn (awaited: {', '.join(pending)})")
    if len(actions) != len(pending):
        missing = [seat for seat in pending if seat not in actions]
        raise ProtocolError(f"no action from awaited seat(s) {', '.join(missing)}: each must act")


def check_allowed(seat: str, action: object, allowed: Sequence[str], *, phase: str) -> str:
    """The action's kind, if it is among ``allowed`` now."""
    try:
        kind = action_kind(action)  # type: ignore[arg-type]
    except KeyError:
        raise illegal(seat, action, "it is not an Accord action") from None
    if kind not in allowed:
        raise illegal(seat, action, f"in phase {phase!r} this seat may only {' / '.join(allowed) or 'wait'}")
    return kind


def checked_outcome(agenda: Agenda, outcome: Any, *, seat: str, action: object) -> Outcome:
    """The outcome in canonical form (the agenda's own values), if every value is on the agenda."""
    try:
        return agenda.outcome(agenda.choices_of(tuple(outcome)))
    except (KeyError, TypeError, ValueError) as error:
        reason = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        raise illegal(seat, action, str(reason)) from None


_TABLE_LIMIT = 4096
#: At most this many validated outcomes are remembered per index.
_KNOWN_LIMIT = 65536
#: Indexes of the last few agendas, by identity (protocols build one per session).
_INDEXES: dict[int, OutcomeIndex] = {}
_INDEXES_SIZE = 16
#: Held while an index is published (look-ups take no lock): threads evicting at once never collide.
_INDEXES_LOCK = threading.Lock()


def outcome_index(agenda: Agenda) -> OutcomeIndex:
    """The :class:`OutcomeIndex` of ``agenda``, shared by the sessions on the same agenda object."""
    index = _INDEXES.get(id(agenda))
    if index is None or index.agenda is not agenda:
        built = OutcomeIndex(agenda)
        with _INDEXES_LOCK:
            index = _INDEXES.get(id(agenda))
            if index is None or index.agenda is not agenda:
                while len(_INDEXES) >= _INDEXES_SIZE:
                    _INDEXES.pop(next(iter(_INDEXES)))
                index = _INDEXES[id(agenda)] = built
    return index


class OutcomeIndex:
    """Validates outcomes against an agenda with one dictionary look-up per value; built once per session.

    Discrete and integer issues of up to 4096 values get a table; others (and every
    illegal outcome, for its error message) go through :meth:`Agenda.choices_of`.
    Protocol states hold one, excluded from comparison.

    >>> from accord.domain import Agenda, DiscreteIssue, IntegerIssue, Option
    >>> index = OutcomeIndex(Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),
    ...                              IntegerIssue("days", 1, 3))))
    >>> index.choices(("oslo", 3.0), seat="north", action=None)
    (1, 2)
    >>> index.outcome(("oslo", 3.0), seat="north", action=None)
    ('oslo', 3)
    """

    __slots__ = ("_known", "_tables", "_values", "agenda")

    def __init__(self, agenda: Agenda) -> None:
        self.agenda = agenda
        # Outcomes already validated, as given → canonical: one look-up for a package seen before.
        self._known: dict[Any, Outcome] = {}
        self._values = tuple(issue.values for issue in agenda.issues)
        self._tables = tuple(
            None
            if isinstance(issue, RealIssue) or issue.size > _TABLE_LIMIT
            else {value: position for position, value in enumerate(values)}
            for issue, values in zip(agenda.issues, self._values, strict=True)
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OutcomeIndex) and other.agenda == self.agenda

    __hash__ = None  # type: ignore[assignment]

    def choices(self, outcome: Any, *, seat: str, action: object) -> tuple[int, ...]:
        """The option indices of ``outcome``; :class:`ProtocolError` naming the first bad value."""
        try:
            if len(outcome) == len(self._tables):
                choices = []
                for table, value in zip(self._tables, outcome, strict=True):
                    try:
                        position = None if table is None else table.get(value)
                    except TypeError:  # an unhashable value: let the agenda explain
                        position = None
                    if position is None:
                        break
                    choices.append(position)
                else:
                    return tuple(choices)
            return self.agenda.choices_of(tuple(outcome))
        except (KeyError, TypeError, ValueError) as error:
            reason = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
            raise illegal(seat, action, str(reason)) from None

    def outcome(self, outcome: Any, *, seat: str, action: object) -> Outcome:
        """``outcome`` in the agenda's own values, if every value is on the agenda."""
        remember = type(outcome) is tuple
        if remember:
            try:
                known = self._known.get(outcome)
            except TypeError:  # an unhashable value
                remember = False
            else:
                if known is not None:
                    return known
        choices = self.choices(outcome, seat=seat, action=action)
        canonical = tuple(values[position] for values, position in zip(self._values, choices, strict=True))
        if remember and len(self._known) < _KNOWN_LIMIT:
            self._known[outcome] = canonical
        return canonical

    def from_choices(self, choices: tuple[int, ...]) -> Outcome:
        """The outcome with these (valid) option indices."""
        return tuple(values[position] for values, position in zip(self._values, choices, strict=True))


def outcome_data(outcome: Outcome | None) -> Outcome | None:
    """An outcome as event data: a tuple (``None`` stays ``None``; :meth:`Event.to_data` makes it a list)."""
    return None if outcome is None else tuple(outcome)


def opening(journal: Journal, setup: Setup, *, protocol: str, **extra: Any) -> tuple[Journal, Event]:
    """Record the public ``opening`` event: who sits where, the deadline, protocol specifics."""
    data: dict[str, Any] = {
        "protocol": protocol,
        "delegations": setup.delegations,
        "mediator": setup.mediator,
        "rounds": setup.rounds,
    }
    data.update(extra)
    return journal.record(round=0, kind="opening", data=data)


def closing(
    journal: Journal, result: ProtocolResult, *, actor: str = "", **extra: Any
) -> tuple[Journal, Event]:
    """Record the public final event, named after ``result.reason``, carrying the result."""
    data: dict[str, Any] = {
        "reason": result.reason,
        "agreement": outcome_data(result.agreement),
        "rounds": result.rounds,
    }
    data.update(extra)
    return journal.record(round=result.rounds, kind=result.reason, actor=actor, data=data)


def walkers(seats: Sequence[str], actions: Mapping[str, Action]) -> tuple[str, ...]:
    """The seats among ``seats`` (in that order) whose action is a :class:`WalkAway`."""
    return tuple(seat for seat in seats if type(actions.get(seat)) is WalkAway)


def departure(actions: Mapping[str, Action], left: Sequence[str]) -> dict[str, Any]:
    """Event data naming the seats that ``left`` (``walkers``) and the first one's reason (``explanation``).

    A walk-away whose reason is not text is illegal.
    """
    for seat in left:
        action = actions[seat]
        if not isinstance(action, WalkAway) or type(action.reason) is not str:
            raise illegal(seat, action, "a walk-away's reason must be text")
    first = actions[left[0]]
    assert isinstance(first, WalkAway)
    return {"walkers": tuple(left), "explanation": first.reason}


def walk_out(
    journal: Journal, actions: Mapping[str, Action], left: Sequence[str], *, round: int, **extra: Any
) -> tuple[Journal, Event, ProtocolResult]:
    """Record the public ``walk-out`` that ends the talks because the seats ``left`` walked away.

    The event's actor is the first of them; its data carries :func:`departure`'s.
    """
    data = departure(actions, left)
    result = ProtocolResult(reason="walk-out", agreement=None, rounds=round)
    journal, event = closing(journal, result, actor=left[0], **data, **extra)
    return journal, event, result


def call_vote(journal: Journal, *, round: int, called_by: str, **table: Any) -> tuple[Journal, Event]:
    """Record the public ``vote-called`` event: called by the mediator's seat ``called_by``, or by
    ``"deadline"`` (then no seat is its actor); ``table`` names what is voted on (``draft=``, ``text=``).
    """
    return journal.record(
        round=round,
        kind="vote-called",
        actor="" if called_by == "deadline" else called_by,
        data={**table, "called_by": called_by},
    )


def record_votes(
    journal: Journal, setup: Setup, actions: Mapping[str, Action], *, round: int
) -> tuple[Journal, list[Event], bool]:
    """Record each delegation's :class:`Vote` in seating order, seen by the mediator and the voter only.

    Delegations that walk away cast no vote (see :func:`walk_out`). Returns the
    journal, the events and whether every vote cast was yes.
    """
    events = []
    unanimous = True
    for seat in setup.delegations:
        action = actions[seat]
        if type(action) is WalkAway:
            continue
        if not isinstance(action, Vote) or not isinstance(action.accept, bool):
            raise illegal(seat, action, "a vote must be Vote(accept=True) or Vote(accept=False)")
        unanimous = unanimous and action.accept
        journal, event = journal.record(
            round=round,
            kind="vote",
            actor=seat,
            data={"accept": action.accept},
            visible_to=frozenset((setup.mediator, seat)),
        )
        events.append(event)
    return journal, events, unanimous
