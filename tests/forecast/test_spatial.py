"""The spatial model (KTAB's SMP) reproduces KTAB's reference runs, and behaves sensibly on small cases.

The reference runs live in ``../shared/forecast-data/ktab-smp-examples`` next to the repository;
those tests skip when it is absent. The self-made fixtures always run.
"""

from __future__ import annotations

import csv
import json
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, get_args

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import ForecastDataError
from accord.forecast.actors import ActorTable, ForecastResult
from accord.forecast.ktab_csv import read_ktab_csv, read_ktab_xml
from accord.forecast.spatial import SpatialSettings, spatial_model
from accord.forecast.spatial_challenges import challenge_outlook, interpolate_bargain
from accord.forecast.spatial_settings import (
    BargainInterpolation,
    BargainModel,
    ProbabilityModel,
    ThirdPartyCommitment,
    VictoryModel,
    VotingRule,
)
from accord.forecast.spatial_voting import (
    coalition_strengths,
    estimated_risk_attitudes,
    option_probabilities,
    risk_attitudes,
    risk_utility,
    salience_distances,
)
from shared_data import shared_path

DETERMINISTIC_RUNS = ["dummyData_3Dim", "SOE-Pol-Comp"]
#: Runs whose state transitions draw from KTAB's own random generator: only their first turn,
#: worked out before any draw, can be reproduced.
STOCHASTIC_RUNS = ["smpExample_STOCHASTIC"]


def example_file(relative: str) -> Path:
    return shared_path("forecast-data", "ktab-smp-examples", *relative.split("/"))


