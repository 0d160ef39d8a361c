"""Plots and reports; matplotlib lives here and nowhere below.

Every figure is a pure function from data to a :class:`~matplotlib.figure.Figure`
(object API on an Agg canvas, no pyplot); every party keeps one colour, from
:func:`party_colours`.
"""

from accord.reports.delegations import plot_delegations, plot_offer_timeline
from accord.reports.forecast_plots import forecast_figure, save_forecast_figure
from accord.reports.palette import OTHER_COLOUR, colour_of, party_colours
from accord.reports.utility_space import TrajectoryStep, plot_utility_space, save_figure

__all__ = [
    "OTHER_COLOUR",
    "TrajectoryStep",
    "colour_of",
    "forecast_figure",
    "party_colours",
    "plot_delegations",
    "plot_offer_timeline",
    "plot_utility_space",
    "save_figure",
    "save_forecast_figure",
]
