"""What a seat is handed cannot be changed by it: probes that write every value back in place.

:func:`writable_parts` walks a value a seat receives (an observation, the events of
its history, its :class:`~accord.agents.base.SeatContext`) and tries to write each
public field, item and array it reaches *with the value it already holds*, so nothing
changes even where a write succeeds; it returns where one did. Private attributes
(a leading underscore) are left alone: in one Python process a determined agent can
reach anything, and only the public surface is a promise.

:func:`check_sealed_observations` fails a protocol whose observations can be written;
:class:`Probing` wraps an agent and probes its context and every observation it is
shown, so that a session with probing agents must give the same trace as one without.

>>> from types import MappingProxyType
>>> writable_parts(MappingProxyType({"outcome": ("oslo", 2), "votes": (True,)}), "data")
[]
>>> writable_parts({"outcome": ["oslo", 2]}, "data")
['data', "data['outcome']"]
"""

from __future__ import annotations

import dataclasses
import enum
import types
from collections.abc import Callable, Mapping, MutableMapping, MutableSequence, MutableSet, Sequence
from typing import Any, ClassVar

import numpy as np

from accord.agents.base import Agent, SeatContext
from accord.agents.registry import agent_roles
from accord.protocols import Action, Observation, Protocol, Setup
from accord.testing.failures import Where

__all__ = ["Probing", "check_sealed_observations", "writable_parts"]

#: How many of the latest history events each probe of an observation walks (older ones were
#: probed when they were the latest).
LATEST_EVENTS = 4

#: Values with nothing to write: immutable scalars, and code.
_LEAVES: tuple[type, ...] = (str, bytes, int, float, complex, bool, type(None), enum.Enum, np.generic, range)
_LEAVES += (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.ModuleType)


def writable_parts(value: object, name: str, *, depth: int = 8, latest: int | None = None) -> list[str]:
    """The paths (``name.field[key]…``) under ``value`` that a write succeeded on.

    Each public field, mapping item, sequence item and array is written with the value
    it holds; mutable containers (lists, dicts, sets, writeable arrays) count as writable
    as they are. ``latest``: walk only the last ``latest`` items of long sequences.
    """
    found: list[str] = []
    _probe(value, name, depth, found, set(), latest)
    return found


def _writes(attempt: Callable[[], object]) -> bool:
    try:
        attempt()
    except (AttributeError, TypeError, ValueError, NotImplementedError, dataclasses.FrozenInstanceError):
        return False
    return True


def _write_item(container: Any, key: Any, item: Any) -> None:
    container[key] = item


def _public_fields(value: object) -> list[str]:
    if dataclasses.is_dataclass(value):
        names = [field.name for field in dataclasses.fields(value)]
    elif isinstance(value, tuple) and hasattr(value, "_fields"):
        names = list(value._fields)
    else:
        slots = [name for cls in type(value).__mro__ for name in getattr(cls, "__slots__", ())]
        names = [*slots, *getattr(value, "__dict__", {})]
    return [name for name in dict.fromkeys(names) if not name.startswith("_")]


def _probe(value: Any, path: str, depth: int, found: list[str], seen: set[int], latest: int | None) -> None:
    if depth < 0 or isinstance(value, _LEAVES) or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        if value.flags.writeable:
            found.append(path)
        return
    if isinstance(value, Mapping):
        items = list(value.items())
        if isinstance(value, MutableMapping) or (items and _writes(lambda: _write_item(value, *items[0]))):
            found.append(path)
        for key, item in items:
            _probe(item, f"{path}[{key!r}]", depth - 1, found, seen, latest)
        return
    if isinstance(value, MutableSet):
        found.append(path)
        return
    if isinstance(value, Sequence) and not (isinstance(value, tuple) and hasattr(value, "_fields")):
        length = len(value)
        if isinstance(value, MutableSequence) or (
            length and _writes(lambda: _write_item(value, 0, value[0]))
        ):
            found.append(path)
        first = 0 if latest is None else max(0, length - latest)
        for index in range(first, length):
            _probe(value[index], f"{path}[{index}]", depth - 1, found, seen, latest)
        return
    if isinstance(value, frozenset):
        for item in value:
            _probe(item, f"{path}{{…}}", depth - 1, found, seen, latest)
        return
    for field in _public_fields(value):
        try:
            current = getattr(value, field)
        except AttributeError:
            continue
        if _writes(lambda: setattr(value, field, current)):  # noqa: B023 (called at once)
            found.append(f"{path}.{field}")
        _probe(current, f"{path}.{field}", depth - 1, found, seen, latest)


def check_sealed_observations(protocol: Protocol[Any], state: Any, setup: Setup, *, where: Where) -> None:
    """Every seat's observation of ``state`` is read-only throughout (its fields, its latest events
    and their data), and probing it leaves every observation as it was."""
    for seat in setup.seats:
        observation = protocol.observe(state, seat)
        writable = writable_parts(observation, "observation", latest=LATEST_EVENTS)
        if writable:
            where.at(seat=seat).fail(f"a seat can write what it observes: {', '.join(writable)}")


class Probing:
    """Wraps an agent: probes the context it is given and every observation it is shown, then lets it act.

    ``writable`` collects what could be written (``"context.utility.tables[0]"`` …). It takes
    the seats and plays the protocols the wrapped agent does.
    """

    id: ClassVar[str] = "probing-v1"

    def __init__(self, agent: Agent) -> None:
        self.agent = agent
        self.roles = agent_roles(agent)
        self.protocols = getattr(agent, "protocols", None)
        self.writable: list[str] = []

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self.writable.extend(writable_parts(context, "context"))
        self.agent.reset(context, rng)

    def act(self, observation: Observation) -> Action:
        self.writable.extend(writable_parts(observation, "observation", latest=LATEST_EVENTS))
        return self.agent.act(observation)
