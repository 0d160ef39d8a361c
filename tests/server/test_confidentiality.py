"""The confidentiality crawler: no seat ever receives another seat's secrets, through any GET or the stream.

Unique markers are planted in each delegation's preferences (numbers no other
data contains), in messages for the mediator only, in each team's channel, and on
the text's private side (a comment, a declined and a pending proposal, a score).
Each delegation then sets new preferences at its desk (more markers: the numbers and a red line's
reason). Then, as every seat (a second team member and an observer included), every GET
operation of the OpenAPI document is read with its path parameters filled with
every room, seat and message id that exists, and the event stream is read to
its end; no answer may carry a marker the seat may not know. Two rooms: one
where the mediator holds every preference, one where only north disclosed.
An ``unattributed`` forward and a paraphrase reveal their author (seat, member,
message id) nowhere in what the recipient receives.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import httpx
import pytest

from accord.room.service import RoomService
from accord.room.testing import Leaning, room_scenario
from accord.server import create_app
from server.live import event_stream, serving
from server.support import Room, bearer, in_process

#: Each delegation's preferences, every number but 0 and 1 a marker no other data contains.
LEANINGS = {
    "north": Leaning(
        venue="0.61738291",
        days="0.38261709",
        geneva="0.0",
        oslo="0.91372645",
        one="1.0",
        two="0.52846193",
        three="0.0",
        reservation="0.27193846",
    ),
    "south": Leaning(
        venue="0.72914637",
        days="0.27085363",
        geneva="1.0",
        oslo="0.18473629",
        one="0.0",
        two="0.64719283",
        three="1.0",
        reservation="0.24736182",
    ),
}
SCENARIO = room_scenario(north=LEANINGS["north"], south=LEANINGS["south"], name="Markers")
PREFERENCE_MARKERS = {
    seat: [number for number in leaning.numbers() if number not in ("0.0", "1.0")]
    for seat, leaning in LEANINGS.items()
}
SEATS = ("envoy", "north", "north-teammate", "south", "south-teammate", "observer")
#: The preferences each delegation sets at its desk before the talks (``preferences-set``), with markers.
NEW_PREFERENCES = {
    seat: {
        "weights": {"venue": weight, "days": 1.0},
        "values": {"venue": {"geneva": 1.0, "oslo": value}, "days": {"one": 0.0, "two": 1.0, "three": 0.0}},
        "reservation": reservation,
        "red_lines": [{"when": {"days": ["one"]}, "reason": f"{seat.upper()}-RED-LINE"}],
    }
    for seat, (weight, value, reservation) in {
        "north": (0.43819275, 0.52918374, 0.31847562),
        "south": (0.56183927, 0.47281936, 0.29384751),
    }.items()
}


def plant(service: RoomService, preferences: str) -> tuple[Room, dict[str, str], dict[str, set[str]]]:
    """A room with markers; its tokens by seat, and the markers each seat may know."""
    room = Room(service, service.create_room(SCENARIO, "one-text", observers=1, preferences=preferences))
    tokens = {seat: room.token(seat) for seat in ("envoy", "north", "south", "observer")}
    for seat in ("north", "south"):
        tokens[f"{seat}-teammate"] = service.issue_link(room.id, seat).token or ""
    access = {seat: service.authenticate(token) for seat, token in tokens.items()}
    allowed: dict[str, set[str]] = {seat: set() for seat in SEATS}
    for seat in ("north", "south"):
        new = NEW_PREFERENCES[seat]
        service.set_preferences(access[f"{seat}-teammate"], new)  # type: ignore[arg-type]
        markers = {
            str(new["weights"]["venue"]),
            str(new["values"]["venue"]["oslo"]),
            str(new["reservation"]),
            new["red_lines"][0]["reason"],
        }
        for member in (seat, f"{seat}-teammate"):
            allowed[member] |= markers
        if preferences == "all" or seat == "north":  # in the disclosed room, north discloses below
            allowed["envoy"] |= markers
        private = f"{seat.upper()}-TO-ENVOY-{room.id}"
        team = f"{seat.upper()}-TEAM-{room.id}"
        service.message(access[seat], private, disclosure="mediator-only")  # type: ignore[arg-type]
        service.message(access[f"{seat}-teammate"], team, to="team")  # type: ignore[arg-type]
        for member in (seat, f"{seat}-teammate"):
            allowed[member] |= {private, team, *PREFERENCE_MARKERS[seat]}
        allowed["envoy"].add(private)
        if preferences == "all":
            allowed["envoy"] |= set(PREFERENCE_MARKERS[seat])
    if preferences == "disclosed":
        service.set_disclosure(access["north"], True)  # type: ignore[arg-type]
        allowed["envoy"] |= set(PREFERENCE_MARKERS["north"])
    for seat, planted in plant_text(service, room, access).items():
        for member in (seat, f"{seat}-teammate"):
            allowed[member] |= planted
        allowed["envoy"] |= planted
    return room, tokens, allowed


#: A score each delegation gives the mediator's unscored wording: numbers no other data contains.
TEXT_SCORES = {"north": 0.83917264, "south": 0.71628495}


def plant_text(service: RoomService, room: Room, access: dict[str, Any]) -> dict[str, set[str]]:
    """The text's private side, planted by each delegation: a comment to the mediator, a proposal the
    mediator declines, one it has not ruled on, and a score of the mediator's unscored wording."""
    service.change_text(
        access["envoy"],
        {
            "kind": "add-alternative",
            "paragraph": "days",
            "alternative": "bridge",
            "wording": {"en": "As agreed."},
        },
    )
    planted: dict[str, set[str]] = {}
    for seat in ("north", "south"):
        comment, declined, pending = (
            f"{seat.upper()}-{what}-{room.id}" for what in ("COMMENT", "DECLINED", "PENDING")
        )
        service.change_text(access[seat], {"kind": "comment", "paragraph": "venue", "text": comment})
        service.change_text(
            access[seat], {"kind": "propose", "paragraph": "venue", "wording": {"en": declined}}
        )
        service.change_text(access["envoy"], {"kind": "decline-proposal", "proposer": seat, "proposal": 1})
        service.change_text(
            access[f"{seat}-teammate"], {"kind": "propose", "paragraph": "days", "wording": {"en": pending}}
        )
        service.change_text(
            access[seat],
            {"kind": "score", "paragraph": "days", "alternative": "bridge", "value": TEXT_SCORES[seat]},
        )
        planted[seat] = {comment, declined, pending, str(TEXT_SCORES[seat])}
    return planted


