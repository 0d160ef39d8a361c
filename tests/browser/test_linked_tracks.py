"""The "Linked tracks" section in a browser: no serious axe-core violation on the desk or the console."""

from __future__ import annotations

from typing import Any

import pytest

from accord.cli.process import load_process_file
from accord.room.service.processes import create_process
from browser.conftest import EXAMPLES, Served
from browser.test_accessibility import serious_violations


@pytest.mark.slow
def test_the_linked_tracks_section_has_no_serious_accessibility_violation(
    browser: Any, served: Served
) -> None:
    created = create_process(served.service, load_process_file(str(EXAMPLES / "geneva-astana-2017.yaml")))
    geneva = created.rooms["Geneva"]
    found = {}
    for seat in ("Government", "UN Special Envoy"):
        page = served.join(browser, geneva.seats[seat].token)
        page.wait_for_selector("#linked")
        assert page.locator("#linked h2").inner_text() == "Linked tracks"
        found[seat] = serious_violations(page)
    assert not any(found.values()), found
