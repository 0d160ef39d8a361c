"""Import and export GeniusWeb JSON: a domain and ``LinearAdditiveUtilitySpace`` profiles.

Import keeps the values as given: a party's utility is ``Σ weight × value`` with
GeniusWeb's own weights and value utilities (``DiscreteValueSetUtilities``, also
spelt ``discreteutils``; ``NumberValueSetUtilities`` / ``numberutils``, linear
from ``lowValue`` to ``highValue``). The reservation value is the utility of the
profile's ``reservationBid`` (0 without one). A number issue (``"range": {low,
high, step}``) becomes an :class:`~accord.domain.IntegerIssue` when it steps by 1
through integers, else a :class:`~accord.domain.RealIssue`.

Export writes ``domain.json`` and one profile per delegation, named after it.
GeniusWeb profiles are linear and additive with weights summing to 1, so the
export rescales weights and values (utilities unchanged) and refuses, with a
:class:`~accord.errors.ScenarioError`, what it cannot express: interactions,
red lines, and utilities the cap at 1 can cut (``normalize=True`` writes those
divided by their best sum instead). A numeric issue is written as a
number range when every party's value is linear on it, else as named values.
GeniusWeb has no reservation value, only a reservation bid: the export names the
outcome of smallest utility at or above the reservation value, so the outcomes
acceptable to the party stay the same. Discount factors are not written.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from accord.domain import (
    Agenda,
    DiscreteIssue,
    IntegerIssue,
    Issue,
    Option,
    Party,
    Preferences,
    RealIssue,
    Scenario,
    ValueFunction,
)
from accord.errors import ArgumentError, DomainError, ScenarioError
from accord.io.genius_xml import party_names
from accord.reading import load_data, read_text

__all__ = ["import_geniusweb"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DISCRETE_KEYS = ("DiscreteValueSetUtilities", "discreteutils")
_NUMBER_KEYS = ("NumberValueSetUtilities", "numberutils")


def _path(*parts: str | int) -> str:
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _IDENTIFIER.match(part):
            text += f".{part}"
        else:
            text += f"[{json.dumps(part, ensure_ascii=False)}]"
    return text


class _Reader:
    """Typed access to parsed JSON; every mismatch is a :class:`ScenarioError` with its JSON path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: tuple[str | int, ...], reason: str) -> ScenarioError:
        return ScenarioError(self.source, _path(*path), reason)

    def mapping(self, data: Any, path: tuple[str | int, ...], what: str = "an object") -> dict[str, Any]:
        if not isinstance(data, dict) or not data:
            raise self.fail(path, f"expected {what}")
        return data

    def key(self, data: dict[str, Any], name: str, path: tuple[str | int, ...]) -> Any:
        if name not in data:
            raise self.fail(path, f"expected a {name!r} field")
        return data[name]

    def number(self, data: Any, path: tuple[str | int, ...], *, unit: bool = False) -> float:
        if isinstance(data, str):
            with contextlib.suppress(ValueError):
                data = float(data)
        if isinstance(data, bool) or not isinstance(data, int | float) or not math.isfinite(data):
            raise self.fail(path, f"{json.dumps(data)}: expected a number")
        if unit and not 0.0 <= data <= 1.0:
            raise self.fail(path, f"{data}: expected a number from 0 to 1")
        return float(data)


def _load_json(path: Path) -> Any:
    text = read_text(path, error=ScenarioError)
    return load_data(text, str(path), error=ScenarioError, json_only=True).data


def _issue(reader: _Reader, name: str, data: Any, path: tuple[str | int, ...]) -> Issue:
    values = reader.mapping(data, path, "an object with 'values' or 'range'")
    if "values" in values:
        names = values["values"]
        if not isinstance(names, list) or not all(isinstance(value, str) for value in names):
            raise reader.fail((*path, "values"), "expected a list of strings")
        options = []
        for index, value in enumerate(names):
            try:
                options.append(Option(value))
            except DomainError as error:
                raise reader.fail((*path, "values", index), error.reason) from None
        try:
            return DiscreteIssue(name, tuple(options))
        except DomainError as error:
            # The issue's own field (its name) is the key; its options[i] are values[i].
            inside = () if error.field == ("name",) else ("values", *error.field[1:2])
            raise reader.fail((*path, *inside), error.reason) from None
    if "range" in values:
        bounds = reader.mapping(values["range"], (*path, "range"), "an object with low, high and step")
        low, high, step = (
            reader.number(reader.key(bounds, key, (*path, "range")), (*path, "range", key))
            for key in ("low", "high", "step")
        )
        try:
            if step == 1 and low == int(low) and high == int(high):
                return IntegerIssue(name, int(low), int(high))
            return RealIssue(name, low, high, step)
        except DomainError as error:
            # The range's keys are the issue's field names: low, high, step.
            raise reader.fail((*path, "range", *error.field[:1]), error.reason) from None
    raise reader.fail(path, "expected 'values' (a list) or 'range' (low, high, step)")


