"""Confidentiality from the browser: what every seat's browser holds never carries another seat's secrets.

Markers are planted as the server's crawler plants them (``tests/server/test_confidentiality.py``):
numbers no other data contains in each delegation's preferences, a ``mediator-only`` message
from each delegation, and each team's channel; two rooms, one where the mediator holds every
preference, one where only north disclosed its own. Every seat (a second team member and an
observer included) opens its page in a browser context of its own and stays on it while more
markers arrive live; then its page text, its DOM, every network response it received (the event
stream's messages included) and its local and session storage must hold no marker the seat
may not know, and must hold its own (so the search can find one).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from browser.conftest import Served
from server.test_confidentiality import SEATS, every_marker, plant

#: Records what the seat's event stream delivers (Playwright adds it before the page's own scripts).
RECORD_STREAM = """
(() => {
  const Original = window.EventSource;
  window.__received = [];
  window.EventSource = function (url, options) {
    const source = new Original(url, options);
    source.addEventListener("message", (event) => window.__received.push(event.data));
    const kinds = ["event", "action", "message", "turn", "seat-handed", "preferences-disclosed", "text"];
    for (const kind of [...kinds, "room-created"]) {
      source.addEventListener(kind, (event) => window.__received.push(event.data));
    }
    return source;
  };
})();
"""


def _open(browser: Any, served: Served, token: str) -> tuple[Any, list[str]]:
    context = browser.new_context()
    served.contexts.append(context)
    context.add_init_script(RECORD_STREAM)
    page = context.new_page()
    page.set_default_timeout(20_000)
    bodies: list[str] = []

    def keep(response: Any) -> None:
        if response.url.endswith("/stream") or "image/png" in (response.headers.get("content-type") or ""):
            return
        try:
            bodies.append(response.text())
        except Exception:  # a redirect has no body to read
            bodies.append(response.headers.get("location", ""))

    page.on("response", keep)
    page.goto(f"{served.base}/join/{token}")
    return page, bodies


def _held(page: Any, bodies: list[str]) -> str:
    storage = page.evaluate(
        "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )
    received = page.evaluate("() => window.__received")
    return "\n".join([page.content(), page.inner_text("body"), storage, json.dumps(received), *bodies])


@pytest.mark.slow
@pytest.mark.parametrize("preferences", ["all", "disclosed"])
def test_no_browser_holds_what_its_seat_may_not_know(browser: Any, served: Served, preferences: str) -> None:
    service = served.service
    room, tokens, allowed = plant(service, preferences)
    pages = {seat: _open(browser, served, tokens[seat]) for seat in SEATS}
    # More markers while every page is open: they reach the pages live.
    north = service.authenticate(tokens["north"])
    assert north is not None
    late_team, late_private = f"NORTH-LATE-TEAM-{room.id}", f"NORTH-LATE-TO-ENVOY-{room.id}"
    service.message(north, late_team, to="team")
    service.message(north, late_private, disclosure="mediator-only")
    for seat in ("north", "north-teammate"):
        allowed[seat] |= {late_team, late_private}
    allowed["envoy"].add(late_private)
    pages["north-teammate"][0].wait_for_selector(f"text={late_team}")
    pages["envoy"][0].wait_for_selector(f"text={late_private}")
    pages["observer"][0].wait_for_timeout(500)
    markers = every_marker(allowed)
    for seat, (page, bodies) in pages.items():
        held = _held(page, bodies)
        leaked = sorted(marker for marker in markers - allowed[seat] if marker in held)
        assert not leaked, f"{seat}'s browser holds {leaked}"
        own = sorted(marker for marker in allowed[seat] if marker in held)
        assert own or seat == "observer", f"{seat}'s browser shows none of its own markers"
        if seat in ("north", "south"):
            assert f"{seat.upper()}-TEAM-{room.id}" in page.inner_text("#team")
