"""The one choke point: each seat's view and items, built from the state without a store."""

from __future__ import annotations

import json

from accord.room.messages import forward, send_message
from accord.room.records import Settings, token_hash
from accord.room.rules import act, create_room, set_disclosure
from accord.room.state import OBSERVERS, RoomState
from accord.room.testing import ROOM_SCENARIO, stored
from accord.room.views import preferences_data, seat_items, seat_view

from .conftest import ROOM, access, new_room, then

#: Numbers planted in each delegation's preferences, found nowhere else in the scenario.
MARKED = (
    ROOM_SCENARIO.replace("geneva: 0.2,", "geneva: 0.2193847,")
    .replace("reservation: 0.3\n", "reservation: 0.3137931\n")
    .replace("two: 0.6,", "two: 0.6029173,")
    .replace("reservation: 0.25\n", "reservation: 0.2468013\n")
)
PREFERENCE_MARKERS = {"north": ("0.2193847", "0.3137931"), "south": ("0.6029173", "0.2468013")}


def _marked_room(preferences: str = "all") -> RoomState:
    records = create_room(
        scenario_text=MARKED,
        protocol="one-text",
        agents={},
        settings=Settings(preferences=preferences),  # type: ignore[arg-type]
        observers=1,
        credentials=lambda seat: (f"m-{seat}", token_hash(f"token-{seat}")),
    )
    return stored(ROOM, records)


def _everything(state: RoomState, seat: str) -> str:
    """All a seat is ever given: its view and its items, as JSON text."""
    return json.dumps([seat_view(state, seat, f"m-{seat}"), seat_items(state, seat)])


def _talks_with_markers(state: RoomState) -> tuple[RoomState, dict[str, tuple[str, ...]]]:
    """Messages (mediator-only) and team talk planted with each delegation's markers, and a round of talks."""
    markers: dict[str, tuple[str, ...]] = {}
    for seat in ("north", "south"):
        secret, team = f"private-{seat}-4417", f"team-{seat}-9083"
        state = then(
            state,
            send_message(
                state, access(seat), message_id=f"id-{seat}", text=secret, disclosure="mediator-only"
            ),
        )
        state = then(
            state, send_message(state, access(seat), message_id=f"team-id-{seat}", text=team, to="team")
        )
        markers[seat] = (secret, team, f"id-{seat}", f"team-id-{seat}")
    state = then(state, act(state, access("envoy"), {"kind": "propose", "outcome": ["oslo", "two"]}))
    state = then(
        state, act(state, access("north"), {"kind": "critique", "requests": [["venue", "oslo", 0.5]]})
    )
    state = then(
        state, act(state, access("south"), {"kind": "critique", "requests": [["days", "three", 0.25]]})
    )
    return state, markers


def test_no_seat_sees_another_delegations_preferences_messages_or_team_talk() -> None:
    state, markers = _talks_with_markers(_marked_room())
    for seat in ("envoy", "north", "south", OBSERVERS):
        seen = _everything(state, seat)
        for delegation in ("north", "south"):
            planted = markers[delegation] + PREFERENCE_MARKERS[delegation]
            if seat == delegation:
                assert all(marker in seen for marker in planted)
                continue
            if seat == "envoy":  # the mediator holds every delegation's preferences and its messages
                planted = (markers[delegation][1], markers[delegation][3])
            leaked = [marker for marker in planted if marker in seen]
            assert leaked == [], f"{seat} sees {delegation}'s {leaked}"


def test_a_delegations_critique_is_seen_by_the_mediator_and_itself_only() -> None:
    state, _ = _talks_with_markers(_marked_room())
    assert "0.25" in json.dumps(seat_view(state, "south")["events"])
    for seat in ("north", OBSERVERS):
        assert "0.25" not in json.dumps(seat_view(state, seat)["events"]), seat
    mediator = seat_view(state, "envoy")
    assert [event["actor"] for event in mediator["events"] if event["kind"] == "critique"] == [
        "north",
        "south",
    ]


def test_observers_see_only_events_visible_to_everyone() -> None:
    state, _ = _talks_with_markers(_marked_room())
    view = seat_view(state, OBSERVERS, "m-observers")
    assert view["events"] and all(event["visible_to"] is None for event in view["events"])
    assert view["messages"] == []
    assert view["preferences"]["delegations"] == {}
    assert {item["kind"] for item in seat_items(state, OBSERVERS)} <= {"room-created", "event"}


def test_in_a_disclosed_room_the_mediator_holds_only_what_was_disclosed() -> None:
    state = _marked_room("disclosed")
    view = seat_view(state, "envoy")["preferences"]
    assert (view["delegations"], view["missing"]) == ({}, ["north", "south"])
    assert not any(
        marker in _everything(state, "envoy") for markers in PREFERENCE_MARKERS.values() for marker in markers
    )
    state = then(state, set_disclosure(state, access("north"), True))
    view = seat_view(state, "envoy")["preferences"]
    assert view["delegations"] == {"north": preferences_data(state, "north")}
    assert view["missing"] == ["south"]
    assert seat_view(state, "north")["preferences"]["disclosed"] is True
    assert seat_view(state, "south")["preferences"]["disclosed"] is False
    assert not any(marker in _everything(state, "envoy") for marker in PREFERENCE_MARKERS["south"])


