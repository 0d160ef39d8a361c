"""Genius XML import: utilities equal Genius's rules; bad files give one located error."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.analysis import analyze
from accord.domain import DiscreteIssue, IntegerIssue, RealIssue
from accord.errors import ArgumentError, ScenarioError
from accord.io import import_genius, load_scenario, save_scenario
from accord.preferences import scenario_utilities
from accord.session import run_session
from shared_data import SHARED, shared_path

GENIUS = SHARED / "domains" / "genius"

DOMAIN = """\
<negotiation_template>
  <agent class="agents.BayesianAgent" name="seller" utility_space="seller.xml"/>
  <utility_space number_of_issues="3">
    <objective index="0" etype="objective" type="objective" name="Deal">
      <issue index="1" etype="discrete" type="discrete" vtype="discrete" name="colour">
        <item index="1" value="red"/>
        <item index="2" value="green"/>
        <item index="3" value="blue"/>
        <similarity_function type="binary" weight="0.3"/>
      </issue>
      <issue index="2" etype="integer" type="integer" vtype="integer" name="count"
             lowerbound="2" upperbound="6"/>
      <issue index="3" etype="real" type="real" vtype="real" name="price">
        <range lowerbound="0" upperbound="10"/>
      </issue>
    </objective>
  </utility_space>
</negotiation_template>
"""

PROFILE = """\
<!-- buyer -->
<?xml version="1.0" encoding="utf-8"?>
<utility_space>
  <objective index="0" etype="objective" type="objective" name="Deal">
    <issue index="1" type="discrete" name="colour">
      <item index="1" value="red" evaluation="2"/>
      <item index="2" value="green" evaluation="8"/>
      <item index="3" value="blue" evaluation="4"/>
    </issue>
    <issue index="2" type="integer" name="count" lowerbound="2" upperbound="6">
      <evaluator ftype="linear" slope="0.5" offset="-0.25"/>
    </issue>
    <issue index="3" type="real" name="price">
      <range lowerbound="0" upperbound="10"/>
      <evaluator ftype="linear" parameter0="1.2" parameter1="-0.1"/>
    </issue>
    <weight index="1" value="0.5"/>
    <weight index="2" value="0.3"/>
    <weight index="3" value="0.3"/>
  </objective>
  <discount_factor value="0.0"/>
</utility_space>
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def genius_utility(colour: str, count: int, price: float) -> float:
    """Genius's rule written out: evaluation / max, linear evaluators clamped, weights as written, cap 1."""
    colour_value = {"red": 2, "green": 8, "blue": 4}[colour] / 8
    count_value = min(1.0, max(0.0, -0.25 + 0.5 * (count - 2)))
    price_value = min(1.0, max(0.0, 1.2 - 0.1 * price))
    return min(1.0, 0.5 * colour_value + 0.3 * count_value + 0.3 * price_value)


def test_utilities_follow_genius_rules(tmp_path: Path) -> None:
    scenario = import_genius(write(tmp_path, "domain.xml", DOMAIN), [write(tmp_path, "buyer.xml", PROFILE)])
    colour, count, price = scenario.agenda.issues
    assert isinstance(colour, DiscreteIssue) and colour.values == ("red", "green", "blue")
    assert isinstance(count, IntegerIssue) and (count.low, count.high) == (2, 6)
    assert isinstance(price, RealIssue) and price.size == 21 and price.values[1] == 0.5
    preferences = scenario.preferences_of("buyer")
    assert preferences.reservation == 0.0 and preferences.discount is None
    utilities = scenario_utilities(scenario)
    choices = scenario.agenda.all_choices()
    expected = [genius_utility(*scenario.agenda.outcome(row)) for row in choices]  # type: ignore[arg-type]
    np.testing.assert_allclose(utilities.evaluate(choices)[:, 0], expected, atol=1e-12)
    assert utilities.evaluate(choices).max() == 1.0  # weights sum to 1.1: the cap binds


def test_profiles_keep_order_and_are_named_after_their_files(tmp_path: Path) -> None:
    domain = write(tmp_path, "domain.xml", DOMAIN)
    first = write(tmp_path, "zeta.xml", PROFILE)
    (tmp_path / "other").mkdir()
    second = write(tmp_path / "other", "zeta.xml", PROFILE.replace('"0.0"', '"0.5"'))
    scenario = import_genius(domain, [first, write(tmp_path, "alpha.xml", PROFILE), second])
    assert [party.name for party in scenario.parties] == ["zeta", "alpha", "zeta-2"]
    assert scenario.preferences_of("zeta-2").discount == 0.5
    assert scenario.name == "domain"


def test_imported_scenario_survives_the_accord_format(tmp_path: Path) -> None:
    scenario = import_genius(write(tmp_path, "domain.xml", DOMAIN), [write(tmp_path, "buyer.xml", PROFILE)])
    save_scenario(scenario, tmp_path / "deal.yaml")
    again = load_scenario(tmp_path / "deal.yaml")
    choices = scenario.agenda.all_choices()
    np.testing.assert_allclose(
        scenario_utilities(again).evaluate(choices),
        scenario_utilities(scenario).evaluate(choices),
        atol=1e-12,
    )


