"""Actions: what a seat can do at its turn. Frozen value objects, named as nouns.

Outcomes are plain tuples in agenda order (see :mod:`accord.domain.issues`).
Every action serialises to a plain mapping with :func:`action_to_data` and back
with :func:`action_from_data`, so a room can store and replay them.

>>> action_from_data(action_to_data(Offer(("geneva", 3))))
Offer(outcome=('geneva', 3))
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, TypeAlias

from accord.domain import Outcome

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


def action_kind(action: Action | type[Any]) -> str:
    """The kebab-case name of an action (or action class), e.g. ``"walk-away"``."""
    return _NAMES[action if isinstance(action, type) else type(action)]


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def action_to_data(action: Action) -> dict[str, Any]:
    """A JSON-ready mapping: ``{"kind": ..., field: value, ...}``."""
    data: dict[str, Any] = {"kind": action_kind(action)}
    for field in fields(action):
        data[field.name] = _plain(getattr(action, field.name))
    return data


def _outcome(value: Any) -> Outcome:
    return tuple(value)


def action_from_data(data: Mapping[str, Any]) -> Action:
    """Rebuild an action from :func:`action_to_data`'s mapping; ``KeyError``/``TypeError`` when malformed."""
    kind = _KINDS[data["kind"]]
    values = {key: value for key, value in data.items() if key != "kind"}
    if kind in (Offer, Propose):
        values["outcome"] = _outcome(values["outcome"])
    elif kind is Message and values.get("offer") is not None:
        values["offer"] = _outcome(values["offer"])
    elif kind is AcceptPackages:
        values["outcomes"] = tuple(_outcome(item) for item in values["outcomes"])
    elif kind is Critique:
        values["requests"] = tuple(tuple(item) for item in values["requests"])
    action: Action = kind(**values)
    return action
