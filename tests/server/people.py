"""A scripted person at a one-text delegation's seat: reads its view over HTTP, criticises, votes.

It works from what its view gives it and nothing else: its own preferences
(weights, option values, reservation, red lines), the agenda and the draft on
the table. Its criticism asks, issue by issue, for its best option, with
intensities that add up to its shortfall below its reservation (the form the
drafting mediator reads); an issue that takes part in a crossed red line is
asked for with intensity 1. It votes yes on any draft that crosses none of its
red lines: nothing is agreed until everything is, and a person who blocks
every imperfect text leaves the table with nothing.
"""

from __future__ import annotations

from typing import Any


def _utility(preferences: dict[str, Any], draft: dict[str, str]) -> float:
    return float(
        sum(
            weight * preferences["values"][issue][draft[issue]]
            for issue, weight in preferences["weights"].items()
        )
    )


def _crossed(preferences: dict[str, Any], draft: dict[str, str]) -> set[str]:
    """The issues of every red line the draft crosses."""
    issues: set[str] = set()
    for red_line in preferences.get("red_lines", []):
        if all(draft[issue] in options for issue, options in red_line["when"].items()):
            issues.update(red_line["when"])
    return issues


def next_action(view: dict[str, Any]) -> dict[str, Any]:
    """The person's action at its turn (``critique`` or ``vote``), in ``action_to_data`` form."""
    preferences = view["preferences"]["delegations"][view["seat"]]
    names = [issue["name"] for issue in view["agenda"]["issues"]]
    draft = dict(zip(names, view["protocol"]["on_table"], strict=True))
    crossed = _crossed(preferences, draft)
    if "vote" in view["turn"]["allowed"]:
        return {"kind": "vote", "accept": not crossed}
    shortfall = max(0.0, preferences["reservation"] + 0.05 - _utility(preferences, draft))
    if not shortfall and not crossed:
        return {"kind": "critique", "requests": []}
    wishes = {}
    for issue in names:
        values = preferences["values"][issue]
        best = max(values, key=values.get)
        wishes[issue] = (best, preferences["weights"][issue] * (values[best] - values[draft[issue]]))
    total = sum(loss for _, loss in wishes.values()) or 1.0
    requests = []
    for issue, (best, loss) in wishes.items():
        if issue in crossed:
            requests.append([issue, best, 1.0])
        elif loss > 0:
            requests.append([issue, best, round(min(1.0, loss / total * shortfall), 4)])
    return {"kind": "critique", "requests": requests}
