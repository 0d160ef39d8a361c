"""The delegation's desk and the observers' page: what each shows, from the seat's view alone.

The desk shows the agenda with its clause texts; the package on the table with every
clause written out and its worth *to this delegation* (utility against its reservation
value, the red lines it crosses, the change since the package before); the package
builder for the seat's turn, with the worth of the package being built; the history
as this seat saw it; its messages with the mediator (each with its disclosure mark),
its team's channel, and its own preferences, with the form that changes them (and the worth of
the package on the table under a draft of them, before it is saved).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from accord.server.pages.forms import builder, chosen_package
from accord.server.pages.preferences import draft_worth, form_rows
from accord.server.pages.reading import MARKS, Reading, clause_rows, history, version
from accord.server.pages.text import text_context

__all__ = ["common_context", "context", "observer_context"]

#: How the package on the table is called, by protocol phase or kind of package.
TABLE_NAMES = {
    "criticise": "The mediator's draft",
    "vote": "The final draft, put to the vote",
    "offers": "The standing offer",
    "respond": "The proposal before you",
    "bidding": "The package before you",
}


def common_context(reading: Reading) -> dict[str, Any]:
    """What every seat's page shows: the room, the agenda, the table, the history, the result."""
    view = reading.view
    table = reading.on_table
    result = view["result"]
    return {
        "view": view,
        "title": f"{view['seat']} — {view['agenda']['name']}",
        "room": view["room"],
        "seat": view["seat"],
        "role": view["role"],
        "protocol": view["protocol"],
        "agenda": view["agenda"],
        "table_name": TABLE_NAMES.get(str(view["protocol"].get("phase")), "On the table"),
        "table": None if table is None else clause_rows(view, table),
        "history": history(reading),
        "result": result,
        "agreement": None
        if not result or not result.get("agreement")
        else clause_rows(view, [result["agreement"][issue["name"]] for issue in view["agenda"]["issues"]]),
        "turn": view["turn"],
        "marks": MARKS,
        "versions": {
            "status": version(view["protocol"], view["turn"], result),
            "table": version(
                view["protocol"].get("on_table"),
                result,
                len(reading.packages),
                view["preferences"]["delegations"],
            ),
            "history": version(
                len(view["events"]), view["seq"] if result else None, view["preferences"]["delegations"]
            ),
            "messages": version(view["messages"]),
        },
    }


def _preferences(reading: Reading, query: Mapping[str, str]) -> dict[str, Any]:
    view = reading.view
    own = view["preferences"]["delegations"].get(view["seat"], {})
    preferences = view["preferences"]
    draft = draft_worth(reading, query) if query.get("preview") == "preferences" else None
    issues = []
    for issue in view["agenda"]["issues"]:
        values = own.get("values", {}).get(issue["name"], {})
        issues.append(
            {
                "name": issue["name"],
                "weight": own.get("weights", {}).get(issue["name"], 0.0),
                "values": [
                    {"name": option["name"], "value": values.get(option["name"])}
                    for option in issue.get("options", ())
                ],
            }
        )
    return {
        "issues": issues,
        "reservation": own.get("reservation", 0.0),
        "setting": preferences["setting"],
        "disclosed": preferences.get("disclosed"),
        "editable": preferences.get("editable", False),
        "edit_refused": preferences.get("edit_refused"),
        "edit_preferences": preferences.get("edit_preferences", "before"),
        "form": form_rows(view, own if draft is None else draft["preferences"]),
        "draft": draft,
    }


def context(reading: Reading, query: Mapping[str, str]) -> dict[str, Any]:
    """The delegation's desk. ``query``: a package being built (``issue-0``…), to show its worth."""
    view = reading.view
    seat = view["seat"]
    data = common_context(reading)
    table = reading.on_table
    worth = previous_worth = None
    if table is not None:
        worth = reading.worth(table)[seat]
        previous = reading.previous()
        if previous is not None:
            previous_worth = previous.worth[seat]
    chosen = chosen_package(reading.scenario.agenda, query)
    built = None
    if chosen is not None:
        built = {"rows": clause_rows(view, chosen), "worth": reading.worth(chosen)[seat]}
    messages = [message for message in view["messages"] if message.get("to") != "team"]
    team = [message for message in view["messages"] if message.get("to") == "team"]
    data.update(
        worth=worth,
        previous_worth=previous_worth,
        forms=builder(view, chosen=chosen, on_table=table),
        built=built,
        messages=messages,
        team=team,
        preferences=_preferences(reading, query),
        has_mediator=bool(view["seats"]["mediator"]),
        text=text_context(view, query),
    )
    data["versions"]["builder"] = version(view["turn"], table, view["protocol"].get("details"))
    data["versions"]["team"] = version(team)
    data["versions"]["preferences"] = version(view["preferences"], table)
    return data


def observer_context(reading: Reading) -> dict[str, Any]:
    """The observers' page: the public events only (an observer's view holds nothing else)."""
    return common_context(reading)
