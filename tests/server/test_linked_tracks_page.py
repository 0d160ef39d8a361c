"""The "Linked tracks" section of a process's rooms: each seat sees what its process view gives, no more."""

from __future__ import annotations

from pathlib import Path

import httpx

from accord.cli.process import load_process_file
from accord.room.service import CreatedRoom, RoomService
from accord.room.service.processes import CreatedProcess, create_process
from accord.server.pages.tracks import linked_context
from server.support import Room, in_process

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "geneva-astana-2017.yaml"

#: Planted in seats' private channels in Astana: no page of the Geneva room may show them.
RUSSIA_MARKER = "MARKER-russia-team-7f3a"
ARMED_MARKER = "MARKER-armed-opposition-team-91c2"
GOVERNMENT_MARKER = "MARKER-government-astana-team-55d0"


def _process(service: RoomService) -> CreatedProcess:
    created = create_process(service, load_process_file(str(EXAMPLE)))
    astana = created.rooms["Astana"]
    russia = service.authenticate(str(astana.seats["Russia"].token))
    armed = service.authenticate(str(astana.seats["Armed opposition"].token))
    government = service.authenticate(str(astana.seats["Government"].token))
    assert russia is not None and armed is not None and government is not None
    service.message(russia, RUSSIA_MARKER, to="team")
    service.message(armed, ARMED_MARKER, to="team")
    service.message(government, GOVERNMENT_MARKER, to="team")
    outcome = [issue["options"][0]["name"] for issue in service.view(russia)["agenda"]["issues"]]
    service.act(russia, {"kind": "offer", "outcome": outcome})
    return created


def _page(service: RoomService, created: CreatedRoom, seat: str) -> str:
    async def visit(client: httpx.AsyncClient) -> str:
        await client.get(f"/join/{created.seats[seat].token}")
        page = await client.get(f"/rooms/{created.room}")
        assert page.status_code == 200
        return page.text

    text: str = in_process(service, visit)
    return text


def _section(page: str) -> str:
    start = page.index('<section id="linked"')
    return page[start : page.index("</section>", start)]


def test_a_delegation_sees_its_own_seat_in_the_other_track_and_nothing_of_another_partys(
    service: RoomService,
) -> None:
    created = _process(service)
    geneva, astana = created.rooms["Geneva"], created.rooms["Astana"]
    page = _page(service, geneva, "Government")
    section = _section(page)
    assert '<a href="#linked">Linked tracks</a>' in page
    assert '<span dir="auto">Government</span> in <span dir="auto">Astana</span>' in section
    assert f'<a href="/rooms/{astana.room}">' in section
    # Russia's offer is on the Astana table, clause text and all; the condition blocks Geneva.
    assert "On the table in that track" in section and "Each side reports violations" in section
    assert "<strong>Blocking:</strong>" in section and "counter-terrorism" in section
    # Nothing private of another seat, not even our own team's talk in the other room; no token.
    for marker in (RUSSIA_MARKER, ARMED_MARKER, GOVERNMENT_MARKER):
        assert marker not in page
    for link in [*geneva.seats.values(), *astana.seats.values()]:
        assert str(link.token) not in page
    # A delegation gets neither the joint analysis nor the other track's agenda.
    assert "joint analysis" not in section.lower() and "The agenda in" not in section
    # Another party's seat in Astana never shows as this delegation's.
    assert "Armed opposition" not in section and "Russia</span> in" not in section


def test_a_delegation_seated_in_one_track_only_is_told_so(service: RoomService) -> None:
    created = _process(service)
    section = _section(_page(service, created.rooms["Geneva"], "Moscow platform"))
    assert "Our delegation sits in no other track." in section
    assert "Open that seat's page" not in section


def test_the_mediator_sees_the_other_agenda_and_the_joint_analysis(service: RoomService) -> None:
    created = _process(service)
    page = _page(service, created.rooms["Geneva"], "UN Special Envoy")
    section = _section(page)
    assert 'The agenda in <span dir="auto">Astana</span>' in section
    assert '<dt dir="auto">ceasefire-monitoring</dt>' in section
    assert "The joint analysis" in section and "Packages on the joint frontier" in section
    assert '<th scope="row" dir="auto">Armed factions</th>' in section
    for marker in (RUSSIA_MARKER, ARMED_MARKER, GOVERNMENT_MARKER):
        assert marker not in page
    # The mediator does not get a delegation's side-by-side seats.
    assert "Our seats in the other tracks" not in section


def test_a_plain_room_has_no_linked_section(room: Room) -> None:
    page = _page(room.service, room.created, "north")
    assert 'id="linked"' not in page and "Linked tracks" not in page


def test_a_condition_is_met_once_its_required_issue_is_agreed() -> None:
    process = {
        "name": "P",
        "track": "A",
        "tracks": {
            "A": {"room": "a", "protocol": "x", "rounds": {}, "ended": None, "agreed": []},
            "B": {"room": "b", "protocol": "x", "rounds": {}, "ended": None, "agreed": ["y"]},
        },
        "conditions": [
            {"track": "A", "issue": "x", "requires_track": "B", "requires_issue": "y", "reason": ""},
            {"track": "B", "issue": "y", "requires_track": "A", "requires_issue": "x", "reason": ""},
        ],
    }
    context = linked_context(process, "observer")
    assert context is not None
    assert [condition["met"] for condition in context["conditions"]] == [True, False]
    assert linked_context(None, "delegation") is None
