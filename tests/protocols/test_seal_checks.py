"""The probe behind the sealed-seat checks: it finds every public part a seat could write, changing none."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

import numpy as np

from accord.testing import writable_parts


class Point(NamedTuple):
    label: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Frozen:
    name: str
    table: np.ndarray
    extras: Any = None


class Slotted:
    __slots__ = ("_cache", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self._cache: list[int] = []


def read_only_array(values: list[float]) -> np.ndarray:
    array = np.array(values)
    array.flags.writeable = False
    return array


def test_read_only_values_have_nothing_writable() -> None:
    value = Frozen(
        "north",
        read_only_array([0.5, 1.0]),
        extras=MappingProxyType({"points": (Point("a", (1.0,)),), "seats": frozenset({"x"})}),
    )
    assert writable_parts(value, "context") == []


def test_every_writable_public_part_is_named() -> None:
    value = Frozen("north", np.array([0.5]), extras={"points": [Point("a", (1.0,))], "slot": Slotted("s")})
    assert writable_parts(value, "context") == [
        "context.table",
        "context.extras",
        "context.extras['points']",
        "context.extras['slot'].name",
    ]


def test_private_attributes_are_left_alone() -> None:
    assert writable_parts(Slotted("s"), "value") == ["value.name"]


def test_probing_changes_nothing_even_where_writes_succeed() -> None:
    value = {"outcome": ["oslo", 2], "table": np.array([1.0, 2.0]), "slot": Slotted("s")}
    before = copy.deepcopy(value)
    assert writable_parts(value, "data")
    assert value["outcome"] == before["outcome"] and value["slot"].name == "s"  # type: ignore[attr-defined]
    np.testing.assert_array_equal(value["table"], before["table"])


def test_long_sequences_can_be_probed_at_their_end_only() -> None:
    history = tuple([MappingProxyType({"n": 1})] * 5 + [{"n": 2}])
    assert writable_parts(history, "history", latest=1) == ["history[5]"]
    assert writable_parts(tuple([{"n": 1}] + [MappingProxyType({})] * 5), "history", latest=2) == []


def test_sessions_hand_agents_nothing_they_can_write() -> None:
    from accord.agents import agent_by_id
    from accord.session import run_session
    from accord.testing import Probing, conformance_scenarios

    scenario = conformance_scenarios()[1]
    probes = {party.name: Probing(agent_by_id("linear")) for party in scenario.parties}
    probes["envoy"] = Probing(agent_by_id("drafter"))
    result = run_session(scenario, "one-text", probes, seed=4, rounds=6)
    assert not result.walk_outs
    assert all(probe.writable == [] for probe in probes.values())