def every_marker(allowed: dict[str, set[str]]) -> set[str]:
    return set().union(*allowed.values())


def get_paths(document: dict[str, Any], values: dict[str, list[str]]) -> list[str]:
    """Every GET path of the document (but the stream) with its parameters filled in every known way."""
    paths = []
    for template, operations in document["paths"].items():
        if "get" not in operations or template.endswith("/stream"):
            continue
        names = re.findall(r"{(\w+)}", template)
        for combination in itertools.product(*(values.get(name, ["x"]) for name in names)):
            path = template
            for name, value in zip(names, combination, strict=True):
                path = path.replace("{" + name + "}", value)
            paths.append(path)
    return paths


@pytest.mark.slow
def test_no_get_and_no_stream_shows_a_seat_what_it_may_not_know(service: RoomService) -> None:
    rooms = [plant(service, "all"), plant(service, "disclosed")]
    message_ids = [
        item["message"]["id"]
        for room, tokens, _ in rooms
        for item in service.export(room.id, seat="envoy")
        if item["kind"] == "message"
    ]
    values = {
        "room": [room.id for room, _, _ in rooms] + ["no-such-room"],
        "seat": ["envoy", "north", "south", "observers"],
        "message_id": message_ids,
    }

    async def crawl(client: httpx.AsyncClient) -> int:
        document = (await client.get("/openapi.json")).json()
        paths = get_paths(document, values)
        assert any(path.endswith("/view") for path in paths) and any(
            path.endswith("/record") for path in paths
        )
        read = 0
        for _room, tokens, allowed in rooms:
            forbidden_anywhere = every_marker(allowed)
            for seat, token in tokens.items():
                for path in paths:
                    response = await client.get(path, headers=bearer(token))
                    read += 1
                    assert response.status_code in (200, 403, 404), (seat, path, response.status_code)
                    leaked = {
                        marker for marker in forbidden_anywhere - allowed[seat] if marker in response.text
                    }
                    assert not leaked, f"{seat} reads {leaked} at {path}"
                    for other, other_token in tokens.items():
                        if other != seat:
                            assert other_token not in response.text, f"{seat} reads {other}'s token at {path}"
        return read

    assert in_process(service, crawl) > 0
    # The streams, from the beginning to the last item each seat may see.
    with serving(create_app(service)) as base:
        for room, tokens, allowed in rooms:
            for seat, token in tokens.items():
                expected = len(service.export(room.id, seat=service.authenticate(token).seat))  # type: ignore[union-attr]
                with event_stream(base, room.id, token) as reader:
                    text = " ".join(reader.next().data for _ in range(expected))
                leaked = {marker for marker in every_marker(allowed) - allowed[seat] if marker in text}
                assert not leaked, f"{seat}'s stream carries {leaked}"
                assert all(other not in text for name, other in tokens.items() if name != seat)
                # The markers a seat may know do reach it: the crawler would see a leak.
                if seat in ("north", "south"):
                    assert all(marker in text for marker in allowed[seat] if "-" in marker)


@pytest.mark.parametrize("how", ["unattributed", "paraphrase"])
def test_a_forward_without_attribution_hides_its_author_everywhere(service: RoomService, how: str) -> None:
    room = Room(service, service.create_room(SCENARIO, "one-text", observers=1))
    north = service.authenticate(room.token("north"))
    assert north is not None
    source = service.message(north, "We could accept Geneva for three days.", disclosure="unattributed").id
    assert source is not None
    body: dict[str, Any] = {"to": ["south"]}
    if how == "paraphrase":
        body["paraphrase"] = "One delegation could live with Geneva."

    async def test(client: httpx.AsyncClient) -> list[str]:
        forwarded = await client.post(
            f"/api/v1/rooms/{room.id}/messages/{source}/forward",
            json=body,
            headers=bearer(room.token("envoy")),
        )
        assert forwarded.status_code == 201
        south = bearer(room.token("south"))
        return [
            (await client.get(f"/api/v1/rooms/{room.id}/{part}", headers=south)).text
            for part in ("view", "record")
        ]

    view, record = in_process(service, test)
    shown_text = "We could accept Geneva" if how == "unattributed" else "One delegation could live"
    assert shown_text in view and shown_text in record
    for text in (view, record):
        for secret in (source, north.member, '"north"', "Bearer"):
            if secret == '"north"':
                # The seats list names every delegation; the message items must not.
                messages = re.findall(r'"messages":\s*\[.*?\]', text)
                assert all(secret not in part for part in messages)
                continue
            assert secret not in text
