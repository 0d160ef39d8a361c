"""Imported shared scenarios give the published reference values through ``accord.analyze``.

Genius: ``reference.json`` (outcome counts, Pareto sizes with a 1e-9 tolerance, Nash
point over reservation values to 6 decimals). Its ``kalai_genius`` is Genius's own
definition, not Kalai–Smorodinsky, and is not compared. ANL 2023 (GeniusWeb):
``specials.json`` (size, Pareto front, Nash, Kalai, social welfare, opposition).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord import analyze
from accord.io import import_genius, import_geniusweb
from shared_data import SHARED, shared_cases

GENIUS = SHARED / "domains" / "genius"
GENIUSWEB = SHARED / "domains" / "geniusweb"


def genius_entries() -> list[dict[str, Any]]:
    reference = GENIUS / "reference.json"
    if not reference.exists():
        return []
    return [entry for entry in json.loads(reference.read_text()) if "profiles" in entry]


def anl_folders() -> list[Path]:
    return sorted(GENIUSWEB.glob("anl2023-*")) if GENIUSWEB.exists() else []


@pytest.mark.parametrize(
    "entry",
    shared_cases(genius_entries(), "domains", "genius", "reference.json"),
    ids=lambda entry: entry["scenario"],
)
def test_genius_reference_values(entry: dict[str, Any]) -> None:
    domain = next(GENIUS.rglob(entry["domain_file"]))
    scenario = import_genius(domain, [domain.parent / name for name in entry["profiles"]])
    result = analyze(scenario).to_dict()
    assert result["n_outcomes"] == entry["n_outcomes"]
    assert list(result["reservations"].values()) == entry["reservation"]
    assert result["pareto_size"] == entry["pareto_bids_rounded9"]
    nash = result["nash"]
    assert [round(nash["utilities"][party], 6) for party in result["parties"]] == entry["nash_rv"]["utils"]
    assert list(nash["outcome"].values()) == entry["nash_rv"]["bid"]
    welfare = result["max_welfare"]
    assert sum(welfare["utilities"].values()) == pytest.approx(entry["max_welfare"]["sum"], abs=2e-6)


def utilities_of(point: dict[str, Any], parties: list[str]) -> list[float]:
    return [point["utilities"][party] for party in parties]


@pytest.mark.parametrize(
    "folder",
    shared_cases(anl_folders(), "domains", "geniusweb", "anl2023-*"),
    ids=lambda folder: folder.name,
)
def test_anl_specials(folder: Path) -> None:
    specials = json.loads((folder / "specials.json").read_text())
    domain = next(folder.glob("domain*.json"))
    scenario = import_geniusweb([folder / "profileA.json", folder / "profileB.json"], domain_path=domain)
    result = analyze(scenario).to_dict()
    parties = result["parties"]
    assert result["n_outcomes"] == specials["size"]
    assert result["pareto_size"] == len(specials["pareto_front"])
    ours = sorted(
        tuple(round(value, 9) for value in utilities_of(point, parties)) for point in result["pareto"]
    )
    theirs = sorted(
        tuple(round(value, 9) for value in point["utility"]) for point in specials["pareto_front"]
    )
    assert ours == theirs
    for ours_name, theirs_name in (
        ("nash", "nash"),
        ("kalai_smorodinsky", "kalai"),
        ("max_welfare", "social_welfare"),
    ):
        point = result[ours_name]
        assert utilities_of(point, parties) == pytest.approx(specials[theirs_name]["utility"], abs=1e-9)
        assert point["outcome"] == specials[theirs_name]["bid"]
    assert result["opposition"] == pytest.approx(specials["opposition"], abs=1e-12)
