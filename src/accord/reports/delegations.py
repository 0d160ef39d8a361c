"""Figures that show every delegation at once, readable for nine of them as for two.

:func:`plot_delegations`: for each delegation, what each package put forward and the
agreement were worth to it, against its reservation value (and the Nash point of
every delegation). :func:`plot_offer_timeline`: the packages put forward, in order,
as one grid of every delegation's gain over its reservation value, with who put each
forward above it. Pure functions from arrays to a :class:`~matplotlib.figure.Figure`
(object API on an Agg canvas, no pyplot); colours come from
:func:`~accord.reports.palette.party_colours`; names are drawn as written, never as mathtext.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap, TwoSlopeNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from accord.reports.palette import colour_of

__all__ = ["plot_delegations", "plot_offer_timeline"]


def _wrapped(name: str, width: int = 16) -> str:
    return "\n".join(textwrap.wrap(name, width)) or name


def plot_delegations(
    *,
    parties: Sequence[str],
    packages: np.ndarray,
    reservations: np.ndarray,
    agreement: np.ndarray | None,
    nash: np.ndarray | None = None,
    colours: Mapping[str, str] | None = None,
    title: str = "",
) -> Figure:
    """Every delegation's worth of the packages put forward and of the agreement.

    ``packages: (k, n_parties)`` utilities of the packages put forward, in order;
    ``reservations: (n_parties,)``; ``agreement, nash: (n_parties,)`` or ``None``.
    One column per delegation: the packages as dots in its colour, its reservation
    value as a dashed bar, the agreement (with its value written beside it) and the
    Nash point of every delegation.

    >>> figure = plot_delegations(parties=("a", "b"), packages=np.array([[0.2, 0.9]]),
    ...                           reservations=np.array([0.3, 0.3]), agreement=None)
    >>> [tick.get_text() for tick in figure.axes[0].get_xticklabels()]
    ['a', 'b']
    """
    count = len(parties)
    figure = Figure(figsize=(max(7.5, 2.2 + 1.15 * count), 5.2), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots()
    palette = colours or {}
    # Packages run left to right in the order they were put forward; the outcome sits at the right.
    spread = np.linspace(-0.4, 0.2, len(packages)) if len(packages) > 1 else np.zeros(len(packages))
    end = 0.32
    for column, party in enumerate(parties):
        colour = colour_of(palette, party)
        if len(packages):
            axes.scatter(
                column + spread,
                packages[:, column],
                s=12,
                color=colour,
                alpha=0.45,
                linewidths=0,
                zorder=2,
            )
        axes.hlines(
            float(reservations[column]),
            column - 0.45,
            column + 0.45,
            colors="#333333",
            linestyles="--",
            linewidth=1.6,
            zorder=3,
        )
        if nash is not None:
            axes.scatter(
                [column + end],
                [nash[column]],
                marker="*",
                s=190,
                facecolors="none",
                edgecolors="black",
                linewidths=1.2,
                zorder=4,
            )
        if agreement is not None:
            value = float(agreement[column])
            axes.scatter(
                [column + end],
                [value],
                marker="D",
                s=70,
                color=colour,
                edgecolors="black",
                linewidths=1.2,
                zorder=5,
            )
            axes.annotate(
                f"{value:.2f}",
                xy=(column + end, value),
                xytext=(9, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                zorder=6,
            )
    axes.set_xticks(range(count))
    axes.set_xticklabels([_wrapped(party) for party in parties], fontsize=8)
    for label in axes.get_xticklabels():
        label.set_parse_math(False)  # names are data
    axes.set_xlim(-0.6, count - 0.25)
    axes.set_ylim(-0.03, 1.05)
    axes.set_ylabel("Utility to the delegation")
    axes.grid(axis="y", alpha=0.3)
    handles: list[Line2D | Patch] = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            color="#888888",
            alpha=0.6,
            label="A package put forward (left to right: first to last)",
        ),
        Line2D([], [], linestyle="--", color="#333333", label="Reservation value"),
    ]
    if agreement is not None:
        handles.append(
            Line2D(
                [],
                [],
                marker="D",
                linestyle="",
                color="#bbbbbb",
                markeredgecolor="black",
                label="The agreement",
            )
        )
    if nash is not None:
        handles.append(
            Line2D(
                [],
                [],
                marker="*",
                markersize=12,
                linestyle="",
                markerfacecolor="none",
                markeredgecolor="black",
                label="Nash point (every delegation)",
            )
        )
    figure.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    if title:
        axes.set_title("\n".join(textwrap.wrap(title, 100)), fontsize=10, parse_math=False)
    return figure


def _round_ticks(rounds: np.ndarray) -> tuple[list[int], list[str]]:
    """Tick positions (package indices) at the first package of whole-number rounds chosen by
    a :class:`~matplotlib.ticker.MaxNLocator`, and their labels."""
    if len(rounds) == 0:
        return [], []
    wanted = MaxNLocator(nbins=10, integer=True).tick_values(int(rounds.min()), int(rounds.max()))
    positions: list[int] = []
    labels: list[str] = []
    for round_ in wanted:
        found = np.flatnonzero(rounds >= round_)
        if found.size and (not positions or found[0] > positions[-1]):
            positions.append(int(found[0]))
            labels.append(str(int(rounds[found[0]])))
    return positions, labels


def plot_offer_timeline(
    *,
    parties: Sequence[str],
    rounds: np.ndarray,
    actors: Sequence[str],
    utilities: np.ndarray,
    reservations: np.ndarray,
    colours: Mapping[str, str] | None = None,
    title: str = "",
) -> Figure:
    """The packages put forward, in order: who put each forward, and its gain to every delegation.

    ``rounds: (k,)`` the round of each package; ``actors``: who put each forward;
    ``utilities: (k, n_parties)``; ``reservations: (n_parties,)``. Each cell is the
    package's utility to the delegation minus its reservation value: blue where it
    would rather have the package than no agreement, red where it would not.

    >>> figure = plot_offer_timeline(parties=("a", "b"), rounds=np.array([0, 1]), actors=("a", "b"),
    ...     utilities=np.array([[0.9, 0.1], [0.4, 0.6]]), reservations=np.array([0.3, 0.3]))
    >>> len(figure.axes)  # who put it forward, the grid, the colour bar
    3
    """
    count = len(parties)
    figure = Figure(figsize=(10.0, 1.9 + 0.42 * count), layout="constrained")
    FigureCanvasAgg(figure)
    strip, grid = figure.subplots(2, 1, sharex=True, height_ratios=[0.6, max(1.0, 0.42 * count)])
    palette = colours or {}
    senders = list(dict.fromkeys(actors))
    if len(actors):
        strip_colours = ListedColormap([colour_of(palette, sender) for sender in senders])
        indices = np.array([[senders.index(actor) for actor in actors]])
        strip.imshow(
            indices,
            aspect="auto",
            cmap=strip_colours,
            vmin=-0.5,
            vmax=len(senders) - 0.5,
            interpolation="nearest",
        )
    strip.set_yticks([0])
    strip.set_yticklabels(["put forward by"], fontsize=8)
    gains = (utilities - reservations).T if len(utilities) else np.zeros((count, 0))
    largest = float(np.abs(gains).max()) if gains.size else 1.0
    largest = max(largest, 1e-6)
    image = grid.imshow(
        gains,
        aspect="auto",
        cmap="RdBu",
        norm=TwoSlopeNorm(vmin=-largest, vcenter=0.0, vmax=largest),
        interpolation="nearest",
    )
    grid.set_yticks(range(count))
    grid.set_yticklabels([_wrapped(party, 28) for party in parties], fontsize=8)
    for label in grid.get_yticklabels():
        label.set_parse_math(False)  # names are data
    positions, labels = _round_ticks(np.asarray(rounds))
    grid.set_xticks(positions)
    grid.set_xticklabels(labels)
    grid.set_xlabel("Packages put forward, in order (ticks: the round of the package below them)")
    colour_bar = figure.colorbar(image, ax=[strip, grid], shrink=0.9, pad=0.01)
    colour_bar.set_label("utility − reservation value", fontsize=8)
    handles = [Patch(color=colour_of(palette, sender), label=sender) for sender in senders]
    if handles:
        legend = figure.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(len(handles), 5),
            fontsize=8,
            frameon=False,
            title="Put forward by",
            title_fontsize=8,
        )
        for text in legend.get_texts():
            text.set_parse_math(False)
    if title:
        strip.set_title("\n".join(textwrap.wrap(title, 100)), fontsize=10, parse_math=False)
    return figure
