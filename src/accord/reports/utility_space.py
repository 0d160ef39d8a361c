"""The utility-space plot of two parties: outcomes, frontier, bargaining points, reservations.

Used by ``accord analyze --plot`` and by the session report (with the trajectory of
offers). Drawn with matplotlib's object API on an Agg canvas (no pyplot, no global
figure state, no backend chosen at import), so threads may draw at once.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

__all__ = ["TrajectoryStep", "plot_utility_space", "save_figure"]

#: A step of a session's trajectory: who put the package forward and its utilities ``(2,)``.
TrajectoryStep = tuple[str, np.ndarray]

#: Label, marker, colour and size of each named point; larger ones are drawn first so that
#: points that coincide stay visible as concentric markers.
_POINT_STYLES = {
    "egalitarian": ("Egalitarian", "s", "#8c564b", 260),
    "max_welfare": ("Max welfare", "^", "#2ca02c", 200),
    "kalai_smorodinsky": ("Kalai–Smorodinsky", "D", "#9467bd", 120),
    "nash": ("Nash", "*", "#d62728", 90),
    "agreement": ("Agreement", "o", "#000000", 50),
}


def plot_utility_space(
    *,
    parties: tuple[str, str],
    frontier: np.ndarray,
    reservations: np.ndarray,
    outcomes: np.ndarray | None = None,
    excluded: np.ndarray | None = None,
    points: Mapping[str, np.ndarray | None] | None = None,
    trajectory: Sequence[TrajectoryStep] = (),
    title: str = "",
) -> Figure:
    """Draw two parties' utility space.

    ``frontier: (m, 2)`` Pareto points; ``outcomes: (n, 2)`` other outcomes (a sample
    for large spaces); ``reservations: (2,)``; ``points``: named points (``nash``,
    ``kalai_smorodinsky``, ``max_welfare``, ``egalitarian``, ``agreement``) as ``(2,)``
    arrays or ``None``; ``trajectory``: packages put forward, in order; ``excluded: (n, 2)``
    outcomes that cross a red line, drawn apart.

    >>> figure = plot_utility_space(parties=("a", "b"), frontier=np.array([[1.0, 0.0], [0.0, 1.0]]),
    ...                             reservations=np.zeros(2))
    >>> len(figure.axes)
    1
    """
    figure = Figure(figsize=(7.0, 6.0), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    if outcomes is not None and len(outcomes):
        axes.scatter(outcomes[:, 0], outcomes[:, 1], s=6, color="#b0b0b0", label="Outcomes", zorder=1)
    if excluded is not None and len(excluded):
        axes.scatter(
            excluded[:, 0],
            excluded[:, 1],
            s=8,
            marker="x",
            linewidths=0.6,
            color="#f4a6a6",
            label="Crosses a red line",
            zorder=1,
        )
    if len(frontier):
        order = np.argsort(frontier[:, 0], kind="stable")
        axes.plot(
            frontier[order, 0],
            frontier[order, 1],
            "-o",
            markersize=3,
            color="#1f77b4",
            label="Pareto frontier",
            zorder=2,
        )
    axes.axvline(float(reservations[0]), color="#ff7f0e", linestyle="--", linewidth=1)
    axes.axhline(float(reservations[1]), color="#ff7f0e", linestyle="--", linewidth=1, label="Reservation")
    senders = sorted({sender for sender, _ in trajectory})
    colours = colormaps["tab10"]
    for number, sender in enumerate(senders):
        steps = np.array([utilities for who, utilities in trajectory if who == sender])
        axes.plot(
            steps[:, 0],
            steps[:, 1],
            "-x",
            markersize=4,
            linewidth=0.8,
            alpha=0.8,
            color=colours(number + 3),
            label=f"Packages from {sender}",
            zorder=3,
        )
    given = points or {}
    drawing_order = [key for key in _POINT_STYLES if key in given]
    drawing_order += [key for key in given if key not in _POINT_STYLES]
    for layer, key in enumerate(drawing_order):
        value = given[key]
        if value is None:
            continue
        label, marker, colour, size = _POINT_STYLES.get(key, (key, "P", "#17becf", 120))
        axes.scatter(
            [value[0]],
            [value[1]],
            marker=marker,
            s=size,
            color=colour,
            edgecolors="white",
            label=label,
            zorder=4 + layer,
        )
    # Names are data: drawn as written, never as mathtext.
    axes.set_xlabel(f"Utility of {parties[0]}", parse_math=False)
    axes.set_ylabel(f"Utility of {parties[1]}", parse_math=False)
    axes.set_xlim(-0.02, 1.05)
    axes.set_ylim(-0.02, 1.05)
    axes.grid(alpha=0.3)
    for text in axes.legend(loc="lower left", fontsize=8, framealpha=0.9).get_texts():
        text.set_parse_math(False)
    if title:
        axes.set_title("\n".join(textwrap.wrap(title, 70)), fontsize=10, parse_math=False)
    return figure


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write ``figure`` as PNG or SVG (by the file's suffix)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    return path
