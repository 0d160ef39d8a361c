"""The organiser's pages: a malformed scenario is refused with the command line's own line and creates
nothing; a good one opens a room whose links work; the rooms' list and the record download."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from accord.cli import main
from browser.conftest import EXAMPLES, ORGANISER, Served
from browser.test_accessibility import serious_violations


@pytest.mark.slow
def test_the_organiser_opens_a_room(
    browser: Any,
    served: Served,
    screenshots: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (EXAMPLES / "geneva-2017.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("reservation: 0.42", "reservation: high", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["room", "create", "broken.yaml", "--protocol", "one-text", "--db", "sqlite:///cli.db"]) == 2
    cli_line = capsys.readouterr().err.strip()
    assert cli_line.startswith("accord: error: broken.yaml: line ") and "\n" not in cli_line

    context = browser.new_context()
    served.contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(20_000)
    assert page.goto(f"{served.base}/organise/not-the-secret").status == 401
    page.goto(f"{served.base}/organise/{ORGANISER}")
    assert "Organiser" in page.inner_text("h1") and "No rooms yet." in page.inner_text("#rooms")

    # The malformed file: the command line's line, and no room.
    page.set_input_files("#scenario", str(broken))
    page.click("#create-form button[type=submit]")
    assert page.inner_text("#create-error") == cli_line
    assert served.service.rooms() == ()

    # The good one: one-text with the envoy and two delegations held by agents.
    page.set_input_files("#scenario", str(EXAMPLES / "geneva-2017.yaml"))
    page.fill("#agents", "UN Special Envoy=drafter, Moscow platform=boulware, Cairo platform=boulware")
    page.fill("#rounds", "3")
    page.click("#create-form button[type=submit]")
    page.wait_for_selector("#links")
    (room,) = served.service.rooms()
    links = page.locator("#links code.link").all_inner_texts()
    assert len(links) == 3  # the Government, the High Negotiations Committee, one observer
    assert f"Room {room}: its new links" in page.inner_text("#links h2")
    assert room in page.inner_text("#rooms") and "in progress" in page.inner_text("#rooms")
    assert not serious_violations(page)
    page.screenshot(path=screenshots / "organiser.png", full_page=True)

    desk = context.browser.new_context()
    served.contexts.append(desk)
    seat_page = desk.new_page()
    seat_page.goto(links[0])
    assert "Government" in seat_page.inner_text("h1") and "delegation desk" in seat_page.inner_text("h1")

    # Another link to the Government's seat (a new member of its team) opens its desk too.
    page.select_option("#rooms select[name=seat]", "Government")
    page.click("#rooms button:text('New link')")
    (another,) = page.locator("#links code.link").all_inner_texts()
    assert another not in links
    seat_page.goto(another)
    assert "Government" in seat_page.inner_text("h1")

    with page.expect_download() as download:
        page.click(f"text=Download the record of {room}")
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["kind"] == "room-created" and len(lines) == served.service.store.last_seq(
        room
    )


@pytest.mark.slow
def test_the_organiser_opens_an_ended_rooms_debrief(browser: Any, served: Served, screenshots: Path) -> None:
    agents = {
        "UN Special Envoy": "drafter",
        "Government": "boulware",
        "High Negotiations Committee": "boulware",
        "Moscow platform": "boulware",
        "Cairo platform": "boulware",
    }
    created = served.service.create_room(EXAMPLES / "geneva-2017.yaml", "one-text", agents=agents, rounds=2)
    assert served.service.settle(60)
    assert served.service.state(created.room).result is not None
    page = served.join_organiser(browser, ORGANISER)
    page.click(f"text=The debrief of {created.room}")
    page.wait_for_selector("#replay")
    assert "How the talks ended" in page.inner_text("#outcome")
    page.wait_for_function(
        "() => { const image = document.querySelector('#space img');"
        " return image && image.complete && image.naturalWidth > 0; }"
    )
    # What the Government knew, step by step: exactly the events of its own record.
    page.select_option("#replay-seat", "Government")
    page.click("#replay-form button")
    page.wait_for_selector("#replay li")
    known = [
        item for item in served.service.export(created.room, seat="Government") if item["kind"] == "event"
    ]
    assert page.locator("#replay li").count() == len(known)
    assert not serious_violations(page)
    page.screenshot(path=screenshots / "organiser-debrief.png", full_page=True)
    page.click("text=Back to the rooms")
    assert "Organiser" in page.inner_text("h1")
