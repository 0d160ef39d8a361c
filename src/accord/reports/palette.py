"""One colour per party, the same in every figure of a report, a forecast and a page.

:func:`party_colours` gives each name its colour from the order of a list of names
(the scenario's parties, in file order, so a delegation keeps its colour whether a
figure shows every party or only the delegations). A seat not in the list (a
mediator the protocol seated, "deadline") gets :data:`OTHER_COLOUR`. Colours are
``#rrggbb`` strings, usable in matplotlib and in HTML alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib import colormaps
from matplotlib.colors import to_hex

__all__ = ["OTHER_COLOUR", "colour_of", "party_colours"]

#: The colour of a seat that is not one of the named parties (a mediator, for instance).
OTHER_COLOUR = "#4d4d4d"


def party_colours(names: Sequence[str]) -> dict[str, str]:
    """``{name: "#rrggbb"}``: tab10 for up to ten names, tab20 for up to twenty, then a
    perceptually even sweep of turbo (still one distinct colour each).

    >>> party_colours(["Government", "Opposition"])
    {'Government': '#1f77b4', 'Opposition': '#ff7f0e'}
    """
    unique = list(dict.fromkeys(names))
    count = len(unique)
    if count <= 10:
        colours = [to_hex(colormaps["tab10"](index)) for index in range(count)]
    elif count <= 20:
        # tab20 pairs a strong and a light shade; take the strong ones first.
        order = list(range(0, 20, 2)) + list(range(1, 20, 2))
        colours = [to_hex(colormaps["tab20"](order[index])) for index in range(count)]
    else:
        colours = [to_hex(colormaps["turbo"](0.05 + 0.9 * index / (count - 1))) for index in range(count)]
    return dict(zip(unique, colours, strict=True))


def colour_of(colours: Mapping[str, str], name: str) -> str:
    """``name``'s colour in ``colours``, or :data:`OTHER_COLOUR` for a seat not listed."""
    return colours.get(name, OTHER_COLOUR)
