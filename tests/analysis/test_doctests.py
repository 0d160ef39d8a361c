"""Every docstring example in the analysis modules and the shared strategies runs."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = [
    "accord",
    "accord.analysis",
    "accord.analysis.bargaining",
    "accord.analysis.frontier",
    "accord.analysis.pareto",
    "accord.analysis.summary",
    "accord.analysis.zone",
    "accord.testing.strategies",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert failures == 0
