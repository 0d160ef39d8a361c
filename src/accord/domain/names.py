"""Finding a party or seat from the name a person typed: the one resolver every command and the room use.

A typed name matches, in this order: the name exactly; the name in any case; its slug
(``high-negotiations-committee``); its initials (``hnc``); the start of the name or of
its slug, when only one name starts so; or, when only one name has it, words of the name from
the start of one of them (``envoy`` for ``UN Special Envoy``). Anything else is an
:class:`~accord.errors.ArgumentError` that suggests the closest name ("did you mean").

>>> names = ("Government", "High Negotiations Committee", "Moscow platform", "Cairo platform")
>>> resolve_names(["government", "hnc"], names, what="delegation", argument="parties")
('Government', 'High Negotiations Committee')
>>> resolve_name("mosc", names, what="delegation", argument="parties")
'Moscow platform'
>>> resolve_name("envoy", ("UN Special Envoy", "Government"), what="seat", argument="seat")
'UN Special Envoy'
>>> try:
...     resolve_name("Goverment", names, what="delegation", argument="parties")
... except ArgumentError as error:
...     print(error.reason.partition(" (known")[0])
no delegation 'Goverment'; did you mean 'Government'?
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence

from accord.errors import ArgumentError

__all__ = ["initials", "resolve_name", "resolve_names", "slug"]

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def slug(name: str) -> str:
    """``name`` in lower case with every run of other characters as one dash.

    >>> slug("High Negotiations Committee"), slug("UN Special Envoy (Geneva)")
    ('high-negotiations-committee', 'un-special-envoy-geneva')
    """
    return _NOT_ALPHANUMERIC.sub("-", name.casefold()).strip("-")


def initials(name: str) -> str:
    """The first letter of each word of ``name``'s slug: ``"High Negotiations Committee"`` → ``"hnc"``."""
    return "".join(word[0] for word in slug(name).split("-") if word)


def _rules(typed: str) -> tuple[Callable[[str], bool], ...]:
    folded, typed_slug = typed.casefold(), slug(typed)
    return (
        lambda name: name == typed,
        lambda name: name.casefold() == folded,
        lambda name: bool(typed_slug) and slug(name) == typed_slug,
        lambda name: bool(typed_slug) and len(typed_slug) > 1 and initials(name) == typed_slug,
        lambda name: (
            bool(folded) and (name.casefold().startswith(folded) or slug(name).startswith(typed_slug))
        ),
        lambda name: bool(typed_slug) and f"-{typed_slug}" in f"-{slug(name)}",
    )


def resolve_name(typed: str, names: Sequence[str], *, what: str, argument: str) -> str:
    """The one of ``names`` that ``typed`` means; :class:`~accord.errors.ArgumentError` naming
    ``argument`` (``parties``; the command line shows ``--parties``) when none or several do.

    ``what`` names the kind of thing in the message (``delegation``, ``seat``).
    """
    typed = typed.strip()
    for rule in _rules(typed):
        found = list(dict.fromkeys(name for name in names if rule(name)))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            choices = " or ".join(repr(name) for name in found)
            raise ArgumentError(argument, f"{typed!r} could be the {what} {choices}: write more of the name")
    raise ArgumentError(
        argument, f"no {what} {typed!r}{_suggestion(typed, names)} (known: {', '.join(names)})"
    )


def _suggestion(typed: str, names: Sequence[str]) -> str:
    """``"; did you mean 'X'?"`` for the name closest to ``typed`` (by spelling, slug or initials), or
    nothing."""
    for key in (str.casefold, slug, initials):
        keyed = {key(name): name for name in names}
        close = difflib.get_close_matches(
            key(typed) if key is not initials else slug(typed), list(keyed), n=1
        )
        if close:
            return f"; did you mean {keyed[close[0]]!r}?"
    return ""


def resolve_names(typed: Iterable[str], names: Sequence[str], *, what: str, argument: str) -> tuple[str, ...]:
    """Each typed name resolved (:func:`resolve_name`), in the order given; naming one twice is refused."""
    resolved: list[str] = []
    for each in typed:
        name = resolve_name(each, names, what=what, argument=argument)
        if name in resolved:
            raise ArgumentError(argument, f"the {what} {name!r} is named twice")
        resolved.append(name)
    return tuple(resolved)
