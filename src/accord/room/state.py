"""The room's state: what the room knows as of a record, and the values it is made of.

:class:`RoomState` is never changed once built; :func:`accord.room.folding.fold`
builds the next one from the records that follow (the protocol's state replayed
from the recorded actions, each stored protocol event checked against the replay).
Actions of seats awaited together wait in :attr:`RoomState.submitted` until the
last of them arrives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from accord.domain import Role, Scenario
from accord.protocols import Action, Event, Protocol, ProtocolResult, Setup
from accord.room.records import (
    RecordData,
    RoomCreated,
    SeatHolder,
    Stored,
)
from accord.text import Change, History, Revision

__all__ = [
    "IDLE",
    "OBSERVERS",
    "Forwarded",
    "Link",
    "RoomMessage",
    "RoomState",
    "Submitted",
    "TextNote",
    "Turn",
]

#: The seat every observer's link opens: it sees only events visible to everyone.
OBSERVERS = "observers"


@dataclass(frozen=True, slots=True)
class Submitted:
    """An action waiting for the other seats the protocol awaits in the same step."""

    seq: int
    action: Action
    data: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Link:
    """A member's link to a seat (only the token's hash is known)."""

    seat: str
    member: str
    token_hash: str
    active: bool


@dataclass(frozen=True, slots=True)
class RoomMessage:
    """A message to the mediator (``to="mediator"``, with its mark) or to its author's team (``"team"``)."""

    id: str
    seq: int
    at: str
    seat: str
    member: str
    to: str
    text: str
    disclosure: str | None


@dataclass(frozen=True, slots=True)
class Forwarded:
    """A message the mediator passed on. ``author`` is the source's seat only when recipients may see it
    (a verbatim forward of an ``attributed`` message); ``source`` is for the mediator alone."""

    id: str
    seq: int
    at: str
    source: str
    seat: str
    member: str
    to: tuple[str, ...]
    text: str
    verbatim: bool
    author: str | None


@dataclass(frozen=True, slots=True)
class Turn:
    """Whether a seat must act now, and the kinds of action it may take."""

    must_act: bool
    allowed: tuple[str, ...] = ()

    def to_data(self) -> dict[str, Any]:
        return {"must_act": self.must_act, "allowed": list(self.allowed)}


@dataclass(frozen=True, slots=True)
class TextNote:
    """What a ``text-change`` record did to the room's text: the ``change`` (at the record's time), the
    ``revision`` it made (``None``: it changed only the private side, or accepted the whole), the seats
    that may know of it (``witnesses``; ``None``: every seat) and whether it ``adopted`` the text."""

    change: Change
    revision: Revision | None
    witnesses: frozenset[str] | None
    adopted: bool = False


#: The turn of a seat that is not awaited.
IDLE = Turn(False)


