"""Forecast figures a person can read: positions on the dimension for models without rounds,
whole-numbered rounds, actors at one position all visible, and which number to use."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.text import Text

from accord.cli import main
from accord.forecast import compromise_model, expected_utility_model, median_model, sensitivity
from accord.forecast.actors import ActorTable
from accord.forecast.backtest import backtest
from accord.forecast.readers import BacktestIssue, load_actor_table
from accord.forecast.sensitivity import SensitivityResult, outside_interval_notes
from accord.reports import forecast_figure, party_colours

GENEVA = Path(__file__).resolve().parents[2] / "examples" / "geneva-2017.yaml"


@pytest.fixture(scope="module")
def geneva() -> ActorTable:
    return load_actor_table(str(GENEVA))


@pytest.mark.parametrize("model", [compromise_model, median_model])
def test_models_without_rounds_plot_positions_on_the_dimension(geneva: ActorTable, model: object) -> None:
    result = model(geneva)  # type: ignore[operator]
    sampled = sensitivity(geneva, result.model, samples=20, seed=1)
    figure = forecast_figure(result, sampled, table=geneva)
    positions = figure.axes[0]
    assert positions.get_xlabel() == "position on political-transition"  # not a round axis
    low, high = positions.get_xlim()
    assert low < 5.0 and high > 95.0  # the actors' positions, not −0.04 to 0.04
    # every actor on its own row, Government and Iran (both at 5) included
    dots = [collection for collection in positions.collections if isinstance(collection, PathCollection)]
    rows = {tuple(collection.get_offsets()[0]) for collection in dots}
    assert len(rows) == len(geneva.actors)
    names = [label.get_text() for label in positions.get_yticklabels()]
    assert sorted(names) == sorted(geneva.actors)
    forecast_lines = [line for line in positions.get_lines() if line.get_label().startswith("point forecast")]
    assert forecast_lines and np.allclose(forecast_lines[0].get_xdata(), result.forecast[0])
    spans = [patch for patch in positions.patches if "interval" in str(patch.get_label())]
    assert spans  # the sampled interval, drawn on the dimension


def test_round_axes_have_whole_numbered_ticks_and_actors_at_one_position_are_named_together(
    geneva: ActorTable,
) -> None:
    result = expected_utility_model(geneva)
    figure = forecast_figure(result)
    figure.canvas.draw()
    axis = figure.axes[0]
    ticks = [tick for tick in axis.get_xticks() if axis.get_xlim()[0] <= tick <= axis.get_xlim()[1]]
    assert ticks and all(float(tick).is_integer() for tick in ticks)
    labels = [text.get_text() for text in axis.texts]
    assert (
        "Government, Iran" in labels
    )  # both at 5 throughout: one line hides the other, the label names both
    assert figure.legends and axis.get_legend() is None


def test_one_colour_per_actor_as_in_the_reports(geneva: ActorTable) -> None:
    colours = party_colours(geneva.actors)
    figure = forecast_figure(expected_utility_model(geneva, rounds=2), colours=colours)
    drawn = [line.get_color() for line in figure.axes[0].get_lines()[: len(geneva.actors)]]
    assert drawn == [colours[actor] for actor in geneva.actors]


def test_names_in_forecast_figures_are_drawn_as_written() -> None:
    table = ActorTable(
        ("$\\alpha$ bloc", "West_{"), ("$d$",), np.ones(2), np.array([[10.0], [60.0]]), np.ones((2, 1))
    )
    for result in (compromise_model(table), expected_utility_model(table, rounds=2)):
        figure = forecast_figure(result, sensitivity(table, result.model, samples=5, seed=1))
        figure.canvas.draw()  # unbalanced braces would raise in mathtext
        texts = [text for text in figure.findobj(Text) if text.get_visible() and "$" in text.get_text()]
        assert texts and not any(text.get_parse_math() for text in texts)


def _outside() -> tuple[np.ndarray, SensitivityResult]:
    sampled = SensitivityResult(
        "spatial",
        ("d",),
        np.linspace(20, 50, 30)[:, None],
        np.array([33.0]),
        np.array([22.0]),
        np.array([48.0]),
        0.9,
        1,
    )
    return np.array([61.4]), sampled


def test_a_point_outside_its_interval_says_which_number_to_use_and_why() -> None:
    forecast, sampled = _outside()
    [note] = outside_interval_notes(forecast, sampled)
    assert "Use the sample median 33.00 and the interval 22.00 – 48.00" in note
    assert "one run on the inputs exactly as given" in note
    assert outside_interval_notes(np.array([30.0]), sampled) == []


def test_the_cli_explains_it_in_text_json_and_the_figure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    arguments = ["forecast", str(GENEVA), "--model", "spatial", "--samples", "40", "--seed", "1"]
    assert main([*arguments, "--plot", str(tmp_path / "f.png")]) == 0
    captured = capsys.readouterr()
    assert "Use the sample median" in " ".join(captured.out.split())
    assert captured.err == ""  # no progress bar outside a terminal
    assert main([*arguments, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert len(document["notes"]) == 1 and "Use the sample median" in document["notes"][0]


def test_long_work_reports_its_progress(geneva: ActorTable) -> None:
    seen: list[tuple[int, int]] = []
    sensitivity(geneva, "median", samples=7, seed=0, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(done, 7) for done in range(1, 8)]
    steps: list[tuple[int, int]] = []
    issues = [BacktestIssue(f"i{n}", geneva, 40.0) for n in range(3)]
    backtest(["compromise", "median"], issues, progress=lambda done, total: steps.append((done, total)))
    assert steps == [(done, 6) for done in range(1, 7)]


@pytest.mark.parametrize(("extra", "shown"), [((), True), (("--json",), False)])
def test_samples_and_backtests_show_a_bar_on_a_terminal_only_without_json(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], extra: tuple[str, ...], shown: bool
) -> None:
    import io

    import rich.console

    import accord.cli.progress

    screen = io.StringIO()

    def terminal(*arguments: object, **options: object) -> rich.console.Console:
        return rich.console.Console(file=screen, force_terminal=True, width=100)

    monkeypatch.setattr(accord.cli.progress, "Console", terminal)
    arguments = ["forecast", str(GENEVA), "--model", "median", "--samples", "30", "--seed", "1", *extra]
    assert main(arguments) == 0
    capsys.readouterr()
    assert ("Monte Carlo samples" in screen.getvalue()) is shown
