"""The negotiating text in the browser, as issue 12 tells it: the envoy brackets a paragraph with two
alternatives, a delegation proposes wording, the envoy accepts it as an alternative, marks the paragraph
agreed ad referendum, another paragraph is reopened and the linked one reverts; the delegation's page
shows each alternative's worth to it. Every step through the pages; the delegation's desk follows live
(no reload). axe-core checks the pages with the text on them; screenshots go to the test's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.room.testing import ROOM_SCENARIO
from browser.conftest import Served
from browser.test_accessibility import serious_violations

BRIDGE = "The talks last two days, in Geneva and Oslo in turn."
ARABIC = "تستمر المحادثات يومين."
PROPOSED = "The talks last two days, the second in Oslo."
#: North's worth of each option (weight × value in ROOM_SCENARIO: venue 0.6, days 0.4).
NORTH_WORTH = {"The talks are held in Geneva.": "0.120", "The talks are held in Oslo.": "0.600"}


def _row(page: Any, paragraph: int, wording: str) -> Any:
    return page.locator(f"#text-p{paragraph} tr", has_text=wording)


@pytest.mark.slow
def test_the_envoy_drafts_the_text_and_the_delegation_sees_its_worth(
    browser: Any, served: Served, screenshots: Path
) -> None:
    created = served.service.create_room(ROOM_SCENARIO, "one-text")
    envoy = served.join(browser, created.seats["envoy"].token)
    north = served.join(browser, created.seats["north"].token)
    south = served.join(browser, created.seats["south"].token)

    # The envoy brackets paragraph 2 (days) with two alternatives of its own, one in Arabic.
    for key, language, wording in (("bridge", "en", BRIDGE), ("bridge-ar", "ar", ARABIC)):
        envoy.fill("#text-p2-bracket-key", key)
        envoy.fill("#text-p2-bracket-language", language)
        envoy.fill("#text-p2-bracket-wording", wording)
        envoy.click("#text-p2-bracket button[type=submit]")
        envoy.wait_for_selector(f"#text-p2 td:has-text('{wording}')")
    arabic = envoy.locator(f"#text-p2 span[lang=ar]:has-text('{ARABIC}')")
    assert arabic.get_attribute("dir") == "auto"
    # North's desk shows them live, in brackets, unscored for it.
    north.wait_for_selector(f"#text-p2 td:has-text('{BRIDGE}')")
    assert "unscored" in _row(north, 2, BRIDGE).inner_text()

    # North proposes wording; only the envoy hears of it.
    north.fill("#text-p2-propose-wording", PROPOSED)
    north.click("#text-p2-propose button[type=submit]")
    north.wait_for_selector("#text-p2 li:has-text('Our proposal 1 (pending)')")
    envoy.wait_for_selector(f"#text-p2 .proposals li:has-text('{PROPOSED}')")
    assert PROPOSED not in south.content()

    # The envoy enters it as an alternative and agrees paragraph 2 ad referendum on it.
    envoy.fill("#text-p2-proposal-1-key", "north-days")
    envoy.click("#text-p2-proposal-1-enter button[type=submit]")
    envoy.wait_for_selector(f"#text-p2 tr:has-text('{PROPOSED}') button:has-text('Agree ad referendum')")
    south.wait_for_selector(f"#text-p2 td:has-text('{PROPOSED}')")  # now public, attributed to north
    assert "north" in _row(south, 2, PROPOSED).inner_text()
    _row(envoy, 2, PROPOSED).locator("button:has-text('Agree ad referendum')").click()
    envoy.wait_for_selector("#text-p2 h3:has-text('agreed ad referendum')")
    north.wait_for_selector("#text-p2 h3:has-text('agreed ad referendum')")
    envoy.screenshot(path=screenshots / "text-console.png", full_page=True)

    # Paragraphs 1 and 2 are linked; 2 is confirmed, 1 agreed ad referendum; reopening 1 reverts 2.
    envoy.select_option("#text-link-first", index=0)
    envoy.select_option("#text-link-second", index=1)
    envoy.click("#text-link-form button[type=submit]")
    envoy.wait_for_selector("#text-p1 p:has-text('Linked to paragraph 2')")
    envoy.click("#text-p2 button:has-text('Capitals agreed: confirm')")
    envoy.wait_for_selector("#text-p2 h3 .status:text-is('agreed')")
    _row(envoy, 1, "The talks are held in Oslo.").locator("button:has-text('Agree ad referendum')").click()
    envoy.wait_for_selector("#text-p1 h3:has-text('agreed ad referendum')")
    north.wait_for_selector("#text-p2 h3 .status:text-is('agreed')")
    envoy.click("#text-p1 button:has-text('Reopen')")
    envoy.wait_for_selector("#text-p1 h3 .status:text-is('bracketed')")
    envoy.wait_for_selector("#text-p2 h3 .status:text-is('agreed ad referendum')")
    north.wait_for_selector("#text-p1 h3 .status:text-is('bracketed')")
    north.wait_for_selector("#text-p2 h3 .status:text-is('agreed ad referendum')")

    # The delegation's desk: each alternative's worth to north, from its own preferences.
    for wording, worth in NORTH_WORTH.items():
        assert _row(north, 1, wording).locator(".worth-cell").inner_text().startswith(worth)
    days = north.locator("#text-p2 tbody tr")
    worth = {
        days.nth(index).locator("td").first.inner_text(): days.nth(index).locator(".worth-cell").inner_text()
        for index in range(days.count())
    }
    assert worth == {
        "one": "0.400",
        "two": "0.200",
        "three": "0.000",
        BRIDGE: "unscored",
        ARABIC: "unscored",
        PROPOSED + " (agreed language)": "unscored",
    }
    assert "Worth to south" not in north.inner_text("#text")
    # The envoy's console: who stands where and the worth to both delegations it holds.
    assert "Worth to north" in envoy.inner_text("#text") and "Worth to south" in envoy.inner_text("#text")
    assert "north" in _row(envoy, 2, PROPOSED).inner_text()
    north.screenshot(path=screenshots / "text-desk.png", full_page=True)
    assert "Rev.8" in north.inner_text(
        "#text"
    )  # two brackets, entry, two agreements, link, confirmation, reopening
    found = {"console": serious_violations(envoy), "desk": serious_violations(north)}
    assert not any(found.values()), found


@pytest.mark.slow
def test_a_live_update_keeps_what_a_delegation_was_typing(browser: Any, served: Served) -> None:
    """North is writing a proposal and a comment when the envoy changes the text: the desk's text is
    replaced live, and what North had typed (not sent) is still there."""
    created = served.service.create_room(ROOM_SCENARIO, "one-text")
    envoy = served.join(browser, created.seats["envoy"].token)
    north = served.join(browser, created.seats["north"].token)
    north.fill("#text-p2-propose-wording", PROPOSED)
    north.fill("#text-p1-comment-text", "Half a comment")
    north.focus("#text-p2-propose-wording")
    envoy.fill("#text-p2-bracket-key", "bridge")
    envoy.fill("#text-p2-bracket-wording", BRIDGE)
    envoy.click("#text-p2-bracket button[type=submit]")
    north.wait_for_selector(f"#text-p2 td:has-text('{BRIDGE}')")  # the region was replaced
    assert north.input_value("#text-p2-propose-wording") == PROPOSED
    assert north.input_value("#text-p1-comment-text") == "Half a comment"
    assert north.evaluate("document.activeElement.id") == "text-p2-propose-wording"
    # Sent, the proposal is North's, as typed.
    north.click("#text-p2-propose button[type=submit]")
    north.wait_for_selector("#text-p2 li:has-text('Our proposal 1 (pending)')")
    envoy.wait_for_selector(f"#text-p2 .proposals li:has-text('{PROPOSED}')")
