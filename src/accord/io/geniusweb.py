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

import numpy as np

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
    Value,
    ValueFunction,
)
from accord.errors import ScenarioError
from accord.io.genius import party_names, read_file_bytes
from accord.preferences import party_utility
from accord.preferences.utility import WEIGHT_SUM_TOLERANCE

__all__ = ["export_geniusweb", "import_geniusweb"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DISCRETE_KEYS = ("DiscreteValueSetUtilities", "discreteutils")
_NUMBER_KEYS = ("NumberValueSetUtilities", "numberutils")
#: Largest outcome space searched for a reservation bid on export.
RESERVATION_SEARCH_LIMIT = 10_000_000


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
    source = str(path)
    try:
        return json.loads(read_file_bytes(path).decode("utf-8"))
    except UnicodeDecodeError as error:
        raise ScenarioError(source, f"byte {error.start}", "not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ScenarioError(
            source, f"line {error.lineno}, column {error.colno}", f"not valid JSON: {error.msg}"
        ) from None
    except RecursionError:
        raise ScenarioError(source, "(top level)", "not valid JSON: nested too deeply") from None


def _issue(reader: _Reader, name: str, data: Any, path: tuple[str | int, ...]) -> Issue:
    values = reader.mapping(data, path, "an object with 'values' or 'range'")
    if "values" in values:
        names = values["values"]
        if not isinstance(names, list) or not names:
            raise reader.fail((*path, "values"), "expected a non-empty list of strings")
        for index, value in enumerate(names):
            if not isinstance(value, str) or not value or value in names[:index]:
                raise reader.fail((*path, "values", index), "expected a distinct non-empty string")
        return DiscreteIssue(name, tuple(Option(value) for value in names))
    if "range" in values:
        bounds = reader.mapping(values["range"], (*path, "range"), "an object with low, high and step")
        low, high, step = (
            reader.number(reader.key(bounds, key, (*path, "range")), (*path, "range", key))
            for key in ("low", "high", "step")
        )
        if high < low or step <= 0:
            raise reader.fail((*path, "range"), "expected low ≤ high and step > 0")
        if step == 1 and low == int(low) and high == int(high):
            return IntegerIssue(name, int(low), int(high))
        return RealIssue(name, low, high, step)
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
        option_values[name] = {
            value: reader.number(utility, (*path, kind, "valueUtilities", value), unit=True)
            for value, utility in values.items()
        }
    weights_data = reader.mapping(reader.key(space, "issueWeights", base), (*base, "issueWeights"))
    weights = {name: 0.0 for name in agenda.names}
    for name, weight in weights_data.items():
        if name not in agenda.names:
            raise reader.fail((*base, "issueWeights", name), f"the domain has no issue {name!r}")
        weights[name] = reader.number(weight, (*base, "issueWeights", name), unit=True)
    preferences = Preferences(weights, option_values, value_functions)
    return domain, Preferences(
        weights, option_values, value_functions, reservation=_reservation(reader, space, agenda, preferences)
    )


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
    return total


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
        raise ScenarioError(str(domain_path or "<input>"), "", "expected at least one profile file")
    parties = []
    for name, path in zip(party_names(paths), paths, strict=True):
        own, preferences = _profile(_Reader(str(path)), _load_json(path), domain)
        domain = domain or own
        parties.append(Party(name, preferences=preferences))
    assert domain is not None
    return Scenario(domain[0], domain[1], tuple(parties))


# ---------------------------------------------------------------- export


def _values_of(preferences: Preferences, issue: Issue) -> np.ndarray:
    """``(n_options,)`` the party's value (before weighting) of each option of ``issue``."""
    if isinstance(issue, DiscreteIssue):
        given = preferences.option_values.get(issue.name, {})
        return np.array([float(given.get(option, 0.0)) for option in issue.values])
    function = preferences.value_functions.get(issue.name)
    return np.array([0.0 if function is None else function.value_at(float(x)) for x in issue.values])


def _written_values(
    source: str, party: Party, agenda: Agenda, normalize: bool
) -> tuple[dict[str, float], list[np.ndarray]]:
    """Weights summing to 1 and values in [0, 1] whose weighted sums equal ``party``'s utilities
    (divided by the best sum when ``normalize`` and the cap at 1 could bind)."""
    preferences = party.preferences
    assert preferences is not None
    if preferences.interactions or preferences.red_lines:
        raise ScenarioError(source, party.name, "interactions and red lines cannot be written to GeniusWeb")
    weights = [float(preferences.weights.get(name, 0.0)) for name in agenda.names]
    values = [_values_of(preferences, issue) for issue in agenda.issues]
    if math.isclose(sum(weights), 1.0, abs_tol=WEIGHT_SUM_TOLERANCE):
        return dict(zip(agenda.names, weights, strict=True)), values
    best = [weight * float(value.max()) for weight, value in zip(weights, values, strict=True)]
    total = sum(best)
    if total > 1.0 + WEIGHT_SUM_TOLERANCE and not normalize:
        raise ScenarioError(
            source,
            party.name,
            f"best values sum to {total:.8g}, so Genius caps the utility at 1, which a linear GeniusWeb "
            "profile cannot express; --normalize (normalize=True) writes utilities divided by that sum",
        )
    if total <= 0.0:
        return {name: 1.0 / len(weights) for name in agenda.names}, [value * 0.0 for value in values]
    scale = min(total, 1.0)
    scaled = [
        np.minimum(value * scale / float(value.max()), 1.0) if top > 0 else value * 0.0
        for value, top in zip(values, best, strict=True)
    ]
    return {name: top / total for name, top in zip(agenda.names, best, strict=True)}, scaled


def _is_linear(issue: IntegerIssue | RealIssue, values: np.ndarray) -> bool:
    xs = np.array(issue.values, dtype=np.float64)
    line = values[0] + (values[-1] - values[0]) * (xs - xs[0]) / (xs[-1] - xs[0])
    return bool(np.allclose(values, line, rtol=0.0, atol=1e-12))


def _as_range(issue: Issue, tables: list[np.ndarray]) -> bool:
    """True when a numeric issue can be written as a GeniusWeb number range with linear utilities."""
    if isinstance(issue, DiscreteIssue) or issue.size < 2:
        return False
    if isinstance(issue, RealIssue) and not math.isclose(
        issue.low + (issue.size - 1) * issue.step, issue.high
    ):
        return False
    return all(_is_linear(issue, table) for table in tables)


def _json_value(issue: Issue, value: Value, as_range: bool) -> Value:
    return value if isinstance(issue, DiscreteIssue) or as_range else str(value)


def _reservation_bid(party: Party, agenda: Agenda, as_range: list[bool]) -> dict[str, Value] | None:
    preferences = party.preferences
    assert preferences is not None
    if preferences.reservation <= 0 or agenda.size > RESERVATION_SEARCH_LIMIT:
        return None
    utility = party_utility(agenda, preferences)
    best_choices, best_utility = None, math.inf
    for choices in agenda.chunks(1_000_000):
        utilities = utility.evaluate(choices)
        at_or_above = np.flatnonzero(utilities >= preferences.reservation - 1e-12)
        if at_or_above.size:
            index = at_or_above[np.argmin(utilities[at_or_above])]
            if utilities[index] < best_utility:
                best_choices, best_utility = choices[index], float(utilities[index])
    if best_choices is None:
        return None
    outcome = agenda.outcome(best_choices)
    return {
        issue.name: _json_value(issue, value, flag)
        for issue, value, flag in zip(agenda.issues, outcome, as_range, strict=True)
    }


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._ -]", "_", name).strip(". ") or "party"


