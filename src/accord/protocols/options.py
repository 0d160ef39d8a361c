"""The rules' parameters of a session: a frozen record with one documented field per setting.

Each protocol reads the settings it knows and ignores the others; a plugin
protocol keeps its own in :attr:`Options.extra`. Agents receive the same record
(``SeatContext.options``) and cannot change it.

>>> options = Options.from_mapping({"discount": 0.9, "candidates": [["oslo", 2]], "tempo": "slow"})
>>> options.discount, options.candidates, dict(options.extra)
(0.9, (('oslo', 2),), {'tempo': 'slow'})
>>> options.discount = 0.1
Traceback (most recent call last):
...
dataclasses.FrozenInstanceError: cannot assign to field 'discount'
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field, fields
from typing import Any

from accord.domain import Outcome
from accord.frozen import EMPTY, freeze, thaw

__all__ = ["Options"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """Protocol settings; ``None`` means the protocol's default.

    ``discount``: alternating offers, the discount factor ``d`` in ``(0, 1]`` announced at
    the opening; the session values an agreement reached at relative time ``t`` at
    ``u × d**t`` (a delegation's own discount, if its preferences give one, wins).
    ``candidates``: blind bidding, the public packages that may be bid for, in tie-break order.
    ``mediator_moves``: shuttle, the mediator's moves per round (default ``n**2`` for ``n`` delegations).
    ``base``: post-settlement, the id of the protocol that reaches the first agreement
    (default ``alternating-offers``). ``agreement``: post-settlement, start from this
    agreement instead. ``extra``: settings of plugin protocols, read-only.

    Values are checked by the protocols that use them (:class:`~accord.errors.ProtocolError`).
    Sequences are kept as tuples, so the record stays unchanged.
    """

    discount: float | None = None
    candidates: tuple[Outcome, ...] | None = None
    mediator_moves: int | None = None
    base: str | None = None
    agreement: Outcome | None = None
    extra: Mapping[str, Any] = field(default_factory=lambda: EMPTY)

    def __post_init__(self) -> None:
        # Lists given by hand (or read from JSON) become tuples: nothing here may change later.
        for name in ("candidates", "agreement", "extra"):
            value = getattr(self, name)
            if value is not None:
                with suppress(TypeError):  # else left as given: the protocol reading it says what is wrong
                    object.__setattr__(self, name, freeze(value))

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Options:
        """Options from ``{name: value}``; names that are not fields go to :attr:`extra`."""
        known = {item.name for item in fields(cls)} - {"extra"}
        extra = {name: value for name, value in values.items() if name not in known}
        return cls(**{name: value for name, value in values.items() if name in known}, extra=extra)

    def __deepcopy__(self, memo: dict[int, Any]) -> Options:
        return self  # immutable throughout: a copy would be the same

    def __reduce__(self) -> tuple[Any, ...]:
        return (_options, (self.to_data(),))

    def to_data(self) -> dict[str, Any]:
        """The settings that are set, as plain JSON data."""
        data = {
            item.name: thaw(getattr(self, item.name))
            for item in fields(self)
            if item.name != "extra" and getattr(self, item.name) is not None
        }
        data.update(thaw(self.extra))
        return data


def _options(data: Mapping[str, Any]) -> Options:
    return Options.from_mapping(data)
