"""A delegation sets its own preferences; the mediator revokes a seat's links: rules and views, no store."""

from __future__ import annotations

import json
from typing import Any

import pytest

from accord.room.driver import seat_context
from accord.room.errors import ForbiddenError, NotFoundError, RecordError, RefusedError
from accord.room.folding import fold
from accord.room.records import token_hash
from accord.room.rules import act, hand_seat, issue_link, request_link, set_disclosure, set_preferences
from accord.room.state import OBSERVERS, RoomState
from accord.room.testing import EPOCH, StoredStandIn
from accord.room.views import seat_items, seat_view

from .conftest import ROOM, access, new_room, then

#: North's new preferences: every number a marker found nowhere else.
NEW_NORTH: dict[str, Any] = {
    "weights": {"venue": 0.1357913, "days": 0.8642087},
    "values": {
        "venue": {"geneva": 0.9753197, "oslo": 0.0},
        "days": {"one": 0.0, "two": 0.4682604, "three": 1.0},
    },
    "reservation": 0.3571842,
    "red_lines": [{"when": {"days": ["one"]}, "reason": "never-one-day-5521"}],
}
MARKERS = ("0.1357913", "0.9753197", "0.4682604", "0.3571842", "never-one-day-5521")
DRAFT = {"kind": "propose", "outcome": ["oslo", "two"]}


def _set(state: RoomState, preferences: dict[str, Any] = NEW_NORTH, seat: str = "north") -> RoomState:
    return then(state, set_preferences(state, access(seat), preferences))


def _everything(state: RoomState, seat: str) -> str:
    return json.dumps([seat_view(state, seat, f"m-{seat}"), seat_items(state, seat)])


def test_a_delegation_sets_its_preferences_before_the_talks_and_its_view_holds_them() -> None:
    state = _set(new_room("one-text"))
    view = seat_view(state, "north")
    own = view["preferences"]["delegations"]["north"]
    assert own["reservation"] == 0.3571842
    assert own["weights"] == {"venue": 0.1357913, "days": 0.8642087}
    assert own["red_lines"] == [{"when": {"days": ["one"]}, "reason": "never-one-day-5521"}]
    assert view["preferences"]["editable"] is True
    # The scenario the room plays on holds them too (what agents and the analysis are given).
    preferences = state.scenario.preferences_of("north")
    assert preferences.reservation == 0.3571842 and preferences.red_lines[0].reason == "never-one-day-5521"
    assert state.scenario.preferences_of("south") == new_room("one-text").scenario.preferences_of("south")


def test_the_mediators_analysis_is_recomputed_from_the_new_preferences() -> None:
    before = seat_view(new_room("one-text"), "envoy")["preferences"]["analysis"]
    after = seat_view(_set(new_room("one-text")), "envoy")["preferences"]["analysis"]
    assert before["reservations"]["north"] == 0.3
    assert after["reservations"]["north"] == 0.3571842
    # North never accepts one day now: the packages it blocks include both one-day packages.
    assert after != before


@pytest.mark.parametrize(
    ("preferences", "reason"),
    [
        ({"weights": {"venu": 1.0}}, "weights.venu: no issue named 'venu'"),
        (
            {"weights": {"venue": 1.0}, "values": {"venue": {"rome": 1.0}}},
            "values.venue.rome: no option 'rome'",
        ),
        ({"weights": {"venue": 1.0}, "reservation": 1.5}, "reservation: must lie in [0, 1], got 1.5"),
        ({"weights": {"venue": -1.0}}, "weights.venue: input should be greater than or equal to 0"),
        ({"weights": {"venue": 1.0}, "values": {"venue": {"oslo": 2}}}, "values.venue.oslo:"),
        ({"weights": {"venue": 1.0}, "red_lines": [{"when": {"days": ["four"]}}]}, "red_lines[0].when.days"),
        ({"weights": {}}, "weights:"),
        ({"weights": {"venue": 1.0}, "colour": "red"}, "colour: unknown field"),
    ],
)
def test_preferences_that_would_not_load_from_a_file_are_refused_naming_the_field(
    preferences: dict[str, Any], reason: str
) -> None:
    state = new_room("one-text")
    with pytest.raises(RefusedError) as refused:
        set_preferences(state, access("north"), preferences)
    assert refused.value.seat == "north" and refused.value.action == "set its preferences"
    assert reason in refused.value.reason, refused.value.reason


def test_preferences_far_larger_than_the_scenario_are_refused() -> None:
    state = new_room("one-text")
    many = [{"when": {"days": ["one"]}, "reason": "x" * 100}] * 1000
    with pytest.raises(RefusedError, match="characters of preferences; at most"):
        set_preferences(state, access("north"), {**NEW_NORTH, "red_lines": many})


def test_only_a_delegation_sets_preferences_and_only_its_own() -> None:
    state = new_room("one-text")
    with pytest.raises(ForbiddenError):
        set_preferences(state, access("envoy"), NEW_NORTH)
    with pytest.raises(ForbiddenError):
        set_preferences(state, access(OBSERVERS), NEW_NORTH)
    # South's member can only ever replace south's: the seat comes from its link, never from the request.
    state = _set(state, seat="south")
    assert seat_view(state, "south")["preferences"]["delegations"]["south"]["reservation"] == 0.3571842
    assert seat_view(state, "north")["preferences"]["delegations"]["north"]["reservation"] == 0.3


def test_the_same_preferences_again_are_refused() -> None:
    state = _set(new_room("one-text"))
    with pytest.raises(RefusedError, match="already"):
        set_preferences(state, access("north"), NEW_NORTH)


