"""The session report: self-contained HTML with embedded plots, and the distance to the Nash point."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from accord.reports.session_report import bargaining, nash_distance, session_report_html, write_session_report
from accord.session import run_session

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scenarios import three_party, two_party


def test_the_report_is_self_contained(tmp_path: Path) -> None:
    scenario = two_party()
    result = run_session(
        scenario, "alternating-offers", {"Port": "linear", "Fleet": "boulware"}, seed=0, rounds=20
    )
    path = write_session_report(result, scenario, tmp_path / "report.html")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert text.count("data:image/png;base64,") == 2
    assert "http://" not in text and "https://" not in text
    assert "Distance to the Nash point" in text and scenario.name in text


def test_the_nash_point_lies_on_the_frontier_and_maximises_the_product_of_gains() -> None:
    scenario = three_party()
    analysis = bargaining(scenario)
    nash = analysis.points["nash"]
    assert nash is not None
    assert any(np.allclose(nash, point) for point in analysis.frontier)
    reservations = np.array([0.2, 0.3, 0.2])
    rational = analysis.frontier[(analysis.frontier >= reservations).all(axis=1)]
    assert np.prod(nash - reservations) >= np.prod(rational - reservations, axis=1).max() - 1e-12


def test_an_agreement_at_the_nash_point_is_at_distance_zero() -> None:
    scenario = two_party()
    result = run_session(scenario, "one-text", {"Envoy": "nash-mediator"}, seed=0, rounds=10)
    analysis = bargaining(scenario)
    assert result.agreement is not None
    distance = nash_distance(result, analysis)
    assert distance is not None and distance < 1e-9


def test_a_report_without_agreement_says_so() -> None:
    scenario = two_party()
    result = run_session(
        scenario, "alternating-offers", {"Port": "boulware", "Fleet": "boulware"}, seed=0, rounds=1
    )
    html = session_report_html(result, scenario)
    if result.agreement is None:
        assert "no agreement" in html
