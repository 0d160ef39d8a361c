"""Read-only JSON-like data, and plain copies of it: one ``freeze`` and one ``thaw`` for all of Accord.

What an agent, a template or a plugin receives cannot be changed by it (event data,
observation fields, a setup's options, a stored record's data, a room's state):
:func:`freeze` makes any JSON-like value read-only all the way down (text,
numbers, booleans and ``None`` as they are, lists and tuples as tuples, mappings
as read-only mappings), and :func:`thaw` turns it back into fresh dicts and lists,
ready for JSON or for a validator. The protocols, the store and the room all use
these two; this module imports nothing of Accord, so every layer may import it.

>>> value = freeze({"outcome": ["oslo", 2], "votes": {"north": True}})
>>> value["outcome"], value["votes"]["north"]
(('oslo', 2), True)
>>> value["votes"]["north"] = False
Traceback (most recent call last):
...
TypeError: 'mappingproxy' object does not support item assignment
>>> thaw(value)
{'outcome': ['oslo', 2], 'votes': {'north': True}}
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

__all__ = ["EMPTY", "freeze", "thaw"]

#: The empty read-only mapping (shared: it cannot change).
EMPTY: Mapping[str, Any] = MappingProxyType({})

#: Values that are immutable as they are.
_SCALARS = (str, int, float, bool, type(None))


def freeze(value: Any) -> Any:
    """A read-only deep copy of ``value``: every list and tuple a tuple, every mapping a read-only mapping.

    Text, numbers, booleans and ``None`` are kept; mapping keys become text; a frozenset
    becomes a sorted tuple; anything else is refused with ``TypeError`` (it could change
    behind the reader's back).

    >>> freeze({"seats": ["usa", "eu"], "round": 1})["seats"]
    ('usa', 'eu')
    >>> freeze({"at": {1, 2}})
    Traceback (most recent call last):
    ...
    TypeError: set cannot be made read-only data: {1, 2}
    """
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    if isinstance(value, Mapping):
        return MappingProxyType({str(key): freeze(item) for key, item in value.items()})
    if isinstance(value, frozenset):
        return tuple(sorted(freeze(item) for item in value))
    raise TypeError(f"{type(value).__name__} cannot be made read-only data: {value!r}")


def thaw(value: Any) -> Any:
    """A fresh plain copy of ``value``: tuples and lists as lists, mappings as dicts, throughout.

    >>> from types import MappingProxyType
    >>> thaw(MappingProxyType({"outcome": ("geneva", 3)}))
    {'outcome': ['geneva', 3]}
    """
    if isinstance(value, tuple | list):
        return [thaw(item) for item in value]
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    return value
