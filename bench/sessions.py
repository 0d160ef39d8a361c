"""Sessions per second: Accord against NegMAS, and Accord's Ray backend scaling across cores.

Run from the repository root (NegMAS and Ray installed, e.g. ``pip install -e '.[dev,bench]'``)::

    .venv/bin/python bench/sessions.py                  # about ten minutes (five Ray turns)
    .venv/bin/python bench/sessions.py --seconds 2      # quicker, noisier
    .venv/bin/python bench/sessions.py --skip-ray       # without the Ray part

The workload: 4 issues × 10 values; k parties drawn in order from one
``numpy.random.default_rng(20240601)`` stream (per party, weights ``rng.random(4)``
divided by their sum, then per issue ``rng.random(10)`` min-max scaled to [0, 1]);
then "opposed": every odd-numbered party (the 2nd, 4th, …) has its value tables
replaced by 1 − those of the party before it (its drawn weights are kept, and the
stream is drawn exactly as without the opposition). 100 rounds; reservation 0.

Measured (each for ``--seconds`` of wall time, one process):

* bilateral alternating offers, Boulware against Conceder;
* 3-party alternating offers, Boulware / Conceder / Linear;
* 5-party single text (Accord's hill-climbing mediator; delegations Boulware,
  Conceder, Linear, Boulware, Conceder). NegMAS has no single-text mechanism: it
  is compared with NegMAS's closest, a 5-party SAO with the same delegations;
* Ray: the bilateral workload as a tournament on a local Ray with 1 CPU and with
  every core, sessions per second after start-up; efficiency = speed-up / cores.
  The counts take turns (five each, every run on a fresh Ray); plain Python
  processes without Ray are measured in the same turns as the machine's ceiling.

NegMAS's time-based negotiators use ``u(t) = 1 − t^k``; Accord's Genius curve is
``u(t) = 1 − t^(1/e)`` (reservation 0), so NegMAS gets ``k = 1/e``: Boulware e = 0.2
→ k = 5, Conceder e = 2 → k = 0.5, Linear → 1 (NegMAS's own defaults are 4 and 0.25).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from accord.agents.concession import ConcessionCurve
from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Role, Scenario
from accord.session import run_session

ISSUES = 4
VALUES = 10
ROUNDS = 100
SEED = 20240601

#: Accord agent ids and the Genius exponent each follows, cycled over the seats.
STRATEGIES = (
    ("boulware-v1", ConcessionCurve.boulware().exponent),
    ("conceder-v1", ConcessionCurve.conceder().exponent),
    ("linear-v1", ConcessionCurve.linear().exponent),
)
BILATERAL_AGENTS = ("boulware-v1", "conceder-v1")
#: Turns of the scaling measurement: each CPU count is measured this many times, the fastest kept.
TURNS = 5
FIVE_PARTY_AGENTS = ("boulware-v1", "conceder-v1", "linear-v1", "boulware-v1", "conceder-v1")


@dataclass(frozen=True, slots=True)
class Workload:
    """``weights[p]: (ISSUES,)`` and ``values[p]: (ISSUES, VALUES)`` for each party ``p``."""

    weights: tuple[np.ndarray, ...]
    values: tuple[np.ndarray, ...]


def opposed_workload(parties: int) -> Workload:
    """The benchmark's preferences for ``parties`` parties (see the module docstring)."""
    rng = np.random.default_rng(SEED)
    weights: list[np.ndarray] = []
    values: list[np.ndarray] = []
    for _ in range(parties):
        drawn = rng.random(ISSUES)
        weights.append(drawn / drawn.sum())
        tables = np.empty((ISSUES, VALUES))
        for issue in range(ISSUES):
            row = rng.random(VALUES)
            tables[issue] = (row - row.min()) / (row.max() - row.min())
        values.append(tables)
    for party in range(1, parties, 2):
        values[party] = 1.0 - values[party - 1]
    return Workload(tuple(weights), tuple(values))


def issue_names() -> list[str]:
    return [f"issue{issue}" for issue in range(ISSUES)]


def value_names() -> list[str]:
    return [f"v{value}" for value in range(VALUES)]


def accord_scenario(workload: Workload) -> Scenario:
    """The workload as an Accord scenario (delegations ``p1``, ``p2``, …)."""
    issues = issue_names()
    options = tuple(Option(name) for name in value_names())
    agenda = Agenda(tuple(DiscreteIssue(name, options) for name in issues))
    parties = []
    for number, (weights, tables) in enumerate(zip(workload.weights, workload.values, strict=True), start=1):
        preferences = Preferences(
            weights={issue: float(weight) for issue, weight in zip(issues, weights, strict=True)},
            option_values={
                issue: {value: float(x) for value, x in zip(value_names(), row, strict=True)}
                for issue, row in zip(issues, tables, strict=True)
            },
        )
        parties.append(Party(f"p{number}", Role.DELEGATION, preferences))
    return Scenario(f"opposed-{len(parties)}", agenda, tuple(parties))


