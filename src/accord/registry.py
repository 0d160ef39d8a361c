"""Registries of versioned ids (``"boulware-v1"``) with lazy ``"module:attribute"`` targets.

Third-party packages add entries through the entry-point group of a registry
(``accord.agents`` or ``accord.protocols``): the entry point's name is the
versioned id and its value the ``module:attribute`` string.

>>> registry = Registry("example", {"counter-v1": "collections:Counter"}, noun="example", argument="example")
>>> registry.resolve("counter").__name__   # the bare name finds the latest version
'Counter'
>>> registry.ids()
('counter-v1',)
"""

from __future__ import annotations

import difflib
import importlib
import inspect
import re
from collections.abc import Mapping
from importlib.metadata import entry_points
from typing import Any

from accord.errors import AgentError

__all__ = ["Registry", "split_id"]

_VERSIONED = re.compile(r"^(?P<name>[a-z0-9][a-z0-9-]*?)-v(?P<version>\d+)$")


def plain_text(text: str) -> str:
    """``text`` without reST markup: ``:class:`~a.b.Name``` → ``Name``, double backquotes dropped.

    >>> plain_text("Uses :class:`~accord.agents.ConcessionCurve` with ``e = 2``.")
    'Uses ConcessionCurve with e = 2.'
    """
    text = re.sub(r":[a-z]+:`~?([^`]*)`", lambda match: match.group(1).rsplit(".", 1)[-1], text)
    return re.sub(r"``([^`]*)``", r"\1", text)


def split_id(versioned: str) -> tuple[str, int]:
    """``"boulware-v1"`` → ``("boulware", 1)``; ``ValueError`` when not versioned."""
    match = _VERSIONED.match(versioned)
    if match is None:
        raise ValueError(f"{versioned!r} is not a versioned id such as 'boulware-v1'")
    return match["name"], int(match["version"])


class Registry:
    """Versioned ids → lazily imported targets; built-ins first, then the entry-point group."""

    def __init__(self, group: str, builtins: Mapping[str, str], *, noun: str, argument: str) -> None:
        self.group = group
        self._targets = dict(builtins)
        #: What an id names (``agent``) and the parameter (or option) that takes ids, for errors.
        self.noun = noun
        self.argument = argument
        self._loaded_plugins = False
        #: name → imported target, so that a session's look-ups cost one dictionary access.
        self._resolved: dict[str, Any] = {}

    def _load_plugins(self) -> None:
        if self._loaded_plugins:
            return
        self._loaded_plugins = True
        for entry in entry_points(group=self.group):
            split_id(entry.name)
            self._targets.setdefault(entry.name, entry.value)

    def register(self, versioned: str, target: str) -> None:
        """Add ``versioned`` → ``"module:attribute"`` (for tests and plugins loaded by hand)."""
        split_id(versioned)
        self._targets[versioned] = target
        self._resolved.clear()  # a bare name may now mean this newer version

    def ids(self) -> tuple[str, ...]:
        """Every versioned id, sorted."""
        self._load_plugins()
        return tuple(sorted(self._targets))

    def canonical(self, name: str) -> str:
        """The versioned id for ``name``: itself if versioned, else the latest version of that name."""
        self._load_plugins()
        if name in self._targets:
            return name
        versions = [
            (split_id(versioned)[1], versioned)
            for versioned in self._targets
            if split_id(versioned)[0] == name
        ]
        if not versions:
            known = sorted({split_id(versioned)[0] for versioned in self._targets})
            close = difflib.get_close_matches(name.lower(), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise AgentError(self.argument, f"unknown {self.noun} {name!r}{hint} (known: {', '.join(known)})")
        return max(versions)[1]

    def description(self, name: str) -> str:
        """The one-line description of ``name``: the first paragraph of its target's docstring,
        as plain text (reST roles and literals reduced to their text)."""
        documentation = inspect.getdoc(self.resolve(name)) or ""
        return plain_text(" ".join(documentation.split("\n\n", 1)[0].split()))

    def resolve(self, name: str) -> Any:
        """Import and return the target registered for ``name`` (bare or versioned)."""
        resolved = self._resolved.get(name)
        if resolved is None:
            target = self._targets[self.canonical(name)]
            module_name, _, attribute = target.partition(":")
            resolved = self._resolved[name] = getattr(importlib.import_module(module_name), attribute)
        return resolved
