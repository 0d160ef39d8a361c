"""Actions: what a seat can do at its turn. Frozen value objects, named as nouns.

Outcomes are plain tuples in agenda order (see :mod:`accord.domain.issues`).
Every action serialises to a plain mapping with :func:`action_to_data` and back
with :func:`action_from_data`, so a room can store and replay them. A plugin
protocol adds a kind of action of its own with :func:`register_action` (a frozen
dataclass whose fields are plain data).

>>> action_from_data(action_to_data(Offer(("geneva", 3))))
Offer(outcome=('geneva', 3))
>>> @dataclass(frozen=True, slots=True)
... class Pledge:
...     amount: int
>>> register_action("pledge", Pledge)
>>> action_to_data(Pledge(3)), action_from_data({"kind": "pledge", "amount": 3})
({'kind': 'pledge', 'amount': 3}, Pledge(amount=3))
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, TypeAlias

from accord.domain import Outcome
from accord.frozen import freeze, thaw

__all__ = [
    "Accept",
    "AcceptPackages",
    "Action",
    "CallVote",
    "Critique",
    "Message",
    "Offer",
    "PassOn",
    "Propose",
    "Reject",
    "Vote",
    "Wait",
    "WalkAway",
    "action_from_data",
    "action_kind",
    "action_to_data",
    "register_action",
]


@dataclass(frozen=True, slots=True)
class Offer:
    """A delegation puts a complete package on the table (alternating offers)."""

    outcome: Outcome


@dataclass(frozen=True, slots=True)
class Accept:
    """Accept what is on the table (the standing offer, the mediator's proposal or change)."""


@dataclass(frozen=True, slots=True)
class Reject:
    """Decline what is on the table (a veto in the single-text and post-settlement procedures)."""


@dataclass(frozen=True, slots=True)
class WalkAway:
    """Leave the talks; the session ends without agreement for everyone."""

    reason: str = ""


@dataclass(frozen=True, slots=True)
class Wait:
    """Do nothing this turn (a delegation with nothing to say in proximity talks)."""


@dataclass(frozen=True, slots=True)
class Propose:
    """The mediator puts a package (a draft, a text, a proposal) before the delegations."""

    outcome: Outcome


@dataclass(frozen=True, slots=True)
class CallVote:
    """The mediator sends the current draft to the final yes/no vote (one-text)."""


@dataclass(frozen=True, slots=True)
class Vote:
    """A delegation's yes or no in a final vote."""

    accept: bool


@dataclass(frozen=True, slots=True)
class Critique:
    """One-text criticism, private to the mediator: per issue, the option wanted and how much it matters.

    ``requests`` maps an issue to ``(preferred value, intensity in [0, 1])``.
    """

    requests: tuple[tuple[str, Any, float], ...]

    def as_mapping(self) -> dict[str, tuple[Any, float]]:
        return {issue: (value, intensity) for issue, value, intensity in self.requests}


@dataclass(frozen=True, slots=True)
class Message:
    """Proximity talks: a delegation writes to the mediator, or the mediator to one delegation.

    ``shareable`` marks what the mediator may pass on; ``offer`` is an optional package.
    ``to`` is the addressee when the mediator writes (empty for a delegation: always the mediator).
    """

    text: str = ""
    offer: Outcome | None = None
    shareable: bool = False
    to: str = ""


@dataclass(frozen=True, slots=True)
class PassOn:
    """The mediator passes a shareable message, by its number, on to one delegation."""

    message: int
    to: str


@dataclass(frozen=True, slots=True)
class AcceptPackages:
    """Blind bidding: the packages a delegation would sign, sealed."""

    outcomes: tuple[Outcome, ...]


Action: TypeAlias = (
    Offer
    | Accept
    | Reject
    | WalkAway
    | Wait
    | Propose
    | CallVote
    | Vote
    | Critique
    | Message
    | PassOn
    | AcceptPackages
)

_KINDS: dict[str, type[Any]] = {
    "offer": Offer,
    "accept": Accept,
    "reject": Reject,
    "walk-away": WalkAway,
    "wait": Wait,
    "propose": Propose,
    "call-vote": CallVote,
    "vote": Vote,
    "critique": Critique,
    "message": Message,
    "pass-on": PassOn,
    "accept-packages": AcceptPackages,
}
_NAMES = {kind: name for name, kind in _KINDS.items()}
_KEBAB = re.compile(r"^[a-z]+(-[a-z]+)*$")


def register_action(kind: str, action: type[Any]) -> None:
    """Make ``action`` (a frozen dataclass of plain-data fields) an action of kind ``kind``.

    For plugin protocols; registering the same class again (or its module reloaded) is harmless.
    ``ValueError`` for a name that is not kebab-case or already taken, or a class that
    is not a frozen dataclass.
    """
    if not _KEBAB.match(kind):
        raise ValueError(f"an action kind is kebab-case, e.g. 'make-offer'; got {kind!r}")
    if not (is_dataclass(action) and isinstance(action, type) and action.__dataclass_params__.frozen):  # type: ignore[attr-defined]
        raise ValueError(f"action {kind!r}: {action!r} is not a frozen dataclass")
    known = _KINDS.get(kind, action)
    reloaded = (known.__module__, known.__qualname__) == (action.__module__, action.__qualname__)
    if not reloaded or _NAMES.get(action, kind) != kind:
        raise ValueError(f"action {kind!r}: the kind or the class is registered already")
    _NAMES.pop(known, None)
    _KINDS[kind] = action
    _NAMES[action] = kind


def action_kind(action: Action | type[Any]) -> str:
    """The kebab-case name of an action (or action class), e.g. ``"walk-away"``; ``KeyError`` if none."""
    return _NAMES[action if isinstance(action, type) else type(action)]


def action_to_data(action: Action) -> dict[str, Any]:
    """A JSON-ready mapping: ``{"kind": ..., field: value, ...}`` (tuples as lists)."""
    data: dict[str, Any] = {"kind": action_kind(action)}
    for field in fields(action):
        data[field.name] = thaw(getattr(action, field.name))
    return data


def action_from_data(data: Mapping[str, Any]) -> Action:
    """Rebuild an action from :func:`action_to_data`'s mapping (lists as tuples).

    ``KeyError``/``TypeError`` when malformed.
    """
    kind = _KINDS[data["kind"]]
    action: Action = kind(**{key: freeze(value) for key, value in data.items() if key != "kind"})
    return action
