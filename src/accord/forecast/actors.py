"""Forecasting input: actors with capability, and per dimension a position and a salience."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["ActorTable", "ForecastResult", "ForecastRound"]


@dataclass(frozen=True, slots=True)
class ActorTable:
    """Who holds which position, how much each cares, and how much weight each carries.

    ``capability: (n_actors,)``; ``positions: (n_actors, n_dimensions)`` on the
    dimensions' scales (0–100 by convention); ``salience: (n_actors, n_dimensions)``
    in [0, 1] (inputs given on 0–100 are divided by 100 when read).
    ``source`` names the file it came from, for error messages and reports.

    ``model_parameters`` holds the settings the file gives, by model name and setting name
    (``{"spatial": {"VictoryProbModel": "Linear"}}``, from KTAB's ``ModelParameters`` or a
    scenario's ``forecast_settings``); ``run_model`` applies them under any given to it.
    ``accommodation: (n_actors, n_actors)`` or ``None``: KTAB's ideal adjustment, row ``i``
    the share of each actor's new position that actor ``i``'s ideal moves to after each step
    (``None``: every ideal is the actor's current position).
    """

    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    capability: np.ndarray
    positions: np.ndarray
    salience: np.ndarray
    source: str = ""
    description: str = ""
    scale: tuple[float, float] = (0.0, 100.0)
    model_parameters: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    accommodation: np.ndarray | None = None


@dataclass(frozen=True, slots=True)
class ForecastRound:
    """One state of a model run: every actor's position, and the model's summary where it has one.

    ``positions: (n_actors, n_dimensions)``; ``median``, ``mean``: ``(n_dimensions,)`` or ``None``.
    """

    positions: np.ndarray
    median: np.ndarray | None = None
    mean: np.ndarray | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ForecastResult:
    """A model's forecast: one value per dimension, and the rounds that led to it (initial state first)."""

    model: str
    actors: tuple[str, ...]
    dimensions: tuple[str, ...]
    forecast: np.ndarray
    rounds: tuple[ForecastRound, ...]
    settings: dict[str, Any] = field(default_factory=dict)
