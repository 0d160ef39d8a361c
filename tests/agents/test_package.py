"""The public surface of accord.agents, the session and traces: sorted ``__all__`` and doctests that run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = (
    "accord.agents",
    "accord.agents.concession",
    "accord.agents.criticism",
    "accord.agents.frequency",
    "accord.agents.mediators",
    "accord.agents.outcomes",
    "accord.agents.random_agent",
    "accord.agents.registry",
    "accord.agents.responses",
    "accord.agents.tit_for_tat",
    "accord.session",
    "accord.trace",
    "accord.testing.conformance",
    "accord.reports.session_report",
    "accord.cli.engine",
)


@pytest.mark.parametrize("module_name", MODULES)
def test_all_is_sorted_and_honest(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert list(module.__all__) == sorted(module.__all__)
    for name in module.__all__:
        assert hasattr(module, name), name


@pytest.mark.parametrize("module_name", MODULES)
def test_doctests(module_name: str) -> None:
    module = importlib.import_module(module_name)
    failures, _ = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
