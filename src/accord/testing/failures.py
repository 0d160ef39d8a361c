"""How a conformance check fails: :class:`ConformanceError`, naming where (:class:`Where`) and what.

>>> where = Where("haggling-v1", setup="bilateral", seed=3).at(step=7, seat="north")
>>> str(where)
"protocol 'haggling-v1', setup 'bilateral', seed 3, step 7, seat 'north'"
>>> error = ConformanceError("accepted a vote though only offer is allowed", where=where)
>>> error.where.seat, error.reason
('north', 'accepted a vote though only offer is allowed')
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, NoReturn

__all__ = ["ConformanceError", "Where"]


@dataclass(frozen=True, slots=True)
class Where:
    """Where a check looked: the protocol (or agent), the setup, the seed, the step and the seat.

    ``step`` *n* is the state after *n* calls to :meth:`~accord.protocols.Protocol.step`
    (0: the opening) and the call made from it, numbered as
    :func:`~accord.protocols.replay.replay` numbers steps. A field left ``None`` or
    empty does not apply.
    """

    subject: str
    setup: str = ""
    seed: int | None = None
    step: int | None = None
    seat: str | None = None
    kind: str = "protocol"

    def at(self, **changes: Any) -> Where:
        """The same place with some fields changed (``step=``, ``seat=`` …)."""
        return replace(self, **changes)

    def fail(self, reason: str) -> NoReturn:
        """Raise :class:`ConformanceError` here."""
        raise ConformanceError(reason, where=self)

    def __str__(self) -> str:
        parts = [f"{self.kind} {self.subject!r}"]
        if self.setup:
            parts.append(f"setup {self.setup!r}")
        if self.seed is not None:
            parts.append(f"seed {self.seed}")
        if self.step is not None:
            parts.append(f"step {self.step}")
        if self.seat is not None:
            parts.append(f"seat {self.seat!r}")
        return ", ".join(parts)


class ConformanceError(AssertionError):
    """An agent or protocol broke the contract: the message names where (``where``) and why (``reason``)."""

    def __init__(self, reason: str, *, where: Where | None = None) -> None:
        super().__init__(reason if where is None else f"{where}: {reason}")
        self.reason = reason
        self.where = where
