"""The protocol modules' public surface: sorted ``__all__`` that names real objects, and doctests that run."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = (
    "accord.protocols.alternating_offers",
    "accord.protocols.blind_bidding",
    "accord.protocols.legality",
    "accord.protocols.one_text",
    "accord.protocols.post_settlement",
    "accord.protocols.registry",
    "accord.protocols.replay",
    "accord.protocols.shuttle",
    "accord.protocols.single_text",
    "accord.testing.random_actions",
)


@pytest.mark.parametrize("module_name", MODULES)
def test_all_is_sorted_and_real(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert list(module.__all__) == sorted(module.__all__)
    assert all(hasattr(module, name) for name in module.__all__)


@pytest.mark.parametrize("module_name", MODULES)
def test_doctests(module_name: str) -> None:
    module = importlib.import_module(module_name)
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert failures == 0 and tried > 0
