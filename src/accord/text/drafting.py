"""A negotiating text made from a scenario: :func:`text_from_scenario`.

Each discrete issue becomes an operative paragraph whose alternatives are its options'
clause texts (keyed by option name, attributed as the scenario records them, or to the
mediator's drafting where it records nobody); the scenario's preamble becomes agreed
preambular language. A clean text, every paragraph agreed on an option, is then a package
of the scenario, and its analysis applies (:mod:`accord.text.worth`). Paragraphs are linked
where a delegation's red line or interaction spans the issues they carry.

>>> from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Role, Scenario
>>> options = (Option("geneva", "In Geneva."), Option("astana", "In Astana."))
>>> agenda = Agenda((DiscreteIssue("venue", options),))
>>> north = Party("North", preferences=Preferences({"venue": 1.0}, {"venue": {"geneva": 1.0}}))
>>> text = text_from_scenario(Scenario("talks", agenda, (Party("Envoy", Role.MEDIATOR), north)))
>>> [alternative.key for alternative in text.paragraph("venue").alternatives], text.mediator
(['geneva', 'astana'], 'Envoy')
"""

from __future__ import annotations

import itertools

from accord.domain import DiscreteIssue, Scenario
from accord.text.model import Alternative, Paragraph, Part, Status, Text, Wording

__all__ = ["DEFAULT_MEDIATOR", "implied_links", "text_from_scenario"]

#: The mediator's seat of a text whose scenario names no mediator.
DEFAULT_MEDIATOR = "Mediator"


def implied_links(scenario: Scenario) -> frozenset[tuple[str, str, str]]:
    """``(issue, issue, delegation)`` for each pair of discrete issues one of the delegation's
    red lines or interactions spans (issue names sorted in each pair)."""
    discrete = {issue.name for issue in scenario.agenda.issues if isinstance(issue, DiscreteIssue)}
    links: set[tuple[str, str, str]] = set()
    for party in scenario.delegations:
        assert party.preferences is not None
        combinations = [line.issues for line in party.preferences.red_lines]
        combinations += [
            tuple(condition.issue for condition in item.conditions) for item in party.preferences.interactions
        ]
        for issues in combinations:
            for first, second in itertools.combinations(sorted(set(issues) & discrete), 2):
                links.add((first, second, party.name))
    return frozenset(links)


def text_from_scenario(scenario: Scenario, *, title: str | None = None) -> Text:
    """The scenario's negotiating text at Rev.0: every issue paragraph bracketed, the preamble agreed."""
    mediator = scenario.mediator.name if scenario.mediator is not None else DEFAULT_MEDIATOR
    paragraphs = []
    for index, versions in enumerate(scenario.preamble, start=1):
        alternative = Alternative("agreed", Wording(versions), mediator, bridging=True)
        paragraphs.append(
            Paragraph(f"PP{index}", Part.PREAMBLE, (alternative,), status=Status.AGREED, chosen="agreed")
        )
    for issue in scenario.agenda.issues:
        if not isinstance(issue, DiscreteIssue):
            continue
        alternatives = []
        for option in issue.options:
            wording = Wording(((scenario.language, option.text or option.name), *option.translations))
            proposer = option.proposed_by or mediator
            alternatives.append(
                Alternative(
                    option.name,
                    wording,
                    proposer,
                    supporters=tuple(name for name in option.supported_by if name != proposer),
                    option=option.name,
                    bridging=proposer == mediator,
                )
            )
        paragraphs.append(
            Paragraph(
                issue.name, Part.OPERATIVE, tuple(alternatives), issue=issue.name, title=issue.description
            )
        )
    return Text(
        title or scenario.name,
        mediator,
        tuple(party.name for party in scenario.delegations),
        tuple(paragraphs),
        scenario=scenario.name,
        implied_links=implied_links(scenario),
    )
