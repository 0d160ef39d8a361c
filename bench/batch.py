"""The batch engine: sessions per second against NegMAS and ``run_session``, scaling with batch size,
memory per session, and a million bilateral sessions.

Run from the repository root (NegMAS installed for the comparison, e.g. ``pip install -e '.[dev,bench]'``)::

    .venv/bin/python bench/batch.py                  # a few minutes
    .venv/bin/python bench/batch.py --quick          # up to 10,000 sessions, no million
    .venv/bin/python bench/batch.py --skip-negmas

The workload is ``bench/sessions.py``'s bilateral case: 4 issues × 10 values, opposed
preferences, Boulware (e = 0.2) against Conceder (e = 2), 100 rounds. Every figure is given
as CPU time of this process (``time.process_time``) and wall time, with the load average:
on a shared machine the CPU time is the steadier of the two.

* NegMAS's ``SAOMechanism`` with the same curves (as in ``bench/sessions.py``), Accord's
  ``run_session``, and the batch engine at its largest batch: sessions per second of CPU.
* Time per session as the batch grows (1 … 100,000 sessions), to play them
  (``play_batch``: the outcome of every session as arrays) and to summarise each
  (``BatchRun.summary``: reason, rounds, agreement, utilities, Pareto verdict — what a
  tournament record needs).
* Memory per session: the peak of Python's allocations (``tracemalloc``, numpy's arrays
  included) while a batch is built and played, divided by its size.
* The 5-party single text (the hill-climbing mediator; delegations Boulware, Conceder,
  Linear, Boulware, Conceder; ``bench/sessions.py``'s 5-party workload): a batch of 10,000
  (1,000 with ``--quick``) against ``run_session`` and NegMAS's own single-text mechanism,
  ``VetoSTMechanism`` (same outcomes, parties and 100 steps; its ``BinaryComparatorNegotiator``
  vetoes any change that makes it worse off). Goal ≥ 20×.
* The other agents the batch plays, on the same workloads: bilateral alternating offers with
  the frequency opponent model against Conceder, and tit-for-tat against Boulware; the 5-party
  single text with the Nash-seeking mediator (delegations as above), and with the hill-climber
  and tit-for-tat delegations (tit-for-tat, Conceder, Linear, tit-for-tat, Boulware). For each:
  the time per session (played and summarised) as the batch grows, memory per session, and the
  batch against ``run_session`` one by one, measured in the same run.
* A million bilateral sessions, built, played and summarised; then a million over 100
  different scenarios drawn like the workload (10,000 sessions each), so that no two
  scenarios share plans.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sessions as workload
from accord.batch import BatchSession, play_batch
from accord.domain import Scenario
from accord.session import run_session

SEATING = dict(zip(("p1", "p2"), workload.BILATERAL_AGENTS, strict=True))


@dataclass(frozen=True, slots=True)
class Timing:
    """CPU and wall seconds of some work over ``sessions`` sessions."""

    sessions: int
    cpu: float
    wall: float

    def per_session(self) -> str:
        return f"{self.cpu / self.sessions * 1e6:9.2f} µs CPU, {self.wall / self.sessions * 1e6:9.2f} µs wall"

    def rate(self) -> float:
        """Sessions per second of CPU."""
        return self.sessions / self.cpu


def timed(work: Callable[[], object], sessions: int) -> Timing:
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return Timing(sessions, time.process_time() - cpu, time.perf_counter() - wall)


def load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def batch_of(scenario: Scenario, count: int, *, first_seed: int = 0) -> list[BatchSession]:
    return [
        BatchSession(scenario=scenario, agents=SEATING, seed=seed, rounds=workload.ROUNDS)
        for seed in range(first_seed, first_seed + count)
    ]


def one_by_one(play: Callable[[int], tuple[int, bool]], seconds: float) -> Timing:
    """Sessions played one at a time for about ``seconds`` of CPU."""
    play(0)
    count = 0
    cpu, wall = time.process_time(), time.perf_counter()
    while time.process_time() - cpu < seconds or count < 3:
        play(count)
        count += 1
    return Timing(count, time.process_time() - cpu, time.perf_counter() - wall)


def played_and_summarised(sessions: list[BatchSession]) -> tuple[Timing, Timing]:
    found = []
    played = timed(lambda: found.append(play_batch(sessions)), len(sessions))
    run = found[0]
    summarised = timed(run.summaries, len(sessions))
    return played, summarised


def memory_per_session(scenario: Scenario, count: int) -> float:
    """Peak bytes of Python allocations per session while ``count`` sessions are built and played."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    run = play_batch(batch_of(scenario, count))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del run
    return (peak - before) / count


