"""Test-wide setup.

Being here, this file also puts ``tests/`` on ``sys.path`` (pytest's default ``prepend``
import mode), so test modules import the helpers beside it by name:
``from shared_data import shared_path``, ``from scenarios import two_party``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from shared_data import ABSENT_MARK, shared_absent

# Examples are judged by what they show, not how fast a shared two-core machine runs them:
# no per-example deadline (a loaded CI machine made correct examples fail the 200 ms default).
settings.register_profile("accord", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("accord")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{ABSENT_MARK}(path): shared data a parametrized test runs over was not found"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    marker = item.get_closest_marker(ABSENT_MARK)
    if marker is not None:
        shared_absent(Path(marker.args[0]))
