"""The package builder and the action forms: what a seat may do now, and the action a form sends.

:func:`builder` lists a form for every kind of action the seat's turn allows (the
view's ``turn.allowed``, which the protocol gives), for every protocol: offers and
proposals built issue by issue, criticism with an intensity per issue, votes, sealed
acceptances of packages, proximity messages and passing them on, walking away.
:func:`action_from_form` turns a submitted form back into the action's data
(``accord.protocols.action_to_data``'s form), which the room checks like any other:
an illegal one is refused with the protocol's reason.

Form fields name issues by position (``issue-0``, ``intensity-0``…), never by their
names, so a name is only ever shown, never parsed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from accord.domain import Agenda
from accord.server.pages.worth import outcome_of

__all__ = ["FormError", "action_from_form", "builder", "chosen_package"]

#: Kinds whose form is a single button.
BUTTONS = {
    "accept": "Accept what is on the table",
    "reject": "Reject what is on the table",
    "wait": "Wait this turn",
    "call-vote": "Call the final vote on this draft",
}
#: Kinds built with the package builder.
PACKAGE_KINDS = {"offer": "Make this offer", "propose": "Propose this package"}


class FormError(ValueError):
    """A form that does not make an action (a missing or malformed field)."""


def _issue_fields(view: Mapping[str, Any], chosen: Sequence[Any] | None) -> list[dict[str, Any]]:
    fields = []
    for index, issue in enumerate(view["agenda"]["issues"]):
        value = None if chosen is None else chosen[index]
        data: dict[str, Any] = {
            "index": index,
            "name": issue["name"],
            "description": issue.get("description") or "",
            "type": issue.get("type", "options"),
        }
        if data["type"] == "options":
            data["options"] = issue["options"]
            data["value"] = value if value is not None else issue["options"][0]["name"]
        else:
            data.update(low=issue["low"], high=issue["high"], step=issue.get("step", 1))
            data["value"] = value if value is not None else issue["low"]
        fields.append(data)
    return fields


def chosen_package(agenda: Agenda, form: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """The package a form chose issue by issue (``issue-0``, ``issue-1``…), or ``None`` if incomplete."""
    values = [form.get(f"issue-{index}") for index in range(len(agenda.issues))]
    if any(value is None for value in values):
        return None
    return outcome_of(agenda, values)


def builder(
    view: Mapping[str, Any], *, chosen: Sequence[Any] | None, on_table: Sequence[Any] | None
) -> list[dict[str, Any]]:
    """The forms for the seat's turn, in the protocol's order of ``turn.allowed``."""
    turn = view["turn"]
    if not turn["must_act"]:
        return []
    details = view["protocol"].get("details") or {}
    start = chosen if chosen is not None else on_table
    seats = view["seats"]
    forms: list[dict[str, Any]] = []
    for kind in turn["allowed"]:
        form: dict[str, Any] = {"kind": kind}
        if kind in PACKAGE_KINDS:
            form.update(label=PACKAGE_KINDS[kind], issues=_issue_fields(view, start))
        elif kind == "critique":
            form.update(label="Send this criticism", issues=_issue_fields(view, start))
        elif kind == "vote":
            form.update(label="Vote on the final draft")
        elif kind == "accept-packages":
            candidates = details.get("candidates")
            packages = [list(package) for package in candidates] if candidates else []
            if not candidates:
                for package in (on_table, chosen):
                    if package is not None and list(package) not in packages:
                        packages.append(list(package))
            form.update(label="Seal these acceptances", packages=packages)
        elif kind == "message":
            mediator = view["role"] == "mediator"
            form.update(
                label="Send",
                to=list(seats["delegations"]) if mediator else [],
                issues=_issue_fields(view, start),
            )
        elif kind == "pass-on":
            form.update(
                label="Pass it on",
                shareable=[
                    {"number": number, "author": author} for number, author in details.get("shareable") or ()
                ],
                to=list(seats["delegations"]),
            )
        elif kind == "walk-away":
            form.update(label="Walk away from the talks")
        else:
            form.update(label=BUTTONS.get(kind, kind.replace("-", " ").capitalize()))
        forms.append(form)
    return forms


def _number(form: Mapping[str, Any], name: str, low: float, high: float) -> float:
    try:
        value = float(form.get(name) or 0)
    except ValueError:
        raise FormError(f"{name}: not a number") from None
    if not low <= value <= high:
        raise FormError(f"{name}: must lie between {low} and {high}")
    return value


def _package(agenda: Agenda, form: Mapping[str, Any]) -> list[Any]:
    package = chosen_package(agenda, form)
    if package is None:
        raise FormError("the package: choose an option on every issue")
    return list(package)


def action_from_form(agenda: Agenda, form: Mapping[str, Any], packages: Sequence[str]) -> dict[str, Any]:
    """The action a submitted form makes (``packages``: the form's ``package`` fields, for sealed bids)."""
    kind = str(form.get("kind") or "")
    if kind in PACKAGE_KINDS:
        return {"kind": kind, "outcome": _package(agenda, form)}
    if kind == "critique":
        wanted = _package(agenda, form)
        requests = []
        for index, issue in enumerate(agenda.issues):
            intensity = _number(form, f"intensity-{index}", 0.0, 1.0)
            if intensity > 0:
                requests.append([issue.name, wanted[index], intensity])
        return {"kind": "critique", "requests": requests}
    if kind == "vote":
        return {"kind": "vote", "accept": form.get("accept") == "yes"}
    if kind == "accept-packages":
        outcomes = []
        for text in packages:
            try:
                values = json.loads(text)
            except ValueError:
                values = None
            outcome = outcome_of(agenda, values if isinstance(values, list) else None)
            if outcome is None:
                raise FormError("a sealed package is not a package of this agenda")
            outcomes.append(list(outcome))
        return {"kind": "accept-packages", "outcomes": outcomes}
    if kind == "message":
        offer = _package(agenda, form) if form.get("with-package") == "on" else None
        return {
            "kind": "message",
            "text": str(form.get("text") or ""),
            "offer": offer,
            "shareable": form.get("shareable") == "on",
            "to": str(form.get("to") or ""),
        }
    if kind == "pass-on":
        try:
            number = int(str(form.get("message")))
        except ValueError:
            raise FormError("message: choose a message to pass on") from None
        return {"kind": "pass-on", "message": number, "to": str(form.get("to") or "")}
    if kind == "walk-away":
        return {"kind": "walk-away", "reason": str(form.get("reason") or "")}
    if kind in BUTTONS:
        return {"kind": kind}
    raise FormError(f"kind: no such action {kind!r}")