def test_an_unattributed_forward_reveals_nothing_of_its_author() -> None:
    state = new_room("one-text")
    state = then(
        state,
        send_message(
            state, access("north"), message_id="source-77", text="Oslo would do", disclosure="unattributed"
        ),
    )
    state = then(
        state, forward(state, access("envoy"), message_id="source-77", to=["south"], forward_id="copy-12")
    )
    [copy] = seat_view(state, "south")["messages"]
    assert copy["text"] == "Oslo would do"
    assert copy["id"] == "copy-12"
    assert copy["author"] is None
    assert "north" not in json.dumps(copy)
    assert "m-north" not in json.dumps(copy)
    everything = _everything(state, "south")
    assert "source-77" not in everything and "m-north" not in everything
    [item] = [item for item in seat_items(state, "south") if item["kind"] == "message"]
    assert item["message"] == copy
    mediator = seat_view(state, "envoy")["messages"]
    assert [(message["id"], message.get("source")) for message in mediator] == [
        ("source-77", None),
        ("copy-12", "source-77"),
    ]


def test_an_attributed_forward_names_its_authors_seat() -> None:
    state = new_room("one-text")
    state = then(
        state, send_message(state, access("north"), message_id="s", text="Oslo", disclosure="attributed")
    )
    state = then(state, forward(state, access("envoy"), message_id="s", to=["south"], forward_id="c"))
    [copy] = seat_view(state, "south")["messages"]
    assert copy["author"] == "north" and copy["verbatim"] is True
    assert "source" not in copy and "member" not in copy


def test_the_view_says_whose_turn_it_is_and_what_it_may_do() -> None:
    state = new_room("one-text")
    assert seat_view(state, "envoy")["turn"]["must_act"] is True
    assert seat_view(state, "envoy")["turn"]["allowed"][0] == "propose"
    assert seat_view(state, "north")["turn"] == {
        "must_act": False,
        "allowed": [],
        "since": None,
        "round_seconds": None,
    }
    state = then(state, act(state, access("envoy"), {"kind": "propose", "outcome": ["oslo", "two"]}))
    assert seat_view(state, "north")["turn"]["must_act"] is True
    assert seat_view(state, "north")["protocol"]["on_table"] == ["oslo", "two"]


def test_the_view_has_the_agenda_with_clause_text_and_each_event_its_seq() -> None:
    state = new_room("one-text")
    state = then(state, act(state, access("envoy"), {"kind": "propose", "outcome": ["oslo", "two"]}))
    view = seat_view(state, "north")
    assert view["agenda"]["issues"][0]["options"][0] == {
        "name": "geneva",
        "text": "The talks are held in Geneva.",
    }
    seqs = [event["seq"] for event in view["events"]]
    assert seqs == sorted(seqs)
    assert all(state.records[seq - 1].kind == "protocol-event" for seq in seqs)
    assert set(view) == {
        "room",
        "seq",
        "seat",
        "member",
        "role",
        "holder",
        "protocol",
        "seats",
        "agenda",
        "preferences",
        "turn",
        "events",
        "messages",
        "result",
        "text",
    }


def test_items_carry_every_event_and_turn_change_of_the_seat_in_order() -> None:
    state = new_room("one-text")
    state = then(state, act(state, access("envoy"), {"kind": "propose", "outcome": ["oslo", "two"]}))
    items = seat_items(state, "north")
    assert [item["seq"] for item in items] == sorted({item["seq"] for item in items})
    events = [item["event"] for item in items if item["kind"] == "event"]
    assert events == seat_view(state, "north")["events"]
    assert items[-1]["turn"]["must_act"] is True
    later = seat_items(state, "north", after_seq=items[-2]["seq"])
    assert later == items[-1:]


def test_the_mediators_protocol_facts_are_its_own() -> None:
    state, _ = _talks_with_markers(_marked_room())
    mediator = seat_view(state, "envoy")["protocol"]["details"]
    assert mediator["critiques"]["south"] == [["days", "three", 0.25]]
    for seat in ("north", "south"):
        assert "critiques" not in seat_view(state, seat)["protocol"]["details"]


def test_the_mediators_analysis_covers_only_the_preferences_it_holds() -> None:
    state = _marked_room("disclosed")
    assert seat_view(state, "envoy")["preferences"]["analysis"] is None
    state = then(state, set_disclosure(state, access("north"), True))
    assert seat_view(state, "envoy")["preferences"]["analysis"] is None  # one delegation: nothing to weigh
    state = then(state, set_disclosure(state, access("south"), True))
    analysis = seat_view(state, "envoy")["preferences"]["analysis"]
    assert analysis["parties"] == ["north", "south"]
    assert analysis["reservations"] == {"north": 0.3137931, "south": 0.2468013}
    for seat in ("north", "south", OBSERVERS):
        assert "analysis" not in seat_view(state, seat)["preferences"]
