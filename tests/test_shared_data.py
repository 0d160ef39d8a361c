"""The shared-data helper: present data is handed over; absent data skips locally and fails under CI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import shared_data
from shared_data import ABSENT_MARK, shared_cases, shared_path


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "domains").mkdir()
    monkeypatch.setattr(shared_data, "SHARED", tmp_path)
    return tmp_path


def test_the_shared_folder_is_beside_the_repository_root() -> None:
    root = Path(__file__).resolve().parents[1]
    assert (root / "pyproject.toml").exists()
    assert root.parent / "shared" == shared_data.SHARED


def test_present_data_is_handed_over(shared: Path) -> None:
    assert shared_path("domains") == shared / "domains"


@pytest.mark.parametrize("ci", ["", "false", "0"])
def test_absent_data_skips_with_the_path_outside_ci(
    shared: Path, monkeypatch: pytest.MonkeyPatch, ci: str
) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match=r"absent: .*missing\.json"):
        shared_path("domains", "missing.json")


@pytest.mark.parametrize("ci", ["true", "TRUE", "True"])
def test_absent_data_fails_under_ci(shared: Path, monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match=r"absent: .*missing\.json .*CI=true"):
        shared_path("domains", "missing.json")


def test_cases_over_found_files_are_the_files(shared: Path) -> None:
    assert shared_cases([shared / "domains"], "domains") == [shared / "domains"]


class _Item:
    def __init__(self, marks: list[pytest.MarkDecorator]) -> None:
        self.marks = {mark.mark.name: mark.mark for mark in marks}

    def get_closest_marker(self, name: str) -> pytest.Mark | None:
        return self.marks.get(name)


def _root_conftest(config: pytest.Config) -> Any:
    """The tests' own root ``conftest`` module, as pytest loaded it (``import conftest`` may find
    another folder's ``conftest`` when several are on the path)."""
    path = Path(__file__).with_name("conftest.py").resolve()
    for plugin in config.pluginmanager.get_plugins():
        if Path(getattr(plugin, "__file__", "") or "").resolve() == path:
            return plugin
    raise AssertionError(f"pytest has not loaded {path}")


def test_no_cases_found_is_one_case_that_skips_or_fails(
    shared: Path, monkeypatch: pytest.MonkeyPatch, pytestconfig: pytest.Config
) -> None:
    conftest = _root_conftest(pytestconfig)
    (case,) = shared_cases([], "domains", "anl2023-*")
    assert case.values == (None,) and case.id == "shared-data-absent"
    item = _Item(list(case.marks))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="anl2023-"):
        conftest.pytest_runtest_setup(item)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="anl2023-"):
        conftest.pytest_runtest_setup(item)
    conftest.pytest_runtest_setup(_Item([]))
    assert ABSENT_MARK in {mark.name for mark in case.marks}