def scenarios_drawn(count: int) -> list[Scenario]:
    """``count`` scenarios drawn like the workload (other seeds), opposed as it is."""
    drawn = []
    for number in range(count):
        rng = np.random.default_rng(workload.SEED + 1 + number)
        weights, values = [], []
        for _ in range(2):
            row = rng.random(workload.ISSUES)
            weights.append(row / row.sum())
            tables = rng.random((workload.ISSUES, workload.VALUES))
            low, high = tables.min(axis=1, keepdims=True), tables.max(axis=1, keepdims=True)
            values.append((tables - low) / (high - low))
        values[1] = 1.0 - values[0]
        scenario = workload.accord_scenario(workload.Workload(tuple(weights), tuple(values)))
        drawn.append(Scenario(f"drawn-{number}", scenario.agenda, scenario.parties))
    return drawn


def negmas_single_text(parties: int) -> Callable[[int], object]:
    """One run of NegMAS's VetoSTMechanism on the workload with ``parties`` parties."""
    from negmas import make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun
    from negmas.st import BinaryComparatorNegotiator, VetoSTMechanism

    drawn = workload.opposed_workload(parties)
    issues = [make_issue(workload.value_names(), name=name) for name in workload.issue_names()]

    def play(_: int) -> object:
        mechanism = VetoSTMechanism(issues=issues, n_steps=workload.ROUNDS)
        for weights, tables in zip(drawn.weights, drawn.values, strict=True):
            utility = LinearAdditiveUtilityFunction(
                values={
                    issue: TableFun(dict(zip(workload.value_names(), map(float, row), strict=True)))
                    for issue, row in zip(workload.issue_names(), tables, strict=True)
                },
                weights=dict(zip(workload.issue_names(), map(float, weights), strict=True)),
                outcome_space=mechanism.outcome_space,
            )
            mechanism.add(BinaryComparatorNegotiator(), ufun=utility)
        return mechanism.run()

    return play


def five_party(*, quick: bool, skip_negmas: bool, seconds: float) -> None:
    """The 5-party single text: batch against run_session and NegMAS's VetoSTMechanism."""
    scenario = workload.accord_scenario(workload.opposed_workload(5))
    seating = {
        party.name: agent
        for party, agent in zip(scenario.delegations, workload.FIVE_PARTY_AGENTS, strict=True)
    }
    size = 1_000 if quick else 10_000

    def sessions(first: int) -> list[BatchSession]:
        return [
            BatchSession(scenario=scenario, agents=seating, seed=seed, rounds=workload.ROUNDS)
            for seed in range(first, first + size)
        ]

    warm = play_batch(sessions(0)[:10], "single-text")
    warm.summaries()
    batch = sessions(size)
    found = []
    played = timed(lambda: found.append(play_batch(batch, "single-text")), size)
    summarised = timed(lambda: found[0].summaries(), size)
    both = Timing(size, played.cpu + summarised.cpu, played.wall + summarised.wall)
    print(f"\n5-party single text, hill-climbing mediator (load average {load()})")
    rate = f"{both.rate():10.1f} sessions per CPU second ({both.per_session()})"
    print(f"batch of {size:,}, played and summarised: {rate}")
    singles = one_by_one(
        lambda seed: run_session(scenario, "single-text", seating, seed=seed, rounds=workload.ROUNDS), seconds
    )
    print(
        f"run_session, one by one: {singles.rate():10.1f} sessions per CPU second ({singles.per_session()})"
    )
    if not skip_negmas:
        theirs = one_by_one(negmas_single_text(5), seconds)
        ratio = both.rate() / theirs.rate()
        verdict = "meets" if ratio >= 20 else "MISSES"
        print(
            f"NegMAS VetoSTMechanism:  {theirs.rate():10.1f} sessions per CPU second ({theirs.per_session()})"
        )
        print(f"batch / NegMAS: {ratio:.0f}× per CPU second (goal ≥ 20×: {verdict})")


