"""GeniusWeb JSON import and export: values as given, exact round trips, errors with JSON paths."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.cli.failures import error_line
from accord.domain import (
    Agenda,
    Condition,
    DiscreteIssue,
    IntegerIssue,
    Interaction,
    Option,
    Party,
    Preferences,
    RealIssue,
    RedLine,
    Scenario,
    ValueFunction,
)
from accord.errors import Remedy, ScenarioError
from accord.io import export_geniusweb, import_genius, import_geniusweb
from accord.preferences import scenario_utilities
from shared_data import SHARED, shared_path

GENIUS = SHARED / "domains" / "genius"
GENIUSWEB = SHARED / "domains" / "geniusweb"

DOMAIN: dict[str, Any] = {
    "name": "supply",
    "issuesValues": {
        "fee": {"values": ["low", "mid", "high"]},
        "days": {"range": {"low": 1, "high": 5, "step": 1}},
        "share": {"range": {"low": 0, "high": 1, "step": 0.25}},
    },
}


def profile(**changes: Any) -> dict[str, Any]:
    space: dict[str, Any] = {
        "name": "buyer",
        "domain": DOMAIN,
        "issueUtilities": {
            "fee": {"DiscreteValueSetUtilities": {"valueUtilities": {"low": 1.0, "mid": 0.4, "high": 0.0}}},
            "days": {
                "NumberValueSetUtilities": {
                    "lowValue": 1,
                    "lowUtility": 1.0,
                    "highValue": 5,
                    "highUtility": 0.2,
                }
            },
            "share": {"numberutils": {"lowValue": 0, "lowUtility": 0.0, "highValue": 1, "highUtility": 1.0}},
        },
        "issueWeights": {"fee": 0.5, "days": 0.3, "share": 0.2},
        "reservationBid": {"issuevalues": {"fee": "mid", "days": 3, "share": 0.5}},
    }
    space.update(changes)
    return {"LinearAdditiveUtilitySpace": space}


def write(folder: Path, name: str, data: Any) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_values_are_taken_as_given(tmp_path: Path) -> None:
    scenario = import_geniusweb([write(tmp_path, "buyer.json", profile())])
    fee, days, share = scenario.agenda.issues
    assert isinstance(fee, DiscreteIssue) and isinstance(days, IntegerIssue) and isinstance(share, RealIssue)
    assert scenario.name == "supply" and share.values == (0.0, 0.25, 0.5, 0.75, 1.0)
    utilities = scenario_utilities(scenario)
    assert utilities.utilities_of(("mid", 2, 0.75))[0] == pytest.approx(0.5 * 0.4 + 0.3 * 0.8 + 0.2 * 0.75)
    assert utilities.reservations[0] == pytest.approx(0.5 * 0.4 + 0.3 * 0.6 + 0.2 * 0.5)


def test_domain_file_and_party_names(tmp_path: Path) -> None:
    domain = write(tmp_path, "domain.json", DOMAIN)
    first = write(tmp_path, "seller.json", profile(domain=DOMAIN))
    second = write(
        tmp_path,
        "buyer.json",
        {
            "LinearAdditiveUtilitySpace": {
                key: value
                for key, value in profile()["LinearAdditiveUtilitySpace"].items()
                if key != "domain"
            }
        },
    )
    scenario = import_geniusweb([first, second], domain_path=domain)
    assert [party.name for party in scenario.parties] == ["seller", "buyer"]


@pytest.mark.parametrize(
    ("data", "where", "reason"),
    [
        ('{"LinearAdditiveUtilitySpace": ', "line 1, column 32", "not valid JSON"),
        ({"DefaultPartialOrdering": {}}, "$", "expected a LinearAdditiveUtilitySpace profile"),
        (
            profile(issueWeights={"fee": 0.5, "days": 1.5}),
            "$.LinearAdditiveUtilitySpace.issueWeights.days",
            "expected a number from 0 to 1",
        ),
        (
            profile(issueUtilities={"fee": {"DiscreteValueSetUtilities": {"valueUtilities": {"cheap": 1}}}}),
            "$.LinearAdditiveUtilitySpace.issueUtilities.fee.DiscreteValueSetUtilities.valueUtilities.cheap",
            "not a value of issue 'fee'",
        ),
        (
            profile(issueUtilities={"fee": {"DiscreteValueSetUtilities": {"valueUtilities": {"low": "x"}}}}),
            "valueUtilities.low",
            '"x": expected a number',
        ),
        (
            profile(
                issueUtilities={
                    "days": {
                        "NumberValueSetUtilities": {
                            "lowValue": 0,
                            "lowUtility": 1,
                            "highValue": 5,
                            "highUtility": 0,
                        }
                    }
                }
            ),
            "$.LinearAdditiveUtilitySpace.issueUtilities.days.NumberValueSetUtilities",
            "expected lowValue 1 and highValue 5",
        ),
        (
            profile(reservationBid={"issuevalues": {"fee": "free"}}),
            "$.LinearAdditiveUtilitySpace.reservationBid.issuevalues.fee",
            "'free' is not a value",
        ),
        (
            profile(domain={"name": "x", "issuesValues": {"fee": {"values": []}}}),
            "$.LinearAdditiveUtilitySpace.domain.issuesValues.fee.values",
            "a discrete issue needs at least one option",
        ),
        (
            profile(domain={"name": "x", "issuesValues": {"fee": {"values": ["low", "low"]}}}),
            "$.LinearAdditiveUtilitySpace.domain.issuesValues.fee.values[1]",
            "option name 'low' is used twice",
        ),
        (
            profile(domain={"name": "x", "issuesValues": {"fee": {"values": ["low", ""]}}}),
            "$.LinearAdditiveUtilitySpace.domain.issuesValues.fee.values[1]",
            "an option needs a non-empty name",
        ),
        (
            profile(
                domain={"name": "x", "issuesValues": {"days": {"range": {"low": 5, "high": 1, "step": 1}}}}
            ),
            "$.LinearAdditiveUtilitySpace.domain.issuesValues.days.range.high",
            "high 1 is below low 5",
        ),
        (
            profile(
                domain={"name": "x", "issuesValues": {"days": {"range": {"low": 0, "high": 1, "step": 0}}}}
            ),
            "$.LinearAdditiveUtilitySpace.domain.issuesValues.days.range.step",
            "must be positive, got 0",
        ),
        (
            profile(issueWeights={"fee": 0.0, "days": 0.0, "share": 0.0}),
            "$.LinearAdditiveUtilitySpace.issueWeights",
            "weights must sum to a positive number",
        ),
        (
            profile(issueUtilities={"fee": {"discreteutils": {"valueUtilities": {"low": 1.5}}}}),
            "$.LinearAdditiveUtilitySpace.issueUtilities.fee.discreteutils.valueUtilities.low",
            "must lie in [0, 1], got 1.5",
        ),
        (
            profile(domain=None),
            "$.LinearAdditiveUtilitySpace.domain",
            "expected a domain object",
        ),
    ],
)
def test_bad_profiles_name_file_path_and_reason(tmp_path: Path, data: Any, where: str, reason: str) -> None:
    path = write(tmp_path, "buyer.json", data)
    with pytest.raises(ScenarioError) as caught:
        import_geniusweb([path])
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and where in message and reason in message


def test_profile_domain_must_match_the_given_domain(tmp_path: Path) -> None:
    other = {"name": "supply", "issuesValues": {"fee": {"values": ["low", "high"]}}}
    domain = write(tmp_path, "domain.json", other)
    path = write(tmp_path, "buyer.json", profile())
    with pytest.raises(
        ScenarioError, match=r"\$\.LinearAdditiveUtilitySpace\.domain: differs from the domain"
    ):
        import_geniusweb([path], domain_path=domain)


def round_trip(scenario: Scenario, folder: Path, *, normalize: bool = False) -> Scenario:
    paths = export_geniusweb(scenario, folder, normalize=normalize)
    assert paths[0].name == "domain.json"
    return import_geniusweb(paths[1:], domain_path=paths[0])


def assert_same_utilities(first: Scenario, second: Scenario, *, tolerance: float = 1e-12) -> None:
    assert first.agenda.sizes == second.agenda.sizes
    for choices in first.agenda.chunks(200_000):
        np.testing.assert_allclose(
            scenario_utilities(second).evaluate(choices),
            scenario_utilities(first).evaluate(choices),
            atol=tolerance,
        )


def test_export_round_trip_is_exact_and_keeps_rational_outcomes(tmp_path: Path) -> None:
    agenda = Agenda(
        (
            DiscreteIssue("fee", (Option("low"), Option("high"))),
            IntegerIssue("days", 1, 4),
            RealIssue("share", 0.0, 1.0, 0.25),
        )
    )
    kinked = ValueFunction(((1, 0.0), (2, 1.0), (4, 0.5)))
    buyer = Preferences(
        {"fee": 0.3, "days": 0.2, "share": 0.1},
        {"fee": {"low": 1.0, "high": 0.5}},
        {"days": kinked, "share": ValueFunction(((0, 1.0), (1, 0.0)))},
        reservation=0.33,
    )
    seller = Preferences(
        {"fee": 0.6, "share": 0.4}, {"fee": {"high": 1.0}}, {"share": ValueFunction(((0, 0), (1, 1)))}
    )
    scenario = Scenario(
        "supply", agenda, (Party("buyer", preferences=buyer), Party("seller", preferences=seller))
    )
    again = round_trip(scenario, tmp_path)
    assert isinstance(again.agenda.issues[1], DiscreteIssue)  # the kinked value function is written per value
    assert isinstance(again.agenda.issues[2], RealIssue)
    assert_same_utilities(scenario, again)
    choices = agenda.all_choices()
    before, after = scenario_utilities(scenario), scenario_utilities(again)
    rational_before = before.evaluate(choices)[:, 0] >= before.reservations[0]
    rational_after = after.evaluate(choices)[:, 0] >= after.reservations[0]
    assert (rational_before == rational_after).all() and after.reservations[0] >= 0.33
    written = json.loads((tmp_path / "buyer.json").read_text())["LinearAdditiveUtilitySpace"]
    assert sum(written["issueWeights"].values()) == pytest.approx(1.0)


def test_red_lines_are_refused_with_the_remedy_as_data(tmp_path: Path) -> None:
    agenda = Agenda((IntegerIssue("x", 0, 3),))
    lined = Preferences({"x": 1.0}, red_lines=(RedLine((Condition("x", at_least=3),)),))
    with pytest.raises(ScenarioError) as raised:
        export_geniusweb(Scenario("s", agenda, (Party("p", preferences=lined),)), tmp_path)
    assert raised.value.reason == "red lines cannot be written to a GeniusWeb profile"
    [remedy] = raised.value.remedies
    assert (remedy.argument, remedy.value) == ("drop_red_lines", True)
    assert str(raised.value).endswith(
        "; drop_red_lines=True exports without them (the outcomes they rule out then count as acceptable)"
    )
    assert error_line(raised.value).endswith(
        "; --drop-red-lines exports without them (the outcomes they rule out then count as acceptable)"
    )


def test_export_refuses_what_geniusweb_cannot_express(tmp_path: Path) -> None:
    agenda = Agenda((IntegerIssue("x", 0, 3),))
    package = Interaction((Condition("x", at_least=1),), 0.5)
    nonlinear = Preferences({"x": 1.0}, interactions=(package,))
    with pytest.raises(
        ScenarioError, match=r"^scenario 's': party 'p': interactions \(non-additive utility\)"
    ):
        export_geniusweb(Scenario("s", agenda, (Party("p", preferences=nonlinear),)), tmp_path)
    capped = Preferences({"x": 1.5}, value_functions={"x": ValueFunction(((0, 0), (3, 1)))})
    scenario = Scenario("s", agenda, (Party("p", preferences=capped),))
    with pytest.raises(
        ScenarioError, match=r"caps the utility at 1.*; normalize=True writes utilities"
    ) as raised:
        export_geniusweb(scenario, tmp_path)
    # the remedy is data (the command line shows it as --normalize), not text to rewrite
    assert raised.value.remedies == (Remedy("normalize", True, "writes utilities divided by that sum"),)
    assert "normalize" not in raised.value.reason
    again = round_trip(scenario, tmp_path, normalize=True)
    utilities = scenario_utilities(again).evaluate(agenda.all_choices())[:, 0]
    np.testing.assert_allclose(utilities, [0, 1 / 3, 2 / 3, 1.0])


def test_anl_and_party_profiles_import() -> None:
    party = shared_path("domains", "geniusweb", "party")
    scenario = import_geniusweb(
        [party / "party1.json", party / "party2.json"], domain_path=party / "party.json"
    )
    assert scenario.agenda.size == 3072 and [p.name for p in scenario.parties] == ["party1", "party2"]
    assert scenario_utilities(scenario).reservations.tolist() == pytest.approx([0.50636, 0.36638])
    folders = sorted(GENIUSWEB.glob("anl2023-*"))
    assert folders, f"no anl2023-* folder under {GENIUSWEB}"
    for folder in folders:
        specials = json.loads((folder / "specials.json").read_text())
        scenario = import_geniusweb([folder / "profileA.json", folder / "profileB.json"])
        utilities = scenario_utilities(scenario)
        assert scenario.agenda.size == specials["size"]
        for point in specials["pareto_front"]:
            outcome = tuple(point["bid"][name] for name in scenario.agenda.names)
            np.testing.assert_allclose(utilities.utilities_of(outcome), point["utility"], atol=1e-9)


def genius_scenarios() -> list[tuple[str, Path, list[Path]]]:
    reference = GENIUS / "reference.json"
    if not reference.exists():
        return []
    found = []
    for entry in json.loads(reference.read_text()):
        if "profiles" in entry:
            domain = next(GENIUS.rglob(entry["domain_file"]))
            found.append((entry["scenario"], domain, [domain.parent / name for name in entry["profiles"]]))
    return found


def test_genius_scenarios_round_trip_through_geniusweb(tmp_path: Path) -> None:
    shared_path("domains", "genius", "reference.json")
    scenarios = genius_scenarios()
    assert scenarios, "reference.json lists no scenario with profiles"
    for index, (name, domain, profiles) in enumerate(scenarios):
        scenario = import_genius(domain, profiles)
        capped = any(not member.additive for member in scenario_utilities(scenario).members)
        if capped:  # Laptop and party5 weigh slightly more than 1: Genius caps the best outcomes
            with pytest.raises(ScenarioError, match="caps the utility"):
                export_geniusweb(scenario, tmp_path / f"refused{index}")
            again = round_trip(scenario, tmp_path / str(index), normalize=True)
            assert_same_utilities(scenario, again, tolerance=2e-4)
        else:
            assert_same_utilities(scenario, round_trip(scenario, tmp_path / str(index)))
        assert name
