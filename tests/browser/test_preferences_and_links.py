"""In the browser: a delegation edits its preferences at its desk, and the envoy reissues a seat's link.

Geneva under one-text in a ``disclosed`` room that lets preferences change during the talks;
agents hold three delegation seats. The envoy puts a draft on the table; the Government types
new preferences and sees, before saving, the draft's worth under them, which its desk then
shows as the table's worth once they are saved; the envoy's console never shows them until
the Government lets it. Then the envoy reissues the Government's link (a lost laptop): the
Government's open page loses its seat at once, the console says where the new link is
collected, the organiser issues it from its page, and the envoy's browser never holds it.
axe-core checks the desk with its form and preview, the console and the organiser's page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser.conftest import EXAMPLES, ORGANISER, Served
from browser.test_accessibility import serious_violations

ENVOY, GOVERNMENT = "UN Special Envoy", "Government"
AGENTS = {
    "High Negotiations Committee": "boulware",
    "Moscow platform": "boulware",
    "Cairo platform": "boulware",
}
#: The Government's new reservation value: a marker no page shows before it is typed.
RESERVATION = "0.3719"


@pytest.mark.slow
def test_preferences_edited_at_the_desk_and_a_link_reissued(
    browser: Any, served: Served, screenshots: Path
) -> None:
    created = served.service.create_room(
        EXAMPLES / "geneva-2017.yaml",
        "one-text",
        agents=AGENTS,
        preferences="disclosed",
        edit_preferences="during",
    )
    envoy = served.join(browser, created.seats[ENVOY].token)
    government = served.join(browser, created.seats[GOVERNMENT].token)
    envoy.click("#form-propose button[type=submit]:not([formmethod])")
    government.wait_for_selector("#form-critique")
    saved_worth = government.inner_text("#table .utility")

    # A draft of new preferences: the worth of the table under it appears as it is typed.
    government.fill("#reservation", RESERVATION)
    government.fill("#value-0-0", "0")
    government.fill("#value-0-1", "0")
    government.fill("#value-0-2", "0")
    government.locator("#value-0-2").press("Tab")  # the change event: the preview follows it
    # The preview of the reservation value alone (typed first) shows the saved worth: wait until it
    # follows the values (a preview that never does times out and fails).
    government.wait_for_function(
        "(saved) => { const shown = document.querySelector('#preferences-preview .draft-utility');"
        " return shown !== null && shown.textContent !== saved; }",
        arg=saved_worth,
    )
    draft_worth = government.inner_text("#preferences-preview .draft-utility")
    preview = government.inner_text("#preferences-preview")
    assert f"against a reservation value of {float(RESERVATION):.3f}" in preview
    assert f"with those saved it is worth {saved_worth}" in preview
    assert draft_worth != saved_worth
    assert not serious_violations(government)
    government.screenshot(path=screenshots / "desk-preferences.png", full_page=True)

    # Saved: the desk's worth of the table is the one the preview gave.
    government.click("#preferences-form button[type=submit]:not([formmethod])")
    government.wait_for_function(
        "(worth) => document.querySelector('#table .utility').textContent === worth", arg=draft_worth
    )
    assert government.input_value("#reservation") == RESERVATION
    # Not disclosed: the envoy's console knows nothing of them.
    assert RESERVATION not in envoy.content()
    government.click("#disclosure-form button")
    envoy.wait_for_function(
        "(seat) => [...document.querySelectorAll('#seats tr')]"
        ".some((row) => row.textContent.includes(seat) && row.textContent.includes('held'))",
        arg=GOVERNMENT,
    )

    # The envoy reissues the Government's link: its page loses the seat, the console says where to collect it.
    row = envoy.locator("#seats tr", has_text=GOVERNMENT)
    row.locator("button:text('Reissue its link')").click()
    envoy.wait_for_selector("#seats .link-requested")
    assert "from the organiser" in envoy.inner_text("#seats")
    assert not serious_violations(envoy)
    envoy.screenshot(path=screenshots / "console-link-reissued.png", full_page=True)
    assert government.goto(f"{served.base}/rooms/{created.room}").status == 401

    organiser = served.join_organiser(browser, ORGANISER)
    assert f"{GOVERNMENT} awaits a new link" in organiser.inner_text("#rooms")
    assert not serious_violations(organiser)
    organiser.click(f"button[aria-label='Issue the new link of {GOVERNMENT} in room {created.room}']")
    (link,) = organiser.locator("#links code.link").all_inner_texts()
    token = link.rsplit("/", 1)[-1]
    assert f"{GOVERNMENT} awaits a new link" not in organiser.inner_text("#rooms")
    government.goto(link)
    assert "delegation desk" in government.inner_text("h1")
    assert government.input_value("#reservation") == RESERVATION
    # Nothing the envoy's browser holds carries the new token.
    envoy.reload()
    assert token not in envoy.content()
    assert envoy.locator("#seats .link-requested").count() == 0
