"""What a page shows, read from one seat's view and nothing else.

Each function takes the seat's view (the JSON of ``GET /api/v1/rooms/{room}/view``,
built by the room's one confidentiality choke point) and returns plain data for a
template: the package on the table with every clause written out, its worth to the
delegations whose preferences the view holds, the history as the seat saw it, the
messages with their marks, and the forms for the actions the seat may take now.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from accord.domain import Scenario
from accord.server.pages.worth import Worth, package_in, view_scenario, worth_of

__all__ = [
    "MARKS",
    "Package",
    "Reading",
    "clause_rows",
    "history",
    "read_view",
    "version",
]

#: Disclosure marks, as a delegation chooses them and as every message shows them afterwards.
MARKS = {
    "mediator-only": "Mediator only",
    "attributed": "May be passed on with our name",
    "unattributed": "May be passed on without our name",
}

#: How each kind of protocol event is named on the page.
EVENT_NAMES = {
    "opening": "Talks opened",
    "draft": "Draft",
    "critique": "Criticism",
    "vote-called": "Final vote called",
    "vote": "Vote",
    "agreement": "Agreement",
    "offer": "Offer",
    "accept": "Acceptance",
    "deadline": "Deadline reached",
    "initial-text": "Initial text",
    "proposed-change": "Proposed change",
    "response": "Response",
    "change-dropped": "Change dropped",
    "rejected": "Rejected",
    "sealed-bid": "Sealed bid",
    "no-overlap": "No package in common",
    "message": "Message",
    "proposal": "Proposal",
    "proposal-declined": "Proposal declined",
    "walk-away": "Walked away",
}


def version(*parts: Any) -> str:
    """A short digest of what a live region shows: the script replaces the region when it changes."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def clause_rows(view: Mapping[str, Any], outcome: Sequence[Any]) -> list[dict[str, Any]]:
    """The package written out: per issue, the option chosen and its clause text."""
    rows = []
    for issue, value in zip(view["agenda"]["issues"], outcome, strict=True):
        text = ""
        for option in issue.get("options", ()):
            if option["name"] == value:
                text = option.get("text") or ""
        rows.append({"issue": issue["name"], "value": value, "text": text})
    return rows


@dataclass(frozen=True, slots=True)
class Package:
    """A package put forward: when (``seq``, ``round``), by whom, as what kind, and its worth to
    each delegation whose preferences the view holds."""

    seq: int
    round: int
    kind: str
    actor: str
    outcome: tuple[Any, ...]
    worth: Mapping[str, Worth] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reading:
    """A seat's view, read for a page: the scenario its preferences make, the packages it saw."""

    view: Mapping[str, Any]
    scenario: Scenario
    packages: tuple[Package, ...]

    @property
    def held(self) -> tuple[str, ...]:
        """The delegations whose preferences this view holds (own only, for a delegation)."""
        return tuple(self.view["preferences"]["delegations"])

    def worth(self, outcome: Sequence[Any]) -> dict[str, Worth]:
        """The worth of ``outcome`` to each delegation held."""
        return {name: worth_of(self.scenario, name, outcome) for name in self.held}

    @property
    def on_table(self) -> tuple[Any, ...] | None:
        table = self.view["protocol"].get("on_table")
        return None if table is None else tuple(table)

    def previous(self) -> Package | None:
        """The package before the one on the table now (the last different one the seat saw)."""
        current = self.on_table
        for package in reversed(self.packages):
            if package.outcome != current:
                return package
        return None


def read_view(view: Mapping[str, Any]) -> Reading:
    """Read ``view``: rebuild the scenario of the preferences it holds, and each package it saw."""
    scenario = view_scenario(view)
    held = tuple(view["preferences"]["delegations"])
    packages = []
    for event in view["events"]:
        outcome = package_in(event.get("data") or {}, scenario.agenda)
        if outcome is None or event["kind"] == "critique":
            continue
        worth = {name: worth_of(scenario, name, outcome) for name in held}
        packages.append(
            Package(
                seq=int(event["seq"]),
                round=int(event["round"]),
                kind=str(event["kind"]),
                actor=str(event["actor"]),
                outcome=outcome,
                worth=worth,
            )
        )
    return Reading(view=view, scenario=scenario, packages=tuple(packages))


def _summary(event: Mapping[str, Any]) -> str:
    data = event.get("data") or {}
    kind = event["kind"]
    if "accept" in data and isinstance(data["accept"], bool):
        return "yes" if data["accept"] else "no"
    if kind == "critique":
        return "" if data.get("requests") else "no criticism"  # the requests: see _requests
    if kind == "sealed-bid":
        return f"{len(data.get('outcomes') or [])} package(s) sealed"
    if "reason" in data and isinstance(data["reason"], str):
        return data["reason"]
    if kind == "message":
        return str(data.get("text") or "")
    return ""


def _requests(event: Mapping[str, Any]) -> list[dict[str, Any]]:
    """A criticism's requests (issue, the option wanted, intensity), kept apart so that a page isolates
    each name in its own direction (an Arabic issue inside an English sentence keeps its place)."""
    data = event.get("data") or {}
    if event["kind"] != "critique":
        return []
    return [
        {"issue": issue, "value": value, "intensity": float(level)}
        for issue, value, level in data.get("requests") or ()
    ]


def history(reading: Reading) -> list[dict[str, Any]]:
    """The talks as the seat saw them: each event, its package written out, its worth to those held."""
    packages = {package.seq: package for package in reading.packages}
    rows = []
    for event in reading.view["events"]:
        package = packages.get(int(event["seq"]))
        rows.append(
            {
                "seq": event["seq"],
                "round": event["round"],
                "kind": EVENT_NAMES.get(event["kind"], event["kind"]),
                "actor": event["actor"],
                "private": event.get("visible_to") is not None,
                "summary": _summary(event),
                "requests": _requests(event),
                "package": None if package is None else clause_rows(reading.view, package.outcome),
                "worth": {} if package is None else dict(package.worth),
            }
        )
    return rows
