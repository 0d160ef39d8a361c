"""The room's record: what each kind of stored record says, validated on the way in and out.

A room is event-sourced: every fact is one record, appended in order, and the
room's state is rebuilt by folding them (:mod:`accord.room.folding`). A record is
a ``kind`` and a JSON-ready ``data`` mapping; this module names the kinds and
gives each a frozen pydantic model (unknown fields are refused), so a record
that does not say what its kind says is caught when it is read.

The kinds:

* ``room-created`` — the scenario (its file text and format, so the room is
  rebuilt from the record alone), the protocol id, the settings, the seats and
  who holds each (a person or an agent).
* ``link-issued`` / ``link-revoked`` — a member's secret link to a seat. Only
  the SHA-256 of the token is ever recorded (:func:`token_hash`), never the token.
* ``action`` — a seat's protocol action (as :func:`accord.protocols.action_to_data`
  gives it), by which member or agent, and why when the room acted for the seat
  (an agent that failed, a time limit that passed).
* ``protocol-event`` — one :class:`~accord.protocols.Event` of the protocol, as
  ``Event.to_data`` gives it; replaying the actions must reproduce them exactly.
* ``message`` — a delegation to the mediator (with its disclosure mark) or a
  member to its own team.
* ``forward`` — the mediator passing a message on, verbatim or in its own words.
* ``seat-handed`` — a seat passing from a person to an agent or back.
* ``preferences-disclosed`` — a delegation allowing (or withdrawing) the
  mediator's access to its preferences in a ``disclosed`` room.
* ``preferences-set`` — a delegation's new preferences (a scenario file's ``preferences``
  block), replacing those it had: confidential like the scenario's own.
* ``link-requested`` — the mediator revoked a seat's links (a lost laptop): the seat's
  people get a new link from the organiser, never from the mediator.
* ``text-change`` — a change to the room's negotiating text (:mod:`accord.text.changes`),
  by which seat and member; its time is the record's (a room whose protocol seats a
  mediator holds a text, drafted from the scenario when the room opens).
* ``adjourned`` / ``reconvened`` — the mediator or the organiser closing a round of
  talks (its label, e.g. ``Geneva IV``) and opening the next (``Geneva V``).

>>> record = Record.of(LinkIssued(seat="north", member="m-1", token_hash=token_hash("secret")))
>>> record.kind, record.seat, record.data["token_hash"][:12]
('link-issued', 'north', '2bb80d537b1d')
>>> parse_data("link-issued", record.data).member
'm-1'
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from accord.frozen import thaw
from accord.session import DEFAULT_TIME_LIMIT
from accord.text import Change, change_from_data, change_to_data

__all__ = [
    "DISCLOSURES",
    "ActionTaken",
    "Adjourned",
    "Disclosure",
    "LinkIssued",
    "LinkRequested",
    "LinkRevoked",
    "MessageForwarded",
    "MessageSent",
    "PreferencesDisclosed",
    "PreferencesSet",
    "ProcessCondition",
    "ProcessLink",
    "ProtocolEvent",
    "Reconvened",
    "Record",
    "RecordData",
    "RoomCreated",
    "ScenarioText",
    "SeatHanded",
    "SeatHolder",
    "Settings",
    "Stored",
    "TextChanged",
    "parse_data",
    "token_hash",
    "token_matches",
]

#: The disclosure marks a delegation puts on a message to the mediator.
DISCLOSURES = ("mediator-only", "attributed", "unattributed")

Disclosure = Literal["mediator-only", "attributed", "unattributed"]


def token_hash(token: str) -> str:
    """The SHA-256 of a link's token, in hex: the only form in which a token is recorded.

    >>> len(token_hash("any token"))
    64
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, recorded_hash: str) -> bool:
    """Whether ``token`` is the one whose hash was recorded, compared in constant time.

    >>> token_matches("secret", token_hash("secret")), token_matches("guess", token_hash("secret"))
    (True, False)
    """
    return hmac.compare_digest(token_hash(token).encode("ascii"), recorded_hash.encode("ascii"))


class RecordData(BaseModel):
    """Base of every record's data: frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: ClassVar[str]

    def to_data(self) -> dict[str, Any]:
        """The JSON-ready mapping stored in the record."""
        return self.model_dump(mode="json")


class ScenarioText(BaseModel):
    """The scenario exactly as it was given: its text and its format."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    format: str
    text: str


