"""What a package is worth to the delegations whose preferences a seat's view holds.

Pages show a delegation the worth of every package *to it alone*, and the mediator the
analysis of the delegations it holds preferences for. Both come from the seat's view
(``GET /api/v1/rooms/{room}/view``) and nothing else: :func:`view_scenario` rebuilds a
scenario from the view's agenda and the preferences it holds (the scenario file's own
form, read by :func:`accord.io.parse_scenario`), and the utilities are the engine's
(:func:`accord.preferences.party_utility`). A view without another delegation's
preferences cannot give its worth: there is nothing here to compute it from.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.domain import Agenda, Condition, DiscreteIssue, Scenario
from accord.io import parse_scenario
from accord.preferences import PartyUtility, party_utility

__all__ = ["Worth", "outcome_of", "package_in", "view_scenario", "worth_of"]

#: Keys of protocol event data that hold a whole package, in the order they are looked at.
PACKAGE_KEYS = ("agreement", "draft", "text", "proposal", "outcome", "offer")


def _issue_file_data(issue: Mapping[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"name": issue["name"], "description": issue.get("description") or ""}
    if issue.get("type", "options") == "options":
        data["options"] = [
            {"name": option["name"], "text": option.get("text") or ""} for option in issue["options"]
        ]
    else:
        data.update(type=issue["type"], low=issue["low"], high=issue["high"])
        if "step" in issue:
            data["step"] = issue["step"]
    return data


def view_scenario(view: Mapping[str, Any]) -> Scenario:
    """The scenario a seat's view holds: the agenda, and the delegations whose preferences it has."""
    delegations = view["preferences"]["delegations"]
    data = {
        "format": "accord-scenario/1",
        "name": view["agenda"]["name"],
        "issues": [_issue_file_data(issue) for issue in view["agenda"]["issues"]],
        "parties": [
            {"name": name, "role": "delegation", "preferences": preferences}
            for name, preferences in delegations.items()
        ]
        # A view without preferences (an observer's) still has the agenda.
        or [{"name": "observer", "role": "observer"}],
    }
    return parse_scenario(json.dumps(data), source="<seat view>")


def outcome_of(agenda: Agenda, values: Sequence[Any] | None) -> tuple[Any, ...] | None:
    """``values`` as a package of ``agenda`` (numbers as the issue's type), or ``None`` if it is not one."""
    if values is None or isinstance(values, str | bytes) or len(values) != len(agenda.issues):
        return None
    outcome = []
    for issue, value in zip(agenda.issues, values, strict=True):
        if isinstance(issue, DiscreteIssue):
            if value not in issue.values:
                return None
            outcome.append(value)
            continue
        try:
            number = type(issue.low)(value)
            issue.index_of(number)
        except (TypeError, ValueError, KeyError):
            return None
        outcome.append(number)
    return tuple(outcome)


def package_in(data: Mapping[str, Any], agenda: Agenda) -> tuple[Any, ...] | None:
    """The whole package an event's data carries (a draft, an offer, a text…), if any."""
    for key in PACKAGE_KEYS:
        if key in data and (outcome := outcome_of(agenda, data[key])) is not None:
            return outcome
    return None


@dataclass(frozen=True, slots=True)
class Worth:
    """A package's worth to one delegation: its ``utility``, the delegation's ``reservation``,
    the ``red_lines`` it crosses (each one's reason, or its conditions when it gives none)."""

    utility: float
    reservation: float
    red_lines: tuple[str, ...]

    @property
    def acceptable(self) -> bool:
        """At or above the reservation value and across no red line."""
        return self.utility >= self.reservation and not self.red_lines


def _compiled(scenario: Scenario, delegation: str) -> tuple[PartyUtility, Any]:
    party = next(party for party in scenario.parties if party.name == delegation)
    assert party.preferences is not None
    return party_utility(scenario.agenda, party.preferences), party.preferences


def _condition(condition: Condition) -> str:
    """A red line's condition on one issue, as words: its options, or its bounds."""
    if condition.values:
        return ", ".join(str(value) for value in condition.values)
    bounds = (("at least", condition.at_least), ("at most", condition.at_most))
    return ", ".join(f"{word} {value}" for word, value in bounds if value is not None)


def worth_of(scenario: Scenario, delegation: str, outcome: Sequence[Any]) -> Worth:
    """The worth of ``outcome`` to ``delegation`` (whose preferences ``scenario`` must hold)."""
    utility, preferences = _compiled(scenario, delegation)
    choices = np.array([scenario.agenda.choices_of(outcome)], dtype=np.int64)
    crossed = []
    for compiled, line in zip(utility.red_lines, preferences.red_lines, strict=True):
        if bool(compiled.violated(choices)[0]):
            crossed.append(
                line.reason
                or " and ".join(
                    f"{condition.issue}: {_condition(condition)}" for condition in line.conditions
                )
            )
    return Worth(
        utility=float(utility.evaluate(choices)[0]),
        reservation=float(utility.reservation),
        red_lines=tuple(crossed),
    )
