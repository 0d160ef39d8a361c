"""Write a scenario as GeniusWeb JSON: a domain file and one linear additive profile per delegation.

Utilities are kept exactly: weights are rescaled so that each party's best value per
issue is 1, numeric issues become number ranges only where every party's value on
them is linear, and the reservation bid is the cheapest outcome at or above the
reservation value, so the same outcomes stay acceptable.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from accord.domain import (
    Agenda,
    DiscreteIssue,
    IntegerIssue,
    Issue,
    Party,
    Preferences,
    RealIssue,
    Scenario,
    Value,
)
from accord.errors import Remedy, ScenarioError
from accord.preferences import party_utility
from accord.preferences.utility import WEIGHT_SUM_TOLERANCE

__all__ = ["export_geniusweb", "geniusweb_omissions"]

#: Largest outcome space searched for a reservation bid.
RESERVATION_SEARCH_LIMIT = 10_000_000


def _values_of(preferences: Preferences, issue: Issue) -> np.ndarray:
    """``(n_options,)`` the party's value (before weighting) of each option of ``issue``."""
    if isinstance(issue, DiscreteIssue):
        given = preferences.option_values.get(issue.name, {})
        return np.array([float(given.get(option, 0.0)) for option in issue.values])
    function = preferences.value_functions.get(issue.name)
    return np.array([0.0 if function is None else function.value_at(float(x)) for x in issue.values])


def _written_values(
    source: str, party: Party, agenda: Agenda, normalize: bool, drop_red_lines: bool
) -> tuple[dict[str, float], list[np.ndarray]]:
    """Weights summing to 1 and values in [0, 1] whose weighted sums equal ``party``'s utilities
    (divided by the best sum when ``normalize`` and the cap at 1 could bind)."""
    preferences = party.preferences
    assert preferences is not None
    where = f"party {party.name!r}"
    if preferences.interactions:
        raise ScenarioError(
            source,
            where,
            "interactions (non-additive utility) cannot be written to a linear GeniusWeb profile",
        )
    if preferences.red_lines and not drop_red_lines:
        raise ScenarioError(
            source,
            where,
            "red lines cannot be written to a GeniusWeb profile",
            remedies=(
                Remedy(
                    "drop_red_lines",
                    True,
                    "exports without them (the outcomes they rule out then count as acceptable)",
                ),
            ),
        )
    weights = [float(preferences.weights.get(name, 0.0)) for name in agenda.names]
    values = [_values_of(preferences, issue) for issue in agenda.issues]
    if math.isclose(sum(weights), 1.0, abs_tol=WEIGHT_SUM_TOLERANCE):
        return dict(zip(agenda.names, weights, strict=True)), values
    best = [weight * float(value.max()) for weight, value in zip(weights, values, strict=True)]
    total = sum(best)
    if total > 1.0 + WEIGHT_SUM_TOLERANCE and not normalize:
        raise ScenarioError(
            source,
            where,
            f"best values sum to {total:.8g}, so Genius caps the utility at 1, which a linear GeniusWeb "
            "profile cannot express",
            remedies=(Remedy("normalize", True, "writes utilities divided by that sum"),),
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


def geniusweb_omissions(scenario: Scenario, *, drop_red_lines: bool = False) -> list[str]:
    """What a GeniusWeb export of ``scenario`` leaves out, one sentence each (the command line
    prints them as warnings): discount factors always (linear GeniusWeb profiles have none), and
    red lines when ``drop_red_lines``.

    >>> from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
    >>> agenda = Agenda((DiscreteIssue("fee", (Option("low"), Option("high"))),))
    >>> buyer = Party("buyer", preferences=Preferences({"fee": 1.0}, {"fee": {"low": 1.0}}, discount=0.9))
    >>> geniusweb_omissions(Scenario("fees", agenda, (buyer,)))
    ["party 'buyer': its discount factor 0.9 is not written (GeniusWeb profiles have none)"]
    """
    notes = []
    for party in scenario.delegations:
        preferences = party.preferences
        assert preferences is not None
        if preferences.discount is not None and preferences.discount != 1.0:
            notes.append(
                f"party {party.name!r}: its discount factor {preferences.discount:g} is not written "
                "(GeniusWeb profiles have none)"
            )
        if drop_red_lines and preferences.red_lines:
            count = len(preferences.red_lines)
            notes.append(
                f"party {party.name!r}: its {count} red line{'s' if count != 1 else ''} "
                f"{'are' if count != 1 else 'is'} not written; the outcomes ruled out count as acceptable"
            )
    return notes


def export_geniusweb(
    scenario: Scenario,
    directory: str | Path,
    *,
    normalize: bool = False,
    drop_red_lines: bool = False,
    source: str = "",
) -> list[Path]:
    """Write ``domain.json`` and one ``<delegation>.json`` profile per delegation; returns the paths.

    A party whose utility the cap at 1 can cut (Genius weights summing above 1)
    is refused unless ``normalize``, which writes its utilities divided by its
    best weighted sum. A party with red lines is refused unless ``drop_red_lines``.
    :func:`geniusweb_omissions` says what the export leaves out. Errors name ``source`` (the
    scenario's file; its name when not given) and the party.

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
    source = source or f"scenario {scenario.name!r}"
    written = {
        party.name: _written_values(source, party, agenda, normalize, drop_red_lines)
        for party in scenario.delegations
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
            raise ScenarioError(source, f"party {party.name!r}", f"two files would be named {file_name!r}")
        files[file_name] = json.dumps({"LinearAdditiveUtilitySpace": space}, indent=2, ensure_ascii=False)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for file_name, text in files.items():
            (directory / file_name).write_text(text + "\n", encoding="utf-8")
            paths.append(directory / file_name)
    except OSError as error:
        raise ScenarioError(str(directory), "", f"cannot be written: {error.strerror}") from None
    return paths
