"""What a text's alternatives are worth, to a delegation, from its own preferences only.

The worth of an alternative to a delegation is what it adds to its utility: the issue's
weight times the option's value (the Genius convention of :mod:`accord.preferences`), or,
for wording that matches no option, the weight times the delegation's own score of it, and
``None`` (unscored) until it gives one. A clean text, every operative paragraph agreed on an
option, is a package: :func:`package` gives it, and the scenario's analysis applies to it.

>>> from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Role, Scenario
>>> from accord.text.drafting import text_from_scenario
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("astana"))),))
>>> north = Party("North", preferences=Preferences({"venue": 0.5}, {"venue": {"geneva": 1.0}}))
>>> scenario = Scenario("talks", agenda, (Party("Envoy", Role.MEDIATOR), north))
>>> worth(text_from_scenario(scenario), scenario, "North")["venue"]["geneva"]
Worth(value=0.5, crosses_red_line=False)
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.domain import DiscreteIssue, Scenario
from accord.text.model import Status, Text

__all__ = ["Worth", "package", "worth", "worth_to_delegations"]


@dataclass(frozen=True, slots=True)
class Worth:
    """An alternative's worth to one delegation: ``value`` (``None``: unscored) and whether it
    crosses one of the delegation's red lines on that issue alone."""

    value: float | None
    crosses_red_line: bool = False


def worth(text: Text, scenario: Scenario, seat: str) -> dict[str, dict[str, Worth]]:
    """Paragraph → alternative → :class:`Worth` to ``seat``, from ``seat``'s preferences and scores only.

    Paragraphs that carry no issue of the scenario are left out.
    """
    preferences = scenario.preferences_of(seat)
    issues = set(scenario.agenda.names)
    result: dict[str, dict[str, Worth]] = {}
    for paragraph in text.paragraphs:
        if paragraph.issue is None or paragraph.issue not in issues:
            continue
        weight = preferences.weights.get(paragraph.issue, 0.0)
        values = preferences.option_values.get(paragraph.issue, {})
        single = [
            line.conditions[0]
            for line in preferences.red_lines
            if len(line.conditions) == 1 and line.conditions[0].issue == paragraph.issue
        ]
        row: dict[str, Worth] = {}
        for alternative in paragraph.alternatives:
            if alternative.option is not None:
                value: float | None = weight * values.get(alternative.option, 0.0)
                crosses = any(condition.holds(alternative.option) for condition in single)
            else:
                score = text.scores.get((seat, paragraph.key, alternative.key))
                value = None if score is None else weight * score
                crosses = False
            row[alternative.key] = Worth(value, crosses)
        result[paragraph.key] = row
    return result


def worth_to_delegations(text: Text, scenario: Scenario) -> dict[str, dict[str, dict[str, Worth]]]:
    """The mediator's table: delegation → :func:`worth` to it (for the delegations with preferences)."""
    return {party.name: worth(text, scenario, party.name) for party in scenario.delegations}


def package(text: Text, scenario: Scenario) -> dict[str, str] | None:
    """The package (issue → option) a clean text settles, or ``None`` while it is not clean.

    Clean: every paragraph that carries a discrete issue is agreed (ad referendum or finally)
    on an alternative that stands for an option, and every discrete issue has such a paragraph.
    """
    chosen: dict[str, str] = {}
    for paragraph in text.paragraphs:
        if paragraph.issue is None:
            continue
        agreed = paragraph.agreed_language
        if paragraph.status is Status.BRACKETED or agreed is None or agreed.option is None:
            return None
        chosen[paragraph.issue] = agreed.option
    discrete = [issue.name for issue in scenario.agenda.issues if isinstance(issue, DiscreteIssue)]
    if any(name not in chosen for name in discrete):
        return None
    return chosen
