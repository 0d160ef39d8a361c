"""The public surface of every module: an honest, ordered ``__all__`` and docstring examples that run.

Modules are discovered, not listed, so a new module is checked the day it lands.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import accord

MODULES = sorted(
    ["accord"]
    + [
        info.name
        for info in pkgutil.walk_packages(accord.__path__, prefix="accord.")
        if not info.name.endswith("__main__")
    ]
)


def isort_style(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions, each alphabetical (ruff's RUF022 order)."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


@pytest.mark.parametrize("module_name", MODULES)
def test_all_is_ordered_and_honest(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    assert names is not None, f"{module_name} has no __all__"
    assert list(names) == sorted(names, key=isort_style)
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(module, name), f"{module_name}.__all__ names {name!r}, which it lacks"


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name: str) -> None:
    module = importlib.import_module(module_name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_every_module_is_checked() -> None:
    assert {"accord.analysis.grouping", "accord.io.genius_xml", "accord.session"} <= set(MODULES)
