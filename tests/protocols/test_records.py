"""The records a seat receives: immutable events and observations, frozen options, registered actions."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.frozen import freeze, thaw
from accord.protocols import (
    Event,
    Observation,
    Options,
    Setup,
    action_from_data,
    action_kind,
    action_to_data,
    register_action,
)

from .conftest import small_agenda

#: JSON-like values: what event data may be built from.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)


@given(
    data=st.dictionaries(st.text(max_size=6), json_values, max_size=4),
    visible=st.none() | st.frozensets(st.sampled_from(["north", "south", "envoy"])),
)
def test_events_round_trip_through_plain_data_and_json(data: dict[str, Any], visible: Any) -> None:
    event = Event(index=3, round=1, kind="note", actor="north", data=data, visible_to=visible)
    plain = event.to_data()
    assert json.loads(json.dumps(plain)) == plain
    assert Event.from_data(plain).to_data() == plain
    assert Event.from_data(plain) == event
    assert plain["data"] == thaw(freeze(data))
    assert pickle.loads(pickle.dumps(event)) == event and copy.deepcopy(event) is event


def test_an_event_cannot_be_changed_in_any_part() -> None:
    event = Event(0, 0, "offer", "north", {"outcome": ["oslo", 2], "notes": {"why": ["late"]}})
    with pytest.raises(AttributeError):
        event.kind = "accept"  # type: ignore[misc]
    with pytest.raises(TypeError):
        event.data["outcome"] = ()  # type: ignore[index]
    with pytest.raises(TypeError):
        event.data["notes"]["why"] = ()
    with pytest.raises(TypeError):
        event.data["outcome"][0] = "paris"
    changed = event._replace(data={"outcome": ["paris", 1]})
    assert changed.data["outcome"] == ("paris", 1) and event.data["outcome"] == ("oslo", 2)
    with pytest.raises(TypeError, match="cannot be made read-only"):
        Event(0, 0, "offer", data={"outcome": {1, 2}})


def test_an_observation_cannot_be_changed() -> None:
    observation = Observation("p-v1", "north", 1, 10, "offers", ("offer",))
    with pytest.raises(AttributeError):
        observation.allowed = ("accept",)  # type: ignore[misc]
    assert observation.relative_time == 0.1 and observation.critiques is None


def test_options_are_typed_frozen_and_keep_unknown_settings_apart() -> None:
    options = Options.from_mapping({"discount": 0.5, "agreement": ["oslo", 2], "pace": [1, 2]})
    assert (options.discount, options.agreement, dict(options.extra)) == (0.5, ("oslo", 2), {"pace": (1, 2)})
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.discount = 0.1  # type: ignore[misc]
    with pytest.raises(TypeError):
        options.extra["pace"] = ()  # type: ignore[index]
    assert Options.from_mapping(options.to_data()) == options
    assert pickle.loads(pickle.dumps(options)) == options
    setup = Setup(agenda=small_agenda(), delegations=["north", "south"], options={"candidates": [[1, 2]]})  # type: ignore[arg-type]
    assert setup.options == Options(candidates=((1, 2),)) and setup.delegations == ("north", "south")


@dataclass(frozen=True, slots=True)
class Pledge:
    """A plugin protocol's own action."""

    amount: int
    towards: tuple[str, ...] = ()


def test_a_plugin_protocol_registers_its_own_kind_of_action() -> None:
    register_action("test-pledge", Pledge)
    register_action("test-pledge", Pledge)  # again: harmless
    assert action_kind(Pledge(2)) == "test-pledge"
    data = action_to_data(Pledge(2, ("north",)))
    assert data == {"kind": "test-pledge", "amount": 2, "towards": ["north"]}
    assert action_from_data(json.loads(json.dumps(data))) == Pledge(2, ("north",))

    @dataclass
    class Loose:
        amount: int

    @dataclass(frozen=True)
    class Offer:
        amount: int

    with pytest.raises(ValueError, match="kebab-case"):
        register_action("Pledge", Pledge)
    with pytest.raises(ValueError, match="not a frozen dataclass"):
        register_action("loose", Loose)
    with pytest.raises(ValueError, match="registered already"):
        register_action("offer", Offer)
    with pytest.raises(ValueError, match="registered already"):
        register_action("promise", Pledge)


def test_lists_and_dicts_given_for_an_observation_are_made_read_only() -> None:
    events = [Event(0, 0, "opening")]
    observation = Observation(
        "p-v1", "envoy", 0, 5, "draft", ["propose"], on_table=["oslo", 2], history=events,
        candidates=[["oslo", 2]], critiques={"north": [["venue", "oslo", 0.5]]}, extra={"pace": [1]},
    )  # fmt: skip
    assert observation.allowed == ("propose",) and observation.on_table == ("oslo", 2)
    assert observation.history == (Event(0, 0, "opening"),) and observation.candidates == (("oslo", 2),)
    assert observation.critiques == {"north": (("venue", "oslo", 0.5),)}
    events.append(Event(1, 0, "note"))
    assert len(observation.history) == 1
    with pytest.raises(TypeError):
        observation.critiques["north"] = ()  # type: ignore[index]
    with pytest.raises(TypeError):
        observation.extra["pace"] = ()  # type: ignore[index]
    assert observation._replace(on_table=["rome", 1]).on_table == ("rome", 1)


def test_the_observation_fields_keep_the_order_the_busiest_protocols_build_them_in() -> None:
    """Protocols build observations with tuple.__new__ in this order (see "Hot records"): pinned here."""
    assert Observation._fields == (
        "protocol", "seat", "round", "rounds", "phase", "allowed", "on_table", "history",
        "text", "original", "candidates", "critiques", "shareable", "moves_left", "offered_by",
        "acceptances", "stage", "base", "extra",
    )  # fmt: skip
