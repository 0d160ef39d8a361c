"""Rounds of talks: adjourning and reconvening a room; nothing acts in between; each round a chapter."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from accord.domain import Role
from accord.room import rounds
from accord.room.errors import ForbiddenError, RecordError, RefusedError
from accord.room.folding import fold
from accord.room.rules import act, deadline
from accord.room.service import RoomService
from accord.room.state import OBSERVERS
from accord.room.testing import EPOCH, ROOM_SCENARIO, StoredStandIn
from accord.room.views import seat_items, seat_view
from accord.store import Store

from .conftest import access, new_room, then

OFFER = {"kind": "offer", "outcome": ["oslo", "two"]}


def test_a_room_opens_in_its_first_round_named_or_round_1() -> None:
    assert new_room("alternating-offers").round_label == "Round 1"
    state = new_room("alternating-offers", round="Geneva IV")
    assert (state.round_label, state.adjourned) == ("Geneva IV", False)
    assert seat_view(state, "north")["rounds"] == {
        "current": "Geneva IV",
        "adjourned": False,
        "held": [{"label": "Geneva IV", "opened": 1, "closed": None}],
    }


def test_while_adjourned_no_action_is_taken_and_the_refusal_names_the_round() -> None:
    state = new_room("alternating-offers", round="Geneva IV")
    adjourned = then(state, rounds.adjourn(state, None))
    assert adjourned.adjourned
    with pytest.raises(RefusedError) as refused:
        act(adjourned, access("north"), OFFER)
    assert refused.value.seat == "north" and refused.value.action == "offer"
    assert "adjourned (round 'Geneva IV' closed)" in refused.value.reason
    # Reconvened: the same seat, the same record, the talks go on where they stood.
    reconvened = then(adjourned, rounds.reconvene(adjourned, None, "Geneva V"))
    assert reconvened.round_label == "Geneva V" and not reconvened.adjourned
    assert [record.kind for record in act(reconvened, access("north"), OFFER)] == ["action", "protocol-event"]
    assert reconvened.protocol_state is state.protocol_state  # nothing moved in between


def test_only_the_mediator_or_the_organiser_adjourns() -> None:
    state = new_room("one-text")
    with pytest.raises(ForbiddenError):
        rounds.adjourn(state, access("north"))
    with pytest.raises(ForbiddenError):
        rounds.adjourn(state, access(OBSERVERS))
    assert [record.data["by"] for record in rounds.adjourn(state, access("envoy"))] == ["envoy"]


def test_adjourning_twice_reconvening_in_session_and_repeating_a_label_are_refused() -> None:
    state = new_room("alternating-offers", round="Astana I")
    with pytest.raises(RefusedError, match="in session: adjourn it first"):
        rounds.reconvene(state, None, "Astana II")
    adjourned = then(state, rounds.adjourn(state, None))
    with pytest.raises(RefusedError, match="adjourned already"):
        rounds.adjourn(adjourned, None)
    with pytest.raises(RefusedError, match="was held already"):
        rounds.reconvene(adjourned, None, "Astana I")
    with pytest.raises(RefusedError, match="label of 1 to 200"):
        rounds.reconvene(adjourned, None, "  ")


def test_a_person_is_not_timed_out_while_adjourned_and_gets_full_time_after() -> None:
    state = new_room("alternating-offers", round_seconds=60)
    later = EPOCH + timedelta(hours=2)
    assert deadline(state, later)  # overdue in session
    adjourned = then(state, rounds.adjourn(state, None))
    assert deadline(adjourned, later) == []
    reconvened = fold(
        adjourned,
        [
            StoredStandIn(
                "r1",
                adjourned.last_seq + 1,
                "reconvened",
                {"round": "Round 2", "by": ""},
                "",
                later.isoformat(),
            )
        ],
    )
    assert deadline(reconvened, later + timedelta(seconds=30)) == []
    assert deadline(reconvened, later + timedelta(seconds=61))


def test_every_seat_sees_the_rounds_as_chapters_of_the_record() -> None:
    state = new_room("one-text", round="Geneva IV")
    state = then(state, rounds.adjourn(state, access("envoy")))
    state = then(state, rounds.reconvene(state, access("envoy"), "Geneva V"))
    for seat in ("envoy", "north", "south", OBSERVERS):
        chapters = [
            (item["kind"], item["round"])
            for item in seat_items(state, seat)
            if item["kind"] in {"adjourned", "reconvened", "room-created"}
        ]
        assert chapters == [
            ("room-created", "Geneva IV"),
            ("adjourned", "Geneva IV"),
            ("reconvened", "Geneva V"),
        ]
    held = seat_view(state, "north")["rounds"]["held"]
    assert [(item["label"], item["closed"] is not None) for item in held] == [
        ("Geneva IV", True),
        ("Geneva V", False),
    ]


def test_a_reconvened_record_without_an_adjournment_does_not_fold() -> None:
    state = new_room("alternating-offers")
    record = StoredStandIn(
        "r1", state.last_seq + 1, "reconvened", {"round": "Round 2"}, "", EPOCH.isoformat()
    )
    with pytest.raises(RecordError, match="still in session"):
        fold(state, [record])


def test_agents_wait_while_adjourned_and_act_again_when_reconvened(store: Store) -> None:
    service = RoomService(store, background=False)
    try:
        created = service.create_room(
            ROOM_SCENARIO, "alternating-offers", agents={"south": "boulware"}, first_round="Oslo I", seed=1
        )
        north = service.authenticate(str(created.seats["north"].token))
        assert north is not None and north.role is Role.DELEGATION
        service.adjourn(created.room)
        with pytest.raises(RefusedError, match="adjourned"):
            service.act(north, OFFER)
        service.reconvene(created.room, "Oslo II")
        service.act(north, OFFER)  # south's agent answers at once (background=False)
        state = service.state(created.room)
        assert [record.kind for record in state.records][-2:] == ["action", "protocol-event"]
        assert state.records[-2].data["seat"] == "south"
        with pytest.raises(ForbiddenError):
            service.adjourn(created.room, by=north)
    finally:
        service.close()


def test_an_awaited_agent_does_not_move_while_adjourned() -> None:
    from accord.room.driver import SeatAgents

    state = new_room("alternating-offers", agents={"north": "boulware"})
    assert state.awaited == ("north",)
    assert SeatAgents().next_move(state)  # in session: it moves
    adjourned = then(state, rounds.adjourn(state, None))
    assert SeatAgents().next_move(adjourned) == []


def test_the_command_line_adjourns_and_reconvenes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from accord.cli import main

    database = f"sqlite:///{tmp_path / 'rooms.db'}"
    scenario = tmp_path / "talks.yaml"
    scenario.write_text(ROOM_SCENARIO)
    assert (
        main(
            [
                "room",
                "create",
                str(scenario),
                "--protocol",
                "one-text",
                "--round",
                "Geneva IV",
                "--db",
                database,
                "--json",
            ]
        )
        == 0
    )
    room = json.loads(capsys.readouterr().out)["room"]
    assert main(["room", "adjourn", room, "--db", database]) == 0
    assert "round Geneva IV closed" in capsys.readouterr().out
    assert main(["room", "adjourn", room, "--db", database]) == 2
    assert (
        capsys.readouterr().err
        == f"accord: error: {room}: they stand adjourned already (round 'Geneva IV' closed)\n"
    )
    assert main(["room", "reconvene", room, "--round", "Geneva V", "--db", database]) == 0
    assert "round Geneva V in session" in capsys.readouterr().out
    assert main(["room", "verify", room, "--db", database]) == 0
