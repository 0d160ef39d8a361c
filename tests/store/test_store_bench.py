"""The store benchmark still runs (it measures; this only smokes it, on SQLite, briefly)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "store_appends.py"


def test_the_store_benchmark_measures_every_case(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_store_appends", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    assert module.main(["--seconds", "0.1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line[len("postgresql ") :].split("  ")[0].strip() for line in lines] == [
        "1 thread, 1 room",
        "8 threads, 1 room",
        "8 threads, own rooms",
    ]
    assert all(line.startswith("sqlite") and "appends/s" in line for line in lines)
