"""Accord: an engine for mediated multi-party negotiation.

The three entry points most scripts need: load a scenario, analyse it, run talks on it.

>>> from accord import analyze, load_scenario, run_session

The names below are imported on first use, so that ``import accord.domain`` (or any
other layer) does not load the whole engine with its dependencies.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from accord.analysis import Analysis, analyze
    from accord.io import load_scenario
    from accord.session import SessionResult, run_session

__all__ = ["Analysis", "SessionResult", "__version__", "analyze", "load_scenario", "run_session"]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("accord")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "0+unknown"


#: The installed version of Accord (``accord --version`` prints it too).
__version__ = _version()

#: Public name → the module that defines it.
_HOMES = {
    "Analysis": "accord.analysis",
    "SessionResult": "accord.session",
    "analyze": "accord.analysis",
    "load_scenario": "accord.io",
    "run_session": "accord.session",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'accord' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later look-ups find it directly
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
