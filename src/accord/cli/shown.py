"""Names are data, never markup: a user's text as the terminal shows it.

Party, issue, option, dimension and file names come from files anyone may write. In rich
output they must not be read as console markup (``[/]`` would crash it, ``[link=…]`` would
plant a link), and nowhere may they move the cursor or clear the screen (escape sequences)
or break a line. :func:`shown` is for text printed with rich markup on (table cells, lines
with ``[bold]``); :func:`plain` for text printed with markup off.

>>> shown("[link=https://example.org]Government[/link]")
'\\\\[link=https://example.org]Government\\\\[/link]'
>>> plain("Gov\\x1b[2Jernment\\nHNC\\u202e")
'Gov\\\\x1b[2Jernment\\\\nHNC\\\\u202e'
"""

from __future__ import annotations

import re

from rich.markup import escape

from accord.cli.failures import one_line

__all__ = ["plain", "shown"]

#: Bidirectional controls, which can make a terminal show text in another order than written.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: object) -> str:
    """``text`` on one line, control characters (escapes, newlines) written as Python escapes."""
    return one_line(_BIDI.sub(lambda match: repr(match.group())[1:-1], str(text)))


def shown(text: object) -> str:
    """:func:`plain`, with rich markup escaped, so rich prints it literally."""
    return escape(plain(text))