@dataclass(frozen=True, slots=True)
class Measurement:
    """``busy``: for Ray, the summed session times over the wall time, i.e. how many workers were busy."""

    sessions: int
    seconds: float
    rounds: float
    agreements: float
    busy: float = 1.0

    @property
    def rate(self) -> float:
        return self.sessions / self.seconds


def measure(play: Callable[[int], tuple[int, bool]], seconds: float, *, least: int = 3) -> Measurement:
    """Call ``play(i)`` (→ rounds, agreed) for ``seconds`` and at least ``least`` times."""
    play(0)  # warm caches and imports
    rounds: list[int] = []
    agreed = 0
    started = time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds or len(rounds) < least:
        taken, success = play(len(rounds) + 1)
        rounds.append(taken)
        agreed += success
    return Measurement(len(rounds), elapsed, statistics.fmean(rounds), agreed / len(rounds))


def accord_player(
    scenario: Scenario, protocol: str, agents: Sequence[str]
) -> Callable[[int], tuple[int, bool]]:
    seating = {party.name: agent for party, agent in zip(scenario.delegations, agents, strict=True)}

    def play(seed: int) -> tuple[int, bool]:
        result = run_session(scenario, protocol, seating, seed=seed, rounds=ROUNDS)
        return result.rounds, result.agreement is not None

    return play


def negmas_player(workload: Workload, agents: Sequence[str]) -> Callable[[int], tuple[int, bool]]:
    """A NegMAS SAO session with time-based negotiators whose curves match Accord's."""
    from negmas import SAOMechanism, make_issue
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun
    from negmas.sao.negotiators import TimeBasedConcedingNegotiator

    exponents = dict(STRATEGIES)
    issues = [make_issue(value_names(), name=name) for name in issue_names()]

    def play(_: int) -> tuple[int, bool]:
        mechanism = SAOMechanism(issues=issues, n_steps=ROUNDS)
        for weights, tables, agent in zip(workload.weights, workload.values, agents, strict=True):
            utility = LinearAdditiveUtilityFunction(
                values={
                    issue: TableFun({value: float(x) for value, x in zip(value_names(), row, strict=True)})
                    for issue, row in zip(issue_names(), tables, strict=True)
                },
                weights={issue: float(weight) for issue, weight in zip(issue_names(), weights, strict=True)},
                outcome_space=mechanism.outcome_space,
            )
            negotiator = TimeBasedConcedingNegotiator(offering_curve=1.0 / exponents[agent], stochastic=False)
            mechanism.add(negotiator, ufun=utility)
        state = mechanism.run()
        return int(state.step), state.agreement is not None

    return play


def _plain_worker(seconds: float) -> tuple[int, float]:
    """One process playing the bilateral workload for ``seconds``: (sessions, elapsed)."""
    measurement = measure(
        accord_player(accord_scenario(opposed_workload(2)), "alternating-offers", BILATERAL_AGENTS), seconds
    )
    return measurement.sessions, measurement.seconds


def plain_rate(processes: int, seconds: float) -> float:
    """Sessions per second of ``processes`` plain Python processes, no Ray: the machine's own ceiling."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.map(_plain_worker, [seconds] * processes)
    return sum(sessions / elapsed for sessions, elapsed in results)


def ray_rate(path: Path, cpus: int, sessions: int) -> Measurement:
    """One timed tournament of about ``sessions`` bilateral sessions on a fresh local Ray with ``cpus`` CPUs.

    Ray's start-up and the workers' first imports are left out (a warm-up tournament first).
    """
    import ray

    from accord.tournament import TournamentConfig
    from accord.tournament.ray_backend import run_ray

    def config(repetitions: int) -> TournamentConfig:
        return TournamentConfig(
            scenarios=(str(path),),
            protocol="alternating-offers",
            agents=BILATERAL_AGENTS,
            repetitions=repetitions,
            rounds=ROUNDS,
            jobs=cpus,
        )

    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False, logging_level=logging.ERROR)
    try:
        run_ray(config(4 * cpus))  # start the workers and import Accord in each
        started = time.perf_counter()
        records = run_ray(config(max(4 * cpus, sessions // 2)))  # two seatings per repetition
        elapsed = time.perf_counter() - started
    finally:
        ray.shutdown()
    rounds = statistics.fmean(record["rounds"] for record in records)
    agreed = sum(record["reason"] == "agreement" for record in records) / len(records)
    busy = sum(record["seconds"] for record in records) / elapsed
    return Measurement(len(records), elapsed, rounds, agreed, busy)


@dataclass(frozen=True, slots=True)
class Scaling:
    """Every turn's Ray measurements and plain-process rates, by CPU count."""

    ray: dict[int, list[Measurement]]
    plain: dict[int, list[float]]

    def best(self, cpus: int) -> Measurement:
        return max(self.ray[cpus], key=lambda measurement: measurement.rate)

    def turn_efficiencies(self, cpus: int) -> list[float]:
        """Per turn: the rate on ``cpus`` over ``cpus`` times that turn's rate on one CPU."""
        return [many.rate / (cpus * one.rate) for one, many in zip(self.ray[1], self.ray[cpus], strict=True)]


