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

from collections.abc import Mapping, MutableMapping, MutableSequence, MutableSet
from types import MappingProxyType
from typing import Any

__all__ = ["EMPTY", "READ_ONLY_TYPES", "freeze", "sealed", "thaw"]

#: The empty read-only mapping (shared: it cannot change).
EMPTY: Mapping[str, Any] = MappingProxyType({})

#: Values that are immutable as they are.
_SCALARS = (str, int, float, bool, type(None))
#: Types :func:`sealed` keeps as they are (a tuple: its items are the caller's to keep immutable);
#: read-only collections of Accord's own join them (:mod:`accord.protocols.journal`'s views).
READ_ONLY_TYPES: set[type] = {str, int, float, bool, type(None), tuple, frozenset, MappingProxyType}


def freeze(value: Any) -> Any:
    """A read-only deep copy of ``value``: every list and tuple a tuple, every mapping a read-only mapping.

    Text, numbers, booleans and ``None`` are kept, and so are named tuples (records
    such as events, immutable in their own right); mapping keys become text; a frozenset
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
    if type(value) is tuple or isinstance(value, list):
        return tuple(freeze(item) for item in value)
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return value
    if isinstance(value, Mapping):
        return MappingProxyType({str(key): freeze(item) for key, item in value.items()})
    if isinstance(value, frozenset):
        return tuple(sorted(freeze(item) for item in value))
    raise TypeError(f"{type(value).__name__} cannot be made read-only data: {value!r}")


def sealed(value: Any) -> Any:
    """``value`` as it is if nothing can change it through its own interface, else :func:`freeze`.

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
        return freeze(value)
    return value


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
