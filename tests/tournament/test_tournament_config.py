"""Tournament configuration: the sessions it enumerates, their order and their seeds."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.errors import AgentError, ArgumentError, ScenarioError
from accord.tournament import SessionPlan, TournamentConfig, assignments, session_specs


def test_count_is_scenarios_times_assignments_times_repetitions(scenarios: tuple[str, str]) -> None:
    config = TournamentConfig(
        scenarios=scenarios, protocol="alternating-offers", agents=("boulware", "conceder-v1"), repetitions=3
    )
    specs = config.sessions()
    # bilateral: permutations of 2 agents in 2 seats (2); trilateral: 2 agents in 3 seats, product (8)
    assert len(specs) == (2 + 2**3) * 3
    assert [spec.index for spec in specs] == list(range(len(specs)))
    assert {spec.seats for spec in specs} == {("north", "south"), ("north", "south", "east")}
    assert all(len(spec.agents) == len(spec.seats) for spec in specs)


def test_three_agents_at_a_bilateral_table_play_every_ordered_pair(scenarios: tuple[str, str]) -> None:
    config = TournamentConfig(
        scenarios=scenarios[:1], protocol="alternating-offers", agents=("boulware", "conceder", "linear")
    )
    seatings = [spec.agents for spec in config.sessions()]
    assert len(seatings) == 6 and len(set(seatings)) == 6
    assert all(first != second for first, second in seatings)
    assert {agent for seating in seatings for agent in seating} == {"boulware-v1", "conceder-v1", "linear-v1"}


@given(
    agents=st.integers(min_value=1, max_value=4),
    seats=st.integers(min_value=1, max_value=4),
    repetitions=st.integers(min_value=1, max_value=3),
)
def test_enumeration_count_and_distinct_seeds(agents: int, seats: int, repetitions: int) -> None:
    names = tuple(f"agent{number}-v1" for number in range(agents))
    specs = session_specs(
        scenarios={"s.yaml": tuple(f"seat{number}" for number in range(seats))},
        protocol="p",
        agents=names,
        repetitions=repetitions,
        rounds=10,
        seed=1,
    )
    expected = math.perm(agents, seats) if agents >= seats else agents**seats
    assert len(specs) == expected * repetitions
    assert len({spec.seed for spec in specs}) == len(specs)
    assert all(0 <= spec.seed < 2**63 for spec in specs)
    assert len(list(assignments(names, seats))) == expected


def test_seeds_depend_on_the_tournament_seed_and_survive_more_repetitions() -> None:
    def specs(seed: int, repetitions: int) -> list[int]:
        made = session_specs(
            scenarios={"s.yaml": ("x", "y")},
            protocol="p",
            agents=("a", "b"),
            repetitions=repetitions,
            rounds=10,
            seed=seed,
        )
        return [spec.seed for spec in made if spec.repetition < 2]

    assert specs(0, 2) == specs(0, 2)
    assert specs(0, 2) != specs(1, 2)
    assert specs(0, 2) == specs(0, 5)


def test_missing_scenario_names_the_file(tmp_path: Path) -> None:
    config = TournamentConfig(
        scenarios=(str(tmp_path / "absent.yaml"),), protocol="alternating-offers", agents=("boulware",)
    )
    with pytest.raises(ScenarioError, match=r"absent\.yaml"):
        config.sessions()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"repetitions": 0}, "repetitions"),
        ({"rounds": 0}, "rounds"),
        ({"jobs": 0}, "jobs"),
        ({"agents": ()}, "agents"),
        ({"scenarios": ()}, "scenarios"),
        ({"scenarios": ("a.yaml", "a.yaml")}, "scenarios"),
    ],
)
def test_bad_values_are_input_errors(changes: dict[str, object], field: str) -> None:
    values: dict[str, object] = {"scenarios": ("a.yaml",), "protocol": "p", "agents": ("a",)}
    values.update(changes)
    with pytest.raises(ArgumentError) as refused:
        TournamentConfig(**values)  # type: ignore[arg-type]
    assert refused.value.argument == field and str(refused.value).startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("protocol", "agent"),
    [("alternating-offers", "nobody"), ("haggling", "boulware"), ("single-text", "hill-climbing")],
)
def test_unknown_ids_are_agent_errors(scenarios: tuple[str, str], protocol: str, agent: str) -> None:
    config = TournamentConfig(scenarios=scenarios, protocol=protocol, agents=(agent,))
    with pytest.raises(
        AgentError, match=f"unknown (agent|protocol)|{agent}-v1' cannot take a delegation's seat"
    ):
        config.sessions()


def test_the_config_is_frozen() -> None:
    config = TournamentConfig(scenarios=("a.yaml",), protocol="p", agents=("a",))
    with pytest.raises(AttributeError):
        config.rounds = 5  # type: ignore[misc]


def test_seeds_follow_the_documented_spawning() -> None:
    specs = session_specs(
        scenarios={"a.yaml": ("x", "y"), "b.yaml": ("x", "y", "z")},
        protocol="p",
        agents=("a", "b"),
        repetitions=3,
        rounds=10,
        seed=11,
    )
    expected = []
    for scenario, seats in zip(np.random.SeedSequence(11).spawn(2), (2, 3), strict=True):
        seatings = len(list(assignments(("a", "b"), seats)))
        for seating in scenario.spawn(seatings):
            for repetition in seating.spawn(3):
                expected.append(int(repetition.generate_state(1, dtype=np.uint64)[0]) >> 1)
    assert [spec.seed for spec in specs] == expected


@given(start=st.integers(0, 40), length=st.integers(0, 40))
def test_any_range_of_a_plan_is_that_slice_of_the_sessions(start: int, length: int) -> None:
    plan = SessionPlan(
        scenarios=(("a.yaml", ("x", "y")), ("b.yaml", ("x", "y", "z"))),
        protocol="p",
        agents=("a", "b"),
        repetitions=3,
        rounds=10,
        seed=5,
    )
    every = plan.specs()
    assert len(plan) == len(every) == (2 + 8) * 3
    assert plan.specs(start, start + length) == every[start : start + length]
