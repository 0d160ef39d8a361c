"""Large but legal inputs are read in time linear in their size (10^5 options, 200,000 Genius
items, 10^5 actors once took minutes through checks of one list against another).

Each test times a reader at n and 4n (best of three, CPU time, garbage collector paused) and asks
for less than 11× the time: linear work takes about 4×, quadratic 16×.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from pathlib import Path

from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
from accord.forecast import load_actor_table
from accord.io import import_genius, parse_scenario


def best_time(call: Callable[[], object]) -> float:
    """Best of three, in CPU time (another process's load does not count) with the cyclic garbage
    collector paused (its full collections grow with the objects alive, not with the reader's work)."""
    times = []
    collecting = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            started = time.process_time()
            call()
            times.append(time.process_time() - started)
    finally:
        if collecting:
            gc.enable()
    return min(times)


def grows_linearly(make: Callable[[int], Callable[[], object]], small: int) -> None:
    ratio = best_time(make(4 * small)) / best_time(make(small))
    assert ratio < 11, f"4× the input took {ratio:.1f}× the time"


def test_a_scenario_with_many_options_is_built_in_linear_time() -> None:
    def scenario(count: int) -> Callable[[], object]:
        issue = DiscreteIssue("i", tuple(Option(f"o{index}") for index in range(count)))
        values = {"i": {f"o{index}": (index % 7) / 7 for index in range(count)}}
        parties = tuple(Party(name, preferences=Preferences({"i": 1.0}, values)) for name in "AB")
        return lambda: Scenario("wide", Agenda((issue,)), parties)

    grows_linearly(scenario, 10_000)


def test_a_file_of_a_hundred_thousand_options_loads_within_a_minute() -> None:
    options = [f"o{index}" for index in range(100_000)]
    values = {"i": {option: (index % 7) / 7 for index, option in enumerate(options)}}
    text = json.dumps(
        {
            "name": "wide",
            "issues": [{"name": "i", "options": options}],
            "parties": [
                {"name": name, "preferences": {"weights": {"i": 1}, "values": values}} for name in "AB"
            ],
        }
    )
    started = time.perf_counter()
    assert len(parse_scenario(text, source="wide.json").agenda.issues[0].values) == 100_000
    assert time.perf_counter() - started < 60


def test_genius_items_import_in_linear_time(tmp_path: Path) -> None:
    def files(count: int) -> Callable[[], object]:
        items = "".join(f'<item index="{index + 1}" value="v{index}"/>' for index in range(count))
        domain = tmp_path / f"domain{count}.xml"
        domain.write_text(
            f'<utility_space><objective name="D"><issue index="1" name="x">{items}</issue>'
            "</objective></utility_space>"
        )
        evaluated = "".join(f'<item value="v{index}" evaluation="{index % 9}"/>' for index in range(count))
        profile = tmp_path / f"profile{count}.xml"
        profile.write_text(
            f'<utility_space><objective name="D"><issue index="1" name="x">{evaluated}</issue>'
            '<weight index="1" value="1"/></objective></utility_space>'
        )
        return lambda: import_genius(domain, [profile, profile])

    grows_linearly(files, 5_000)


def test_many_actors_are_read_in_linear_time(tmp_path: Path) -> None:
    def table(count: int) -> Callable[[], object]:
        path = tmp_path / f"actors{count}.csv"
        rows = [f"A{index},1,{index % 100},50" for index in range(count)]
        path.write_text("Actor,Capability,Position,Salience\n" + "\n".join(rows) + "\n")
        return lambda: load_actor_table(path)

    grows_linearly(table, 5_000)
