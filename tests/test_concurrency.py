"""Sessions and tournaments from many threads in one process (as a room server runs them) give
exactly what one thread gives, and the process-wide memos stay bounded and unchangeable."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest

import accord.agents.outcomes as outcomes
import accord.compiled as compiled_memo
from accord.agents.concession import ConcessionCurve
from accord.agents.outcomes import OutcomeRanking, OwnUtility
from accord.compiled import compiled_scenario
from accord.domain import Scenario
from accord.io import parse_scenario
from accord.tournament import TIMING_COLUMNS, TournamentConfig, run_local
from scenarios import THREE_PARTY, TWO_PARTY

THREADS = 8
Result = TypeVar("Result")


@pytest.fixture(autouse=True)
def switch_often() -> Iterator[None]:
    """Threads swap every few microseconds rather than every 5 ms, so that races show."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def at_once(task: Callable[[int], Result], threads: int = THREADS) -> list[Result]:
    """``task(number)`` from ``threads`` threads released together; the results in thread order."""
    barrier = threading.Barrier(threads)

    def released(number: int) -> Result:
        barrier.wait()
        return task(number)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(released, range(threads)))


def _files(folder: Path) -> tuple[str, ...]:
    """The test scenarios written to ``folder`` (new paths: nothing about them is memoised yet)."""
    folder.mkdir()
    paths = []
    for name, text in (("harbour.yaml", TWO_PARTY), ("river.yaml", THREE_PARTY)):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return tuple(paths)


