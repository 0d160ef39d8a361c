"""The registry of forecasting models: one name, one function, looked up lazily.

Entries are ``"module:attribute"`` strings so that a model's module is imported only
when it runs. :func:`run_model` gives every model the same call.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from accord.errors import ArgumentError, ForecastDataError
from accord.forecast.actors import ActorTable, ForecastResult

__all__ = ["FORECAST_MODELS", "MOST_ACTORS", "run_model"]

#: Model name → ``"module:function"``; the function takes an ActorTable.
FORECAST_MODELS: dict[str, str] = {
    "compromise": "accord.forecast.baseline:compromise_model",
    "median": "accord.forecast.baseline:median_model",
    "spatial": "accord.forecast.spatial:spatial_model",
    "expected-utility": "accord.forecast.expected_utility:expected_utility_model",
}


#: Most actors each model takes. The spatial and expected-utility models weigh every actor's
#: view of every pair of positions: n³ numbers a round (at 100 actors the spatial model takes
#: about 40 s and 0.4 GB, the expected-utility model at 300 about 20 s and 0.5 GB; both grow
#: with the cube). The baselines are linear and take any number.
MOST_ACTORS: dict[str, int] = {"spatial": 100, "expected-utility": 300}


def _check_size(name: str, table: ActorTable) -> None:
    limit = MOST_ACTORS.get(name)
    count = len(table.actors)
    if limit is None or count <= limit:
        return
    fitting = [model for model in FORECAST_MODELS if count <= MOST_ACTORS.get(model, count)]
    raise ForecastDataError(
        table.source,
        "actors",
        f"{count:,} actors: the {name} model takes at most {limit:,} (its work grows with the cube "
        f"of the actors); use the {' or '.join(fitting)} model, or fewer actors",
    )


def _check_result(result: ForecastResult, table: ActorTable) -> ForecastResult:
    if not np.all(np.isfinite(result.forecast)):
        raise ForecastDataError(
            table.source,
            "",
            f"the {result.model} model's arithmetic overflowed on these numbers (capability up to "
            f"{np.max(table.capability):.3g}, positions from {np.min(table.positions):.3g} to "
            f"{np.max(table.positions):.3g}); rescale them, e.g. positions to 0–100 and capability to 0–1",
        )
    return result


def _resolve(name: str) -> Callable[..., ForecastResult]:
    if name not in FORECAST_MODELS:
        known = ", ".join(sorted(FORECAST_MODELS))
        raise ArgumentError("model", f"unknown model {name!r} (known: {known})")
    module_name, attribute = FORECAST_MODELS[name].split(":")
    function: Callable[..., ForecastResult] = getattr(importlib.import_module(module_name), attribute)
    return function


def _preset(presets: dict[str, Any], chosen: str) -> Any:
    if chosen not in presets:
        known = ", ".join(sorted(presets))
        raise ArgumentError("preset", f"unknown preset {chosen!r} (known: {known})")
    return presets[chosen]


def _given_settings(name: str, settings: Mapping[str, str] | None, base: Any) -> Any:
    """``base`` with the caller's ``settings`` applied; a bad one is an ``ArgumentError`` of
    ``settings.NAME`` (the setting), or of ``settings`` when no one setting is to blame."""
    from accord.forecast.settings import model_settings

    try:
        return model_settings(name, dict(settings or {}), source="settings", base=base)
    except ForecastDataError as error:
        where = f"settings.{error.location}" if error.location else "settings"
        raise ArgumentError(where, error.reason) from None


def run_model(
    name: str,
    table: ActorTable,
    *,
    preset: str | None = None,
    rounds: int | None = None,
    settings: Mapping[str, str] | None = None,
) -> ForecastResult:
    """Run the model called ``name`` on ``table``, with a named preset, a round limit and settings.

    ``preset`` names settings of the expected-utility model (see
    :data:`~accord.forecast.expected_utility.EXPECTED_UTILITY_PRESETS`) or of the
    compromise model (:data:`~accord.forecast.baseline.COMPROMISE_PRESETS`); ``rounds`` is
    its number of rounds, or the spatial model's maximum. ``settings`` (name → value, as
    ``accord forecast --set`` gives them; see :mod:`accord.forecast.settings`) apply over the
    preset and over the settings the table's file gives for this model
    (``table.model_parameters``).

    >>> import numpy as np
    >>> table = ActorTable(("A", "B"), ("d",), np.ones(2), np.array([[0.0], [10.0]]), np.ones((2, 1)))
    >>> run_model("compromise", table).forecast
    array([5.])
    """
    from accord.forecast.settings import SETTINGS_CLASSES, model_settings

    function = _resolve(name)
    _check_size(name, table)
    if rounds is not None and rounds < 0:
        raise ArgumentError("rounds", f"must not be negative, got {rounds}")
    if rounds is not None and name not in ("expected-utility", "spatial"):
        raise ArgumentError(
            "rounds", f"the {name} model has no rounds (only expected-utility and spatial do)"
        )
    options: dict[str, Any] = {}
    from_file = dict(table.model_parameters.get(name, {}))
    if settings and name not in SETTINGS_CLASSES:
        takes = " and ".join(SETTINGS_CLASSES)
        raise ArgumentError("settings", f"the {name} model takes no settings (only the {takes} do)")
    if name == "expected-utility":
        from accord.forecast.expected_utility import EXPECTED_UTILITY_PRESETS

        base = _preset(EXPECTED_UTILITY_PRESETS, preset or "scholz")
        chosen = model_settings(name, from_file, source=table.source, base=base)
        options["settings"] = _given_settings(name, settings, chosen)
        if rounds is not None:
            options["rounds"] = rounds
    elif name == "compromise" and preset is not None:
        from accord.forecast.baseline import COMPROMISE_PRESETS

        options["capability_exponent"] = _preset(COMPROMISE_PRESETS, preset)
    elif preset is not None:
        raise ArgumentError("preset", f"the {name} model has no presets")
    elif name == "spatial":
        chosen = model_settings(name, from_file, source=table.source)
        options["settings"] = _given_settings(name, settings, chosen)
        if rounds is not None:
            options["max_rounds"] = rounds
    with np.errstate(all="ignore"):  # an overflow is reported below, as one error
        result = function(table, **options)
    return _check_result(result, table)
