"""The shapes of the HTTP API's requests and responses (pydantic), as ``/openapi.json`` declares them.

>>> MessageRequest(text="We could live with a later date.", disclosure="attributed").to
'mediator'
>>> Refusal(error="not your turn").model_dump()
{'error': 'not your turn'}
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from accord.text import Part, Wording
from accord.text.change_kinds import KINDS

__all__ = [
    "ERROR_RESPONSES",
    "EXPORT_TYPES",
    "TEXT_CHANGE_MODELS",
    "ActionRequest",
    "Created",
    "DisclosureRequest",
    "ForwardRequest",
    "HolderRequest",
    "Link",
    "LinkRequested",
    "MessageCreated",
    "MessageRequest",
    "PreferencesRequest",
    "Refusal",
    "Result",
    "RoundRequest",
    "TextAlternative",
    "TextChangeRequest",
    "TextParagraph",
    "TextView",
    "Turn",
    "View",
]


class Refusal(BaseModel):
    """Every error answer: one line saying why."""

    error: str


#: The error answers every room route may give, declared so that clients and schemathesis know them.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": Refusal, "description": "The body could not be read (not JSON)."},
    401: {"model": Refusal, "description": "No token, or a bad or revoked one."},
    403: {"model": Refusal, "description": "This seat may not do that (or a cross-origin request)."},
    404: {"model": Refusal, "description": "No such room, seat or message for this seat."},
    409: {"model": Refusal, "description": "Refused by the room's rules (illegal, out of turn, ended)."},
    422: {"model": Refusal, "description": "The request is malformed."},
    429: {"model": Refusal, "description": "Too many bad tokens from this address."},
}


class ActionRequest(BaseModel):
    """A protocol action in the form of ``accord.protocols.action_to_data``: ``{"kind": ..., field: ...}``."""

    model_config = ConfigDict(extra="allow")

    kind: str = Field(description="The action's kind, e.g. `offer`, `critique`, `vote`, `walk-away`.")


class Created(BaseModel):
    """What was appended to the record, by its sequence number."""

    seq: int


class MessageRequest(BaseModel):
    """A delegation writes to the mediator (with a disclosure mark), or a member to its team."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20_000)
    disclosure: Literal["mediator-only", "attributed", "unattributed"] | None = Field(
        default=None, description="Required towards the mediator; ignored on team messages."
    )
    to: Literal["mediator", "team"] = "mediator"


class MessageCreated(BaseModel):
    """The new message's id and where it sits in the record."""

    id: str
    seq: int


class ForwardRequest(BaseModel):
    """The mediator passes a message on: verbatim (within its mark) or as a paraphrase."""

    model_config = ConfigDict(extra="forbid")

    to: list[str] = Field(min_length=1)
    paraphrase: str | None = Field(default=None, min_length=1, max_length=20_000)


class HolderRequest(BaseModel):
    """Hand a seat to an agent (a registered agent id) or back to its people."""

    model_config = ConfigDict(extra="forbid")

    holder: Literal["person", "agent"]
    agent: str | None = None


class Turn(BaseModel):
    """Whether the seat must act now, the kinds of action it may take, since when, and the time limit."""

    model_config = ConfigDict(extra="allow")

    must_act: bool
    allowed: list[str]
    since: str | None = None
    round_seconds: float | None = None


class Result(BaseModel):
    """How the talks ended: the reason, the agreement (issue → option) if any, and the rounds played."""

    model_config = ConfigDict(extra="allow")

    reason: str
    agreement: dict[str, Any] | None
    rounds: int


class View(BaseModel):
    """Everything one seat may see now (built by the room's one choke point, ``seat_view``)."""

    model_config = ConfigDict(extra="allow")

    room: str
    seq: int = Field(description="The last record this view reflects.")
    seat: str
    member: str
    role: Literal["mediator", "delegation", "observer"]
    holder: dict[str, Any] | None
    protocol: dict[str, Any]
    seats: dict[str, Any]
    agenda: dict[str, Any] = Field(description="The issues with their options and clause text.")
    preferences: dict[str, Any] = Field(description="The seat's own; the mediator's per the room setting.")
    turn: Turn
    events: list[dict[str, Any]] = Field(description="The protocol events the seat may see, each with `seq`.")
    messages: list[dict[str, Any]]
    result: Result | None


