"""Model settings by name: what ``accord forecast --set NAME=VALUE`` and scenario files set.

The spatial model takes KTAB's own names and values (``VictoryProbModel=Linear``, as in
KTAB's logs and XML) or the fields of :class:`~accord.forecast.spatial_settings.SpatialSettings`
(``victory_model=linear``); the expected-utility model takes the fields of
:class:`~accord.forecast.expected_utility.ExpectedUtilitySettings`
(``probability_denominator=contest``). Every name and value is checked: an unknown one is
refused with the list of valid ones.

>>> settings = model_settings("spatial", {"VictoryProbModel": "Square", "seed": "3"}, source="settings")
>>> settings.victory_model, settings.seed
('square', 3)
>>> model_settings("spatial", {"PCEModel": "Plural"}, source="t.yaml")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
accord.errors.ForecastDataError: t.yaml: PCEModel: must be one of Conditional, ..., not 'Plural'
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Mapping
from typing import Any, Literal

from accord.errors import ArgumentError, ForecastDataError
from accord.forecast.expected_utility import EXPECTED_UTILITY_PRESETS, ExpectedUtilitySettings
from accord.forecast.spatial_settings import KTAB_NAMES, SpatialSettings

__all__ = ["SETTINGS_CLASSES", "model_settings", "parse_assignments", "setting_choices"]

#: The models that take settings, and the class that holds them.
SETTINGS_CLASSES: dict[str, type[SpatialSettings] | type[ExpectedUtilitySettings]] = {
    "spatial": SpatialSettings,
    "expected-utility": ExpectedUtilitySettings,
}


def _field_kind(cls: type, name: str) -> Any:
    return typing.get_type_hints(cls)[name]


def setting_choices(model: str) -> dict[str, str]:
    """Every setting ``model`` takes → what it accepts (the values, or the kind of number).

    >>> setting_choices("spatial")["VictoryProbModel"]
    'Binary, Linear, Octic, Quartic, Square'
    """
    cls = SETTINGS_CLASSES[model]
    choices: dict[str, str] = {}
    if cls is SpatialSettings:
        for ktab_name, (_, translation) in KTAB_NAMES.items():
            choices[ktab_name] = ", ".join(sorted(translation))
    for field in dataclasses.fields(cls):
        kind = _field_kind(cls, field.name)
        if typing.get_origin(kind) is Literal:
            choices[field.name] = ", ".join(str(value) for value in typing.get_args(kind))
        else:
            choices[field.name] = f"a {'whole ' if kind is int else ''}number (default {field.default})"
    return choices


def _value(cls: type, name: str, text: str, source: str) -> Any:
    kind = _field_kind(cls, name)
    if typing.get_origin(kind) is Literal:
        allowed = typing.get_args(kind)
        if text not in allowed:
            raise ForecastDataError(source, name, f"must be one of {', '.join(allowed)}, not {text!r}")
        return text
    try:
        number: int | float = int(text) if kind is int else float(text)
    except ValueError:
        whole = "a whole number" if kind is int else "a number"
        raise ForecastDataError(source, name, f"must be {whole}, not {text!r}") from None
    if not math.isfinite(number):
        raise ForecastDataError(source, name, f"must be a finite number, not {text!r}")
    return number


def model_settings(
    model: str,
    given: Mapping[str, str],
    *,
    source: str,
    base: SpatialSettings | ExpectedUtilitySettings | None = None,
) -> Any:
    """The settings of ``model`` with ``given`` (name → value, as text) applied over ``base``
    (the model's defaults when ``None``). Raises ``ForecastDataError`` at ``source`` naming the
    setting and the valid names or values."""
    if model not in SETTINGS_CLASSES:
        takes = " and ".join(SETTINGS_CLASSES)
        raise ForecastDataError(source, "", f"the {model} model takes no settings (only the {takes} do)")
    cls = SETTINGS_CLASSES[model]
    if base is None:
        base = cls() if cls is SpatialSettings else EXPECTED_UTILITY_PRESETS["scholz"]
    fields = {field.name for field in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for name, text in given.items():
        text = str(text).strip()
        if cls is SpatialSettings and name in KTAB_NAMES:
            field_name, translation = KTAB_NAMES[name]
            if text not in translation:
                choices = ", ".join(sorted(translation))
                raise ForecastDataError(source, name, f"must be one of {choices}, not {text!r}")
            values[field_name] = translation[text]
        elif name in fields:
            values[name] = _value(cls, name, text, source)
        else:
            known = ", ".join(setting_choices(model))
            raise ForecastDataError(source, name, f"the {model} model has no such setting (known: {known})")
    try:
        return dataclasses.replace(base, **values)
    except ValueError as error:
        raise ForecastDataError(source, "", str(error)) from None


def parse_assignments(assignments: list[str]) -> dict[str, str]:
    """``["NAME=VALUE", ...]`` (``accord forecast --set``) → ``{NAME: VALUE}``; a later
    assignment of a name wins. A malformed one is an ``ArgumentError`` of ``settings``."""
    parsed: dict[str, str] = {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise ArgumentError(
                "settings", f"expected NAME=VALUE, e.g. VictoryProbModel=Linear, got {assignment!r}"
            )
        parsed[name.strip()] = value.strip()
    return parsed
