"""The utility-space plot of two parties: outcomes, frontier, bargaining points, reservations.

Used by ``accord analyze --plot`` and by the session report (with the trajectory of
offers). With more than two delegations the caller passes the points of the analysis
of *every* delegation projected onto the pair (and says so in ``point_suffix`` and the
title), so the plot shows the same points as the tables beside it. Drawn with
matplotlib's object API on an Agg canvas (no pyplot, no global figure state, no
backend chosen at import), so threads may draw at once. Names are data: every text
drawn from a name is drawn as written, never as mathtext.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from accord.reports.palette import colour_of

__all__ = ["POINT_LABELS", "TrajectoryStep", "coinciding", "plot_utility_space", "save_figure"]

#: A step of a session's trajectory: who put the package forward and its utilities ``(2,)``.
TrajectoryStep = tuple[str, np.ndarray]

#: How each named point is called in figures and tables.
POINT_LABELS = {
    "nash": "Nash",
    "kalai_smorodinsky": "Kalai–Smorodinsky",
    "max_welfare": "Max welfare",
    "egalitarian": "Egalitarian",
    "agreement": "Agreement",
}

#: Marker, face colour and size of each named point, in greys so that no colour means both a
#: delegation and a point (the delegations' colours are :func:`~accord.reports.palette.party_colours`);
#: larger ones are drawn first, so points that coincide stay visible as concentric marks.
_POINT_STYLES = {
    "egalitarian": ("s", "#e0e0e0", 380),
    "max_welfare": ("^", "#ffffff", 250),
    "kalai_smorodinsky": ("D", "#9a9a9a", 130),
    "nash": ("*", "#000000", 150),
    "agreement": ("o", "#ffffff", 40),
}

#: The frontier and the reservation values, in greys for the same reason.
FRONTIER_COLOUR = "#222222"
RESERVATION_COLOUR = "#666666"

#: Points closer than this in both utilities are said to coincide.
COINCIDENCE = 1e-6


def coinciding(points: Mapping[str, np.ndarray | None]) -> list[tuple[str, ...]]:
    """Groups of two or more named points at the same place (within :data:`COINCIDENCE`).

    >>> coinciding({"nash": np.array([0.5, 0.5]), "agreement": np.array([0.5, 0.5]),
    ...             "egalitarian": np.array([0.4, 0.6]), "kalai_smorodinsky": None})
    [('nash', 'agreement')]
    """
    present = [(name, np.asarray(value)) for name, value in points.items() if value is not None]
    groups: list[list[str]] = []
    placed: set[str] = set()
    for index, (name, value) in enumerate(present):
        if name in placed:
            continue
        group = [name] + [
            other
            for other, where in present[index + 1 :]
            if other not in placed and bool(np.all(np.abs(where - value) <= COINCIDENCE))
        ]
        placed.update(group)
        if len(group) > 1:
            groups.append(group)
    return [tuple(group) for group in groups]


def plot_utility_space(
    *,
    parties: tuple[str, str],
    frontier: np.ndarray,
    reservations: np.ndarray,
    outcomes: np.ndarray | None = None,
    excluded: np.ndarray | None = None,
    points: Mapping[str, np.ndarray | None] | None = None,
    trajectory: Sequence[TrajectoryStep] = (),
    colours: Mapping[str, str] | None = None,
    frontier_projected: bool = False,
    point_suffix: str = "",
    title: str = "",
) -> Figure:
    """Draw two parties' utility space.

    ``frontier: (m, 2)`` Pareto points (drawn as a curve; as separate points when
    ``frontier_projected``: the frontier of more parties seen from two of them);
    ``outcomes: (n, 2)`` other outcomes (a sample for large spaces); ``reservations: (2,)``;
    ``points``: named points (``nash``, ``kalai_smorodinsky``, ``max_welfare``,
    ``egalitarian``, ``agreement``) as ``(2,)`` arrays or ``None``, labelled with
    ``point_suffix`` appended (the agreement excepted); ``trajectory``: packages put
    forward, in order, coloured by who put them forward (``colours``, from
    :func:`~accord.reports.palette.party_colours`); ``excluded: (n, 2)`` outcomes that
    cross a red line, drawn apart. The legend sits outside the axes, never over data;
    points that coincide are drawn as concentric marks and named together on the plot.

    >>> figure = plot_utility_space(parties=("a", "b"), frontier=np.array([[1.0, 0.0], [0.0, 1.0]]),
    ...                             reservations=np.zeros(2))
    >>> len(figure.axes)
    1
    """
    figure = Figure(figsize=(9.2, 6.4), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    if outcomes is not None and len(outcomes):
        axes.scatter(outcomes[:, 0], outcomes[:, 1], s=6, color="#d4d4d4", label="Outcomes", zorder=1)
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
        if frontier_projected:
            axes.scatter(
                frontier[:, 0],
                frontier[:, 1],
                s=16,
                color=FRONTIER_COLOUR,
                alpha=0.75,
                linewidths=0,
                label="Pareto frontier" + point_suffix,
                zorder=2,
            )
        else:
            order = np.argsort(frontier[:, 0], kind="stable")
            axes.plot(
                frontier[order, 0],
                frontier[order, 1],
                "-o",
                markersize=3,
                color=FRONTIER_COLOUR,
                label="Pareto frontier",
                zorder=2,
            )
    axes.axvline(float(reservations[0]), color=RESERVATION_COLOUR, linestyle="--", linewidth=1)
    axes.axhline(
        float(reservations[1]),
        color=RESERVATION_COLOUR,
        linestyle="--",
        linewidth=1,
        label="Reservation values",
    )
    senders = list(dict.fromkeys(sender for sender, _ in trajectory))
    for sender in senders:
        steps = np.array([utilities for who, utilities in trajectory if who == sender])
        axes.plot(
            steps[:, 0],
            steps[:, 1],
            "-x",
            markersize=4,
            linewidth=0.6,
            alpha=0.6,
            color=colour_of(colours or {}, sender),
            label=f"Put forward by {sender}",
            zorder=3,
        )
    given = {key: value for key, value in (points or {}).items() if value is not None}
    drawing_order = [key for key in _POINT_STYLES if key in given]
    drawing_order += [key for key in given if key not in _POINT_STYLES]
    for layer, key in enumerate(drawing_order):
        marker, colour, size = _POINT_STYLES.get(key, ("P", "#17becf", 120))
        label = POINT_LABELS.get(key, key) + ("" if key == "agreement" else point_suffix)
        axes.scatter(
            [given[key][0]],
            [given[key][1]],
            marker=marker,
            s=size,
            facecolors=colour,
            edgecolors="black",
            linewidths=1.6 if key == "agreement" else 0.9,
            label=label,
            zorder=5 + layer,
        )
    # Named together on the plot, up and to the right: beyond the frontier, where no outcome lies.
    for number, group in enumerate(coinciding({key: given[key] for key in drawing_order})):
        where = given[group[0]]
        text = " = ".join(POINT_LABELS.get(key, key) for key in group)
        axes.annotate(
            "\n".join(textwrap.wrap(text, 30)),
            xy=(float(where[0]), float(where[1])),
            xytext=(28, 22 + 34 * number),
            textcoords="offset points",
            fontsize=8,
            arrowprops={"arrowstyle": "-", "color": "#555555", "linewidth": 0.7},
            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "#999999", "alpha": 0.9},
            zorder=20,
        )
    # Names are data: drawn as written, never as mathtext.
    axes.set_xlabel(f"Utility of {parties[0]}", parse_math=False)
    axes.set_ylabel(f"Utility of {parties[1]}", parse_math=False)
    axes.set_xlim(-0.02, 1.05)
    axes.set_ylim(-0.02, 1.05)
    axes.set_aspect("equal")
    axes.grid(alpha=0.3)
    handles, labels = axes.get_legend_handles_labels()
    if handles:
        legend = figure.legend(
            handles,
            ["\n".join(textwrap.wrap(label, 34)) for label in labels],
            loc="outside right upper",
            fontsize=8,
            frameon=False,
            markerscale=0.6,
        )
        for entry in legend.get_texts():
            entry.set_parse_math(False)
    if title:
        axes.set_title("\n".join(textwrap.wrap(title, 80)), fontsize=10, parse_math=False)
    return figure


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write ``figure`` as PNG or SVG (by the file's suffix)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    return path
