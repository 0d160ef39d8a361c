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

from collections.abc import Mapping, MutableMapping, MutableSequence, MutableSet
from types import MappingProxyType
from typing import Any

__all__ = ["EMPTY", "READ_ONLY_TYPES", "plain_data", "read_only", "sealed"]

#: The empty read-only mapping (shared: it cannot change).
EMPTY: Mapping[str, Any] = MappingProxyType({})

#: Values that are immutable as they are.
_SCALARS = (str, int, float, bool, type(None))
#: Types :func:`sealed` keeps as they are (a tuple: its items are the caller's to keep immutable);
#: read-only collections of Accord's own join them (:mod:`accord.protocols.journal`'s views).
READ_ONLY_TYPES: set[type] = {str, int, float, bool, type(None), tuple, frozenset, MappingProxyType}


def read_only(value: Any) -> Any:
    """``value`` with every list and tuple as a tuple and every mapping as a read-only mapping, throughout.

    Text, numbers, booleans and ``None`` are kept, and so are named tuples (records
    such as events, immutable in their own right); a frozenset becomes a sorted tuple;
    anything else is refused with ``TypeError`` (it could change behind the reader's back).
    """
    if isinstance(value, _SCALARS):
        return value
    if type(value) is tuple or isinstance(value, list):
        return tuple(read_only(item) for item in value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return value
    if isinstance(value, Mapping):
        return MappingProxyType({str(key): read_only(item) for key, item in value.items()})
    if isinstance(value, frozenset):
        return tuple(sorted(read_only(item) for item in value))
    raise TypeError(f"{type(value).__name__} cannot be made read-only event data: {value!r}")


def sealed(value: Any) -> Any:
    """``value`` as it is if nothing can change it through its own interface, else :func:`read_only`.

    The cheap check for the fields of a record handed to a seat: text, numbers,
    ``None``, tuples, frozensets and read-only mappings pass as they are, as does
    any read-only collection (a seat's view of the events); lists, dicts and other
    mutable collections are made read-only throughout.

    >>> sealed(("oslo", 2)), sealed(["oslo", 2]), type(sealed({"a": [1]})).__name__
    (('oslo', 2), ('oslo', 2), 'mappingproxy')
    """
    if type(value) in READ_ONLY_TYPES:
        return value
    if isinstance(value, MutableSequence | MutableMapping | MutableSet):
        return read_only(value)
    return value


def plain_data(value: Any) -> Any:
    """``value`` as plain JSON data: tuples as lists and mappings as dicts, throughout."""
    if isinstance(value, tuple | list):
        return [plain_data(item) for item in value]
    if isinstance(value, Mapping):
        return {key: plain_data(item) for key, item in value.items()}
    return value
