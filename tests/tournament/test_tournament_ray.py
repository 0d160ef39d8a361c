"""The Ray backend gives the local runner's records for the same seeds (on one local Ray)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from accord.tournament import TIMING_COLUMNS, ResultSet, TournamentConfig, run_local

ray = pytest.importorskip("ray")

from accord.tournament.ray_backend import run_ray  # noqa: E402  (only with ray installed)


def comparable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{key: value for key, value in record.items() if key not in TIMING_COLUMNS} for record in records]


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """One Ray for the module: starting one takes seconds."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.mark.ray
def test_ray_records_equal_local_records(local_ray: None, scenarios: tuple[str, str]) -> None:
    config = TournamentConfig(
        scenarios=scenarios,
        protocol="alternating-offers",
        agents=("boulware", "random"),
        repetitions=2,
        rounds=20,
    )
    records = run_ray(config)
    assert ray.is_initialized()  # a Ray the caller started is left running
    assert comparable(records) == comparable(run_local(config))


@pytest.mark.ray
def test_ray_plays_only_what_a_resumed_tournament_lacks(local_ray: None, scenarios: tuple[str, str]) -> None:
    config = TournamentConfig(
        scenarios=scenarios, protocol="alternating-offers", agents=("boulware", "conceder"), repetitions=2
    )
    heard: list[list[dict[str, Any]]] = []
    done = {0, 1, 2, 7, 19}
    records = run_ray(config, done=done, on_records=heard.append)
    every = run_local(config)
    assert comparable(records) == comparable([record for record in every if record["index"] not in done])
    assert sorted(record["index"] for share in heard for record in share) == [
        record["index"] for record in records
    ]


@pytest.mark.ray
def test_the_command_runs_on_ray(
    local_ray: None, scenarios: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    agents = "boulware,conceder,random"
    arguments = [scenarios[0], "--protocol", "alternating-offers", "--agents", agents, "--backend", "ray"]
    assert main(["tournament", *arguments, "--out", str(tmp_path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["sessions"] == 6 and summary["backend"] == "ray"
    local = TournamentConfig(
        scenarios=(scenarios[0],), protocol="alternating-offers", agents=tuple(agents.split(","))
    )
    assert comparable(list(ResultSet.read(tmp_path).records)) == comparable(run_local(local))


class Reference:
    def __init__(self, value: Any) -> None:
        self.value = value


class FakeRay:
    """Ray's API as the backend uses it, run synchronously: checks start-up and shut-down choices."""

    def __init__(self) -> None:
        self.running = False
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def is_initialized(self) -> bool:
        return self.running

    def init(self, **options: Any) -> None:
        self.calls.append(("init", options))
        self.running = True

    def shutdown(self) -> None:
        self.calls.append(("shutdown", {}))
        self.running = False

    def cluster_resources(self) -> dict[str, float]:
        return {"CPU": 3.0}

    def put(self, value: Any) -> Any:
        return value

    def remote(self, **_: Any) -> Callable[[Callable[..., Any]], Any]:
        class Task:
            def __init__(self, function: Callable[..., Any]) -> None:
                self.function = function

            def remote(self, *arguments: Any) -> Any:
                return Reference(self.function(*arguments))

        return Task

    def wait(self, references: list[Any], num_returns: int) -> tuple[list[Any], list[Any]]:
        # Finish out of order, last first, to check that records come back in session order.
        return references[-num_returns:], references[:-num_returns]

    def get(self, reference: Reference) -> Any:
        return reference.value


def test_the_backend_starts_and_stops_only_its_own_ray(
    monkeypatch: pytest.MonkeyPatch, scenarios: tuple[str, str]
) -> None:
    fake = FakeRay()
    monkeypatch.setitem(sys.modules, "ray", fake)
    config = TournamentConfig(
        scenarios=scenarios, protocol="alternating-offers", agents=("boulware", "random")
    )
    records = run_ray(config, jobs=2)
    assert [name for name, _ in fake.calls] == ["init", "shutdown"]
    assert fake.calls[0][1]["num_cpus"] == 2 and fake.calls[0][1]["include_dashboard"] is False
    assert [record["index"] for record in records] == list(range(len(config.sessions())))
    fake.calls.clear()
    run_ray(config, address="ray://head:10001")
    assert fake.calls[0][1]["address"] == "ray://head:10001"
    fake.calls.clear()
    fake.running = True
    run_ray(config)
    assert fake.calls == [] and fake.running