class RoundRequest(BaseModel):
    """The label of the round the talks reconvene for (``Geneva V``)."""

    model_config = ConfigDict(extra="forbid")

    round: str = Field(min_length=1, max_length=200)


class DisclosureRequest(BaseModel):
    """Whether the mediator may see this delegation's preferences (rooms with ``preferences: disclosed``)."""

    model_config = ConfigDict(extra="forbid")

    disclosed: bool


class Link(BaseModel):
    """A member's new link token, shown once, to that member only."""

    seat: str
    token: str


class PreferencesRequest(BaseModel):
    """A delegation's new preferences: a party's ``preferences`` block of a scenario file (``weights``,
    ``values``, ``reservation``, ``red_lines``…), checked as a file's would be; a refusal names the field."""

    model_config = ConfigDict(extra="forbid")

    preferences: dict[str, Any]


class LinkRequested(BaseModel):
    """The seat's links were revoked; its new link is issued by the organiser and given to no one here."""

    seq: int
    collect: str = Field(description="Where the seat's people get their new link.")


# ------------------------------------------------------------------------------------------- the text

_Key = Annotated[str, Field(min_length=1, max_length=200)]
_Long = Annotated[str, Field(min_length=1, max_length=20_000)]
#: How a change's field of each type is sent: a wording as ``{language: text}``, the original first.
_FIELD_TYPES: dict[Any, Any] = {
    Wording: dict[_Key, _Long],
    Part: Literal["preamble", "operative"],
    str: _Key,
    str | None: _Key | None,
    int: Annotated[int, Field(ge=1)],
    float: Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)],
}
_LONG_FIELDS = {"text"}


def _change_model(kind: str, change: type[Any]) -> type[BaseModel]:
    """The request body of one kind of text change, made from the change's own fields (so the API and
    the text never disagree on them): every field but ``seat`` and ``time``, which are the room's."""
    hints = typing.get_type_hints(change)
    fields: dict[str, Any] = {"kind": (Literal[kind], ...)}
    for item in dataclasses.fields(change):
        if item.name in ("seat", "time"):
            continue
        annotation = _Long if item.name in _LONG_FIELDS else _FIELD_TYPES[hints[item.name]]
        default = ... if item.default is dataclasses.MISSING else item.default
        fields[item.name] = (annotation, default)
    name = "".join(part.capitalize() for part in kind.split("-")) + "Change"
    model: type[BaseModel] = create_model(
        name, __config__=ConfigDict(extra="forbid"), __doc__=change.__doc__, **fields
    )
    return model


#: One request model per kind of text change (``accord.text.changes.KINDS``), told apart by ``kind``.
TEXT_CHANGE_MODELS = tuple(_change_model(kind, change) for kind, change in KINDS.items())

if typing.TYPE_CHECKING:
    TextChangeRequest = BaseModel
else:
    TextChangeRequest = Annotated[
        functools.reduce(operator.or_, TEXT_CHANGE_MODELS), Field(discriminator="kind")
    ]


class TextAlternative(BaseModel):
    """One wording of a paragraph: each language's text, who proposed it, who supports it."""

    model_config = ConfigDict(extra="allow")

    key: str
    wording: list[dict[str, str]] = Field(description="`{language, text, direction}`, the original first.")
    proposer: str
    supporters: list[str]
    option: str | None = Field(description="The scenario option it stands for; none: unscored.")
    bridging: bool


class TextParagraph(BaseModel):
    """A paragraph: its number, status, the chosen alternative once agreed, and its alternatives."""

    model_config = ConfigDict(extra="allow")

    key: str
    number: str
    part: Literal["preamble", "operative"]
    status: Literal["bracketed", "agreed ad referendum", "agreed"]
    chosen: str | None
    linked: list[str]
    alternatives: list[TextAlternative]


class TextView(BaseModel):
    """The room's text as this seat may see it: the document, the seat's part of the private side
    (comments, proposals, scores), and each alternative's worth to the delegations the seat holds."""

    model_config = ConfigDict(extra="allow")

    title: str
    revision: int
    paragraphs: list[TextParagraph]
    acceptances: list[str]
    adopted: bool
    revisions: list[dict[str, Any]]
    comments: list[dict[str, Any]]
    proposals: list[dict[str, Any]]
    scores: list[dict[str, Any]]
    worth: dict[str, dict[str, dict[str, dict[str, Any]]]]


#: The media type of each export format.
EXPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}
