"""Counted nouns in the command line's sentences: ``1 session``, ``2 sessions``, ``1,280 outcomes``.

>>> counted(1, "session"), counted(2, "session"), counted(1280, "outcome"), counted(1, "party", "parties")
('1 session', '2 sessions', '1,280 outcomes', '1 party')
>>> counted(3, "party", "parties")
'3 parties'
"""

from __future__ import annotations

__all__ = ["counted"]


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` with ``noun`` in the singular for exactly one, else in the plural (``noun + "s"``)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
