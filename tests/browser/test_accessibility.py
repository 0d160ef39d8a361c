"""Accessibility: axe-core finds no serious or critical violation on any page, and a delegation's whole
flow is done with the keyboard alone.

axe-core comes from its PyPI package (``axe-playwright-python`` ships ``axe.min.js`` with its
licence header); it is evaluated in the page through Playwright, not served by Accord.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from browser.conftest import EXAMPLES, Served

GOVERNMENT, ENVOY = "Government", "UN Special Envoy"
AGENTS = {
    "High Negotiations Committee": "boulware",
    "Moscow platform": "boulware",
    "Cairo platform": "boulware",
}


def _axe_source() -> str:
    return resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    page.evaluate(_axe_source())
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] if node["target"] else "" for node in violation["nodes"][:3])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@pytest.mark.slow
def test_no_page_has_a_serious_accessibility_violation(
    browser: Any, served: Served, screenshots: Path
) -> None:
    service = served.service
    one_text = service.create_room(
        EXAMPLES / "geneva-2017.yaml", "one-text", agents=AGENTS, observers=1, rounds=2
    )
    offers = service.create_room(
        EXAMPLES / "geneva-2017.yaml", "alternating-offers", agents={"Moscow platform": "boulware"}, rounds=3
    )
    envoy = served.join(browser, one_text.seats[ENVOY].token)
    pages = {
        "console": envoy,
        "desk": served.join(browser, one_text.seats[GOVERNMENT].token),
        "observer": served.join(browser, one_text.observers[0]),
        "desk-offers": served.join(browser, offers.seats[GOVERNMENT].token),
    }
    refused = envoy.context.new_page()
    refused.goto(f"{served.base}/join/not-a-link")
    pages["refused-link"] = refused
    # The envoy drafts, so that the table, the builder and the plot are on the pages too.
    envoy.click("#form-propose button[type=submit]:not([formmethod])")
    pages["desk"].wait_for_selector("#form-critique")
    envoy.wait_for_selector("#analysis img")
    found = {name: serious_violations(page) for name, page in pages.items()}
    # The talks end (the Government walks out) for the debrief.
    pages["desk"].click("#form-walk-away button[type=submit]")
    envoy.wait_for_selector(".result")
    envoy.click("text=The debrief of these talks")
    envoy.wait_for_selector("#replay")
    found["debrief"] = serious_violations(envoy)
    assert not any(found.values()), found


def tab_to(page: Any, selector: str, *, limit: int = 400) -> None:
    """Press Tab until the focus is on ``selector`` (it must be reachable by the keyboard)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(chosen) => !!document.activeElement && document.activeElement.matches(chosen)", selector
        ):
            return
    raise AssertionError(f"the keyboard never reaches {selector}")


@pytest.mark.slow
def test_a_delegation_works_with_the_keyboard_alone(browser: Any, served: Served, screenshots: Path) -> None:
    agents = {ENVOY: "drafter", **AGENTS}
    created = served.service.create_room(
        EXAMPLES / "geneva-2017.yaml", "one-text", agents=agents, rounds=2, edit_preferences="during"
    )
    page = served.join(browser, created.seats[GOVERNMENT].token)

    # Its own preferences: the reservation value typed, a new red line chosen with the arrow keys, saved.
    page.wait_for_selector("#form-critique")
    tab_to(page, "#reservation")
    page.keyboard.press("Control+A")
    page.keyboard.type("0.41")
    tab_to(page, "#red-line-a")
    page.keyboard.press("ArrowDown")
    tab_to(page, "#red-line-reason")
    page.keyboard.type("Typed without a mouse")
    tab_to(page, "#preferences-form button[type=submit]:not([formmethod])")
    page.keyboard.press("Enter")
    page.wait_for_selector("#preferences label:has-text('Typed without a mouse')")
    assert page.input_value("#reservation") == "0.41"

    # A criticism: the option wanted on the first issue, chosen with the arrow keys, and its intensity.
    page.wait_for_selector("#form-critique")
    tab_to(page, "#form-critique-issue-0")
    before = page.input_value("#form-critique-issue-0")
    page.keyboard.press("Home")
    chosen = page.input_value("#form-critique-issue-0")
    tab_to(page, "#form-critique-intensity-0")
    page.keyboard.press("Control+A")
    page.keyboard.type("0.5")
    tab_to(page, "#form-critique button[type=submit]:not([formmethod])")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#history li:has-text('wants {chosen} (intensity 0.50)')")
    assert chosen == "national-unity-government" and before != chosen

    # A message to the envoy, its mark chosen with the arrow keys.
    tab_to(page, "#message-text")
    page.keyboard.type("Written without a mouse.")
    tab_to(page, "#message-form input[name=disclosure]")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.is_checked("#mark-unattributed")
    tab_to(page, "#message-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#messages .message:has-text('Written without a mouse.')")
    assert "May be passed on without our name" in page.inner_text("#messages")

    # The second draft draws no criticism; then the final vote.
    page.wait_for_selector("#form-critique", timeout=60_000)
    tab_to(page, "#form-critique button[type=submit]:not([formmethod])")
    page.keyboard.press("Enter")
    page.wait_for_selector("#form-vote", timeout=60_000)
    tab_to(page, "#form-vote button[value=yes]")
    page.keyboard.press("Enter")
    page.wait_for_selector(".result", timeout=60_000)
    assert "Vote by Government (not public): yes" in page.inner_text("#history")
    page.screenshot(path=screenshots / "keyboard-only.png", full_page=True)
