"""Monte Carlo sensitivity: how far a forecast moves when the inputs are uncertain.

Each sample perturbs every actor's inputs uniformly within the stated uncertainty
(:class:`Uncertainty`), runs the model, and keeps its forecast. The spread of those
forecasts is the forecast's uncertainty. Sampling is seeded: the same seed (or a
generator in the same state) gives the same samples.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from accord.errors import ArgumentError
from accord.forecast.actors import ActorTable
from accord.forecast.models import run_model

__all__ = [
    "MOST_SAMPLES",
    "SensitivityResult",
    "Uncertainty",
    "outside_interval_notes",
    "perturbed_table",
    "sensitivity",
]

#: The most Monte Carlo samples one call may take (each runs the model once; their forecasts are kept).
MOST_SAMPLES = 1_000_000


@dataclass(frozen=True, slots=True, kw_only=True)
class Uncertainty:
    """How uncertain each input is; every perturbation is uniform in ``[-spread, +spread]``.

    ``position``: a fraction of the range of the positions held on each dimension
    (largest minus smallest; 0.05 of a 20–80 range is ±3 points), so that it means
    the same on any scale; positions stay inside the table's scale.
    ``salience``: on the 0–1 scale (kept in [0, 1]); ``capability``: a fraction of
    each capability (0.2 means ±20 %), below 1.
    """

    position: float = 0.05
    salience: float = 0.1
    capability: float = 0.2


@dataclass(frozen=True, slots=True)
class SensitivityResult:
    """The forecasts of the perturbed samples and their summary.

    ``forecasts: (n_samples, n_dimensions)``; ``median``, ``low``, ``high``:
    ``(n_dimensions,)`` — the samples' median and the central ``level`` interval.
    """

    model: str
    dimensions: tuple[str, ...]
    forecasts: np.ndarray
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray
    level: float
    seed: int | None


def perturbed_table(
    table: ActorTable, uncertainty: Uncertainty, generator: np.random.Generator
) -> ActorTable:
    """One draw of the inputs: positions, saliences and capabilities moved within the uncertainty.

    >>> import numpy as np
    >>> table = ActorTable(("A", "B"), ("d",), np.ones(2), np.array([[0.0], [100.0]]), np.ones((2, 1)))
    >>> drawn = perturbed_table(table, Uncertainty(), np.random.default_rng(1))
    >>> bool(np.all((drawn.positions >= 0) & (drawn.positions <= 100)))
    True
    """
    shape = table.positions.shape
    low, high = table.scale
    spread = uncertainty.position * np.ptp(table.positions, axis=0)
    positions = np.clip(
        table.positions + generator.uniform(-1.0, 1.0, shape) * spread[None, :],
        low,
        high,
    )
    salience = np.clip(
        table.salience + generator.uniform(-uncertainty.salience, uncertainty.salience, shape),
        0.0,
        1.0,
    )
    capability = table.capability * (
        1.0 + generator.uniform(-uncertainty.capability, uncertainty.capability, shape[0])
    )
    return replace(table, capability=capability, positions=positions, salience=salience)


def sensitivity(
    table: ActorTable,
    model: str,
    *,
    samples: int = 200,
    seed: int | np.random.Generator | None = 0,
    uncertainty: Uncertainty = Uncertainty(),
    level: float = 0.9,
    preset: str | None = None,
    rounds: int | None = None,
    settings: Mapping[str, str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SensitivityResult:
    """Run ``model`` on ``samples`` perturbed copies of ``table`` and summarise the forecasts.

    ``preset``, ``rounds`` and ``settings`` are passed to :func:`~accord.forecast.models.run_model`;
    ``progress(done, samples)`` is called after each sample (the CLI passes a progress bar's).

    >>> import numpy as np
    >>> table = ActorTable(("A", "B"), ("d",), np.ones(2), np.array([[20.0], [80.0]]), np.ones((2, 1)))
    >>> result = sensitivity(table, "compromise", samples=50, seed=3)
    >>> result.forecasts.shape, bool(result.low[0] <= result.median[0] <= result.high[0])
    ((50, 1), True)
    """
    if samples < 1:
        raise ArgumentError("samples", f"must be at least 1, got {samples}")
    if samples > MOST_SAMPLES:
        raise ArgumentError("samples", f"must be at most {MOST_SAMPLES:,}, got {samples:,}")
    if not 0.0 < level < 1.0:
        raise ArgumentError("level", f"must lie strictly between 0 and 1, got {level}")
    if not 0.0 <= uncertainty.capability < 1.0:
        raise ArgumentError("uncertainty.capability", f"must lie in [0, 1), got {uncertainty.capability}")
    generator = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    forecasts = np.empty((samples, len(table.dimensions)))
    for index in range(samples):
        drawn = perturbed_table(table, uncertainty, generator)
        forecasts[index] = run_model(model, drawn, preset=preset, rounds=rounds, settings=settings).forecast
        if progress is not None:
            progress(index + 1, samples)
    tail = (1.0 - level) / 2.0
    return SensitivityResult(
        model=model,
        dimensions=table.dimensions,
        forecasts=forecasts,
        median=np.median(forecasts, axis=0),
        low=np.quantile(forecasts, tail, axis=0),
        high=np.quantile(forecasts, 1.0 - tail, axis=0),
        level=level,
        seed=seed if isinstance(seed, int) else None,
    )


def outside_interval_notes(forecast: np.ndarray, sampled: SensitivityResult) -> list[str]:
    """For each dimension whose point ``forecast: (n_dimensions,)`` lies outside its own sampled
    interval: which number to use, and why.

    >>> sampled = SensitivityResult("spatial", ("d",), np.zeros((10, 1)), np.array([33.0]),
    ...                             np.array([22.0]), np.array([53.0]), 0.9, 1)
    >>> outside_interval_notes(np.array([61.4]), sampled)[0][:60]
    'On d the point forecast 61.40 lies outside its own 90% inter'
    """
    notes = []
    for index, dimension in enumerate(sampled.dimensions):
        point, low, high = float(forecast[index]), float(sampled.low[index]), float(sampled.high[index])
        if low <= point <= high:
            continue
        median = float(sampled.median[index])
        notes.append(
            f"On {dimension} the point forecast {point:.2f} lies outside its own {sampled.level:.0%} "
            f"interval ({low:.2f} – {high:.2f}). The point is one run on the inputs exactly as given; "
            f"{len(sampled.forecasts)} runs on inputs moved within their uncertainty mostly end elsewhere, "
            f"so the point sits where a small change in any estimate tips the outcome. Use the sample median "
            f"{median:.2f} and the interval {low:.2f} – {high:.2f}; read {point:.2f} only as what happens if "
            "every input is exactly right."
        )
    return notes
