"""The public surface of accord.tournament: honest, sorted ``__all__`` and doctests that run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = (
    "accord.tournament",
    "accord.tournament.config",
    "accord.tournament.results",
    "accord.tournament.runner",
    "accord.tournament.ray_backend",
    "accord.cli.tournament",
)


def isort_key(name: str) -> tuple[int, str]:
    """Ruff's order for ``__all__`` (RUF022): constants, then classes, then the rest."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name)


@pytest.mark.parametrize("module_name", MODULES)
def test_all_is_sorted_and_honest(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert list(module.__all__) == sorted(module.__all__, key=isort_key)
    for name in module.__all__:
        assert hasattr(module, name), name


@pytest.mark.parametrize("module_name", MODULES)
def test_doctests(module_name: str) -> None:
    module = importlib.import_module(module_name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
