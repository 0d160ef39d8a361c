"""Figures for forecasts: where each actor stands, how positions move over rounds, and the
Monte Carlo distribution of the forecast.

One row per dimension. Models without rounds (compromise, median) show each actor's
position on the dimension, one row per actor so that actors at the same position stay
visible, with the forecast and its sampled interval. Models with rounds (spatial,
expected utility) show positions over whole-numbered rounds, each line named at its end
(actors that end at the same position are named together). With samples, a third panel
gives their distribution and says which number to use when the point forecast lies
outside its own interval (:func:`~accord.forecast.sensitivity.outside_interval_notes`).
Pure functions from results to a :class:`~matplotlib.figure.Figure` (object API, Agg
canvas, no pyplot); actors keep their colours (:func:`~accord.reports.palette.party_colours`);
names are drawn as written, never as mathtext.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from accord.forecast.actors import ActorTable, ForecastResult
from accord.forecast.sensitivity import SensitivityResult, outside_interval_notes
from accord.reports.palette import colour_of, party_colours

__all__ = ["forecast_figure", "save_forecast_figure"]

FORECAST_COLOUR = "#000000"
INTERVAL_COLOUR = "#bdbdbd"


def _positions_panel(
    axis: Axes,
    result: ForecastResult,
    dimension: int,
    colours: Mapping[str, str],
    weights: np.ndarray | None,
    sampled: SensitivityResult | None,
) -> None:
    """Each actor on its own row at its position; the forecast and its interval across them."""
    positions = result.rounds[-1].positions[:, dimension]
    order = np.argsort(positions, kind="stable")
    rows = np.arange(len(order))
    sizes = np.full(len(order), 60.0)
    if weights is not None and float(weights.max()) > 0:
        sizes = 30.0 + 270.0 * weights / float(weights.max())
    if sampled is not None:
        axis.axvspan(
            float(sampled.low[dimension]),
            float(sampled.high[dimension]),
            color=INTERVAL_COLOUR,
            alpha=0.45,
            label=f"{sampled.level:.0%} interval of {len(sampled.forecasts)} samples",
        )
    for row, actor in zip(rows, order, strict=True):
        name = result.actors[actor]
        axis.hlines(row, positions.min(), positions[actor], color="#e5e5e5", linewidth=0.8, zorder=1)
        axis.scatter(
            [positions[actor]],
            [row],
            s=sizes[actor],
            color=colour_of(colours, name),
            edgecolors="black",
            linewidths=0.5,
            zorder=3,
        )
    forecast = float(result.forecast[dimension])
    axis.axvline(
        forecast,
        color=FORECAST_COLOUR,
        linestyle="--",
        linewidth=1.5,
        label=f"point forecast {forecast:.1f}",
        zorder=2,
    )
    axis.set_yticks(rows)
    axis.set_yticklabels([result.actors[actor] for actor in order], fontsize=8)
    for label in axis.get_yticklabels():
        label.set_parse_math(False)  # names are data
    axis.set_ylim(-0.7, len(order) - 0.3)
    axis.set_xlabel(f"position on {result.dimensions[dimension]}", parse_math=False)
    axis.grid(axis="x", alpha=0.3)
    what = "dot size: capability × salience" if weights is not None else "each actor on its own row"
    axis.set_title(f"{result.model}: {result.dimensions[dimension]} ({what})", fontsize=10, parse_math=False)


def _end_labels(axis: Axes, final: np.ndarray, names: tuple[str, ...], x: float) -> None:
    """Name the lines at their ends, actors at one position together, labels kept apart."""
    groups: dict[float, list[str]] = {}
    for position, name in sorted(zip(final.tolist(), names, strict=True)):
        key = round(position, 6)
        groups.setdefault(key, []).append(name)
    low, high = axis.get_ylim()
    gap = (high - low) * 0.055
    placed: list[float] = []
    for position in sorted(groups):
        lines = len(textwrap.wrap(", ".join(groups[position]), 42)) or 1
        wanted = position if not placed else max(position, placed[-1] + gap * lines)
        placed.append(wanted)
        axis.annotate(
            "\n".join(textwrap.wrap(", ".join(groups[position]), 42)),
            xy=(x, position),
            xytext=(x + 0.04 * max(1.0, x), wanted),
            textcoords="data",
            fontsize=7,
            va="center",
            annotation_clip=False,
            arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.6},
        ).set_parse_math(False)


def _rounds_panel(
    axis: Axes,
    result: ForecastResult,
    dimension: int,
    colours: Mapping[str, str],
) -> None:
    history = np.stack([state.positions[:, dimension] for state in result.rounds])
    steps = np.arange(len(result.rounds))
    for actor, name in enumerate(result.actors):
        # a line that later ones would hide (ending at the same position) is drawn wider, so it shows
        # around them: one step wider for each later line ending on it
        hidden_by = sum(
            bool(np.isclose(history[-1, actor], history[-1, other]))
            for other in range(actor + 1, history.shape[1])
        )
        width = 1.6 + 2.4 * hidden_by
        axis.plot(
            steps,
            history[:, actor],
            color=colour_of(colours, name),
            linewidth=width,
            alpha=0.9,
            solid_capstyle="butt",
            zorder=2 + actor,
        )
    medians = [state.median[dimension] for state in result.rounds if state.median is not None]
    if len(medians) == len(steps):
        axis.plot(
            steps, medians, color="black", linestyle=":", linewidth=1.5, label="weighted median", zorder=50
        )
    forecast = float(result.forecast[dimension])
    axis.axhline(
        forecast,
        color=FORECAST_COLOUR,
        linestyle="--",
        linewidth=1.2,
        label=f"point forecast {forecast:.1f}",
        zorder=1,
    )
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    axis.set_xlim(0, max(1, len(steps) - 1))
    axis.set_xlabel("round")
    axis.set_ylabel(f"position on {result.dimensions[dimension]}", parse_math=False)
    axis.grid(alpha=0.3)
    axis.set_title(
        f"{result.model}: {result.dimensions[dimension]}, round by round", fontsize=10, parse_math=False
    )
    _end_labels(axis, history[-1], result.actors, float(max(1, len(steps) - 1)))


def _samples_panel(axis: Axes, result: ForecastResult, dimension: int, sampled: SensitivityResult) -> None:
    values = sampled.forecasts[:, dimension]
    axis.hist(values, bins=30, color="#9ecae1", edgecolor="white")
    axis.axvspan(
        float(sampled.low[dimension]),
        float(sampled.high[dimension]),
        color=INTERVAL_COLOUR,
        alpha=0.45,
        label=f"{sampled.level:.0%} interval of {len(values)} samples",
    )
    median = float(sampled.median[dimension])
    axis.axvline(median, color="#08519c", linewidth=2, label=f"median of samples {median:.1f}")
    point = float(result.forecast[dimension])
    axis.axvline(point, color=FORECAST_COLOUR, linestyle="--", label=f"point forecast {point:.1f}")
    axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    axis.set_xlabel(f"forecast on {result.dimensions[dimension]}", parse_math=False)
    axis.set_ylabel("samples")
    axis.set_title(
        f"{result.dimensions[dimension]}: {len(values)} runs on perturbed inputs",
        fontsize=10,
        parse_math=False,
    )


def forecast_figure(
    result: ForecastResult,
    sampled: SensitivityResult | None = None,
    *,
    table: ActorTable | None = None,
    colours: Mapping[str, str] | None = None,
) -> Figure:
    """One row per dimension: where each actor stands (models without rounds) or positions over
    the rounds, and the distribution of the sampled forecasts (when given).

    ``table`` sizes the actors by capability × salience; ``colours`` defaults to
    :func:`~accord.reports.palette.party_colours` of the actors, in order.

    >>> from accord.forecast.actors import ActorTable
    >>> from accord.forecast.baseline import compromise_model
    >>> table = ActorTable(("A", "B"), ("d",), np.ones(2), np.array([[0.0], [10.0]]), np.ones((2, 1)))
    >>> figure = forecast_figure(compromise_model(table))
    >>> len(figure.axes), figure.axes[0].get_xlabel()
    (1, 'position on d')
    """
    palette = colours if colours is not None else party_colours(result.actors)
    rows = len(result.dimensions)
    columns = 1 + int(sampled is not None)
    static = len(result.rounds) == 1
    height = max(3.4, 1.2 + 0.32 * len(result.actors)) if static else 4.2
    figure = Figure(figsize=(7.5 * columns, height * rows), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, columns, squeeze=False)
    for dimension in range(rows):
        weights = None if table is None else table.capability * table.salience[:, dimension]
        if static:
            _positions_panel(axes[dimension, 0], result, dimension, palette, weights, sampled)
        else:
            _rounds_panel(axes[dimension, 0], result, dimension, palette)
        if sampled is not None:
            _samples_panel(axes[dimension, 1], result, dimension, sampled)
    handles, labels = [], []
    for axis in figure.axes:
        for handle, label in zip(*axis.get_legend_handles_labels(), strict=True):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    if handles:
        legend = figure.legend(
            handles, labels, loc="outside lower center", ncols=min(4, len(handles)), fontsize=8, frameon=False
        )
        for text in legend.get_texts():
            text.set_parse_math(False)
    if sampled is not None:
        notes = outside_interval_notes(result.forecast, sampled)
        if notes:
            figure.suptitle(
                "\n".join(textwrap.fill(note, 150) for note in notes),
                fontsize=8,
                color="#8c2d04",
                parse_math=False,
            )
    return figure


def save_forecast_figure(
    result: ForecastResult,
    path: str | Path,
    sampled: SensitivityResult | None = None,
    *,
    table: ActorTable | None = None,
    colours: Mapping[str, str] | None = None,
) -> None:
    """Draw :func:`forecast_figure` and write it to ``path`` (format from the suffix)."""
    forecast_figure(result, sampled, table=table, colours=colours).savefig(str(path), dpi=120)
