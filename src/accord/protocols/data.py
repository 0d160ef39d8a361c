"""What agents receive is read-only: event data in, plain JSON data out.

Everything a protocol hands a seat (event data, observation fields, the setup's
options) holds only text, numbers, booleans, ``None``, tuples and read-only
mappings, so an agent that tries to change what it was given fails at the
attempt rather than rewriting a stored trace or another session's inputs.
:func:`read_only` makes any JSON-like value so; :func:`plain_data` turns it back
into lists and dicts for JSON.

>>> value = read_only({"outcome": ["oslo", 2], "votes": {"north": True}})
>>> value["outcome"], value["votes"]["north"]
(('oslo', 2), True)
>>> value["votes"]["north"] = False
Traceback (most recent call last):
...
TypeError: 'mappingproxy' object does not support item assignment
>>> plain_data(value)
{'outcome': ['oslo', 2], 'votes': {'north': True}}
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["EMPTY", "plain_data", "read_only"]

#: The empty read-only mapping (shared: it cannot change).
EMPTY: Mapping[str, Any] = MappingProxyType({})

#: Values that are immutable as they are.
_SCALARS = (str, int, float, bool, type(None))


def read_only(value: Any) -> Any:
    """``value`` with every list and tuple as a tuple and every mapping as a read-only mapping, throughout.

    Text, numbers, booleans and ``None`` are kept; a frozenset becomes a sorted tuple;
    anything else is refused with ``TypeError`` (it could change behind the reader's back).
    """
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list | tuple):
        return tuple(read_only(item) for item in value)
    if isinstance(value, Mapping):
        return MappingProxyType({str(key): read_only(item) for key, item in value.items()})
    if isinstance(value, frozenset):
        return tuple(sorted(read_only(item) for item in value))
    raise TypeError(f"{type(value).__name__} cannot be made read-only event data: {value!r}")


def plain_data(value: Any) -> Any:
    """``value`` as plain JSON data: tuples as lists and mappings as dicts, throughout."""
    if isinstance(value, tuple | list):
        return [plain_data(item) for item in value]
    if isinstance(value, Mapping):
        return {key: plain_data(item) for key, item in value.items()}
    return value
