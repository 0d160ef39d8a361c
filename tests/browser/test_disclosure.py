"""A ``disclosed`` room in the browser: the mediator holds no delegation's preferences until the
delegation flips the switch on its desk; then the console counts it among those it holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser.conftest import EXAMPLES, Served

ENVOY, GOVERNMENT = "UN Special Envoy", "Government"
AGENTS = {
    "High Negotiations Committee": "boulware",
    "Moscow platform": "boulware",
    "Cairo platform": "boulware",
}


@pytest.mark.slow
def test_the_disclosure_switch(browser: Any, served: Served, screenshots: Path) -> None:
    created = served.service.create_room(
        EXAMPLES / "geneva-2017.yaml", "one-text", agents=AGENTS, preferences="disclosed"
    )
    envoy = served.join(browser, created.seats[ENVOY].token)
    government = served.join(browser, created.seats[GOVERNMENT].token)
    row = envoy.locator("#seats tr", has_text=GOVERNMENT)
    assert row.locator("td").nth(3).inner_text() == "not disclosed"
    assert "fewer than two delegations" in envoy.inner_text("#analysis")

    assert "The mediator may not see these preferences now." in government.inner_text("#preferences")
    government.click("#disclosure-form button")
    government.wait_for_selector("text=The mediator may see these preferences now.")
    # The console learns it live, from its event stream.
    envoy.wait_for_function(
        "(seat) => [...document.querySelectorAll('#seats tr')]"
        ".some((row) => row.textContent.includes(seat) && row.textContent.includes('held'))",
        arg=GOVERNMENT,
    )
    assert envoy.locator("#seats tr", has_text=GOVERNMENT).locator("td").nth(3).inner_text() == "held"
    # Only the Government disclosed: still no analysis, and the console names who is missing.
    assert "missing: High Negotiations Committee, Moscow platform, Cairo platform" in envoy.inner_text(
        "#analysis"
    )
    government.click("#disclosure-form button")
    government.wait_for_selector("text=The mediator may not see these preferences now.")
    envoy.reload()
    assert (
        envoy.locator("#seats tr", has_text=GOVERNMENT).locator("td").nth(3).inner_text() == "not disclosed"
    )
