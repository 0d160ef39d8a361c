"""A whole Geneva one-text session in the browser: the envoy and one delegation, agents elsewhere.

The envoy drafts in the package builder, the Government criticises the draft and writes
to the envoy twice (``mediator-only``, then ``unattributed``); the envoy passes the
second on verbatim to the High Negotiations Committee, calls the final vote, and the
talks end in agreement, which the debrief shows. Every step goes through the pages
and their live updates (no reload); screenshots of each page go to the test's folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from accord.domain import Role
from accord.room import SeatAccess
from browser.conftest import EXAMPLES, Served

ENVOY, GOVERNMENT, COMMITTEE = "UN Special Envoy", "Government", "High Negotiations Committee"
AGENTS = {COMMITTEE: "boulware", "Moscow platform": "boulware", "Cairo platform": "boulware"}
PRIVATE = "For the envoy alone: we could live with a later election date."
SHAREABLE = "A delegation is ready to discuss a security-governance basket."


@pytest.mark.slow
def test_geneva_one_text_in_the_browser(browser: Any, served: Served, screenshots: Path) -> None:
    service = served.service
    created = service.create_room(
        EXAMPLES / "geneva-2017.yaml", "one-text", agents=AGENTS, observers=1, rounds=2
    )
    envoy_access = service.authenticate(created.seats[ENVOY].token or "")
    assert envoy_access is not None
    view = service.view(envoy_access)
    issues = [issue["name"] for issue in view["agenda"]["issues"]]
    nash = view["preferences"]["analysis"]["nash"]["outcome"]

    envoy = served.join(browser, created.seats[ENVOY].token)
    government = served.join(browser, created.seats[GOVERNMENT].token)
    # The token left the address bar; the cookie is HttpOnly.
    assert "/join/" not in envoy.url and envoy.url.endswith(f"/rooms/{created.room}")
    cookies = envoy.context.cookies()
    assert cookies and all(cookie["httpOnly"] and cookie["sameSite"] == "Strict" for cookie in cookies)
    assert "mediator's console" in envoy.inner_text("h1")
    assert "delegation desk" in government.inner_text("h1")

    # The envoy builds the first draft (the Nash package) issue by issue, and sees its worth to each.
    for index, issue in enumerate(issues):
        envoy.select_option(f"#form-propose-issue-{index}", nash[issue])
    envoy.wait_for_selector("#built table")
    assert GOVERNMENT in envoy.inner_text("#built")
    envoy.screenshot(path=screenshots / "envoy-console.png")
    envoy.click("#form-propose button[type=submit]:not([formmethod])")

    # The Government's desk shows the draft live, clause by clause, with its worth to the Government.
    government.wait_for_selector("#form-critique")
    table = government.inner_text("#table")
    assert nash["governance"] in table and "Worth to us" in table
    government.select_option("#form-critique-issue-0", "national-unity-government")
    government.fill("#form-critique-intensity-0", "0.4")
    government.screenshot(path=screenshots / "delegation-desk.png")
    government.click("#form-critique button[type=submit]:not([formmethod])")
    government.wait_for_selector("text=wants national-unity-government (intensity 0.40)")

    # Two messages, each with its mark chosen before sending and shown afterwards.
    for text, mark in ((PRIVATE, "mediator-only"), (SHAREABLE, "unattributed")):
        government.fill("#message-text", text)
        government.check(f"#mark-{mark}")
        government.click("#message-form button[type=submit]")
        government.wait_for_selector(f"#messages .message:has-text('{text[:30]}')")
    messages = government.inner_text("#messages")
    assert "Mediator only" in messages and "May be passed on without our name" in messages

    # The envoy passes the unattributed one on, verbatim, to the High Negotiations Committee.
    envoy.wait_for_selector(f"#messages li.message:has-text('{SHAREABLE[:30]}')")
    forms = envoy.locator("#messages li.forward form")
    assert forms.count() == 2
    assert forms.nth(0).locator("input[value=verbatim]").count() == 0  # mediator-only: no verbatim
    second = forms.nth(1)
    second.locator(f"input[name=to][value='{COMMITTEE}']").check()
    second.locator("input[value=verbatim]").check()
    second.locator("button[type=submit]").click()
    envoy.wait_for_selector("text=What you passed on")
    # The console shows who has the room open: the Government's one page.
    government_row = envoy.locator("#seats tr", has_text=GOVERNMENT)
    assert government_row.locator("td").nth(2).inner_text() == "1"
    committee = service.view(SeatAccess(room=created.room, seat=COMMITTEE, member="", role=Role.DELEGATION))
    received = [message for message in committee["messages"] if message["text"] == SHAREABLE]
    assert len(received) == 1 and received[0]["author"] is None and received[0]["from"] == ENVOY
    assert GOVERNMENT not in str(received[0])

    # The agents criticised too: the envoy calls the final vote, the Government votes yes.
    envoy.wait_for_selector("#form-call-vote", timeout=60_000)
    envoy.click("#form-call-vote button[type=submit]")
    government.wait_for_selector("#form-vote", timeout=60_000)
    government.click("#form-vote button[value=yes]")
    for page in (government, envoy):
        page.wait_for_selector(".result-agreement", timeout=60_000)
    assert service.view(envoy_access)["result"]["reason"] == "agreement"
    government.screenshot(path=screenshots / "delegation-desk-agreement.png", full_page=True)

    # The debrief shows the agreement, its worth and the distance to the Nash point.
    envoy.click("text=The debrief of these talks")
    envoy.wait_for_selector("#outcome")
    outcome = envoy.inner_text("#outcome")
    assert "Agreement" in outcome and "Distance of the agreement to the Nash point" in outcome
    envoy.wait_for_function("() => document.querySelector('#space img').naturalWidth > 0")
    envoy.screenshot(path=screenshots / "debrief.png", full_page=True)