class SeatHolder(BaseModel):
    """Who holds a seat: a ``person`` (through links) or an ``agent`` (its registered id)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    holder: Literal["person", "agent"]
    agent: str | None = None


class Settings(BaseModel):
    """The room's settings.

    ``preferences``: what the mediator holds (``all`` or ``disclosed``).
    ``round_seconds``: how long an awaited person has to act (``None``: no limit).
    ``rounds``: the protocol's deadline. ``seed``: the agents' seed.
    ``time_limit``: seconds an agent may take for one call.
    ``edit_preferences``: when a delegation may change its preferences: ``before`` the talks
    (until the first action is recorded) or ``during`` them too (until they end).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")
    preferences: Literal["all", "disclosed"] = "all"
    round_seconds: float | None = Field(default=None, gt=0)
    rounds: int = Field(default=100, ge=1)
    seed: int = Field(default=0, ge=0)
    time_limit: float = Field(default=DEFAULT_TIME_LIMIT, gt=0)
    edit_preferences: Literal["before", "during"] = "before"
    #: The first round's label (``Geneva IV``); empty: ``Round 1``.
    round: str = Field(default="", max_length=200)


class ProcessCondition(BaseModel):
    """``issue`` in ``track`` cannot be agreed before ``requires_issue`` in ``requires_track`` is."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    track: str
    issue: str
    requires_track: str
    requires_issue: str
    reason: str = ""


class ProcessLink(BaseModel):
    """The process a room belongs to: its id and name, the room's track, every track's room, the
    conditions tying the tracks, and each linked party's seats (track → delegation) and stated weights."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    name: str
    track: str
    rooms: dict[str, str]
    conditions: tuple[ProcessCondition, ...] = ()
    parties: dict[str, dict[str, str]] = Field(default_factory=dict)
    #: The weights the process file states for a linked party's tracks (party → track → weight);
    #: a party not named weighs each of its seats 1.
    weights: dict[str, dict[str, float]] = Field(default_factory=dict)


class RoomCreated(RecordData):
    """The room: scenario, protocol, settings, and the seats in order (mediator first) with their holders."""

    kind: ClassVar[str] = "room-created"
    scenario: ScenarioText
    protocol: str
    settings: Settings
    mediator: str
    delegations: tuple[str, ...]
    holders: dict[str, SeatHolder]
    process: ProcessLink | None = None


class LinkIssued(RecordData):
    """A member's link to a seat; a member that had one gets a new one (the old stops working)."""

    kind: ClassVar[str] = "link-issued"
    seat: str
    member: str
    token_hash: str = Field(pattern=r"^[0-9a-f]{64}$")


class LinkRevoked(RecordData):
    """A member's link stops working."""

    kind: ClassVar[str] = "link-revoked"
    seat: str
    member: str


class ActionTaken(RecordData):
    """A seat's protocol action, by a member (a person), an agent, or the room (``member``, ``agent`` empty).

    ``note`` says why the room acted for the seat (an agent's failure, a time limit).
    """

    kind: ClassVar[str] = "action"
    seat: str
    member: str = ""
    agent: str = ""
    action: dict[str, Any]
    note: str = ""


class ProtocolEvent(RecordData):
    """One protocol event, as ``Event.to_data`` gives it."""

    kind: ClassVar[str] = "protocol-event"
    event: dict[str, Any]


class MessageSent(RecordData):
    """A delegation to the mediator (``to="mediator"``, with a mark) or a member to its team (``"team"``)."""

    kind: ClassVar[str] = "message"
    id: str
    seat: str
    member: str
    to: Literal["mediator", "team"]
    text: str
    disclosure: Disclosure | None = None


class MessageForwarded(RecordData):
    """The mediator passes message ``source`` on to ``to``: verbatim, or as ``text`` in its own words.

    ``id`` is fresh: nothing the recipients receive carries the source's id.
    """

    kind: ClassVar[str] = "forward"
    id: str
    source: str
    seat: str
    member: str
    to: tuple[str, ...]
    text: str
    verbatim: bool


class SeatHanded(RecordData):
    """A seat passes to a person or an agent; ``by`` names the seat that did it (``""``: the organiser)."""

    kind: ClassVar[str] = "seat-handed"
    seat: str
    holder: SeatHolder
    by: str = ""


class PreferencesDisclosed(RecordData):
    """A delegation allows (``disclosed``) or withdraws the mediator's access to its preferences."""

    kind: ClassVar[str] = "preferences-disclosed"
    seat: str
    member: str
    disclosed: bool


