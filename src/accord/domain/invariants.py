"""The checks domain constructors share: names, finite numbers, ranges, unique names.

Each raises :class:`~accord.errors.DomainError` naming the object, the field and the
reason, so that importers can report it at the file, line and field it came from.

>>> require_in_range("Preferences", ("reservation",), 1.5, low=0.0, high=1.0)
Traceback (most recent call last):
...
accord.errors.DomainError: Preferences: reservation: must lie in [0, 1], got 1.5
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from accord.errors import DomainError

__all__ = [
    "LANGUAGE_TAG",
    "MAX_ISSUE_SIZE",
    "MAX_NAME_LENGTH",
    "require_finite",
    "require_in_range",
    "require_language",
    "require_name",
    "require_unique",
]

#: Most values one issue may take: its values are held in memory.
MAX_ISSUE_SIZE = 10_000_000
#: Longest name of a party, issue, option, dimension or scenario (the file format's limit too).
MAX_NAME_LENGTH = 200


#: A language tag's shape (BCP 47: a primary language of two or three letters, then subtags of letters
#: and digits); the scenario file format's ``language`` fields take the same.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def require_language(subject: str, field: tuple[str | int, ...], language: object) -> None:
    """``language`` must be a language tag (``en``, ``ar``, ``zh-Hant``): it is written into pages'
    ``lang`` attributes and documents, so nothing else (markup, spaces, direction controls) may pass.

    >>> require_language("Option 'a'", ("translations", "zh-Hant"), "zh-Hant")
    >>> try:
    ...     require_language("Option 'a'", ("translations", "en us"), "en us")
    ... except DomainError as error:
    ...     print(error.field, error.reason.partition(" such as")[0])
    ('translations', 'en us') 'en us' is not a language tag
    """
    if not isinstance(language, str) or not LANGUAGE_TAG.fullmatch(language):
        raise DomainError(
            subject, field, f"{language!r} is not a language tag such as 'en', 'ar' or 'zh-Hant'"
        )


def require_name(subject: str, field: tuple[str | int, ...], name: object, what: str) -> None:
    """``name`` must be a non-empty string of at most :data:`MAX_NAME_LENGTH` characters
    (``what`` says whose: "an issue")."""
    if not isinstance(name, str) or not name:
        raise DomainError(subject, field, f"{what} needs a non-empty name")
    if len(name) > MAX_NAME_LENGTH:
        raise DomainError(
            subject, field, f"{what}'s name has {len(name):,} characters, more than {MAX_NAME_LENGTH}"
        )


def require_finite(subject: str, field: tuple[str | int, ...], value: float) -> float:
    """``value`` must be a finite real number (not a string or a bool); returns it as a float."""
    try:
        number = math.nan if isinstance(value, str | bytes | bool) else float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise DomainError(subject, field, f"must be a finite number, got {value!r}")
    return number


def require_in_range(
    subject: str,
    field: tuple[str | int, ...],
    value: float,
    *,
    low: float,
    high: float,
    open_low: bool = False,
) -> float:
    """``value`` must be finite and lie in ``[low, high]`` (``(low, high]`` when ``open_low``)."""
    number = require_finite(subject, field, value)
    if number < low or number > high or (open_low and number == low):
        if math.isinf(high):
            raise DomainError(subject, field, f"must be {'>' if open_low else '≥'} {low:g}, got {value!r}")
        interval = f"{'(' if open_low else '['}{low:g}, {high:g}]"
        raise DomainError(subject, field, f"must lie in {interval}, got {value!r}")
    return number


def require_unique(subject: str, field: str, names: Iterable[str], what: str) -> None:
    """No two of ``names`` are equal; the error names the later one's position in ``field``."""
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name in seen:
            raise DomainError(subject, (field, index, "name"), f"{what} name {name!r} is used twice")
        seen.add(name)