def _domain(reader: _Reader, data: Any, path: tuple[str | int, ...]) -> tuple[str, Agenda]:
    domain = reader.mapping(data, path, "a domain object with name and issuesValues")
    name = domain.get("name")
    if not isinstance(name, str) or not name:
        raise reader.fail((*path, "name"), "expected a non-empty string")
    issues = reader.mapping(reader.key(domain, "issuesValues", path), (*path, "issuesValues"))
    return name, Agenda(
        tuple(_issue(reader, issue, given, (*path, "issuesValues", issue)) for issue, given in issues.items())
    )


def _number_function(reader: _Reader, data: Any, issue: Issue, path: tuple[str | int, ...]) -> ValueFunction:
    if not isinstance(issue, IntegerIssue | RealIssue):
        raise reader.fail(path, f"number utilities given for the discrete issue {issue.name!r}")
    given = reader.mapping(data, path, "an object with lowValue, lowUtility, highValue, highUtility")
    low, high = (
        reader.number(reader.key(given, key, path), (*path, key)) for key in ("lowValue", "highValue")
    )
    low_utility, high_utility = (
        reader.number(reader.key(given, key, path), (*path, key), unit=True)
        for key in ("lowUtility", "highUtility")
    )
    if not math.isclose(low, issue.low) or not math.isclose(high, issue.high) or high <= low:
        raise reader.fail(
            path, f"expected lowValue {issue.low} and highValue {issue.high}, the issue's range"
        )
    return ValueFunction(((low, low_utility), (high, high_utility)))


def _profile(
    reader: _Reader, data: Any, domain: tuple[str, Agenda] | None
) -> tuple[tuple[str, Agenda], Preferences]:
    top = reader.mapping(data, (), "a profile object")
    if "LinearAdditiveUtilitySpace" not in top:
        found = ", ".join(sorted(top))
        raise reader.fail((), f"expected a LinearAdditiveUtilitySpace profile, found {found} (not supported)")
    base: tuple[str | int, ...] = ("LinearAdditiveUtilitySpace",)
    space = reader.mapping(top["LinearAdditiveUtilitySpace"], base)
    if "domain" in space:
        own = _domain(reader, space["domain"], (*base, "domain"))
        if domain is not None and own[1] != domain[1]:
            raise reader.fail((*base, "domain"), f"differs from the domain {domain[0]!r} given")
        domain = own
    if domain is None:
        raise reader.fail(base, "expected a 'domain' field (or give the domain file)")
    agenda = domain[1]
    option_values: dict[str, dict[str, float]] = {}
    value_functions: dict[str, ValueFunction] = {}
    # Where each Preferences field came from, to report its DomainError there.
    places: dict[tuple[str | int, ...], tuple[str | int, ...]] = {
        ("weights",): (*base, "issueWeights"),
        ("reservation",): (*base, "reservationBid"),
    }
    utilities = reader.mapping(reader.key(space, "issueUtilities", base), (*base, "issueUtilities"))
    for name, given in utilities.items():
        path = (*base, "issueUtilities", name)
        if name not in agenda.names:
            raise reader.fail(path, f"the domain has no issue {name!r}")
        issue = agenda.issue(name)
        kinds = reader.mapping(given, path, "DiscreteValueSetUtilities or NumberValueSetUtilities")
        kind = next((key for key in (*_DISCRETE_KEYS, *_NUMBER_KEYS) if key in kinds), None)
        if kind in _NUMBER_KEYS:
            value_functions[name] = _number_function(reader, kinds[kind], issue, (*path, kind))
            continue
        if kind is None or not isinstance(issue, DiscreteIssue):
            raise reader.fail(path, "expected DiscreteValueSetUtilities for a discrete issue")
        table = reader.mapping(kinds[kind], (*path, kind), "an object with valueUtilities")
        values = reader.mapping(
            reader.key(table, "valueUtilities", (*path, kind)), (*path, kind, "valueUtilities")
        )
        for value in values:
            if value not in issue.values:
                raise reader.fail((*path, kind, "valueUtilities", value), f"not a value of issue {name!r}")
            places["option_values", name, value] = (*path, kind, "valueUtilities", value)
        option_values[name] = {
            value: reader.number(utility, (*path, kind, "valueUtilities", value))
            for value, utility in values.items()
        }
    weights_data = reader.mapping(reader.key(space, "issueWeights", base), (*base, "issueWeights"))
    weights = {name: 0.0 for name in agenda.names}
    for name, weight in weights_data.items():
        if name not in agenda.names:
            raise reader.fail((*base, "issueWeights", name), f"the domain has no issue {name!r}")
        weights[name] = reader.number(weight, (*base, "issueWeights", name), unit=True)
        places["weights", name] = (*base, "issueWeights", name)
    try:
        preferences = Preferences(weights, option_values, value_functions)
        reservation = _reservation(reader, space, agenda, preferences)
        return domain, Preferences(weights, option_values, value_functions, reservation=reservation)
    except DomainError as error:
        raise reader.fail(places.get(error.field, base), error.reason) from None