NONLINEAR = """\
<utility_space type="nonlinear">
<objective index="0" name="root" type="objective">
  <issue index="1" name="x" type="integer" lowerbound="0" upperbound="3"/>
  <issue index="2" name="y" type="integer" lowerbound="0" upperbound="3"/>
  <utility maxutility="50">
    <ufun type="PlainUfun" weight="1" aggregation="sum">
      <hyperRectangle utility="30"><INCLUDES index="1" min="1" max="2"/></hyperRectangle>
      <hyperRectangle utility="20">
        <INCLUDES index="1" min="2" max="3"/><INCLUDES index="2" min="0" max="0"/>
      </hyperRectangle>
    </ufun>
  </utility>
</objective>
<discount_factor value="0.9"/>
<reservation value="0.25"/>
</utility_space>
"""


def test_nonlinear_profile_becomes_interactions(tmp_path: Path) -> None:
    domain = write(tmp_path, "domain.xml", NONLINEAR.replace(' type="nonlinear"', ""))
    scenario = import_genius(domain, [write(tmp_path, "p.xml", NONLINEAR)])
    utilities = scenario_utilities(scenario)
    choices = scenario.agenda.all_choices()
    values = utilities.evaluate(choices)[:, 0]
    got = {scenario.agenda.outcome(row): float(value) for row, value in zip(choices, values, strict=True)}
    assert got[(0, 0)] == 0.0 and got[(1, 3)] == pytest.approx(0.6) and got[(2, 0)] == pytest.approx(1.0)
    assert got[(3, 0)] == pytest.approx(0.4) and got[(3, 1)] == 0.0
    preferences = scenario.preferences_of("p")
    assert (preferences.reservation, preferences.discount) == (0.25, 0.9)
    save_scenario(scenario, tmp_path / "nonlinear.yaml")
    again = scenario_utilities(load_scenario(tmp_path / "nonlinear.yaml"))
    np.testing.assert_allclose(again.evaluate(choices), utilities.evaluate(choices))


@pytest.mark.parametrize(
    ("broken", "where", "reason"),
    [
        (PROFILE.replace("</objective>", "</objectiv>"), "line 20", "not well-formed XML"),
        (PROFILE.replace('value="blue"', 'value="purple"'), "line 8", "'purple' is not an item of issue"),
        (PROFILE.replace('<weight index="3"', '<weight index="7"'), "line 19", "the domain has no issue"),
        (PROFILE.replace('evaluation="4"', 'evaluation="lots"'), "line 8", "expected a finite number"),
        (PROFILE.replace('evaluation="4"', 'evaluation="-4"'), "line 8", "expected a number ≥ 0"),
        (
            PROFILE.replace('<weight index="2" value="0.3"/>', '<weight index="2" value="-0.3"/>'),
            "line 18",
            "≥ 0",
        ),
        (
            PROFILE.replace('value="0.3"', 'value="0"').replace('value="0.5"', 'value="0"'),
            "line 4",
            "sum to a",
        ),
        (
            PROFILE.replace('<discount_factor value="0.0"/>', '<reservation value="1.2"/>'),
            "line 21",
            "[0, 1]",
        ),
        (PROFILE.replace('ftype="linear" parameter0', 'ftype="faz" parameter0'), "line 15", "ftype 'faz'"),
        (PROFILE.replace('name="count"', 'name="amount"'), "line 10", "index 2 is issue 'count'"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><utility_space/>', "line 1", "document type declarations"),
        ('<utility_space><reservation value="0"/></utility_space>', "line 1", "expected an <objective>"),
    ],
)
def test_bad_profiles_name_file_line_and_reason(tmp_path: Path, broken: str, where: str, reason: str) -> None:
    domain = write(tmp_path, "domain.xml", DOMAIN)
    profile = write(tmp_path, "buyer.xml", broken)
    with pytest.raises(ScenarioError) as caught:
        import_genius(domain, [profile])
    message = str(caught.value)
    assert message.startswith(str(profile)) and where in message and reason in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("broken", "reason"),
    [
        (DOMAIN.replace('upperbound="6"', 'upperbound="1"'), "line 11: .*: high 1 is below low 2"),
        (DOMAIN.replace('value="blue"', 'value="red"'), "line 8: .*: option name 'red' is used twice"),
        (DOMAIN.replace('value="green"', 'value=""'), "line 7: .*: an option needs a non-empty name"),
        (DOMAIN.replace('name="count"', 'name="colour"'), "line 11: .*: issue name 'colour' is used twice"),
        (DOMAIN.replace('type="real" vtype="real"', 'type="set" vtype="set"'), "issue type 'set'"),
        (DOMAIN.replace('lowerbound="2"', 'lowerbound="2.5"'), "integer bounds"),
    ],
)
def test_bad_domains_are_reported(tmp_path: Path, broken: str, reason: str) -> None:
    domain = write(tmp_path, "domain.xml", broken)
    with pytest.raises(ScenarioError, match=reason) as caught:
        import_genius(domain, [write(tmp_path, "buyer.xml", PROFILE)])
    assert str(caught.value).startswith(f"{domain}: line ")