@dataclass(frozen=True, slots=True, kw_only=True)
class RoomState:
    """Everything the room knows, as of record :attr:`last_seq`. Never changed once built.

    ``events``: each protocol event with the ``seq`` of the record that carried it.
    ``steps``: each completed step's actions (seat → action data), for replay checks.
    ``turns``: at each record where some seat's turn changed, that seat's new :class:`Turn`.
    ``turn_started``: when the seats awaited now began to be awaited (ISO 8601).
    ``handed``: the ``seq`` of each seat's last hand-over. ``preferences``: each delegation's
    confidential preferences in the scenario file's form (for :mod:`accord.room.views` alone), as
    last set; ``scenario`` holds the same. ``preferences_set``: the ``seq`` of each delegation's last
    ``preferences-set``; ``shared_preferences``: the ``seq`` of each ``preferences-set`` the mediator
    held when it was recorded. ``started``: whether an action was recorded (the talks began).
    ``link_requests``: the seats whose links the mediator revoked, awaiting a new one from the
    organiser (the ``seq`` of the request).
    ``parsed``: each record's data as the fold validated it (``parsed[i]`` is ``records[i]``'s),
    so that the views do not parse a record again for every seat that reads it.
    ``text``: the negotiating text's history (Rev.0 drafted from the scenario when the room opened,
    then every recorded change), in rooms whose protocol seats a mediator; ``None`` in the others.
    ``text_notes``: what each ``text-change`` record did, by its ``seq``.
    """

    room: str
    created: RoomCreated
    scenario: Scenario
    protocol: Protocol[Any]
    setup: Setup
    protocol_state: Any = field(repr=False)
    records: tuple[Stored, ...] = field(repr=False)
    parsed: tuple[RecordData, ...] = field(repr=False)
    events: tuple[tuple[int, Event], ...] = field(repr=False)
    steps: tuple[Mapping[str, Mapping[str, Any]], ...] = field(repr=False)
    submitted: Mapping[str, Submitted]
    holders: Mapping[str, SeatHolder]
    links: Mapping[str, Link] = field(repr=False)
    messages: Mapping[str, RoomMessage] = field(repr=False)
    forwards: Mapping[str, Forwarded] = field(repr=False)
    disclosed: frozenset[str]
    turns: Mapping[int, Mapping[str, Turn]] = field(repr=False)
    turn_started: str
    unconfirmed: tuple[Event, ...] = field(default=(), repr=False)
    step_turns: Mapping[str, Turn] = field(default_factory=dict, repr=False)
    handed: Mapping[str, int] = field(default_factory=dict, repr=False)
    preferences: Mapping[str, Mapping[str, Any]] = field(default_factory=dict, repr=False)
    preferences_set: Mapping[str, int] = field(default_factory=dict, repr=False)
    shared_preferences: frozenset[int] = field(default=frozenset(), repr=False)
    started: bool = False
    link_requests: Mapping[str, int] = field(default_factory=dict, repr=False)
    text: History | None = field(default=None, repr=False)
    text_notes: Mapping[int, TextNote] = field(default_factory=dict, repr=False)

    @property
    def last_seq(self) -> int:
        return self.records[-1].seq if self.records else 0

    @property
    def seats(self) -> tuple[str, ...]:
        """The protocol's seats (mediator first, when there is one), without the observers."""
        return self.setup.seats

    @property
    def mediator(self) -> str:
        return self.setup.mediator

    def role_of(self, seat: str) -> Role:
        """The seat's role; ``KeyError`` for a seat not in this room."""
        if seat == OBSERVERS:
            return Role.OBSERVER
        if seat and seat == self.setup.mediator:
            return Role.MEDIATOR
        if seat in self.setup.delegations:
            return Role.DELEGATION
        raise KeyError(seat)

    @property
    def pending(self) -> tuple[str, ...]:
        """The seats the protocol awaits now (those that already acted in this step included)."""
        return tuple(self.protocol.pending(self.protocol_state))

    @property
    def awaited(self) -> tuple[str, ...]:
        """The seats that must still act before the protocol can take its next step."""
        return tuple(seat for seat in self.pending if seat not in self.submitted)

    def turn(self, seat: str) -> Turn:
        """Whether ``seat`` must act now and what it may do."""
        if seat not in self.awaited:
            return IDLE
        return Turn(True, tuple(self.protocol.observe(self.protocol_state, seat).allowed))

    @property
    def result(self) -> ProtocolResult | None:
        return self.protocol.result(self.protocol_state)

    def mediator_holds(self, delegation: str) -> bool:
        """Whether the mediator holds ``delegation``'s preferences now (``all``, or disclosed to it)."""
        return self.created.settings.preferences == "all" or delegation in self.disclosed

    def preferences_editable(self) -> str | None:
        """Why a delegation may not change its preferences now, or ``None`` when it may."""
        if self.result is not None:
            return "the talks are over"
        if self.started and self.created.settings.edit_preferences != "during":
            return "the talks have begun, and this room lets preferences change only before them"
        return None

    def members(self, seat: str) -> tuple[str, ...]:
        """The members holding an active link to ``seat``."""
        return tuple(link.member for link in self.links.values() if link.seat == seat and link.active)
