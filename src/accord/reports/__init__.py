"""Plots and reports; matplotlib lives here and nowhere below."""

from accord.reports.utility_space import TrajectoryStep, plot_utility_space, save_figure

__all__ = ["TrajectoryStep", "plot_utility_space", "save_figure"]
