"""Geneva under alternating offers in the browser: a person at the Government's desk builds an offer
in the package builder (seeing its worth before sending), then accepts at its turns; agents hold the
other delegations; an observer's page follows the public offers live; the talks end in agreement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.analysis import analyze
from accord.io import load_scenario
from browser.conftest import EXAMPLES, Served

GOVERNMENT = "Government"
AGENTS = {name: "boulware" for name in ("High Negotiations Committee", "Moscow platform", "Cairo platform")}


@pytest.mark.slow
def test_an_offer_built_in_the_package_builder(browser: Any, served: Served, screenshots: Path) -> None:
    scenario = load_scenario(EXAMPLES / "geneva-2017.yaml")
    nash = analyze(scenario).to_dict()["nash"]
    created = served.service.create_room(
        EXAMPLES / "geneva-2017.yaml", "alternating-offers", agents=AGENTS, observers=1, rounds=4
    )
    government = served.join(browser, created.seats[GOVERNMENT].token)
    observer = served.join(browser, created.observers[0])
    assert "Observer" in observer.inner_text("h1")

    # The first move is the Government's: it builds the Nash package issue by issue and sees its worth.
    government.wait_for_selector("#form-offer")
    assert government.locator("#messages").count() == 0  # no mediator in this procedure
    for index, issue in enumerate(scenario.agenda.names):
        government.select_option(f"#form-offer-issue-{index}", nash["outcome"][issue])
    government.wait_for_selector(f"#built .utility:text-is('{nash['utilities'][GOVERNMENT]:.3f}')")
    government.screenshot(path=screenshots / "alternating-offers-builder.png", full_page=True)
    government.click("#form-offer button[type=submit]:not([formmethod])")

    # The offer is public: the observer's page shows it live, with its clauses.
    observer.wait_for_selector("#history li:has-text('Offer by Government')")
    offered = observer.locator("#history li", has_text="Offer by Government").first.text_content() or ""
    assert all(value in offered for value in nash["outcome"].values())

    # Then the Government accepts each standing offer put to it, until the talks end.
    for _ in range(12):
        government.wait_for_selector("#form-accept, .result", timeout=60_000)
        if government.locator(".result").count():
            break
        with government.expect_navigation():
            government.click("#form-accept button[type=submit]")
    government.wait_for_selector(".result-agreement", timeout=60_000)
    observer.wait_for_selector(".result-agreement", timeout=60_000)
    history = government.inner_text("#history")
    assert "Offer by Government" in history and "Acceptance by Government" in history
    government.screenshot(path=screenshots / "alternating-offers-agreement.png", full_page=True)
    observer.screenshot(path=screenshots / "observer.png", full_page=True)