def summary(case: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(example_file(f"expected/{case}_summary.json").read_text())
    return loaded


def reference_setup(case: str) -> tuple[ActorTable, SpatialSettings]:
    parameters = summary(case)["model_parameters"]
    table = stochastic_table() if case in STOCHASTIC_RUNS else read_ktab_csv(example_file(f"{case}.csv"))
    return table, SpatialSettings.from_ktab_names(parameters)


def initial_positions(case: str) -> dict[tuple[str, str], str]:
    """State 0 of a reference run's position history: (actor, dimension) -> position as printed."""
    rows = csv.DictReader(example_file(f"expected/{case}_positions_by_state.csv").read_text().splitlines())
    return {(row["actor"], row["dimension"]): row["position_0_100"] for row in rows if row["state"] == "0"}


def stochastic_table() -> ActorTable:
    """``smpExample.xml`` as KTAB read it for its reference run.

    The XML lost Alice's first coordinate after the run (SOURCE.md); it is put back from
    state 0 of the run's position history, and every other position must agree with it.
    """
    (case,) = STOCHASTIC_RUNS
    initial = initial_positions(case)
    text = example_file("smpExample.xml").read_text(encoding="utf-8-sig")
    assert text.count("<dCoord></dCoord>") == 1
    restored = text.replace("<dCoord></dCoord>", f"<dCoord>{initial['Alice', 'FirstDim']}</dCoord>")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "smpExample.xml"
        path.write_text(restored, encoding="utf-8")
        table = read_ktab_xml(path)
    for (actor, dimension), position in initial.items():
        row, column = table.actors.index(actor), table.dimensions.index(dimension)
        assert table.positions[row, column] == float(position), (actor, dimension)
    return table


_RUNS: dict[str, ForecastResult] = {}


def reference_run(case: str) -> tuple[ActorTable, ForecastResult]:
    table, spatial_settings = reference_setup(case)
    if case not in _RUNS:
        _RUNS[case] = spatial_model(table, settings=spatial_settings)
    return table, _RUNS[case]


def test_every_reference_run_is_checked_or_known_stochastic() -> None:
    found = sorted(
        path.name.removesuffix("_summary.json")
        for path in example_file("expected").iterdir()
        if path.name.endswith("_summary.json")
    )
    assert found == sorted(DETERMINISTIC_RUNS + STOCHASTIC_RUNS)
    for case in STOCHASTIC_RUNS:
        assert summary(case)["model_parameters"]["StateTransitions"] == "Stochastic"
    for case in DETERMINISTIC_RUNS:
        assert summary(case)["model_parameters"]["StateTransitions"] == "Deterministic"


@pytest.mark.parametrize("case", DETERMINISTIC_RUNS)
def test_reference_run_positions_in_every_state(case: str) -> None:
    table, result = reference_run(case)
    assert len(result.rounds) == summary(case)["n_states"]
    rows = list(
        csv.DictReader(example_file(f"expected/{case}_positions_by_state.csv").read_text().splitlines())
    )
    assert len(rows) == len(table.actors) * len(table.dimensions) * len(result.rounds)
    for row in rows:
        actor, dimension = table.actors.index(row["actor"]), table.dimensions.index(row["dimension"])
        position = result.rounds[int(row["state"])].positions[actor, dimension]
        assert f"{position:.1f}" == f"{float(row['position_0_100']):.1f}", row


@pytest.mark.parametrize("case", DETERMINISTIC_RUNS)
def test_reference_run_win_probabilities_in_every_state(case: str) -> None:
    table, result = reference_run(case)
    rows = list(
        csv.DictReader(example_file(f"expected/{case}_win_probability_by_state.csv").read_text().splitlines())
    )
    assert len(rows) == len(table.actors) * len(result.rounds)
    for row in rows:
        probability = result.rounds[int(row["state"])].extra["win_probability"][
            table.actors.index(row["actor"])
        ]
        assert f"{probability:.4f}" == row["prob"], row


@pytest.mark.parametrize("case", DETERMINISTIC_RUNS)
def test_reference_run_fractional_change_of_every_step(case: str) -> None:
    _, result = reference_run(case)
    changes = [round(state.extra["fractional_change"], 4) for state in result.rounds[1:]]
    assert changes == summary(case)["fractional_change_by_step"]


@pytest.mark.parametrize("case", DETERMINISTIC_RUNS + STOCHASTIC_RUNS)
def test_reference_run_first_turn_in_detail(case: str) -> None:
    """Utilities, risk attitudes, best challenges, everyone's estimates and proposed bargains.

    The first turn comes before any random draw, so the stochastic run (proportional-cubic
    voting, Markov-incentive probabilities) is checked here too.
    """
    table, chosen = reference_setup(case)
    turn = summary(case)["turn0"]
    positions, salience, capability = table.positions / 100.0, table.salience, table.capability
    distances = salience_distances(positions, positions, salience)
    neutral = risk_utility(distances, np.array(0.0))
    strengths = coalition_strengths(chosen.voting_rule, capability, neutral)
    risk = risk_attitudes(
        option_probabilities(chosen.probability_model, chosen.victory_model, strengths), chosen.risk_range
    )
    estimated = estimated_risk_attitudes(risk, chosen.risk_adjustment)
    utilities = risk_utility(distances[None], estimated[:, :, None])
    neutral_key = next(key for key in turn if key.startswith("risk_neutral_utility_matrix"))
    np.testing.assert_array_equal(neutral.round(3), turn[neutral_key])
    np.testing.assert_array_equal(risk.round(3), turn["inferred_risk_attitudes_R_i"])
    np.testing.assert_array_equal(
        np.einsum("iij->ij", utilities).round(4), turn["risk_aware_utility_matrix_objective"]
    )

    _, result = reference_run(case)
    first = result.rounds[0].extra
    for challenge in turn["best_challenges"]:
        initiator = challenge["initiator"]
        assert first["target"][initiator] == challenge["target"]
        assert round(first["expected_gain"][initiator], 3) == challenge["expected_gain"]
    for initiator in turn["no_advantageous_target"]:
        assert first["target"][initiator] == -1

    weights = capability * salience.sum(axis=1)
    totals = salience.sum(axis=1)

    def outlook(estimator: int, affected: int, initiator: int, target: int) -> tuple[float, float]:
        win, gain = challenge_outlook(
            utilities[estimator],
            weights,
            totals,
            affected=affected,
            initiator=initiator,
            targets=np.array([target]),
            rule=chosen.voting_rule,
            commitment=chosen.third_party_commitment,
        )
        return float(win[0]), float(gain[0])

    for estimate in turn["estimates"]:
        win, gain = outlook(estimate["estimator"], estimate["about_actor"], estimate["i"], estimate["j"])
        assert (round(win, 4), round(gain, 4)) == (
            estimate["prob_i_beats_j"],
            estimate["expected_delta_utility"],
        )

    # four proposals per challenge: the initiator's view (used), then the target's view, which
    # KTAB forms from the target's estimate of the initiator's *gain* in place of a probability
    proposals = turn["proposals_0_100"]
    for index, challenge in enumerate(turn["best_challenges"]):
        i, j = challenge["initiator"], challenge["target"]
        win, _ = outlook(i, i, i, j)
        _, seen_gain = outlook(j, i, i, j)
        for offset, chance in ((0, win), (2, seen_gain)):
            adopted = interpolate_bargain(
                positions[i],
                salience[i],
                chance,
                positions[j],
                salience[j],
                1 - chance,
                chosen.bargain_interpolation,
            )
            for position, proposal in zip(
                adopted, proposals[4 * index + offset : 4 * index + offset + 2], strict=True
            ):
                np.testing.assert_array_equal((100 * position).round(2), proposal["position"])


# --- self-made fixtures -------------------------------------------------------------------


def table_of(
    capability: list[float], positions: list[list[float]], salience: list[list[float]]
) -> ActorTable:
    n_actors, n_dimensions = len(capability), len(positions[0])
    return ActorTable(
        actors=tuple(f"actor-{index}" for index in range(n_actors)),
        dimensions=tuple(f"dimension-{index}" for index in range(n_dimensions)),
        capability=np.array(capability, dtype=float),
        positions=np.array(positions, dtype=float),
        salience=np.array(salience, dtype=float),
    )


def test_a_dominant_actor_pulls_the_others_to_it() -> None:
    table = table_of(
        [300.0, 20.0, 20.0], [[20.0, 30.0], [60.0, 50.0], [80.0, 90.0]], [[0.5, 0.5], [0.5, 0.3], [0.5, 0.2]]
    )
    result = spatial_model(table)
    final = result.rounds[-1].positions
    assert np.all(np.abs(final - table.positions[0]) < 2.0)
    assert np.all(np.abs(result.forecast - table.positions[0]) < 1.0)
    assert result.model == "spatial" and result.actors == table.actors


def test_symmetric_actors_meet_in_the_middle() -> None:
    table = table_of([50.0] * 4, [[20.0], [40.0], [60.0], [80.0]], [[0.5]] * 4)
    result = spatial_model(table)
    np.testing.assert_allclose(result.rounds[-1].positions, 50.0, atol=0.01)
    np.testing.assert_allclose(result.forecast, 50.0, atol=0.01)
    initial_mean = result.rounds[0].mean
    assert initial_mean is not None
    np.testing.assert_allclose(initial_mean, 50.0)


def test_actors_who_agree_stay_put() -> None:
    table = table_of([10.0, 20.0, 30.0], [[30.0, 70.0]] * 3, [[0.5, 0.5]] * 3)
    result = spatial_model(table)
    for state in result.rounds:
        np.testing.assert_array_equal(state.positions, table.positions)
        np.testing.assert_array_equal(state.extra["win_probability"], 1.0)
    assert len(result.rounds) == 3  # the minimum two steps
    np.testing.assert_array_equal(result.forecast, [30.0, 70.0])


def test_the_scale_of_positions_does_not_matter() -> None:
    table = table_of(
        [300.0, 20.0, 20.0, 50.0], [[20.0], [60.0], [80.0], [45.0]], [[0.5], [0.5], [0.5], [0.9]]
    )
    on_one = replace(table, positions=table.positions / 100.0, scale=(0.0, 1.0))
    ours, theirs = spatial_model(table), spatial_model(on_one)
    assert len(ours.rounds) == len(theirs.rounds)
    for first, second in zip(ours.rounds, theirs.rounds, strict=True):
        np.testing.assert_allclose(first.positions, 100 * second.positions, atol=1e-9)


def test_max_rounds_limits_the_steps() -> None:
    table = table_of([300.0, 20.0, 20.0], [[20.0], [60.0], [80.0]], [[0.5], [0.5], [0.5]])
    assert len(spatial_model(table, max_rounds=0).rounds) == 1
    assert len(spatial_model(table, max_rounds=1).rounds) == 2
    assert spatial_model(table, max_rounds=1).settings["max_rounds"] == 1


@settings(max_examples=25, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda n_actors: st.tuples(
            st.lists(st.floats(1.0, 200.0), min_size=n_actors, max_size=n_actors),
            st.lists(
                st.lists(st.floats(0.0, 100.0), min_size=2, max_size=2), min_size=n_actors, max_size=n_actors
            ),
            st.lists(
                st.lists(st.floats(0.05, 0.5), min_size=2, max_size=2), min_size=n_actors, max_size=n_actors
            ),
        )
    )
)
def test_positions_stay_between_the_initial_extremes(
    data: tuple[list[float], list[list[float]], list[list[float]]],
) -> None:
    table = table_of(*data)
    result = spatial_model(table, max_rounds=8)
    low, high = table.positions.min(axis=0) - 0.01, table.positions.max(axis=0) + 0.01
    for state in result.rounds:
        assert np.all((state.positions >= low) & (state.positions <= high))
        assert state.median is not None and np.all((state.median >= low) & (state.median <= high))
        probability = state.extra["win_probability"]
        assert np.all((probability >= 0) & (probability <= 1 + 1e-12))
    assert 2 <= len(result.rounds) <= 9


