"""Names are data, never markup: a user's text as the terminal shows it.

Party, issue, option, dimension and file names come from files anyone may write. In rich
output they must not be read as console markup (``[/]`` would crash it, ``[link=…]`` would
plant a link), and nowhere may they move the cursor or clear the screen (escape sequences)
or break a line. :func:`shown` is for text printed with rich markup on (table cells, lines
with ``[bold]``); :func:`literal` for text printed with markup off.

>>> shown("[link=https://example.org]Government[/link]")
'\\\\[link=https://example.org]Government\\\\[/link]'
>>> literal("Gov\\x1b[2Jernment\\nHNC\\u202e")
'Gov\\\\x1b[2Jernment\\\\nHNC\\\\u202e'
"""

from __future__ import annotations

import json
import re
from typing import Any

from rich.markup import escape

from accord.cli.failures import one_line
from accord.errors import AccordError

__all__ = ["json_text", "literal", "shown", "unbroken_widths"]

#: The widest a table column is asked to be kept so that no word in it breaks (longer words fold).
WIDEST_WORD = 40

#: Bidirectional controls, which can make a terminal show text in another order than written.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def literal(text: object) -> str:
    """``text`` on one line, control characters (escapes, newlines) written as Python escapes."""
    return one_line(_BIDI.sub(lambda match: repr(match.group())[1:-1], str(text)))


def shown(text: object) -> str:
    """:func:`literal`, with rich markup escaped, so rich prints it literally."""
    return escape(literal(text))


def unbroken_widths(columns: list[list[str]], width: int) -> list[int | None]:
    """Minimum widths for the columns of a table (with borders and one space of padding each
    side) so that no word of their cells breaks (rich wraps only at spaces, and folds a longer
    word anywhere): each column's longest word, at most :data:`WIDEST_WORD`. ``None`` for every
    column when they cannot all fit in ``width`` (rich then folds what it must, rather than crop).

    >>> unbroken_widths([["power-sharing-cabinet", "a b"], ["0.5"]], 80)
    [21, 3]
    >>> unbroken_widths([["power-sharing-cabinet"], ["new-constitution-by-committee"]], 40)
    [None, None]
    """
    needed = [
        min(max((len(word) for cell in cells for word in cell.split()), default=1), WIDEST_WORD)
        for cells in columns
    ]
    if sum(needed) + 3 * len(needed) + 1 > width:
        return [None] * len(needed)
    return list(needed)


def json_text(document: Any, *, indent: int | None = 2) -> str:
    """``document`` as JSON text; a number that is not finite (``NaN`` is not JSON) is an error,
    never printed.

    >>> json_text({"utility": 0.5}, indent=None)
    '{"utility": 0.5}'
    >>> json_text({"utility": float("nan")})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    accord.errors.AccordError: --json: the result holds a number that is not finite (NaN or ...
    """
    try:
        return json.dumps(document, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError:
        raise AccordError(
            "--json: the result holds a number that is not finite (NaN or infinity), which JSON cannot hold"
        ) from None