def _comparable(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Records without their timing, each scenario named by its file name (the folders differ)."""
    return [
        {
            key: Path(value).name if key == "scenario" else value
            for key, value in record.items()
            if key not in TIMING_COLUMNS
        }
        for record in records
    ]


def _configs(paths: tuple[str, ...]) -> list[TournamentConfig]:
    return [
        TournamentConfig(
            scenarios=paths,
            protocol="alternating-offers",
            agents=("boulware", "conceder", "random", "tit-for-tat"),
            repetitions=2,
            rounds=40,
            seed=7,
        ),
        TournamentConfig(
            scenarios=paths,
            protocol="shuttle",
            agents=("conceder", "frequency"),
            repetitions=2,
            rounds=30,
            seed=8,
        ),
        TournamentConfig(
            scenarios=paths,
            protocol="one-text",
            agents=("linear", "boulware"),
            repetitions=2,
            rounds=20,
            seed=9,
        ),
    ]


def test_a_tournament_run_from_eight_threads_at_once_gives_the_records_of_one_thread(tmp_path: Path) -> None:
    # Threads first, on files never read before: they race to fill every memo (the scenario,
    # its compiled utilities, frontier and Nash point, rankings, own utilities, schedules).
    racing = _configs(_files(tmp_path / "racing"))
    threaded = at_once(lambda _: [run_local(config) for config in racing])
    alone = [run_local(config) for config in _configs(_files(tmp_path / "alone"))]
    expected = [_comparable(records) for records in alone]
    assert all(len(records) > 10 for records in expected)
    assert any(record["agreement"] is not None for records in alone for record in records)
    assert any(record["nash_distance"] is not None for records in alone for record in records)
    for number, run in enumerate(threaded):
        assert [_comparable(records) for records in run] == expected, f"thread {number} differs"


def _fresh(text: str = TWO_PARTY) -> Scenario:
    """A new scenario object: the memos know nothing of it."""
    return parse_scenario(text, source="<test>")


def _memo_answers(scenario: Scenario) -> tuple[Any, ...]:
    entry = compiled_scenario(scenario)
    outcomes_listed = [scenario.agenda.outcome(row) for row in scenario.agenda.all_choices()]
    frontier = entry.frontier()
    assert frontier is not None
    return (
        entry.values_of(outcomes_listed),
        [entry.pareto_optimal(outcome) for outcome in outcomes_listed],
        entry.nash_utilities(),
        frontier.tolist(),
    )


@pytest.mark.parametrize("text", [TWO_PARTY, THREE_PARTY], ids=["two parties", "three parties"])
def test_eight_threads_filling_one_scenario_memo_get_the_answers_of_one_thread(text: str) -> None:
    expected = _memo_answers(_fresh(text))
    for _ in range(3):
        scenario = _fresh(text)
        answers = at_once(lambda _, scenario=scenario: _memo_answers(scenario))
        assert all(answer == expected for answer in answers)
        # every thread got the one entry that was published
        assert compiled_scenario(scenario).scenario is scenario


def test_threads_compiling_many_scenarios_keep_the_memo_bounded_and_never_mix_them_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(compiled_memo, "SCENARIOS_LIMIT", 4)

    def compile_many(number: int) -> bool:
        right = True
        for _ in range(8):
            # dropped at once, so that the ids of evicted scenarios are reused by new ones
            scenario = _fresh(TWO_PARTY if number % 2 else THREE_PARTY)
            entry = compiled_scenario(scenario)
            right &= entry.scenario is scenario and entry.utilities.parties == tuple(
                party.name for party in scenario.delegations
            )
            del scenario, entry
        return right

    assert all(at_once(compile_many))
    assert len(compiled_memo._COMPILED) <= 4


def test_the_values_memo_stops_at_its_bound_under_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(compiled_memo, "VALUES_LIMIT", 10)
    scenario = _fresh()
    listed = [scenario.agenda.outcome(row) for row in scenario.agenda.all_choices()]
    assert len(listed) > 10
    expected = compiled_scenario(_fresh()).values_of(listed)
    answers = at_once(lambda number: compiled_scenario(scenario).values_of(listed[number:] + listed[:number]))
    for number, answer in enumerate(answers):
        assert answer == expected[number:] + expected[:number]
    entry = compiled_scenario(scenario)
    assert len(entry._values) <= 10 and len(entry._optimal) <= 10


def test_what_the_memos_hand_out_cannot_be_changed() -> None:
    scenario = _fresh()
    entry = compiled_scenario(scenario)
    frontier = entry.frontier()
    assert frontier is not None
    with pytest.raises(ValueError, match="read-only"):
        frontier[0, 0] = 2.0
    assert isinstance(entry.nash_utilities(), tuple)
    assert all(isinstance(row, tuple) for row in entry.values_of([scenario.agenda.outcome((0, 0, 0))]))
    member = entry.utilities.members[0]
    ranking = OutcomeRanking.build(scenario.agenda, member, np.random.default_rng(0))
    for array in (ranking.utilities, ranking.choices):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = array[0]
    assert isinstance(ConcessionCurve.boulware().schedule(10, floor=0.2, ceiling=1.0), tuple)
    # the compiled preferences every session and seat shares
    for shared in entry.utilities.members:
        for table in shared.tables:
            with pytest.raises(ValueError, match="read-only"):
                table[0] = 1.0
        for line in shared.red_lines:
            for _, forbidden in line.terms:
                with pytest.raises(ValueError, match="read-only"):
                    forbidden[0] = True


def _rankings(scenario: Scenario) -> list[tuple[list[float], list[list[int]], list[tuple[float, bool]]]]:
    agenda = scenario.agenda
    listed = [agenda.outcome(row) for row in agenda.all_choices()]
    found = []
    for member in compiled_scenario(scenario).utilities.members:
        ranking = OutcomeRanking.build(agenda, member, np.random.default_rng(0))
        own = outcomes._own_utility(agenda, member)
        found.append(
            (
                ranking.utilities.tolist(),
                ranking.choices.tolist(),
                [own.assess(outcome) for outcome in listed],
            )
        )
    return found


def test_eight_threads_ranking_outcomes_get_the_rankings_of_one_thread() -> None:
    expected = _rankings(_fresh(THREE_PARTY))
    for _ in range(3):
        scenario = _fresh(THREE_PARTY)
        assert all(answer == expected for answer in at_once(lambda _, scenario=scenario: _rankings(scenario)))


def test_the_ranking_memos_stay_bounded_under_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outcomes, "OWN_CACHE_LIMIT", 5)
    monkeypatch.setattr(outcomes, "RANKINGS_LIMIT", 3)  # each two-party scenario brings two

    def rank_many(_: int) -> None:
        for _ in range(3):
            _rankings(_fresh())

    at_once(rank_many)
    assert len(outcomes._CACHE) <= 3
    assert len(outcomes._OWN) <= 3
    scenario = _fresh()
    member = compiled_scenario(scenario).utilities.members[0]
    own = OwnUtility(scenario.agenda, member)
    listed = [scenario.agenda.outcome(row) for row in scenario.agenda.all_choices()]
    at_once(lambda number: [own.assess(outcome) for outcome in listed[number:] + listed[:number]])
    assert len(own._cache) <= 5


def test_outcome_indexes_evicted_from_many_threads_at_once() -> None:
    """More agendas than the index memo holds, from 8 threads: no eviction collides, none is mixed up."""
    from accord.domain import Agenda, DiscreteIssue, Option
    from accord.protocols import legality

    agendas = [
        Agenda((DiscreteIssue(f"issue {number}", (Option("a"), Option("b"))),)) for number in range(64)
    ]
    barrier = threading.Barrier(8)

    def work(offset: int) -> bool:
        barrier.wait()
        for turn in range(400):
            agenda = agendas[(offset * 7 + turn) % len(agendas)]
            if legality.outcome_index(agenda).agenda is not agenda:
                return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert all(pool.map(work, range(8)))
    assert len(legality._INDEXES) <= legality._INDEXES_SIZE