VARIANTS: list[dict[str, Any]] = [
    *({"victory_model": value} for value in get_args(VictoryModel)),
    *({"voting_rule": value} for value in get_args(VotingRule)),
    *({"probability_model": value} for value in get_args(ProbabilityModel)),
    *({"third_party_commitment": value} for value in get_args(ThirdPartyCommitment)),
    *({"bargain_interpolation": value} for value in get_args(BargainInterpolation)),
    *({"bargain_model": value} for value in get_args(BargainModel)),
    {"risk_range": "min"},
    {"risk_range": "max"},
    {"risk_adjustment": "full"},
    {"risk_adjustment": "none"},
    {"state_transitions": "stochastic", "seed": 7},
]


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda variant: "-".join(map(str, variant.values())))
def test_every_setting_runs_and_keeps_positions_in_range(variant: dict[str, Any]) -> None:
    table = table_of(
        [100.0, 60.0, 35.0, 40.0],
        [[30.0, 20.0], [45.0, 65.0], [30.0, 15.0], [50.0, 65.0]],
        [[0.24, 0.48], [0.45, 0.41], [0.29, 0.65], [0.45, 0.48]],
    )
    result = spatial_model(table, settings=SpatialSettings(**variant), max_rounds=10)
    for state in result.rounds:
        assert np.all((state.positions >= 14.99) & (state.positions <= 65.01))
    assert all(result.settings[name] == value for name, value in variant.items())


