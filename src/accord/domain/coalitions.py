"""Joining delegations into one seat: :func:`join_delegations`.

A joint delegation's preferences are its members' combined by stated weights λ (positive,
normalised to sum to 1; equal by default): its utility of every outcome is Σ λ_m u_m, the
members' utilities weighted; its reservation value is Σ λ_m r_m; its red lines are the union
of the members'. Additive preferences combine exactly into additive preferences (issue weight
Σ λ_m w_m,i, option value Σ λ_m w_m,i v_m,i / that weight; a numeric issue's value function
is combined at every value the issue takes; interactions are kept, scaled by λ_m), so the
analysis treats the joint delegation like any other. Members whose weights sum above 1 (the
Genius cap binds) are refused, since a capped utility does not combine linearly.

>>> from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("astana"))),))
>>> def party(name, geneva): return Party(name, preferences=Preferences({"venue": 1.0},
...     {"venue": {"geneva": geneva, "astana": 1 - geneva}}, reservation=0.2))
>>> joined = join_delegations(Scenario("talks", agenda, (party("A", 1.0), party("B", 0.0), party("C", 0.5))),
...                           ("A", "B"), weights=(3, 1))
>>> [p.name for p in joined.delegations], dict(joined.preferences_of("A + B").option_values["venue"])
(['A + B', 'C'], {'geneva': 0.75, 'astana': 0.25})
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace

from accord.domain.issues import Agenda, DiscreteIssue
from accord.domain.parties import Interaction, Party, Preferences, Role, ValueFunction
from accord.domain.scenario import Scenario
from accord.errors import DomainError

__all__ = ["join_delegations", "joint_preferences"]

#: Weights may exceed a sum of 1 by this much before a member counts as capped.
_CAP_TOLERANCE = 1e-9


def _normalised(members: Sequence[str], weights: Sequence[float] | None) -> tuple[float, ...]:
    given = tuple(float(weight) for weight in weights) if weights is not None else (1.0,) * len(members)
    if len(given) != len(members):
        raise DomainError("Coalition", ("weights",), f"{len(given)} weights for {len(members)} members")
    if any(not math.isfinite(weight) or weight <= 0 for weight in given):
        raise DomainError("Coalition", ("weights",), "every weight must be a positive number")
    total = sum(given)
    return tuple(weight / total for weight in given)


def joint_preferences(
    scenario: Scenario, members: Sequence[str], weights: Sequence[float] | None = None
) -> Preferences:
    """The members' preferences combined by ``weights`` (normalised; equal when ``None``)."""
    shares = _normalised(members, weights)
    preferences = [scenario.preferences_of(name) for name in members]
    for name, member in zip(members, preferences, strict=True):
        if sum(member.weights.values()) > 1 + _CAP_TOLERANCE:
            reason = "its issue weights sum above 1, so its utility is capped and does not combine linearly"
            raise DomainError("Coalition", ("members", name), reason)
    discounts = {member.discount for member in preferences}
    if len(discounts) > 1:
        raise DomainError(
            "Coalition", ("members",), "members with different discount factors cannot be joined"
        )
    issue_weights: dict[str, float] = {}
    option_values: dict[str, dict[str, float]] = {}
    value_functions: dict[str, ValueFunction] = {}
    for issue in scenario.agenda.issues:
        pairs = zip(shares, preferences, strict=True)
        weight = sum(share * member.weights.get(issue.name, 0.0) for share, member in pairs)
        issue_weights[issue.name] = weight
        if weight <= 0:
            continue

        def combined(value_of: object, issue_name: str = issue.name, total: float = weight) -> float:
            value = 0.0
            for share, member in zip(shares, preferences, strict=True):
                value += share * member.weights.get(issue_name, 0.0) * _value(member, issue_name, value_of)
            return min(1.0, max(0.0, value / total))

        if isinstance(issue, DiscreteIssue):
            option_values[issue.name] = {option: combined(option) for option in issue.values}
        else:
            value_functions[issue.name] = ValueFunction(tuple((float(x), combined(x)) for x in issue.values))
    if sum(issue_weights.values()) <= 0:
        raise DomainError("Coalition", ("members",), "the members weigh no issue")
    interactions = tuple(
        Interaction(item.conditions, share * item.value)
        for share, member in zip(shares, preferences, strict=True)
        for item in member.interactions
    )
    red_lines = tuple(dict.fromkeys(line for member in preferences for line in member.red_lines))
    return Preferences(
        weights=issue_weights,
        option_values=option_values,
        value_functions=value_functions,
        reservation=sum(
            share * member.reservation for share, member in zip(shares, preferences, strict=True)
        ),
        red_lines=red_lines,
        discount=discounts.pop(),
        interactions=interactions,
    )


def _value(preferences: Preferences, issue: str, value: object) -> float:
    if issue in preferences.option_values:
        return preferences.option_values[issue].get(str(value), 0.0)
    function = preferences.value_functions.get(issue)
    if function is None or isinstance(value, str):
        return 0.0
    return function.value_at(float(value))  # type: ignore[arg-type]


def join_delegations(
    scenario: Scenario,
    members: Sequence[str],
    *,
    weights: Sequence[float] | None = None,
    name: str | None = None,
) -> Scenario:
    """The scenario with ``members`` (two or more delegations) joined into one seat, placed where
    the first member sat; ``name`` defaults to the members' names joined by ``" + "``."""
    delegations = [party.name for party in scenario.delegations]
    if len(members) < 2:
        raise DomainError("Coalition", ("members",), "a joint delegation needs at least two members")
    if len(set(members)) != len(members):
        raise DomainError("Coalition", ("members",), "a member is named twice")
    for member in members:
        if member not in delegations:
            raise DomainError(
                "Coalition",
                ("members", member),
                f"no delegation of that name; known: {', '.join(delegations)}",
            )
    joint_name = name or " + ".join(members)
    shares = _normalised(members, weights)
    described = ", ".join(f"{member} ({share:.0%})" for member, share in zip(members, shares, strict=True))
    joint = Party(
        joint_name,
        Role.DELEGATION,
        joint_preferences(scenario, members, weights),
        description=f"Joint delegation of {described}.",
    )
    parties: list[Party] = []
    for party in scenario.parties:
        if party.name == members[0]:
            parties.append(joint)
        elif party.name not in members:
            parties.append(party)
    return replace(scenario, parties=tuple(parties), agenda=_attributed(scenario.agenda, members, joint_name))


def _attributed(agenda: Agenda, members: Sequence[str], joint_name: str) -> Agenda:
    """The agenda with clauses proposed or supported by a member attributed to the joint delegation."""

    def renamed(name: str) -> str:
        return joint_name if name in members else name

    issues = []
    for issue in agenda.issues:
        if isinstance(issue, DiscreteIssue):
            options = tuple(
                replace(
                    option,
                    proposed_by=None if option.proposed_by is None else renamed(option.proposed_by),
                    supported_by=tuple(dict.fromkeys(renamed(name) for name in option.supported_by)),
                )
                for option in issue.options
            )
            issue = replace(issue, options=options)
        issues.append(issue)
    return Agenda(tuple(issues))
