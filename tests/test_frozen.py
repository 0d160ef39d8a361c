"""One freeze and one thaw: read-only JSON-like data for the protocols, the store and the room."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import accord
from accord.frozen import freeze, thaw

json_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


def writable(value: Any) -> bool:
    """Whether any part of ``value`` is a list or a dict (something a reader could change)."""
    if isinstance(value, list | dict):
        return True
    if isinstance(value, tuple):
        return any(writable(item) for item in value)
    if isinstance(value, MappingProxyType):
        return any(writable(item) for item in value.values())
    return False


@given(json_data)
def test_freeze_leaves_nothing_writable_and_thaw_gives_the_json_back(value: Any) -> None:
    frozen = freeze(value)
    assert not writable(frozen)
    assert json.dumps(thaw(frozen), sort_keys=True) == json.dumps(value, sort_keys=True)
    assert freeze(thaw(frozen)) == frozen


def test_thaw_is_a_fresh_copy() -> None:
    frozen = freeze({"outcome": ["geneva", 3]})
    plain = thaw(frozen)
    plain["outcome"].append(4)
    assert frozen["outcome"] == ("geneva", 3)


def test_freeze_refuses_what_could_change_behind_the_reader() -> None:
    with pytest.raises(TypeError, match="bytearray"):
        freeze({"blob": bytearray(b"x")})


def test_no_other_module_defines_its_own_freeze_or_thaw() -> None:
    """The protocols, the store and the room once each had a copy; they use accord.frozen now."""
    source = Path(accord.__file__).parent
    twins = []
    for path in source.rglob("*.py"):
        if path.name == "frozen.py" and path.parent == source:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name in {"freeze", "thaw", "plain", "read_only"}:
                twins.append(f"{path.relative_to(source)}: {node.name}")
    assert twins == []
