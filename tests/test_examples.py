"""The example scenarios in examples/ load, have the promised shape, and leave room for agreement."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from accord.domain import DiscreteIssue, Role, Scenario
from accord.io import load_scenario
from accord.preferences import scenario_utilities

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GENEVA = EXAMPLES / "geneva-2017.yaml"
ASTANA = EXAMPLES / "astana-2017.yaml"

GENEVA_DELEGATIONS = {"Government", "High Negotiations Committee", "Moscow platform", "Cairo platform"}
GENEVA_ISSUES = ("governance", "constitution", "elections", "counter-terrorism", "sequencing")
SPONSORS = {"Russia", "Iran", "Turkey", "United States", "Saudi Arabia"}
TRANSITION = "political-transition"


def agreement_zone(scenario: Scenario) -> np.ndarray:
    """Indices of outcomes every delegation accepts: utility ≥ reservation and no red line crossed."""
    utilities = scenario_utilities(scenario)
    choices = scenario.agenda.all_choices()
    above = (utilities.evaluate(choices) >= utilities.reservations).all(axis=1)
    return np.flatnonzero(above & utilities.acceptable(choices))


@pytest.fixture(scope="module")
def geneva() -> Scenario:
    return load_scenario(GENEVA)


@pytest.fixture(scope="module")
def astana() -> Scenario:
    return load_scenario(ASTANA)


@pytest.mark.parametrize("path", [GENEVA, ASTANA], ids=lambda path: path.stem)
def test_example_loads_and_describes_itself(path: Path) -> None:
    scenario = load_scenario(path)
    assert scenario.name
    assert "illustrative" in scenario.description.lower()
    assert scenario.delegations


@pytest.mark.parametrize("path", [GENEVA, ASTANA], ids=lambda path: path.stem)
def test_every_option_has_clause_text_and_preferences_are_well_formed(path: Path) -> None:
    scenario = load_scenario(path)
    for issue in scenario.agenda.issues:
        assert isinstance(issue, DiscreteIssue)
        for option in issue.options:
            assert option.text.strip(), f"{issue.name}/{option.name} has no clause text"
    for party in scenario.delegations:
        preferences = party.preferences
        assert preferences is not None
        assert sum(preferences.weights.values()) == pytest.approx(1.0), party.name
        assert preferences.red_lines, f"{party.name} has no red line"
        for issue_name, weight in preferences.weights.items():
            if weight > 0:
                table = preferences.option_values[issue_name]
                assert all(0.0 <= value <= 1.0 for value in table.values())
                assert max(table.values()) == 1.0, f"{party.name}: best option on {issue_name} is not 1"


def test_geneva_parties(geneva: Scenario) -> None:
    assert {party.name for party in geneva.delegations} == GENEVA_DELEGATIONS
    assert len(geneva.delegations) == 4
    assert geneva.mediator is not None
    assert geneva.mediator.name == "UN Special Envoy"
    observers = {party.name for party in geneva.parties if party.role is Role.OBSERVER}
    consultative = {"Women's Advisory Board", "Civil Society Support Room", "PYD and YPG (excluded)"}
    assert observers == SPONSORS | consultative


@pytest.mark.parametrize("path", [GENEVA, ASTANA], ids=lambda path: path.stem)
def test_every_red_line_names_its_source_or_says_it_is_an_assumption(path: Path) -> None:
    scenario = load_scenario(path)
    for party in scenario.delegations:
        assert party.preferences is not None
        for line in party.preferences.red_lines:
            assert bool(line.source.strip()) != line.assumption, f"{party.name}: {line.reason}"


def test_geneva_text_attributes_brackets_to_public_stances(geneva: Scenario) -> None:
    from accord.text import text_from_scenario

    text = text_from_scenario(geneva)
    attributed = [
        option for issue in geneva.agenda.issues for option in issue.options if option.proposed_by is not None
    ]
    assert attributed and all(option.source.strip() for option in attributed)
    assert [paragraph.part.value for paragraph in text.paragraphs[:3]] == ["preamble"] * 3
    proposers = {
        alternative.proposer for paragraph in text.paragraphs for alternative in paragraph.alternatives
    }
    assert {"Government", "High Negotiations Committee", "UN Special Envoy"} <= proposers
    # The Moscow platform's stances have no public source: no bracket is attributed to it.
    assert "Moscow platform" not in proposers
    assert any(
        "ar" in alternative.wording.languages
        for paragraph in text.paragraphs
        for alternative in paragraph.alternatives
    )


def test_geneva_issues(geneva: Scenario) -> None:
    assert geneva.agenda.names == GENEVA_ISSUES
    for issue in geneva.agenda.issues:
        assert 3 <= issue.size <= 5, issue.name
    assert 1_000 <= geneva.agenda.size <= 3_000


def test_geneva_government_insists_on_counter_terrorism(geneva: Scenario) -> None:
    red_lines = geneva.preferences_of("Government").red_lines
    assert any(
        condition.issue == "counter-terrorism" and "no-basket" in condition.values
        for line in red_lines
        for condition in line.conditions
    )


def test_geneva_forecast_data(geneva: Scenario) -> None:
    assert [dimension.name for dimension in geneva.dimensions] == [TRANSITION]
    actors = [party for party in geneva.parties if party.name in SPONSORS | GENEVA_DELEGATIONS]
    assert len(actors) == 9
    for party in actors:
        assert party.capability is not None and party.capability > 0, party.name
        assert 0 <= party.positions[TRANSITION] <= 100, party.name
        assert 0 <= party.salience[TRANSITION] <= 100, party.name


def test_geneva_notes_give_sources_and_caveats() -> None:
    notes = yaml.safe_load(GENEVA.read_text(encoding="utf-8"))["notes"]
    assert notes["sources"]
    assert notes["caveats"]


def test_astana_shape(astana: Scenario) -> None:
    assert len(astana.agenda.issues) == 3
    for issue in astana.agenda.issues:
        assert 3 <= issue.size <= 4, issue.name
    names = {party.name for party in astana.delegations}
    assert {"Russia", "Turkey", "Iran", "Government", "Armed opposition"} <= names


@pytest.mark.parametrize("path", [GENEVA, ASTANA], ids=lambda path: path.stem)
def test_agreement_zone_is_non_empty_but_small(path: Path) -> None:
    scenario = load_scenario(path)
    zone = agreement_zone(scenario)
    assert zone.size > 0
    assert zone.size <= scenario.agenda.size // 10