def test_stochastic_transitions_repeat_with_the_same_seed() -> None:
    table = table_of(
        [100.0, 60.0, 35.0, 40.0], [[30.0], [45.0], [30.0], [50.0]], [[0.24], [0.45], [0.29], [0.45]]
    )
    chosen = SpatialSettings(state_transitions="stochastic", seed=11)
    first, second = spatial_model(table, settings=chosen), spatial_model(table, settings=chosen)
    assert [state.positions.tolist() for state in first.rounds] == [
        state.positions.tolist() for state in second.rounds
    ]


def test_settings_translate_ktab_names_and_refuse_unknown_ones() -> None:
    translated = SpatialSettings.from_ktab_names(
        {"VictoryProbModel": "Square", "BigRAdjust": "Half", "BargnModel": "PWCompInterp"}, seed=3
    )
    assert (
        translated.victory_model,
        translated.risk_adjustment,
        translated.bargain_model,
        translated.seed,
    ) == ("square", "half", "power-weighted-compromise", 3)
    with pytest.raises(ValueError, match="VotingRule"):
        SpatialSettings.from_ktab_names({"VotingRule": "Majority"})
    with pytest.raises(ValueError, match="unknown KTAB model parameter"):
        SpatialSettings.from_ktab_names({"Colour": "Red"})
    with pytest.raises(ValueError, match="voting_rule"):
        SpatialSettings(voting_rule="majority")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capability": np.array([1.0, -1.0, 1.0])}, "capability"),
        ({"salience": np.array([[0.5], [1.5], [0.5]])}, "salience"),
        ({"positions": np.array([[1.0], [np.nan], [2.0]])}, "positions"),
        ({"positions": np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])}, "positions"),
        (
            {
                "actors": ("only",),
                "capability": np.array([1.0]),
                "positions": np.array([[1.0]]),
                "salience": np.array([[0.5]]),
            },
            "actors",
        ),
    ],
)
def test_bad_tables_name_the_field(change: dict[str, Any], field: str) -> None:
    table = replace(
        table_of([1.0, 2.0, 3.0], [[10.0], [20.0], [30.0]], [[0.5]] * 3), source="talks.csv", **change
    )
    with pytest.raises(ForecastDataError) as raised:
        spatial_model(table)
    assert raised.value.source == "talks.csv" and raised.value.location == field
