"""Importers never write a file the loader then rejects: they refuse with the reason, and write nothing."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from test_genius import DOMAIN as GENIUS_DOMAIN
from test_genius import PROFILE as GENIUS_PROFILE
from test_geniusweb import profile as geniusweb_profile

from accord.cli import main
from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
from accord.domain.invariants import MAX_NAME_LENGTH
from accord.errors import DomainError, ScenarioError
from accord.io import load_scenario, save_scenario

LONG = "x" * (MAX_NAME_LENGTH + 1)


def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> tuple[int, str]:
    output = tmp_path / "talks.yaml"
    code = main([*command, "--output", str(output)])
    err = capsys.readouterr().err
    if code == 0:
        load_scenario(output)  # whatever is written loads
    else:
        assert not output.exists() and err.count("\n") == 1
    return code, err


@pytest.mark.parametrize("where", ["option", "issue"])
def test_genius_names_over_the_limit_are_refused_at_their_element(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = 'value="green"' if where == "option" else 'name="colour"'
    new = f'value="{LONG}"' if where == "option" else f'name="{LONG}"'
    domain, profile = tmp_path / "domain.xml", tmp_path / "buyer.xml"
    domain.write_text(GENIUS_DOMAIN.replace(old, new))
    profile.write_text(GENIUS_PROFILE.replace(old, new))
    code, err = imported(tmp_path, capsys, ["import", "genius", str(domain), str(profile), str(profile)])
    assert code == 2 and f"name has {MAX_NAME_LENGTH + 1} characters, more than {MAX_NAME_LENGTH}" in err
    assert "domain.xml: line " in err and len(err) < 400


def test_geniusweb_names_over_the_limit_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data: dict[str, Any] = copy.deepcopy(geniusweb_profile())
    space = data["LinearAdditiveUtilitySpace"]
    space["domain"]["issuesValues"]["fee"]["values"][1] = LONG
    space["issueUtilities"]["fee"]["DiscreteValueSetUtilities"]["valueUtilities"] = {
        "low": 1.0,
        LONG: 0.4,
        "high": 0.0,
    }
    space["reservationBid"]["issuevalues"]["fee"] = "low"
    path = tmp_path / "buyer.json"
    path.write_text(json.dumps(data))
    code, err = imported(tmp_path, capsys, ["import", "geniusweb", str(path), str(path)])
    assert code == 2 and f"more than {MAX_NAME_LENGTH}" in err


def test_a_genius_profile_without_weights_or_with_zero_weights_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    domain = tmp_path / "domain.xml"
    domain.write_text(GENIUS_DOMAIN)
    for name, profile_text in [
        ("none", "\n".join(line for line in GENIUS_PROFILE.splitlines() if "<weight " not in line)),
        ("zero", GENIUS_PROFILE.replace('value="0.5"', 'value="0"').replace('value="0.3"', 'value="0"')),
    ]:
        profile = tmp_path / f"{name}.xml"
        profile.write_text(
            profile_text.replace('<weight index="3" value="0.2"/>', '<weight index="3" value="0"/>')
        )
        code, err = imported(tmp_path, capsys, ["import", "genius", str(domain), str(profile), str(profile)])
        assert code == 2 and "weights must sum to a positive number" in err


def test_a_name_over_the_limit_is_a_domain_error() -> None:
    with pytest.raises(DomainError, match="name has 201 characters"):
        Option(LONG)
    assert Option("x" * MAX_NAME_LENGTH).name


def test_save_refuses_a_scenario_its_loader_would_refuse_and_writes_nothing(tmp_path: Path) -> None:
    """31 issues of 10 options: 10^31 outcomes, which the domain holds but the file format refuses."""
    issues = tuple(
        DiscreteIssue(f"i{index}", tuple(Option(str(value)) for value in range(10))) for index in range(31)
    )
    preferences = Preferences(weights={issue.name: 1.0 for issue in issues}, option_values={})
    scenario = Scenario("huge", Agenda(issues), (Party("a", preferences=preferences),))
    path = tmp_path / "huge.yaml"
    with pytest.raises(ScenarioError, match=r"not written: it would not load again .*10\^30"):
        save_scenario(scenario, path)
    assert not path.exists()
