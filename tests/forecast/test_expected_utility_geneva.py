"""Why the expected-utility model forecasts Geneva exactly as the median model does.

On ``examples/geneva-2017.yaml`` the ``scholz`` preset returns the weighted median (20) with
every actor but the United States standing still. This is the model, not a bug:

- with Scholz's probability denominator (votes over *all* pairs of positions) no challenge
  has a probability of success above 0.02, so the expected utility of being challenged is
  about ``2d (1 - 2 s)`` for an actor of salience ``s``: positive only below a salience of
  about one half. Every actor but the United States (0.30) cares more than that, so only the
  United States ever receives an offer it accepts;
- the United States moves between 65 and 45, never across Russia's 20, where the weighted
  median lies (Government, Iran and Russia hold 199 of the 338.1 units of capability × salience below
  or at 20), so the median never moves.

The same code reproduces the Scholz-faithful reference run round by round
(``test_forecast_reference.py``); a less salient Government moves and moves the forecast;
the paper's own denominator (``published``) moves everyone.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from accord.forecast import expected_utility_model, median_model
from accord.forecast.actors import ActorTable
from accord.forecast.expected_utility import EXPECTED_UTILITY_PRESETS, expected_utility_round
from accord.forecast.readers import load_actor_table

GENEVA = Path(__file__).resolve().parents[2] / "examples" / "geneva-2017.yaml"


@pytest.fixture(scope="module")
def table() -> ActorTable:
    return load_actor_table(str(GENEVA))


def test_no_challenge_is_likely_to_succeed_and_only_the_united_states_is_ever_threatened(
    table: ActorTable,
) -> None:
    positions = table.positions[:, 0].astype(float)
    salience = table.salience[:, 0].astype(float)
    span = float(positions.max() - positions.min())
    result = expected_utility_model(table)
    for state in result.rounds[:-1]:
        current = state.positions[:, 0]
        _, details = expected_utility_round(current, table.capability.astype(float), salience, span=span)
        assert details["win_probability"].max() < 0.02
        threatened = details["eu_j_challenges_i"] > 0  # [i, j]: j's challenge is worth it to j, seen by i
        np.fill_diagonal(threatened, False)
        assert [table.actors[row] for row in np.flatnonzero(threatened.any(axis=1))] == ["United States"]
    assert (
        salience[table.actors.index("United States")]
        < 0.5
        <= np.delete(salience, table.actors.index("United States")).min()
    )


def test_the_united_states_never_crosses_the_median_so_the_forecast_is_the_median(table: ActorTable) -> None:
    result = expected_utility_model(table)
    history = np.stack([state.positions[:, 0] for state in result.rounds])
    moved = [
        actor
        for column, actor in enumerate(table.actors)
        if not np.allclose(history[:, column], history[0, column])
    ]
    assert moved == ["United States"]
    united_states = history[:, table.actors.index("United States")]
    assert united_states.min() > 20.0 + 20.0  # between 45 and 65: always above the median at 20
    assert all(state.median is not None and state.median[0] == 20.0 for state in result.rounds)
    weights = table.capability * table.salience[:, 0]
    assert weights[table.positions[:, 0] <= 20.0].sum() > weights.sum() / 2  # 199 of 338.1
    assert result.forecast[0] == median_model(table).forecast[0] == 20.0


def test_a_government_that_cares_less_moves_and_moves_the_forecast(table: ActorTable) -> None:
    salience = table.salience.copy()
    salience[table.actors.index("Government"), 0] = 0.2
    calmer = dataclasses.replace(table, salience=salience)
    result = expected_utility_model(calmer)
    final = result.rounds[-1].positions[:, 0]
    assert final[table.actors.index("Government")] != table.positions[table.actors.index("Government"), 0]
    assert result.forecast[0] != median_model(calmer).forecast[0]


def test_the_papers_denominator_moves_every_actor(table: ActorTable) -> None:
    result = expected_utility_model(table, settings=EXPECTED_UTILITY_PRESETS["published"])
    final = result.rounds[-1].positions[:, 0]
    assert np.all(final != table.positions[:, 0])
    assert 40.0 < result.forecast[0] < 55.0  # everyone converges near the middle, far from 20
