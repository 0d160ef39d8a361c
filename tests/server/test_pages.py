"""The room's pages in process (no browser): every protocol played to its end through the pages' own forms.

For each registered protocol, a room held by people in every seat; at each turn a seat's page
is read and the first form it offers for the turn is sent back as a browser would send it
(its fields with their shown values). The forms must make actions the room accepts, or
refusals the room explains (a page saying why, ``409``), never a server error; and each
protocol must reach its end. Also: the join link, a revoked link's page, the static files,
the page of a seat that is not a person's, and names shown as written (escaped), right to left.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest

from accord.room.service import RoomService
from accord.room.testing import ROOM_SCENARIO
from server.support import BASE, in_process

PROTOCOLS = ["one-text", "single-text", "alternating-offers", "shuttle", "blind-bidding", "post-settlement"]


class Forms(HTMLParser):
    """The action forms of a page: ``{form id: (action, fields, submit buttons)}`` with shown values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, Any]] = {}
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        data = {name: value or "" for name, value in attrs}
        if tag == "form" and data.get("id", "").startswith("form-"):
            self._form = {"action": data["action"], "fields": {}, "buttons": []}
            self.forms[data["id"]] = self._form
        elif self._form is None:
            return
        elif tag == "input" and data.get("type") not in ("checkbox", "radio") and "name" in data:
            self._form["fields"][data["name"]] = data.get("value", "")
        elif tag == "input" and "checked" in data:
            self._form["fields"][data["name"]] = data.get("value", "on")
        elif tag == "select":
            self._select = data["name"]
        elif (
            tag == "option"
            and self._select
            and ("selected" in data or self._select not in self._form["fields"])
        ):
            self._form["fields"][self._select] = data["value"]
        elif tag == "button" and "formmethod" not in data:
            self._form["buttons"].append((data.get("name"), data.get("value")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def page_forms(html: str) -> dict[str, dict[str, Any]]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


@pytest.mark.slow
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_protocol_is_played_to_its_end_through_the_pages(service: RoomService, protocol: str) -> None:
    created = service.create_room(ROOM_SCENARIO, protocol, rounds=3)
    tokens = {seat: link.token for seat, link in created.seats.items() if link.token}

    async def play(client: httpx.AsyncClient) -> tuple[int, str]:
        clients = {}
        for seat, token in tokens.items():
            seat_client = httpx.AsyncClient(transport=client._transport, base_url=BASE)
            joined = await seat_client.get(f"/join/{token}")
            assert joined.status_code == 303 and joined.headers["location"] == f"/rooms/{created.room}"
            clients[seat] = seat_client
        sent = 0
        for _ in range(80):
            moved = False
            for seat_client in clients.values():
                page = await seat_client.get(f"/rooms/{created.room}")
                assert page.status_code == 200, page.text
                if "The talks have ended" in page.text:
                    return sent, page.text
                forms = page_forms(page.text)
                chosen = next((name for name in forms if name != "form-walk-away"), None)
                if chosen is None:
                    continue
                form = forms[chosen]
                fields = dict(form["fields"])
                name, value = form["buttons"][0]
                if name:
                    fields[name] = value
                answer = await seat_client.post(form["action"], data=fields, headers={"Origin": BASE})
                assert answer.status_code in (303, 409), answer.text
                if answer.status_code == 409:
                    assert "Refused:" in answer.text
                else:
                    sent += 1
                    moved = True
            assert moved, "no seat could move through its page"
        raise AssertionError("the talks did not end")

    sent, last_page = in_process(service, play)
    assert sent >= 2
    assert service.state(created.room).result is not None
    assert re.search(r"The talks have ended: [a-z-]+", last_page)


def test_links_pages_and_static_files(service: RoomService) -> None:
    name = "Северный союз <b>&</b> شمال"
    created = service.create_room(ROOM_SCENARIO.replace("north", name), "one-text")
    token = created.seats[name].token or ""

    async def visit(client: httpx.AsyncClient) -> None:
        assert (await client.get(f"/rooms/{created.room}")).status_code == 401  # no cookie yet
        joined = await client.get(f"/join/{token}")
        cookie = joined.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        page = (await client.get(f"/rooms/{created.room}")).text
        assert "Северный союз &lt;b&gt;&amp;&lt;/b&gt; شمال" in page and "<b>&</b>" not in page
        assert 'dir="auto"' in page and "<script>" not in page and 'src="/static/room.js"' in page
        # A cross-origin form is refused.
        refused = await client.post(
            f"/rooms/{created.room}/message",
            data={"text": "x", "to": "team"},
            headers={"Origin": "http://elsewhere.test"},
        )
        assert refused.status_code == 403
        script = await client.get("/static/room.js")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
        assert (await client.get("/static/../app.py")).status_code == 404
        service.revoke_link(created.room, name, service.authenticate(token).member)  # type: ignore[union-attr]
        revoked = await client.get(f"/join/{token}")
        assert revoked.status_code == 401 and "revoked" in revoked.text and "<h1>" in revoked.text

    in_process(service, visit)
