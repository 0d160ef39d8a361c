"""The canonical serialisation the hash chain is computed over.

Canonical JSON here is: object keys sorted (by code point), no spaces, UTF-8 (not ``\\u`` escapes,
except for the control characters JSON requires escaped), integers written as integers, floats
finite only and written as Python's shortest round-trip form (``0.1``, ``1.0``, ``1e+100``),
lists and tuples alike as arrays. Any program that writes the same bytes can check the chain.

>>> canonical_json({"b": [1, 2.5, None], "a": "é", "c": True})
b'{"a":"\\xc3\\xa9","b":[1,2.5,null],"c":true}'
>>> record_hash(GENESIS_HASH, "geneva", 1, "room-created", "", {"protocol": "one-text-v1"},
...             "2026-01-01T00:00:00.000000Z")
'b14c1ba6fc05c44f2b3b6d0e569b92b782334d5fad07d2147bb83b37f606ed7d'
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import Any

__all__ = ["GENESIS_HASH", "canonical_json", "record_hash", "record_hash_of_json"]

GENESIS_HASH = "0" * 64
"""The ``previous_hash`` of a room's first record."""


def _plain(value: Any, path: str) -> Any:
    """A copy of ``value`` made of dicts, lists and scalars; ``TypeError``/``ValueError`` naming the path."""
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                raise ValueError(f"{path}: not valid Unicode text ({error.reason})") from None
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{path}: {value!r} is not allowed (finite numbers only)")
        return value
    if isinstance(value, Mapping):
        plain: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"{path}: key {key!r} is not a string")
            plain[key] = _plain(item, f"{path}.{key}")
        return plain
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}[{index}]") for index, item in enumerate(value)]
    raise TypeError(f"{path}: {type(value).__name__} is not JSON (str, int, float, bool, None, lists, dicts)")


def canonical_json(value: Any) -> bytes:
    """The canonical UTF-8 JSON of a JSON-ready value; ``TypeError``/``ValueError`` naming what is not.

    >>> canonical_json({"z": 1, "a": [1.0, -0.5, "x y"]})
    b'{"a":[1.0,-0.5,"x y"],"z":1}'
    >>> canonical_json({"weight": float("nan")})
    Traceback (most recent call last):
    ...
    ValueError: value.weight: nan is not allowed (finite numbers only)
    """
    plain = _plain(value, "value")
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def record_hash(
    previous_hash: str, room: str, seq: int, kind: str, seat: str, data: Any, created_at: str
) -> str:
    """The hex SHA-256 of a record: the canonical JSON of its fields, its predecessor's hash among them.

    The hashed object is ``{"created_at", "data", "kind", "previous_hash", "room", "seat", "seq"}``.

    >>> first = record_hash(GENESIS_HASH, "r", 1, "room-created", "", {}, "2026-01-01T00:00:00.000000Z")
    >>> second = record_hash(first, "r", 2, "message", "usa", {"text": "hi"}, "2026-01-01T00:00:01.000000Z")
    >>> len(second), second == first
    (64, False)
    """
    return record_hash_of_json(previous_hash, room, seq, kind, seat, canonical_json(data), created_at)


def _text(value: str) -> bytes:
    return json.dumps(_plain(value, "value"), ensure_ascii=False).encode("utf-8")


def record_hash_of_json(
    previous_hash: str, room: str, seq: int, kind: str, seat: str, data_json: bytes, created_at: str
) -> str:
    """:func:`record_hash` of a record whose data is given as its canonical JSON already (the store's
    writer has it): the same bytes are hashed, with no second pass over the data.

    >>> record_hash_of_json(GENESIS_HASH, "r", 1, "message", "usa", b'{"text":"hi"}', "t") == record_hash(
    ...     GENESIS_HASH, "r", 1, "message", "usa", {"text": "hi"}, "t")
    True
    """
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise TypeError(f"value.seq: {type(seq).__name__} is not an integer")
    # The canonical JSON of {"created_at", "data", "kind", "previous_hash", "room", "seat", "seq"}:
    # keys in sorted order, no spaces.
    body = b"".join(
        (
            b'{"created_at":',
            _text(created_at),
            b',"data":',
            data_json,
            b',"kind":',
            _text(kind),
            b',"previous_hash":',
            _text(previous_hash),
            b',"room":',
            _text(room),
            b',"seat":',
            _text(seat),
            b',"seq":',
            str(seq).encode("ascii"),
            b"}",
        )
    )
    return hashlib.sha256(body).hexdigest()
