"""What a change to a negotiating text is: its kinds, who may make each, and its plain-data form.

Each change is a frozen dataclass naming the ``seat`` that makes it and its ``time`` (given by
the caller); :data:`KINDS` names them as files and errors write them; :func:`author_role` says
who may make a kind; :func:`change_to_data` and :func:`change_from_data` are the plain-data
form files and the room store. The rule that applies a change is :func:`accord.text.changes.apply`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.text.model import Part, Wording

__all__ = [
    "KINDS",
    "PRIVATE",
    "Accept",
    "AddAlternative",
    "AddParagraph",
    "AgreeAdReferendum",
    "Change",
    "CommentOn",
    "Confirm",
    "DeclineProposal",
    "EnterProposal",
    "Link",
    "Propose",
    "Reopen",
    "Score",
    "Support",
    "Translate",
    "author_role",
    "change_from_data",
    "change_to_data",
    "kind_of",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class _Change:
    seat: str
    time: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class AddParagraph(_Change):
    """The mediator adds a paragraph in its own wording (after ``after``, or at its part's end)."""

    paragraph: str
    part: Part
    wording: Wording
    title: str = ""
    after: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AddAlternative(_Change):
    """The mediator brackets a paragraph's language with bridging wording of its own."""

    paragraph: str
    alternative: str
    wording: Wording
    option: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Propose(_Change):
    """A delegation proposes wording for a paragraph (``option``: the scenario option it stands for)."""

    paragraph: str
    wording: Wording
    option: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class EnterProposal(_Change):
    """The mediator enters ``proposer``'s pending proposal number ``proposal`` as an alternative
    (keyed ``alternative``) in its paragraph."""

    proposer: str
    proposal: int
    alternative: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclineProposal(_Change):
    """The mediator declines ``proposer``'s pending proposal number ``proposal``; it never enters the text."""

    proposer: str
    proposal: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Support(_Change):
    """A delegation supports an alternative of a bracketed paragraph."""

    paragraph: str
    alternative: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AgreeAdReferendum(_Change):
    """The mediator records an alternative as agreed by the delegations present, subject to capitals."""

    paragraph: str
    alternative: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Confirm(_Change):
    """The mediator records that capitals confirmed a paragraph agreed ad referendum: it is agreed."""

    paragraph: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Reopen(_Change):
    """The mediator or a delegation reopens an agreed (or ad referendum) paragraph."""

    paragraph: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Link(_Change):
    """The mediator declares two paragraphs linked: reopening one returns the other to ad referendum."""

    paragraph: str
    other: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Translate(_Change):
    """The mediator gives an alternative's wording in another language."""

    paragraph: str
    alternative: str
    language: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CommentOn(_Change):
    """A delegation's private comment on a paragraph, to the mediator only."""

    paragraph: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Score(_Change):
    """A delegation scores an unscored alternative in its own preferences (value in [0, 1])."""

    paragraph: str
    alternative: str
    value: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Accept(_Change):
    """A delegation accepts the whole text as it stands (only once every paragraph is agreed)."""


Change = (
    AddParagraph
    | AddAlternative
    | Propose
    | EnterProposal
    | DeclineProposal
    | Support
    | AgreeAdReferendum
    | Confirm
    | Reopen
    | Link
    | Translate
    | CommentOn
    | Score
    | Accept
)

#: Each change's kind as it is written in files and errors.
KINDS: Mapping[str, type[_Change]] = {
    "add-paragraph": AddParagraph,
    "add-alternative": AddAlternative,
    "propose": Propose,
    "enter-proposal": EnterProposal,
    "decline-proposal": DeclineProposal,
    "support": Support,
    "agree-ad-referendum": AgreeAdReferendum,
    "confirm": Confirm,
    "reopen": Reopen,
    "link": Link,
    "translate": Translate,
    "comment": CommentOn,
    "score": Score,
    "accept": Accept,
}
_KIND_OF = {cls: kind for kind, cls in KINDS.items()}

#: Changes that concern the private side only: seen by the seat that made them and the mediator.
PRIVATE = (Propose, DeclineProposal, CommentOn, Score)


def kind_of(change: Change) -> str:
    return _KIND_OF[type(change)]


_MEDIATOR_ONLY = (
    AddParagraph,
    AddAlternative,
    EnterProposal,
    DeclineProposal,
    AgreeAdReferendum,
    Confirm,
    Link,
    Translate,
)
_DELEGATION_ONLY = (Propose, Support, CommentOn, Score, Accept)


def author_role(change: Change | type[_Change]) -> str:
    """Who may make a change of this kind: ``"mediator"``, ``"delegation"`` or ``"either"``.

    >>> author_role(Support), author_role(Link), author_role(Reopen)
    ('delegation', 'mediator', 'either')
    """
    kind = change if isinstance(change, type) else type(change)
    if issubclass(kind, _MEDIATOR_ONLY):
        return "mediator"
    if issubclass(kind, _DELEGATION_ONLY):
        return "delegation"
    return "either"


def change_to_data(change: Change) -> dict[str, Any]:
    """A change as plain data (``kind`` first; wordings as ``{language: text}``)."""
    data: dict[str, Any] = {"kind": kind_of(change)}
    for item in dataclasses.fields(change):
        value = getattr(change, item.name)
        if isinstance(value, Wording):
            value = dict(value.versions)
        elif isinstance(value, Part):
            value = value.value
        if value is not None:
            data[item.name] = value
    return data


def change_from_data(data: Mapping[str, Any]) -> Change:
    """The change :func:`change_to_data` wrote; ``KeyError``/``TypeError``/``ValueError`` when malformed."""
    if data["kind"] not in KINDS:
        raise ValueError(f"no change is of kind {data['kind']!r} (the kinds: {', '.join(KINDS)})")
    cls = KINDS[data["kind"]]
    fields: dict[str, Any] = {}
    for name, value in data.items():
        if name == "kind":
            continue
        if name == "wording":
            value = Wording(tuple((str(language), str(text)) for language, text in dict(value).items()))
        elif name == "part":
            value = Part(value)
        fields[name] = value
    kind = f"a {data['kind']}" if data["kind"][0] not in "aeiou" else f"an {data['kind']}"
    known = [item.name for item in dataclasses.fields(cls)]
    unknown = [name for name in fields if name not in known]
    if unknown:
        raise TypeError(f"{kind} has no field {unknown[0]!r} (its fields: {', '.join(known)})")
    needed = [
        item.name
        for item in dataclasses.fields(cls)
        if item.name not in fields
        and item.default is dataclasses.MISSING
        and item.default_factory is dataclasses.MISSING
    ]
    if needed:
        raise TypeError(f"{kind} needs {needed[0]!r}")
    change: Change = cls(**fields)  # type: ignore[assignment]
    return change