class PreferencesSet(RecordData):
    """A delegation's new preferences, in a scenario file's ``preferences`` form (checked on the agenda)."""

    kind: ClassVar[str] = "preferences-set"
    seat: str
    member: str
    preferences: dict[str, Any]


class LinkRequested(RecordData):
    """The mediator revoked every link of ``seat``; its people await a new one from the organiser."""

    kind: ClassVar[str] = "link-requested"
    seat: str
    by: str


class TextChanged(RecordData):
    """A change to the room's text: ``change`` is its kind and fields as :func:`accord.text.change_to_data`
    gives them, without ``seat`` (the record's) and ``time`` (the record's own time), each wording
    as ``[language, text]`` pairs, the original first (stored JSON sorts a mapping's keys).

    >>> from accord.text import Propose, Wording
    >>> record = TextChanged.of(Propose(seat="north", paragraph="venue", wording=Wording.of("Oslo.")), "m-1")
    >>> record.change
    {'kind': 'propose', 'paragraph': 'venue', 'wording': [['en', 'Oslo.']]}
    >>> record.text_change("2017-02-23T09:00:00+00:00").time
    '2017-02-23T09:00:00+00:00'
    """

    kind: ClassVar[str] = "text-change"
    seat: str
    member: str = ""
    change: dict[str, Any]

    @classmethod
    def of(cls, change: Change, member: str) -> TextChanged:
        """The record's data for ``change`` made by ``member`` of its seat."""
        data = change_to_data(change)
        data.pop("seat")
        data.pop("time", None)
        if isinstance(data.get("wording"), dict):
            data["wording"] = [[language, text] for language, text in data["wording"].items()]
        return cls(seat=change.seat, member=member, change=data)

    def text_change(self, time: str) -> Change:
        """The change, made at ``time``; ``ValueError`` when the data is not a change."""
        if "seat" in self.change or "time" in self.change:
            raise ValueError("the change names its seat and time outside it")
        try:
            return change_from_data({**self.change, "seat": self.seat, "time": time})
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"not a change to the text: {error!r}") from None

    @model_validator(mode="after")
    def _a_change(self) -> TextChanged:
        self.text_change("")
        return self


class Adjourned(RecordData):
    """The round ``round`` closes; ``by`` names the seat that adjourned the talks (``""``: the organiser)."""

    kind: ClassVar[str] = "adjourned"
    round: str
    by: str = ""


class Reconvened(RecordData):
    """The talks reconvene for the round ``round``; ``by`` as for :class:`Adjourned`."""

    kind: ClassVar[str] = "reconvened"
    round: str = Field(min_length=1, max_length=200)
    by: str = ""


_MODELS: dict[str, type[RecordData]] = {
    model.kind: model
    for model in (
        RoomCreated,
        LinkIssued,
        LinkRevoked,
        ActionTaken,
        ProtocolEvent,
        MessageSent,
        MessageForwarded,
        SeatHanded,
        PreferencesDisclosed,
        PreferencesSet,
        LinkRequested,
        TextChanged,
        Adjourned,
        Reconvened,
    )
}


def parse_data(kind: str, data: Mapping[str, Any]) -> RecordData:
    """The validated data of a record of ``kind``; ``ValueError`` naming the kind and the problem."""
    model = _MODELS.get(kind)
    if model is None:
        raise ValueError(f"unknown record kind {kind!r}")
    try:
        return model.model_validate(thaw(data))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(data)"
        raise ValueError(f"{kind}: {where}: {first['msg']}") from None


@dataclass(frozen=True, slots=True)
class Record:
    """A record the rules decided to append: its kind, its data and the seat it concerns."""

    kind: str
    data: Mapping[str, Any] = field(default_factory=dict)
    seat: str = ""

    @classmethod
    def of(cls, data: RecordData) -> Record:
        """The record carrying ``data`` (its seat taken from the data when it names one)."""
        return cls(data.kind, data.to_data(), str(getattr(data, "seat", "")))


class Stored(Protocol):
    """What the room reads back from a store: a record with its number and time (a structural type).

    :class:`accord.store.StoredRecord` has these attributes; so may a test's stand-in.
    ``created_at`` is ISO 8601 UTC.
    """

    @property
    def seq(self) -> int: ...

    @property
    def kind(self) -> str: ...

    @property
    def data(self) -> Mapping[str, Any]: ...

    @property
    def seat(self) -> str: ...

    @property
    def created_at(self) -> str: ...