def scaling(scenario: Scenario, seconds: float, *, turns: int = TURNS) -> Scaling:
    """Ray's sessions per second on 1 CPU and on every core, and plain processes' for comparison.

    The counts are measured in turn (1, every core, 1, …), ``turns`` times each: on a
    shared machine the other tenants come and go, and taking turns keeps one count from
    having all the quiet moments.
    """
    from accord.io import save_scenario

    cores = os.cpu_count() or 1
    counts = sorted({1, cores})
    per_core = measure(
        accord_player(scenario, "alternating-offers", BILATERAL_AGENTS), min(seconds, 2.0)
    ).rate
    found = Scaling({cpus: [] for cpus in counts}, {cpus: [] for cpus in counts})
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "opposed-2.yaml"
        save_scenario(scenario, path)
        for _ in range(turns):
            for cpus in counts:
                found.ray[cpus].append(ray_rate(path, cpus, int(per_core * cpus * seconds)))
                found.plain[cpus].append(plain_rate(cpus, min(seconds, 3.0)))
    return found


def report(
    name: str, ours: Measurement, theirs: Measurement | None, goal: float | None, note: str = ""
) -> None:
    line = f"{name:<34} accord {ours.rate:9.1f}/s ({ours.rounds:5.1f} rounds, {ours.agreements:4.0%} agree)"
    if theirs is not None:
        ratio = ours.rate / theirs.rate
        line += (
            f" | negmas {theirs.rate:7.2f}/s ({theirs.rounds:5.1f} rounds, {theirs.agreements:4.0%} agree)"
            f" | ratio {ratio:7.1f}×"
        )
        if goal is not None:
            line += f" (goal {goal:g}×: {'meets' if ratio >= goal else 'MISSES'})"
    print(line)
    if note:
        print(f"{'':<34} {note}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=5.0, help="wall time per measurement")
    parser.add_argument("--skip-negmas", action="store_true")
    parser.add_argument("--skip-ray", action="store_true")
    arguments = parser.parse_args(argv)
    seconds: float = arguments.seconds
    cases: list[tuple[str, int, str, tuple[str, ...], float | None, str]] = [
        ("bilateral alternating offers", 2, "alternating-offers", BILATERAL_AGENTS, 50.0, ""),
        (
            "3-party alternating offers",
            3,
            "alternating-offers",
            ("boulware-v1", "conceder-v1", "linear-v1"),
            None,
            "",
        ),
        (
            "5-party single text",
            5,
            "single-text",
            FIVE_PARTY_AGENTS,
            20.0,
            "NegMAS has no single-text mechanism: compared with a 5-party NegMAS SAO, same delegations",
        ),
    ]
    print(f"workload: {ISSUES} issues × {VALUES} values, opposed, {ROUNDS} rounds; {seconds:g} s each")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average before the run {load}")
    for name, parties, protocol, agents, goal, note in cases:
        workload = opposed_workload(parties)
        ours = measure(accord_player(accord_scenario(workload), protocol, agents), seconds)
        theirs: Measurement | None = None
        if not arguments.skip_negmas:
            theirs = measure(negmas_player(workload, agents), seconds)
        report(name, ours, theirs, goal, note)
    if not arguments.skip_ray:
        found = scaling(accord_scenario(opposed_workload(2)), seconds)
        base = found.best(1).rate
        plain_base = max(found.plain[1])
        for cpus in found.ray:
            measurement, plain = found.best(cpus), max(found.plain[cpus])
            speedup = measurement.rate / base
            print(
                f"ray, {cpus} CPU{'s' if cpus > 1 else ' '}{'':<24} {measurement.rate:9.1f}/s "
                f"({measurement.sessions} sessions in {measurement.seconds:.2f} s) "
                f"speed-up {speedup:4.2f}, efficiency {speedup / cpus:4.0%} (goal ≥ 90%); "
                f"workers busy {measurement.busy / cpus:4.0%}; plain processes, no Ray: "
                f"{plain:.0f}/s, efficiency {plain / (cpus * plain_base):4.0%}"
            )
            if cpus > 1:
                turns = found.turn_efficiencies(cpus)
                median = statistics.median(turns)
                print(
                    f"{'':<34} efficiency turn by turn: {', '.join(f'{value:.0%}' for value in turns)}"
                    f" (median {median:.0%}; goal ≥ 90%: {'meets' if median >= 0.9 else 'MISSES'})"
                )
        print(
            f"{'':<34} (fastest of {TURNS} turns each. busy: summed session times / wall time / CPUs. "
            "The plain processes show how far this machine itself scales at the moment)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
