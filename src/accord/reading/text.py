"""A user's text inside a message: quoted, control characters escaped, long text shortened.

>>> quoted("[bold]x[/]\\n\\x1b[31m")
"'[bold]x[/]\\\\n\\\\x1b[31m'"
>>> len(quoted("x" * 10_000)) <= 82
True
"""

from __future__ import annotations

__all__ = ["escaped", "quoted"]

#: Characters of a user's text kept in a message; the rest becomes "…".
QUOTED_LENGTH = 80


def escaped(text: str, *, length: int = QUOTED_LENGTH) -> str:
    """``text`` with non-printable characters (newlines, escapes) written as Python escapes,
    shortened to about ``length`` characters; no quotes are added.

    >>> escaped("Gov\\x1b[2J\\nernment")
    'Gov\\\\x1b[2J\\\\nernment'
    """
    shown = "".join(character if character.isprintable() else repr(character)[1:-1] for character in text)
    return shown if len(shown) <= length else shown[: length - 1] + "…"


def quoted(text: object, *, length: int = QUOTED_LENGTH) -> str:
    """``repr`` of ``text`` (control characters and newlines escaped), shortened to about ``length``."""
    if isinstance(text, int) and not isinstance(text, bool) and text.bit_length() > 1000:
        return f"an integer of about {int(text.bit_length() * 0.30103):,} digits"
    shown = repr(text if isinstance(text, str) else str(text))
    if len(shown) <= length:
        return shown
    return shown[: length - 2] + "…" + shown[0]
