"""The public surface of accord.forecast: a sorted, honest ``__all__``, and doctests that run."""

from __future__ import annotations

import doctest
import importlib

import pytest

import accord.forecast

MODULES = [
    "accord.forecast.backtest",
    "accord.forecast.baseline",
    "accord.forecast.expected_utility",
    "accord.forecast.models",
    "accord.forecast.plots",
    "accord.forecast.readers",
    "accord.forecast.sensitivity",
]


def isort_style(name: str) -> tuple[int, str]:
    """Constants, then classes, then functions, each alphabetical (ruff's RUF022 order)."""
    if name.isupper():
        return (0, name)
    return (1, name) if name[0].isupper() else (2, name)


def test_all_is_sorted_and_importable() -> None:
    names = accord.forecast.__all__
    assert names == sorted(names, key=isort_style)
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(accord.forecast, name), name


@pytest.mark.parametrize("module_name", MODULES)
def test_doctests(module_name: str) -> None:
    module = importlib.import_module(module_name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
