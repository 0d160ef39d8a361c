"""One delegation's preferences alone, in the scenario file's form: read against an agenda, and written.

The room lets a delegation edit its preferences (:func:`accord.room.rules.set_preferences`); what
it sends is the ``preferences`` block of a party in a scenario file, checked here exactly as a
scenario file's is: the file's schema, the domain's constructors, then the agenda (every issue,
option and value named must be the agenda's). An error is one
:class:`~accord.errors.ScenarioError` whose location is the field path inside the block.

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))
>>> parse_preferences({"weights": {"venue": 1}, "values": {"venue": {"oslo": 0.5}}}, agenda).option_values
mappingproxy({'venue': mappingproxy({'oslo': 0.5})})
>>> parse_preferences({"weights": {"venue": 1}, "reservation": 2}, agenda)
Traceback (most recent call last):
...
accord.errors.ScenarioError: preferences: reservation: must lie in [0, 1], got 2.0
>>> parse_preferences({"weights": {"venue": 1}, "values": {"venue": {"rome": 1}}}, agenda)
Traceback (most recent call last):
...
accord.errors.ScenarioError: preferences: values.venue.rome: no option 'rome' in issue 'venue'
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from accord.domain import Agenda, Preferences, check_preferences
from accord.errors import ScenarioError
from accord.io.scenario_file import (
    _build_preferences,
    _Builder,
    _is_union_tag,
    _preferences_data,
    validation_reason,
)
from accord.io.schema import PreferencesModel
from accord.reading import Document

__all__ = ["parse_preferences", "preferences_to_data"]


def parse_preferences(data: Any, agenda: Agenda, *, source: str = "preferences") -> Preferences:
    """The :class:`Preferences` that ``data`` (a party's ``preferences`` block) gives on ``agenda``.

    :class:`~accord.errors.ScenarioError` (``source``, the field path inside the block, the reason).
    """
    document = Document(data, source, None)
    if not isinstance(data, dict):
        raise ScenarioError(source, "", "expected a mapping with weights, values and reservation")
    try:
        model = PreferencesModel.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = tuple(part for part in first["loc"] if not _is_union_tag(part))
        raise ScenarioError(source, document.where(location), validation_reason(first)) from None
    build = _Builder(document)
    preferences = _build_preferences(model, agenda, build, ())
    with build.located():
        check_preferences(agenda, preferences)
    return preferences


def preferences_to_data(preferences: Preferences) -> dict[str, Any]:
    """``preferences`` as a party's ``preferences`` block (the inverse of :func:`parse_preferences`).

    >>> preferences_to_data(Preferences({"venue": 1.0}, reservation=0.25))
    {'weights': {'venue': 1.0}, 'values': {}, 'reservation': 0.25}
    """
    return _preferences_data(preferences)
