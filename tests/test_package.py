"""The public surface of every module: an honest, ordered ``__all__`` and docstring examples that run.

Modules are discovered, not listed, so a new module is checked the day it lands.
"""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import subprocess
import sys
import tomllib
from pathlib import Path

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


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter with this checkout's sources first; return its output."""
    source = str(Path(accord.__file__).resolve().parents[1])
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment, check=True, timeout=120
    )
    return done.stdout


#: What the domain must not pull in: the engine's other layers and their dependencies.
HEAVY = (
    "pydantic",
    "yaml",
    "matplotlib",
    "rich",
    "pyarrow",
    "accord.analysis",
    "accord.io",
    "accord.session",
)


def test_importing_the_domain_does_not_load_the_engine() -> None:
    loaded = run_python(
        "import sys, accord.domain\n"
        f"print(' '.join(name for name in {HEAVY!r} if name in sys.modules))\n"
        "print(' '.join(sorted(name for name in sys.modules if name.startswith('accord'))))"
    ).splitlines()
    assert loaded[0] == "", f"import accord.domain loads {loaded[0]}"
    assert set(loaded[1].split()) == {
        "accord",
        "accord.domain",
        "accord.domain.coalitions",
        "accord.domain.invariants",
        "accord.domain.issues",
        "accord.domain.parties",
        "accord.domain.scenario",
        "accord.errors",
    }


def test_the_package_resolves_its_public_names_on_first_use() -> None:
    output = run_python(
        "import sys, accord\n"
        "print('accord.session' in sys.modules)\n"
        "print(accord.run_session.__module__, accord.analyze.__module__, accord.load_scenario.__module__)\n"
        "print(sorted(set(accord.__all__) - set(dir(accord))))"
    ).splitlines()
    assert output == [
        "False",
        "accord.session.loop accord.analysis.summary accord.io.scenario_file",
        "[]",
    ]
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        accord.nothing  # noqa: B018


def test_every_package_and_top_level_module_has_its_place_in_the_import_contracts() -> None:
    """Each part of Accord is a layer or the source of a forbidden contract in pyproject.toml."""
    configuration = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    placed: set[str] = set()
    for contract in configuration["tool"]["importlinter"]["contracts"]:
        placed.update(contract.get("source_modules", ()))
        for layer in contract.get("layers", ()):
            placed.update(part.strip() for part in layer.replace(":", "|").split("|"))
    parts = {f"accord.{info.name}" for info in pkgutil.iter_modules(accord.__path__)}
    assert parts - placed == set(), "give these a place in [tool.importlinter] of pyproject.toml"