def export_geniusweb(scenario: Scenario, directory: str | Path, *, normalize: bool = False) -> list[Path]:
    """Write ``domain.json`` and one ``<delegation>.json`` profile per delegation; returns the paths.

    A party whose utility the cap at 1 can cut (Genius weights summing above 1)
    is refused unless ``normalize``, which writes its utilities divided by its
    best weighted sum.

    >>> import tempfile
    >>> from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
    >>> agenda = Agenda((DiscreteIssue("fee", (Option("low"), Option("high"))),))
    >>> buyer = Party("buyer", preferences=Preferences({"fee": 0.5}, {"fee": {"low": 1.0}}))
    >>> paths = export_geniusweb(Scenario("fees", agenda, (buyer,)), tempfile.mkdtemp())
    >>> [path.name for path in paths]
    ['domain.json', 'buyer.json']
    >>> json.loads(paths[1].read_text())["LinearAdditiveUtilitySpace"]["issueWeights"]
    {'fee': 1.0}
    """
    directory = Path(directory)
    agenda = scenario.agenda
    source = str(directory)
    written = {
        party.name: _written_values(source, party, agenda, normalize) for party in scenario.delegations
    }
    as_range = [
        _as_range(issue, [values[position] for _, values in written.values()])
        for position, issue in enumerate(agenda.issues)
    ]
    issues_values: dict[str, Any] = {}
    for issue, flag in zip(agenda.issues, as_range, strict=True):
        if isinstance(issue, IntegerIssue | RealIssue) and flag:
            step = 1 if isinstance(issue, IntegerIssue) else issue.step
            issues_values[issue.name] = {"range": {"low": issue.low, "high": issue.high, "step": step}}
        else:
            issues_values[issue.name] = {"values": [str(value) for value in issue.values]}
    domain = {"name": scenario.name, "issuesValues": issues_values}
    files = {"domain.json": json.dumps(domain, indent=2, ensure_ascii=False)}
    for party in scenario.delegations:
        weights, values = written[party.name]
        issue_utilities: dict[str, Any] = {}
        for issue, table, flag in zip(agenda.issues, values, as_range, strict=True):
            if isinstance(issue, IntegerIssue | RealIssue) and flag:
                issue_utilities[issue.name] = {
                    "NumberValueSetUtilities": {
                        "lowValue": issue.low,
                        "lowUtility": float(table[0]),
                        "highValue": issue.high,
                        "highUtility": float(table[-1]),
                    }
                }
            else:
                utilities = {
                    str(value): float(worth) for value, worth in zip(issue.values, table, strict=True)
                }
                issue_utilities[issue.name] = {"DiscreteValueSetUtilities": {"valueUtilities": utilities}}
        space: dict[str, Any] = {
            "name": party.name,
            "domain": domain,
            "issueUtilities": issue_utilities,
            "issueWeights": weights,
        }
        bid = _reservation_bid(party, agenda, as_range)
        if bid is not None:
            space["reservationBid"] = {"issuevalues": bid}
        file_name = f"{_file_name(party.name)}.json"
        if file_name in files:
            raise ScenarioError(source, party.name, f"two files would be named {file_name!r}")
        files[file_name] = json.dumps({"LinearAdditiveUtilitySpace": space}, indent=2, ensure_ascii=False)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for file_name, text in files.items():
            (directory / file_name).write_text(text + "\n", encoding="utf-8")
            paths.append(directory / file_name)
    except OSError as error:
        raise ScenarioError(source, "(directory)", f"cannot be written: {error.strerror}") from None
    return paths