def test_missing_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        import_genius(tmp_path / "absent.xml", [tmp_path / "b.xml"])
    with pytest.raises(ArgumentError, match="profiles: expected at least one profile"):
        import_genius(write(tmp_path, "domain.xml", DOMAIN), [])


# ---------------------------------------------------------------- shared Genius scenarios


def reference_entries() -> list[dict[str, object]]:
    reference = shared_path("domains", "genius", "reference.json")
    entries: list[dict[str, object]] = json.loads(reference.read_text())
    return [entry for entry in entries if "profiles" in entry]


def shared_scenario(entry: dict[str, object]):  # type: ignore[no-untyped-def]
    domain = next(GENIUS.rglob(str(entry["domain_file"])))
    return import_genius(domain, [domain.parent / str(name) for name in entry["profiles"]])  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def entries() -> list[dict[str, object]]:
    found = reference_entries()
    assert found, "reference.json lists no scenario with profiles"
    return found


def test_shared_scenarios_match_reference_counts(entries: list[dict[str, object]]) -> None:
    for entry in entries:
        scenario = shared_scenario(entry)
        utilities = scenario_utilities(scenario)
        assert scenario.agenda.size == entry["n_outcomes"], entry["scenario"]
        assert utilities.reservations.tolist() == entry["reservation"], entry["scenario"]
        rational = 0
        for choices in scenario.agenda.chunks(200_000):
            rational += int((utilities.evaluate(choices) >= utilities.reservations).all(axis=1).sum())
        assert rational == entry["n_rational_for_all"], entry["scenario"]


def test_uncertain_laptop_profile_reads_its_utility_space() -> None:
    folder = shared_path("domains", "genius", "Laptop")
    scenario = import_genius(folder / "laptop_domain.xml", [folder / "laptop_buyer_utility_u10.xml"])
    preferences = scenario.preferences_of("laptop_buyer_utility_u10")
    assert dict(preferences.option_values["Laptop"]) == {"Dell": 0.4, "Macintosh": 20 / 30, "HP": 1.0}
    assert preferences.discount == pytest.approx(0.42441038)


def test_nonlinear_s1nikfrt1_frontier_equals_genius_pareto_xml() -> None:
    folder = shared_path("domains", "genius", "S-1NIKFRT-1")
    scenario = import_genius(
        folder / "S-1NIKFRT-1-domain.xml", [folder / "profile-1.xml", folder / "profile-2.xml"]
    )
    assert scenario.agenda.size == 10**10
    assert scenario_utilities(scenario).reservations.tolist() == [0.6, 0.5]
    assert [party.preferences.discount for party in scenario.delegations] == [0.95, 0.95]  # type: ignore[union-attr]
    published = [
        tuple(float(value) for value in line.split(","))
        for line in (folder / "pareto.xml").read_text().splitlines()
        if line.strip()
    ]
    # 10^10 outcomes, every issue linked by interactions: analysed over classes of
    # interchangeable options, the group reduced to its Pareto set in blocks
    result = analyze(scenario)
    frontier = sorted({tuple(row) for row in np.round(result.frontier.utilities, 8).tolist()})
    assert len(frontier) == len(published)
    for ours, theirs in zip(frontier, sorted(published), strict=True):
        assert ours == pytest.approx(theirs, abs=1e-6)
    assert "interchangeable options merged" in result.frontier_method
    assert result.frontier_outcomes >= len(result.frontier)
    assert result.agreement_zone.exact and result.agreement_zone.count is not None
    # the zone count agrees with a seeded sample of the space (five standard errors)
    compiled = scenario_utilities(scenario)
    sample = np.random.default_rng(3).integers(0, 10, size=(200_000, 10))
    share = float((compiled.evaluate(sample) >= compiled.reservations - 1e-9).all(axis=1).mean())
    error = 5 * np.sqrt(share * (1 - share) / sample.shape[0])
    assert abs(result.agreement_zone.count / 10**10 - share) < error
    # a session on it knows whether its agreement is Pareto optimal, as the frontier says
    talks = run_session(scenario, "alternating-offers", {}, seed=1)
    assert talks.agreement is not None and talks.pareto_optimal is not None
    reached = compiled.utilities_of(talks.agreement)
    beaten = (result.frontier.utilities >= reached - 1e-12).all(axis=1) & (
        result.frontier.utilities > reached + 1e-12
    ).any(axis=1)
    assert talks.pareto_optimal == (not beaten.any())
    assert np.allclose(
        scenario_utilities(scenario).evaluate(result.frontier.choices), result.frontier.utilities
    )
