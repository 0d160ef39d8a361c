"""bench/room_load.py still runs: one small room, a few idle streams (it measures; this only smokes it)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "room_load.py"


@pytest.mark.slow
def test_the_room_load_benchmark_runs_and_counts_everything(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("bench_room_load", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    assert module.main(["--rooms", "2", "--rounds", "1", "--idle", "6"]) == 0
    out = capsys.readouterr().out
    assert "2 rooms × 4 seats = 8 clients, SQLite" in out
    assert "errors 0, lost items 0" in out
    assert "idle: 6 of 6 streams held at once" in out
    # Each seat criticised once and voted once: 16 acknowledgements.
    assert "(16)" in out.split("action → acknowledgement")[1].splitlines()[0]
