"""The benchmark scripts still run: each part once, briefly (they measure; these tests only smoke them)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def test_the_sessions_benchmark_measures_every_case(capsys: pytest.CaptureFixture[str]) -> None:
    sessions = load("sessions")
    assert sessions.main(["--seconds", "0.05", "--skip-negmas", "--skip-ray"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "accord" in line]
    assert [line.split("  ")[0] for line in lines] == [
        "bilateral alternating offers",
        "3-party alternating offers",
        "5-party single text",
    ]
    assert all("100% agree" in line for line in lines)


@pytest.mark.ray
def test_the_ray_scaling_parts_run(tmp_path: Path) -> None:
    sessions = load("sessions")
    from accord.io import save_scenario

    path = tmp_path / "opposed-2.yaml"
    save_scenario(sessions.accord_scenario(sessions.opposed_workload(2)), path)
    measurement = sessions.ray_rate(path, 1, 40)
    assert measurement.sessions >= 40 and measurement.rate > 0 and 0 < measurement.busy <= 1.0
    played, elapsed = sessions._plain_worker(0.05)  # what each plain process runs (the pool needs __main__)
    assert played >= 3 and elapsed > 0


def test_the_batch_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    batch = load("batch")
    assert batch.main(["--quick", "--skip-negmas", "--seconds", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "run_session, one by one" in out and "10,000" in out and "bytes" in out