@dataclass(frozen=True, slots=True)
class AgentWorkload:
    """A workload of the other agents: its name, scenario, protocol and seating."""

    name: str
    scenario: Scenario
    protocol: str
    seating: dict[str, str]

    def sessions(self, count: int, *, first_seed: int = 0) -> list[BatchSession]:
        return [
            BatchSession(scenario=self.scenario, agents=self.seating, seed=seed, rounds=workload.ROUNDS)
            for seed in range(first_seed, first_seed + count)
        ]


def agent_workloads() -> list[AgentWorkload]:
    bilateral = workload.accord_scenario(workload.opposed_workload(2))
    five = workload.accord_scenario(workload.opposed_workload(5))
    names = [party.name for party in five.delegations]
    return [
        AgentWorkload(
            "bilateral, frequency vs Conceder",
            bilateral,
            "alternating-offers",
            {"p1": "frequency-v1", "p2": "conceder-v1"},
        ),
        AgentWorkload(
            "bilateral, tit-for-tat vs Boulware",
            bilateral,
            "alternating-offers",
            {"p1": "tit-for-tat-v1", "p2": "boulware-v1"},
        ),
        AgentWorkload(
            "5-party single text, Nash-seeking mediator; B, C, L, B, C",
            five,
            "single-text",
            {"Mediator": "nash-mediator-v1", **dict(zip(names, workload.FIVE_PARTY_AGENTS, strict=True))},
        ),
        AgentWorkload(
            "5-party single text, hill-climber; T, C, L, T, B",
            five,
            "single-text",
            dict(
                zip(
                    names,
                    ("tit-for-tat-v1", "conceder-v1", "linear-v1", "tit-for-tat-v1", "boulware-v1"),
                    strict=True,
                )
            ),
        ),
    ]