def _reservation(reader: _Reader, space: dict[str, Any], agenda: Agenda, preferences: Preferences) -> float:
    """The utility of the profile's ``reservationBid`` (issues it leaves out count 0)."""
    if space.get("reservationBid") is None:
        return 0.0
    path: tuple[str | int, ...] = ("LinearAdditiveUtilitySpace", "reservationBid")
    bid = reader.mapping(space["reservationBid"], path, "an object with issuevalues")
    values = reader.mapping(reader.key(bid, "issuevalues", path), (*path, "issuevalues"))
    total = 0.0
    for name, value in values.items():
        if name not in agenda.names:
            raise reader.fail((*path, "issuevalues", name), f"the domain has no issue {name!r}")
        issue = agenda.issue(name)
        try:
            issue.index_of(value)
        except KeyError:
            raise reader.fail(
                (*path, "issuevalues", name), f"{value!r} is not a value of issue {name!r}"
            ) from None
        if isinstance(issue, DiscreteIssue):
            worth = preferences.option_values.get(name, {}).get(value, 0.0)
        else:
            function = preferences.value_functions.get(name)
            worth = 0.0 if function is None else function.value_at(float(value))
        total += preferences.weights.get(name, 0.0) * worth
    return min(1.0, total)  # the Genius cap: weights summing to 1 may overshoot it in the last bit


def import_geniusweb(
    profile_paths: Sequence[str | Path], *, domain_path: str | Path | None = None
) -> Scenario:
    """Build a scenario from GeniusWeb ``LinearAdditiveUtilitySpace`` profiles.

    The domain is ``domain_path`` when given (each profile's own copy must then
    match it), else the first profile's. Parties are named after the profile
    files' stems, in the order given.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> domain = {"name": "fees", "issuesValues": {"fee": {"values": ["low", "high"]}}}
    >>> utilities = {"DiscreteValueSetUtilities": {"valueUtilities": {"low": 1, "high": 0.2}}}
    >>> profile = {"LinearAdditiveUtilitySpace": {"domain": domain, "issueWeights": {"fee": 1.0},
    ...     "issueUtilities": {"fee": utilities},
    ...     "reservationBid": {"issuevalues": {"fee": "high"}}}}
    >>> _ = (folder / "buyer.json").write_text(json.dumps(profile))
    >>> scenario = import_geniusweb([folder / "buyer.json"])
    >>> scenario.name, scenario.preferences_of("buyer").reservation
    ('fees', 0.2)
    """
    paths = [Path(path) for path in profile_paths]
    domain: tuple[str, Agenda] | None = None
    if domain_path is not None:
        domain_source = Path(domain_path)
        domain = _domain(_Reader(str(domain_source)), _load_json(domain_source), ())
    if not paths:
        raise ArgumentError("profiles", "expected at least one profile file")
    parties = []
    for name, path in zip(party_names(paths), paths, strict=True):
        own, preferences = _profile(_Reader(str(path)), _load_json(path), domain)
        domain = domain or own
        parties.append(Party(name, preferences=preferences))
    assert domain is not None
    return Scenario(domain[0], domain[1], tuple(parties))