def test_once_the_talks_begin_preferences_change_only_where_the_room_allows() -> None:
    before = new_room("one-text")
    started = then(before, act(before, access("envoy"), DRAFT))
    assert started.started and not before.started
    with pytest.raises(RefusedError, match="only before them"):
        set_preferences(started, access("north"), NEW_NORTH)
    assert seat_view(started, "north")["preferences"]["editable"] is False
    during = new_room("one-text", edit_preferences="during")
    during = then(during, act(during, access("envoy"), DRAFT))
    during = _set(during)
    assert seat_view(during, "north")["preferences"]["delegations"]["north"]["reservation"] == 0.3571842
    ended = then(during, act(during, access("north"), {"kind": "walk-away", "reason": ""}))
    ended = then(ended, act(ended, access("south"), {"kind": "critique", "requests": []}))
    assert ended.result is not None
    with pytest.raises(RefusedError, match="the talks are over"):
        set_preferences(ended, access("north"), {**NEW_NORTH, "reservation": 0.1})


@pytest.mark.parametrize("setting", ["all", "disclosed"])
def test_no_other_seat_learns_of_the_change_and_the_mediator_only_where_it_holds_them(setting: str) -> None:
    state = _set(new_room("one-text", preferences=setting))
    assert all(marker in _everything(state, "north") for marker in MARKERS)
    for seat in ("south", OBSERVERS):
        assert not any(marker in _everything(state, seat) for marker in MARKERS), seat
        assert not [item for item in seat_items(state, seat) if item["kind"] == "preferences-set"]
    mediator = _everything(state, "envoy")
    if setting == "all":
        assert all(marker in mediator for marker in MARKERS)
        return
    # Undisclosed: not the preferences, nor that they changed.
    assert not any(marker in mediator for marker in MARKERS)
    assert "preferences-set" not in mediator
    # Disclosed later: the view holds them now; the record of the earlier change still never reaches it.
    disclosed = then(state, set_disclosure(state, access("north"), True))
    assert all(marker in json.dumps(seat_view(disclosed, "envoy")) for marker in MARKERS)
    assert "preferences-set" not in json.dumps(seat_items(disclosed, "envoy"))
    # A change while disclosed reaches it; after a withdrawal, a further change does not.
    changed = _set(disclosed, {**NEW_NORTH, "reservation": 0.4419283})
    assert "0.4419283" in json.dumps(seat_items(changed, "envoy"))
    withdrawn = then(changed, set_disclosure(changed, access("north"), False))
    again = _set(withdrawn, {**NEW_NORTH, "reservation": 0.5528194})
    assert "0.5528194" not in _everything(again, "envoy")
    assert "0.5528194" in _everything(again, "north")


def test_the_room_replays_to_the_same_preferences_and_refuses_a_forged_record() -> None:
    state = _set(new_room("one-text"))
    replayed = fold(None, state.records, room=ROOM)
    assert replayed.preferences == state.preferences
    assert replayed.scenario == state.scenario
    forged = StoredStandIn(
        ROOM,
        state.last_seq + 1,
        "preferences-set",
        {"seat": "north", "member": "m-north", "preferences": {"weights": {"nowhere": 1.0}}},
        "north",
        EPOCH.isoformat(),
    )
    with pytest.raises(RecordError, match=r"weights\.nowhere"):
        fold(state, [forged])


def test_an_agent_in_the_seat_and_the_mediators_agent_hold_the_new_preferences() -> None:
    state = _set(new_room("one-text"))
    utility = seat_context(state, "north").utility
    assert utility is not None and float(utility.reservation) == 0.3571842
    assert float(seat_context(state, "envoy").confidential["north"].reservation) == 0.3571842
    hidden = _set(new_room("one-text", preferences="disclosed"))
    assert "north" not in seat_context(hidden, "envoy").confidential


# ---------------------------------------------------------------------------------------- link reissue


def test_the_mediator_revokes_a_seats_links_and_the_organiser_issues_the_new_one() -> None:
    state = new_room("one-text")
    state = then(state, issue_link(state, "north", "m-north-2", token_hash("second")))
    records = request_link(state, access("envoy"), "north")
    assert [record.kind for record in records] == ["link-revoked", "link-revoked", "link-requested"]
    revoked = then(state, records)
    assert revoked.members("north") == () and revoked.link_requests == {"north": revoked.last_seq}
    assert seat_view(revoked, "envoy")["seats"]["link_requests"] == ["north"]
    mediator_items = json.dumps(seat_items(revoked, "envoy"))
    assert '"link-requested"' in mediator_items and token_hash("second") not in mediator_items
    assert "link-requested" not in json.dumps(seat_items(revoked, "south"))
    # Asked again before the organiser issued it: nothing more to revoke.
    with pytest.raises(RefusedError, match="already waits for the organiser"):
        request_link(revoked, access("envoy"), "north")
    renewed = then(revoked, issue_link(revoked, "north", "m-north-3", token_hash("third")))
    assert renewed.link_requests == {} and renewed.members("north") == ("m-north-3",)


def test_only_the_mediator_reissues_and_only_a_person_held_seat() -> None:
    state = new_room("one-text")
    with pytest.raises(ForbiddenError):
        request_link(state, access("north"), "south")
    with pytest.raises(RefusedError, match="your own"):
        request_link(state, access("envoy"), "envoy")
    with pytest.raises(NotFoundError):
        request_link(state, access("envoy"), "west")
    with pytest.raises(NotFoundError):
        request_link(state, access("envoy"), OBSERVERS)
    handed = then(state, hand_seat(state, None, "south", "boulware"))
    with pytest.raises(RefusedError, match="held by the agent"):
        request_link(handed, access("envoy"), "south")
