"""The text's routes over HTTP: who may change what (403/409/422 with the reason), retries applied once,
the seat's own text, and exports of it (every format; a comparison; an unknown revision)."""

from __future__ import annotations

import io
from typing import Any

import docx
import httpx
import pytest

from accord.room.service import RoomService
from accord.room.testing import ROOM_SCENARIO
from server.support import Room, bearer, in_process

PROPOSED = "The talks open in Oslo and close in Geneva."


def _post(client: httpx.AsyncClient, room: Room, seat: str, change: dict[str, Any], **headers: str) -> Any:
    return client.post(
        f"/api/v1/rooms/{room.id}/text/changes", json=change, headers={**bearer(room.token(seat)), **headers}
    )


@pytest.mark.parametrize(
    ("seat", "change", "status", "reason"),
    [
        ("north", {"kind": "confirm", "paragraph": "venue"}, 403, "only the mediator may do this"),
        ("envoy", {"kind": "support", "paragraph": "venue", "alternative": "oslo"}, 403, "only a delegation"),
        (
            "observer",
            {"kind": "support", "paragraph": "venue", "alternative": "oslo"},
            403,
            "observers only watch",
        ),
        ("north", {"kind": "accept"}, 409, "nothing is agreed until everything is agreed"),
        ("envoy", {"kind": "confirm", "paragraph": "venue"}, 409, "is bracketed, not agreed ad referendum"),
        ("north", {"kind": "support", "paragraph": "venue"}, 422, "alternative"),
        (
            "north",
            {"kind": "support", "paragraph": "venue", "alternative": "oslo", "seat": "south"},
            422,
            "seat",
        ),
        ("north", {"kind": "no-such-change"}, 422, "kind"),
        ("north", {"kind": "score", "paragraph": "days", "alternative": "one", "value": 1.5}, 422, "value"),
    ],
)
def test_changes_that_are_refused_say_why(
    room: Room, seat: str, change: dict[str, Any], status: int, reason: str
) -> None:
    async def test(client: httpx.AsyncClient) -> httpx.Response:
        return await _post(client, room, seat, change)

    before = room.records()
    response = in_process(room.service, test)
    assert response.status_code == status and reason in response.json()["error"], response.text
    assert room.records() == before


def test_a_proposal_entered_agreed_and_exported_as_each_seat_sees_it(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> dict[str, Any]:
        proposed = await _post(
            client, room, "north", {"kind": "propose", "paragraph": "venue", "wording": {"en": PROPOSED}},
            **{"Idempotency-Key": "north-1"},
        )  # fmt: skip
        again = await _post(
            client, room, "north", {"kind": "propose", "paragraph": "venue", "wording": {"en": PROPOSED}},
            **{"Idempotency-Key": "north-1"},
        )  # fmt: skip
        south_before = (
            await client.get(f"/api/v1/rooms/{room.id}/text", headers=bearer(room.token("south")))
        ).json()
        entered = await _post(
            client,
            room,
            "envoy",
            {"kind": "enter-proposal", "proposer": "north", "proposal": 1, "alternative": "oslo-first"},
        )
        agreed = await _post(
            client,
            room,
            "envoy",
            {"kind": "agree-ad-referendum", "paragraph": "venue", "alternative": "oslo-first"},
        )
        exports = {
            format: await client.get(
                f"/api/v1/rooms/{room.id}/text/export",
                params={"format": format},
                headers=bearer(room.token("south")),
            )
            for format in ("docx", "pdf", "md", "html")
        }
        compared = await client.get(
            f"/api/v1/rooms/{room.id}/text/export",
            params={"format": "md", "compare": 0},
            headers=bearer(room.token("south")),
        )
        unknown = await client.get(
            f"/api/v1/rooms/{room.id}/text/export", params={"compare": 9}, headers=bearer(room.token("south"))
        )
        north = (
            await client.get(f"/api/v1/rooms/{room.id}/text", headers=bearer(room.token("north")))
        ).json()
        return {
            "statuses": [proposed.status_code, again.status_code, entered.status_code, agreed.status_code],
            "same": proposed.json() == again.json(),
            "south_before": south_before,
            "exports": exports,
            "compared": compared,
            "unknown": unknown,
            "north": north,
        }

    result = in_process(room.service, test)
    assert result["statuses"] == [201, 201, 201, 201] and result["same"]
    assert result["south_before"]["proposals"] == [] and PROPOSED not in str(result["south_before"])
    north = result["north"]
    assert [proposal["state"] for proposal in north["proposals"]] == ["entered"]  # applied once
    venue = north["paragraphs"][0]
    assert (venue["status"], venue["chosen"]) == ("agreed ad referendum", "oslo-first")
    assert north["worth"]["north"]["venue"]["oslo-first"] == {"value": None, "crosses_red_line": False}
    exports = result["exports"]
    assert all(response.status_code == 200 for response in exports.values())
    assert exports["md"].headers["content-type"].startswith("text/markdown")
    assert "attachment" in exports["docx"].headers["content-disposition"]
    assert PROPOSED in exports["md"].text and "agreed ad referendum" in exports["md"].text
    assert exports["pdf"].content.startswith(b"%PDF")
    document = docx.Document(io.BytesIO(exports["docx"].content))
    assert any(PROPOSED in paragraph.text for paragraph in document.paragraphs)
    compared = result["compared"].text
    assert result["compared"].status_code == 200 and "Comparison of Rev.2 with original text" in compared
    assert "<ins>" in compared and "close" in compared
    assert result["unknown"].status_code == 404 and "Rev.2" in result["unknown"].json()["error"]


def test_a_room_without_a_mediator_has_no_text(service: RoomService) -> None:
    room = Room(service, service.create_room(ROOM_SCENARIO, "alternating-offers"))

    async def test(client: httpx.AsyncClient) -> list[int]:
        headers = bearer(room.token("north"))
        return [
            (await client.get(f"/api/v1/rooms/{room.id}/text", headers=headers)).status_code,
            (await client.get(f"/api/v1/rooms/{room.id}/text/export", headers=headers)).status_code,
            (await _post(client, room, "north", {"kind": "accept"})).status_code,
        ]

    assert in_process(service, test) == [404, 409, 409]


def test_an_export_in_a_language_the_text_lacks_is_refused_naming_those_it_has(room: Room) -> None:
    async def test(client: httpx.AsyncClient) -> list[httpx.Response]:
        return [
            await client.get(
                f"/api/v1/rooms/{room.id}/text/export",
                params={"format": "md", "language": language},
                headers=bearer(room.token("south")),
            )
            for language in ("xx", "en")
        ]

    refused, exported = in_process(room.service, test)
    assert refused.status_code == 422, refused.text
    assert refused.json() == {"error": "language: the text has no wording in 'xx' (it has: en)"}
    assert exported.status_code == 200