def other_agents(*, quick: bool, seconds: float) -> None:
    """Each workload of the other agents: time per session by batch size, memory, against run_session."""
    sizes = [1, 10, 100, 1_000] + ([] if quick else [10_000])
    for case in agent_workloads():
        warm = play_batch(case.sessions(10), case.protocol)
        warm.summaries()
        print(f"\n{case.name} (load average {load()})")
        print("batch size        played and summarised (per session)")
        largest = None
        for size in sizes:
            batch = case.sessions(size, first_seed=size)
            timing = timed(lambda batch=batch, case=case: play_batch(batch, case.protocol).summaries(), size)
            largest = timing
            print(f"{size:>10,}  {timing.per_session()}")
        assert largest is not None
        tracemalloc.start()
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        run = play_batch(case.sessions(sizes[-1]), case.protocol)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        del run
        print(f"memory: {(peak - before) / sizes[-1]:8.0f} bytes per session at {sizes[-1]:,}")
        singles = one_by_one(
            lambda seed, case=case: (
                run_session(case.scenario, case.protocol, case.seating, seed=seed, rounds=workload.ROUNDS),
                0,
            )[1],
            seconds,
        )
        print(
            f"run_session, one by one: {singles.rate():10.1f} sessions per CPU second; batch of"
            f" {sizes[-1]:,}: {largest.rate():10.1f} ({largest.rate() / singles.rate():.0f}× run_session)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="batches up to 10,000 sessions, no million")
    parser.add_argument("--skip-negmas", action="store_true")
    parser.add_argument(
        "--skip-others", action="store_true", help="only Boulware vs Conceder and the 5-party text"
    )
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds for each one-by-one rate")
    arguments = parser.parse_args(argv)
    scenario = workload.accord_scenario(workload.opposed_workload(2))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average before the run {load()}")
    print("bilateral alternating offers, Boulware vs Conceder, opposed 4×10, 100 rounds (one process)")

    sizes = [1, 10, 100, 1_000, 10_000] + ([] if arguments.quick else [100_000])
    played_and_summarised(batch_of(scenario, 10))  # compile the scenario, its frontier and rankings first
    print("\nbatch size        play (per session)                     summary (per session)")
    largest = None
    for size in sizes:
        played, summarised = played_and_summarised(batch_of(scenario, size))
        largest = (played, summarised)
        print(f"{size:>10,}  {played.per_session()}   {summarised.per_session()}")
    assert largest is not None
    batch = Timing(largest[0].sessions, largest[0].cpu + largest[1].cpu, largest[0].wall + largest[1].wall)

    singles = one_by_one(
        lambda seed: (
            run_session(scenario, "alternating-offers", SEATING, seed=seed, rounds=workload.ROUNDS),
            0,
        )[1],
        arguments.seconds,
    )
    print(
        f"\nrun_session, one by one: {singles.rate():10.1f} sessions per CPU second ({singles.per_session()})"
    )
    print(
        f"batch of {batch.sessions:,}, played and summarised: {batch.rate():10.1f} sessions per CPU second"
        f" ({batch.rate() / singles.rate():.0f}× run_session)"
    )
    if not arguments.skip_negmas:
        theirs = one_by_one(
            workload.negmas_player(workload.opposed_workload(2), workload.BILATERAL_AGENTS), arguments.seconds
        )
        ratio = batch.rate() / theirs.rate()
        print(
            f"NegMAS SAOMechanism:     {theirs.rate():10.1f} sessions per CPU second ({theirs.per_session()})"
        )
        verdict = "meets" if ratio >= 500 else "MISSES"
        print(f"batch / NegMAS: {ratio:.0f}× per CPU second (goal ≥ 500×: {verdict})")

    print("\nmemory (peak Python allocations while building and playing, per session)")
    for size in [1_000, 10_000] + ([] if arguments.quick else [100_000]):
        print(f"{size:>10,}  {memory_per_session(scenario, size):8.0f} bytes")

    five_party(quick=arguments.quick, skip_negmas=arguments.skip_negmas, seconds=arguments.seconds)
    if not arguments.skip_others:
        other_agents(quick=arguments.quick, seconds=arguments.seconds)

    if not arguments.quick:
        million = 1_000_000
        print(f"\na million sessions (load average {load()})")
        sessions: list[BatchSession] = []
        built = timed(lambda: sessions.extend(batch_of(scenario, million)), million)
        played, summarised = played_and_summarised(sessions)
        total = Timing(
            million, built.cpu + played.cpu + summarised.cpu, built.wall + played.wall + summarised.wall
        )
        for name, part in (("built", built), ("played", played), ("summarised", summarised), ("all", total)):
            print(f"  {name:<11} {part.cpu:7.2f} s CPU, {part.wall:7.2f} s wall")
        print(
            f"  goal: under 120 s: {'meets' if total.wall < 120 else 'MISSES'} (wall), "
            f"{'meets' if total.cpu < 120 else 'MISSES'} (CPU)"
        )
        del sessions
        drawn = scenarios_drawn(100)
        varied: list[BatchSession] = []
        built = timed(
            lambda: varied.extend(
                session
                for number, each in enumerate(drawn)
                for session in batch_of(each, million // 100, first_seed=number)
            ),
            million,
        )
        played, summarised = played_and_summarised(varied)
        total = Timing(
            million, built.cpu + played.cpu + summarised.cpu, built.wall + played.wall + summarised.wall
        )
        print(f"a million sessions over 100 scenarios (load average {load()})")
        for name, part in (("built", built), ("played", played), ("summarised", summarised), ("all", total)):
            print(f"  {name:<11} {part.cpu:7.2f} s CPU, {part.wall:7.2f} s wall")
    print(f"\nload average after the run {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
