"""The delegation's own preferences on its desk: the form that edits them, and what a draft of them is worth.

The form shows the preferences the seat's view holds (its own, as last set): a weight per issue,
a value per option, the reservation value, the red lines (each may be dropped) and one new red
line (one option, or two options of different issues together). :func:`preferences_from_form`
turns the form back into a scenario file's ``preferences`` block, which the room checks like a
file's (a refusal names the field); :func:`draft_worth` gives the worth of the package on the
table under a draft, before it is saved, next to its worth now.

Fields name issues, options and red lines by position (``weight-0``, ``value-0-1``,
``drop-red-line-0``, ``red-line-a`` = ``"0:1"``), never by their names, so a name is only ever
shown, never parsed.

>>> view = {"seat": "north", "agenda": {"issues": [{"name": "venue", "type": "options",
...     "options": [{"name": "geneva", "text": ""}, {"name": "oslo", "text": ""}]}]},
...     "preferences": {"delegations": {"north": {"weights": {"venue": 1.0},
...     "values": {"venue": {"geneva": 0.2, "oslo": 1.0}}, "reservation": 0.3}}}}
>>> new = preferences_from_form(view, {"weight-0": "1", "value-0-0": "0.5", "value-0-1": "1",
...     "reservation": "0.4", "red-line-a": "0:0", "red-line-reason": "Not Geneva"})
>>> new["values"], new["reservation"]
({'venue': {'geneva': 0.5, 'oslo': 1.0}}, 0.4)
>>> new["red_lines"]
[{'when': {'venue': ['geneva']}, 'reason': 'Not Geneva'}]
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from accord.errors import InputError
from accord.frozen import thaw
from accord.io.preferences_form import parse_preferences
from accord.server.pages.forms import FormError
from accord.server.pages.reading import Reading
from accord.server.pages.worth import Worth, view_scenario, worth_of

__all__ = ["draft_worth", "form_rows", "preferences_from_form"]


def _own(view: Mapping[str, Any]) -> dict[str, Any]:
    own: dict[str, Any] = copy.deepcopy(thaw(view["preferences"]["delegations"].get(view["seat"], {})))
    return own


def _number(form: Mapping[str, Any], name: str, label: str) -> float | None:
    text = str(form.get(name) or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise FormError(f"{label}: {text!r} is not a number") from None


def _choice(view: Mapping[str, Any], text: str) -> tuple[str, str] | None:
    """``"i:j"`` → (issue, option), or ``None`` for no choice."""
    if not text:
        return None
    issues = view["agenda"]["issues"]
    try:
        issue_index, option_index = (int(part) for part in text.split(":"))
        issue = issues[issue_index]
        option = issue["options"][option_index]
    except (ValueError, IndexError, KeyError):
        raise FormError("new red line: choose an option of the agenda") from None
    return issue["name"], option["name"]


def preferences_from_form(view: Mapping[str, Any], form: Mapping[str, Any]) -> dict[str, Any]:
    """The preferences the desk's form sets: the seat's own, with the form's numbers and red lines."""
    preferences = _own(view)
    weights = preferences.setdefault("weights", {})
    values = preferences.setdefault("values", {})
    for index, issue in enumerate(view["agenda"]["issues"]):
        name = issue["name"]
        weight = _number(form, f"weight-{index}", f"the weight of {name}")
        if weight is not None:
            weights[name] = weight
        if issue.get("type", "options") != "options":
            continue  # a numeric issue's value function is kept as it is
        for position, option in enumerate(issue["options"]):
            label = f"the value of {option['name']} on {name}"
            value = _number(form, f"value-{index}-{position}", label)
            if value is not None:
                values.setdefault(name, {})[option["name"]] = value
    reservation = _number(form, "reservation", "the reservation value")
    if reservation is not None:
        preferences["reservation"] = reservation
    kept = [
        line
        for position, line in enumerate(preferences.get("red_lines", []))
        if form.get(f"drop-red-line-{position}") != "on"
    ]
    first = _choice(view, str(form.get("red-line-a") or ""))
    second = _choice(view, str(form.get("red-line-b") or ""))
    if first is None and second is not None:
        first, second = second, None
    if first is not None:
        when: dict[str, list[str]] = {first[0]: [first[1]]}
        if second is not None:
            if second[0] == first[0]:
                raise FormError("new red line: its two options must be of different issues")
            when[second[0]] = [second[1]]
        line: dict[str, Any] = {"when": when}
        reason = str(form.get("red-line-reason") or "").strip()
        if reason:
            line["reason"] = reason
        kept.append(line)
    if kept:
        preferences["red_lines"] = kept
    else:
        preferences.pop("red_lines", None)
    return preferences


def _red_line(line: Mapping[str, Any]) -> dict[str, Any]:
    """A red line for the page: its reason and each condition (an issue and its options or bounds)."""
    conditions = []
    for issue, given in line.get("when", {}).items():
        if isinstance(given, list):
            options = ", ".join(str(value) for value in given)
        else:
            options = ", ".join(f"{bound.replace('_', ' ')} {value}" for bound, value in given.items())
        conditions.append({"issue": issue, "options": options})
    return {"reason": str(line.get("reason") or ""), "conditions": conditions}


def form_rows(view: Mapping[str, Any], preferences: Mapping[str, Any]) -> dict[str, Any]:
    """What the form shows of ``preferences``: per issue its weight and option values, the reservation,
    the red lines, and the options a new red line may name."""
    issues = []
    choices = []
    for index, issue in enumerate(view["agenda"]["issues"]):
        name = issue["name"]
        given = preferences.get("values", {}).get(name, {})
        options = []
        for position, option in enumerate(issue.get("options", ())):
            options.append(
                {"index": position, "name": option["name"], "value": given.get(option["name"], 0.0)}
            )
            choices.append({"value": f"{index}:{position}", "label": f"{name}: {option['name']}"})
        issues.append(
            {
                "index": index,
                "name": name,
                "weight": preferences.get("weights", {}).get(name, 0.0),
                "numeric": issue.get("type", "options") != "options",
                "options": options,
            }
        )
    return {
        "issues": issues,
        "reservation": preferences.get("reservation", 0.0),
        "red_lines": [_red_line(line) for line in preferences.get("red_lines", [])],
        "choices": choices,
    }


def draft_worth(reading: Reading, form: Mapping[str, Any]) -> dict[str, Any]:
    """A draft of the seat's preferences from ``form``: its rows, and the worth under it of the package
    on the table next to its worth now (``error``: why the draft is not valid preferences)."""
    view = reading.view
    seat = view["seat"]
    try:
        draft = preferences_from_form(view, form)
    except FormError as error:
        return {"preferences": _own(view), "error": str(error), "worth": None, "now": None}
    try:  # checked as the room will check it, naming the field
        parse_preferences(draft, reading.scenario.agenda, source="")
    except InputError as error:
        where = f"{error.location}: " if error.location else ""
        return {"preferences": draft, "error": where + error.reason, "worth": None, "now": None}
    scenario = view_scenario({**view, "preferences": {**view["preferences"], "delegations": {seat: draft}}})
    table = reading.on_table
    worth: Worth | None = None if table is None else worth_of(scenario, seat, table)
    now: Worth | None = None if table is None else reading.worth(table)[seat]
    return {"preferences": draft, "error": None, "worth": worth, "now": now}
