"""The one way tests reach the shared reference data (``shared/`` beside the repository root).

The shared folder holds third-party scenarios and reference runs that are not committed
(licences, size). A test that reads it asks :func:`shared_path` for each file or folder
(or, to run once per shared file, parametrizes over :func:`shared_cases`). When the data
is absent the test is skipped with the reason on a developer's machine, and fails under
``CI=true``, where the data must be present: a reference test that silently skips in CI
is not a test.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, NoReturn

import pytest

__all__ = ["SHARED", "shared_absent", "shared_cases", "shared_path", "shared_required"]

#: The directory named ``shared`` beside the repository root.
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

#: The mark :func:`shared_cases` puts on its stand-in case; ``conftest.py`` acts on it.
ABSENT_MARK = "shared_data_absent"


def shared_required() -> bool:
    """Whether missing shared data fails the tests rather than skipping them (``CI=true``)."""
    return os.environ.get("CI", "").strip().lower() == "true"


def shared_absent(path: Path) -> NoReturn:
    """Skip the running test because ``path`` is absent, or fail it under ``CI=true``."""
    reason = f"shared reference data absent: {path}"
    if shared_required():
        pytest.fail(f"{reason} (CI=true: the shared data must be present)", pytrace=False)
    pytest.skip(reason)


def shared_path(*parts: str) -> Path:
    """``SHARED / parts``, which must exist: else the calling test is skipped (failed under ``CI=true``)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        shared_absent(path)
    return path


def shared_cases(found: list[Any], *looked_for: str) -> list[Any]:
    """Parameters for a test run once per shared file or folder: ``found``, or, when nothing was
    found, one stand-in case that is skipped (failed under ``CI=true``) naming ``SHARED / looked_for``.
    """
    if found:
        return found
    where = str(SHARED.joinpath(*looked_for))
    return [pytest.param(None, id="shared-data-absent", marks=getattr(pytest.mark, ABSENT_MARK)(where))]
