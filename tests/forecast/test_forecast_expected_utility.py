"""The vectorised expected-utility model against a plain, loop-by-loop reading of the formulas."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.errors import ArgumentError
from accord.forecast import (
    EXPECTED_UTILITY_PRESETS,
    ActorTable,
    ExpectedUtilitySettings,
    expected_utility_model,
)


def brute_force_round(
    x: list[float], c: list[float], s: list[float], span: float, config: ExpectedUtilitySettings
) -> tuple[list[float], list[float]]:
    """One round, written as the formulas read, with loops: (new positions, risk exponents)."""
    n = len(x)

    def vote(k: int, a: float, b: float, r: list[float]) -> float:
        return float(c[k] * s[k] * ((abs(x[k] - b) / span) ** r[k] - (abs(x[k] - a) / span) ** r[k]))

    def probability(i: int, j: int, r: list[float]) -> float:
        if x[i] == x[j]:
            return 0.0
        top = sum(max(0.0, vote(k, x[i], x[j], r)) for k in range(n))
        if config.probability_denominator == "all-pairs":
            bottom = sum(abs(vote(k, x[a], x[b], r)) for k in range(n) for a in range(n) for b in range(n))
        else:
            bottom = sum(abs(vote(k, x[i], x[j], r)) for k in range(n))
        return top / bottom if bottom > 0 else 0.0

    weights = [c[k] * s[k] for k in range(n)]
    order = sorted(range(n), key=lambda k: x[k])
    running, median = 0.0, x[order[-1]]
    for k in order:
        running += weights[k]
        if running >= sum(weights) / 2 * (1 - 1e-12):
            median = x[k]
            break

    def eu(view: int, a: int, b: int, r: list[float]) -> float:
        rv = r[view]
        d = abs(x[a] - x[b]) / span
        success = 2 - 4 * (0.5 - 0.5 * d) ** rv
        failure = 2 - 4 * (0.5 + 0.5 * d) ** rv
        q, t = config.status_quo_probability, config.improvement_probability
        shift = 0.25 * (abs(x[view] - median) + abs(x[view] - x[b if view == a else a])) / span
        better = 2 - 4 * (0.5 - shift) ** rv
        worse = 2 - 4 * (0.5 + shift) ** rv
        status_quo = q * (2 - 4 * 0.5**rv) + (1 - q) * (t * better + (1 - t) * worse)
        p = probability(a, b, r)
        return float(s[b] * (p * success + (1 - p) * failure) + (1 - s[b]) * success - status_quo)

    ones = [1.0] * n
    if config.risk == "neutral":
        r = ones
    else:
        danger = [sum(eu(i, j, i, ones) for j in range(n) if j != i) for i in range(n)]
        high, low = max(danger), min(danger)
        accept = [(2 * d - high - low) / (high - low) if high > low else 0.0 for d in danger]
        r = [(1 - a / 3) / (1 + a / 3) for a in accept]
    new = list(x)
    for i in range(n):
        offers: dict[str, list[tuple[float, float]]] = {"conf": [], "comp": [], "cap": []}
        for j in range(n):
            if x[i] == x[j]:
                continue
            ij, ji = eu(i, i, j, r), eu(i, j, i, r)
            if ji > ij > 0:
                offers["conf"].append((abs(x[i] - x[j]), x[j]))
            elif ji > 0 > ij and ji > abs(ij):
                target = x[i] + (x[j] - x[i]) * abs(ij / ji)
                if config.compromise_choice == "least-move":
                    key = abs(x[i] - target)
                else:
                    key = (abs(ij) * x[i] + abs(ji) * x[j]) / (abs(ij) + abs(ji))
                offers["comp"].append((key, target))
            elif ji > 0 > ij and ji < abs(ij) and config.capitulation == "published":
                offers["cap"].append((abs(x[i] - x[j]), x[j]))
        for kind in ("conf", "comp", "cap"):
            if offers[kind]:
                new[i] = min(offers[kind], key=lambda offer: offer[0])[1]
                break
    return new, r


actor_rows = st.lists(
    st.tuples(
        st.floats(0.1, 10.0),
        st.sampled_from([0.0, 10.0, 25.0, 40.0, 50.0, 60.0, 75.0, 90.0, 100.0]),
        st.floats(0.05, 1.0),
    ),
    min_size=3,
    max_size=6,
)

PRESETS = [*sorted(EXPECTED_UTILITY_PRESETS), "neutral-q"]


def preset_settings(name: str) -> ExpectedUtilitySettings:
    if name == "neutral-q":
        return ExpectedUtilitySettings(
            risk="neutral", status_quo_probability=0.7, improvement_probability=0.4
        )
    return EXPECTED_UTILITY_PRESETS[name]


def table_of(rows: list[tuple[float, float, float]]) -> ActorTable:
    array = np.array(rows)
    return ActorTable(
        actors=tuple(f"actor {index}" for index in range(len(rows))),
        dimensions=("d",),
        capability=array[:, 0],
        positions=array[:, 1:2],
        salience=array[:, 2:3],
    )


@settings(max_examples=25, deadline=None)
@given(rows=actor_rows, preset=st.sampled_from(PRESETS))
@example(rows=[(1.0, 0.0, 0.9), (1.0, 50.0, 0.5), (2.0, 100.0, 0.6)], preset="scholz")
def test_matches_the_brute_force_reading(rows: list[tuple[float, float, float]], preset: str) -> None:
    table = table_of(rows)
    config = preset_settings(preset)
    result = expected_utility_model(table, settings=config, rounds=3)
    x = [float(value) for value in table.positions[:, 0]]
    span = max(x) - min(x)
    for state in result.rounds[1:]:
        if span > 0:
            x, exponents = brute_force_round(
                x, list(table.capability), list(table.salience[:, 0]), span, config
            )
            assert list(state.extra["risk_exponents"]["d"].values()) == pytest.approx(exponents)
        assert state.positions[:, 0].tolist() == pytest.approx(x, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(rows=actor_rows, preset=st.sampled_from(PRESETS))
def test_positions_stay_between_the_initial_extremes(
    rows: list[tuple[float, float, float]], preset: str
) -> None:
    table = table_of(rows)
    result = expected_utility_model(table, settings=preset_settings(preset), rounds=5)
    low, high = table.positions.min(), table.positions.max()
    for state in result.rounds:
        assert np.all(state.positions >= low - 1e-9)
        assert np.all(state.positions <= high + 1e-9)
    exponents = list(result.rounds[1].extra["risk_exponents"]["d"].values())
    assert all(0.5 - 1e-9 <= value <= 2.0 + 1e-9 for value in exponents)


def test_dimensions_run_independently() -> None:
    table = table_of([(1.0, 0.0, 0.9), (1.0, 50.0, 0.5), (2.0, 100.0, 0.6), (1.5, 25.0, 0.3)])
    two = ActorTable(
        actors=table.actors,
        dimensions=("d", "e"),
        capability=table.capability,
        positions=np.hstack([table.positions, 100.0 - table.positions]),
        salience=np.hstack([table.salience, table.salience]),
    )
    one = expected_utility_model(table, rounds=4)
    both = expected_utility_model(two, rounds=4)
    assert both.forecast[0] == pytest.approx(one.forecast[0])
    assert both.forecast[1] == pytest.approx(100.0 - one.forecast[0])
    assert len(both.rounds) == 5


def test_agreement_needs_no_rounds_of_moves() -> None:
    table = table_of([(1.0, 40.0, 0.9), (2.0, 40.0, 0.5)])
    result = expected_utility_model(table, rounds=3)
    assert result.forecast.tolist() == [40.0]
    assert all(not state.extra["moves"]["d"] for state in result.rounds[1:])


def test_forecast_setting_chooses_median_or_mean() -> None:
    table = table_of([(1.0, 0.0, 0.9), (1.0, 50.0, 0.5), (2.0, 100.0, 0.6)])
    mean_settings = replace(ExpectedUtilitySettings(), forecast="mean")
    result = expected_utility_model(table, settings=mean_settings, rounds=0)
    mean = result.rounds[0].mean
    assert mean is not None
    assert result.forecast[0] == pytest.approx(mean[0])
    assert result.settings["forecast"] == "mean"


@pytest.mark.parametrize(
    "bad", [{"rounds": -1}, {"status_quo_probability": 1.5}, {"improvement_probability": -0.1}]
)
def test_bad_settings_are_input_errors(bad: dict[str, float]) -> None:
    table = table_of([(1.0, 0.0, 0.9), (1.0, 50.0, 0.5)])
    with pytest.raises(ArgumentError):
        expected_utility_model(table, settings=ExpectedUtilitySettings(**bad))  # type: ignore[arg-type]
