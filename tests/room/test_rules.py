"""The room's rules without a database: every command, and every refusal with its reason."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from accord.errors import InputError
from accord.room.errors import ForbiddenError, NotFoundError, RecordError, RefusedError
from accord.room.messages import forward, send_message
from accord.room.records import Settings, token_hash
from accord.room.rules import (
    act,
    create_room,
    deadline,
    hand_seat,
    issue_link,
    revoke_link,
    set_disclosure,
)
from accord.room.state import OBSERVERS, RoomState
from accord.room.testing import EPOCH, ROOM_SCENARIO, StoredStandIn, stored

from .conftest import ROOM, access, new_room, then

DRAFT = {"kind": "propose", "outcome": ["oslo", "two"]}
NO_OBJECTION = {"kind": "critique", "requests": []}


def test_create_room_seats_the_protocols_seats_with_their_holders() -> None:
    state = new_room("one-text", agents={"south": "boulware"})
    assert state.seats == ("envoy", "north", "south")
    assert state.holders["south"].agent == "boulware-v1"
    assert state.holders["north"].holder == "person"
    assert [event.kind for _, event in state.events] == ["opening"]
    assert state.awaited == ("envoy",)
    assert set(state.members("north")) == {"m-north"}
    assert state.members(OBSERVERS) == ("m-observers",)


def test_a_protocol_without_a_mediator_has_no_mediators_seat() -> None:
    assert new_room("alternating-offers").seats == ("north", "south")


@pytest.mark.parametrize(
    ("agents", "where", "reason"),
    [
        ({"west": "boulware"}, "agents: ", "no seat 'west'"),
        ({"north": "drafter"}, "agents: seat 'north'", "agent 'drafter-v1' cannot take a delegation's seat"),
        ({"envoy": "boulware"}, "agents: seat 'envoy'", "agent 'boulware-v1' cannot take a mediator's seat"),
        ({"north": "nobody"}, "agents: ", "unknown agent 'nobody'"),
    ],
)
def test_create_room_refuses_agents_that_do_not_fit(agents: dict[str, str], where: str, reason: str) -> None:
    with pytest.raises(InputError) as raised:
        create_room(scenario_text=ROOM_SCENARIO, protocol="one-text", agents=agents, settings=Settings())
    assert where in str(raised.value)
    assert reason in str(raised.value)


def test_create_room_refuses_a_party_named_like_the_observers_seat() -> None:
    text = ROOM_SCENARIO.replace("name: south", f"name: {OBSERVERS}")
    with pytest.raises(InputError, match="reserved for the room's observers"):
        create_room(scenario_text=text, protocol="one-text", agents={}, settings=Settings())


# ------------------------------------------------------------------------------------------------- acting


def test_a_legal_action_gives_its_record_and_the_protocols_events(one_text: RoomState) -> None:
    records = act(one_text, access("envoy"), DRAFT)
    assert [record.kind for record in records] == ["action", "protocol-event"]
    assert records[0].data["action"] == DRAFT
    assert records[0].data["member"] == "m-envoy"
    assert records[1].data["event"]["kind"] == "draft"
    state = then(one_text, records)
    assert state.awaited == ("north", "south")
    assert (
        state.turn("north").allowed == ("critique", "walk-away") or "critique" in state.turn("north").allowed
    )


def test_an_action_out_of_turn_is_refused_naming_seat_action_and_why(one_text: RoomState) -> None:
    with pytest.raises(RefusedError) as raised:
        act(one_text, access("north"), NO_OBJECTION)
    assert (raised.value.seat, raised.value.action) == ("north", "critique")
    assert str(raised.value) == "seat 'north' may not critique: it is not its turn (awaited: envoy)"


def test_an_illegal_action_is_refused_with_the_protocols_reason(one_text: RoomState) -> None:
    with pytest.raises(RefusedError) as raised:
        act(one_text, access("envoy"), {"kind": "propose", "outcome": ["paris", "two"]})
    assert "'paris' is not an option of issue 'venue'" in str(raised.value)
    with pytest.raises(RefusedError, match="may not call-vote"):
        act(one_text, access("envoy"), {"kind": "call-vote"})


def test_a_malformed_action_is_refused(one_text: RoomState) -> None:
    with pytest.raises(RefusedError, match="malformed action"):
        act(one_text, access("envoy"), {"kind": "propose"})
    with pytest.raises(RefusedError, match="malformed action"):
        act(one_text, access("envoy"), {"kind": "dance"})


def test_seats_awaited_together_step_when_the_last_one_acts(one_text: RoomState) -> None:
    state = then(one_text, act(one_text, access("envoy"), DRAFT))
    first = act(state, access("north"), {"kind": "critique", "requests": [["venue", "oslo", 0.5]]})
    assert [record.kind for record in first] == ["action"]
    state = then(state, first)
    assert state.awaited == ("south",)
    assert state.turn("north").must_act is False
    with pytest.raises(RefusedError, match="already acted in this step"):
        act(state, access("north"), NO_OBJECTION)
    last = act(state, access("south"), NO_OBJECTION)
    assert [record.kind for record in last] == ["action", "protocol-event", "protocol-event"]
    state = then(state, last)
    assert state.awaited == ("envoy",)
    assert state.submitted == {}


def test_an_illegal_action_among_seats_awaited_together_is_refused_before_the_others_act(
    one_text: RoomState,
) -> None:
    state = then(one_text, act(one_text, access("envoy"), DRAFT))
    with pytest.raises(RefusedError) as raised:
        act(state, access("north"), {"kind": "critique", "requests": [["venue", "paris", 0.5]]})
    assert raised.value.seat == "north"
    assert "'paris'" in raised.value.reason


def test_observers_never_act_and_agents_seats_are_not_peoples(one_text: RoomState) -> None:
    with pytest.raises(ForbiddenError, match="observers only watch"):
        act(one_text, access(OBSERVERS), DRAFT)
    state = new_room("one-text", agents={"envoy": "drafter"})
    with pytest.raises(RefusedError, match="held by the agent drafter-v1"):
        act(state, access("envoy"), DRAFT)


def test_nothing_can_be_done_once_the_talks_are_over(alternating: RoomState) -> None:
    state = then(alternating, act(alternating, access("north"), {"kind": "walk-away", "reason": "done"}))
    assert state.result is not None and state.result.reason == "walk-out"
    with pytest.raises(RefusedError, match="the talks are over"):
        act(state, access("south"), {"kind": "accept"})


# ---------------------------------------------------------------------------------------------- messages


def test_a_delegation_writes_to_the_mediator_with_a_disclosure_mark(one_text: RoomState) -> None:
    records = send_message(
        one_text, access("north"), message_id="a1", text="Oslo, please", disclosure="attributed"
    )
    assert [(record.kind, record.data["to"], record.data["disclosure"]) for record in records] == [
        ("message", "mediator", "attributed")
    ]
    with pytest.raises(
        RefusedError, match="disclosure must be one of mediator-only, attributed, unattributed"
    ):
        send_message(one_text, access("north"), message_id="a2", text="Oslo", disclosure=None)


def test_team_messages_ignore_the_disclosure(one_text: RoomState) -> None:
    records = send_message(
        one_text, access("north"), message_id="t1", text="hold firm", disclosure="attributed", to="team"
    )
    assert records[0].data["to"] == "team"
    assert records[0].data["disclosure"] is None
    assert (
        send_message(one_text, access("envoy"), message_id="t2", text="note", to="team")[0].data["to"]
        == "team"
    )


@pytest.mark.parametrize(
    ("seat", "to", "error", "reason"),
    [
        (OBSERVERS, "mediator", ForbiddenError, "observers only watch"),
        ("envoy", "mediator", ForbiddenError, "only a delegation writes to the mediator"),
        ("north", "south", RefusedError, "a message goes to the mediator or to the team"),
    ],
)
def test_who_may_write_to_whom(
    one_text: RoomState, seat: str, to: str, error: type[Exception], reason: str
) -> None:
    with pytest.raises(error, match=reason):
        send_message(one_text, access(seat), message_id="x", text="hello", disclosure="attributed", to=to)


def test_message_texts_and_ids_are_checked(one_text: RoomState) -> None:
    with pytest.raises(RefusedError, match="the text is empty"):
        send_message(one_text, access("north"), message_id="x", text="  ", disclosure="attributed")
    with pytest.raises(RefusedError, match="longer than 20000"):
        send_message(one_text, access("north"), message_id="x", text="a" * 20_001, disclosure="attributed")
    state = then(
        one_text, send_message(one_text, access("north"), message_id="x", text="hi", disclosure="attributed")
    )
    with pytest.raises(RefusedError, match="message id 'x' is taken"):
        send_message(state, access("south"), message_id="x", text="hi", disclosure="attributed")


def test_without_a_mediator_there_is_no_one_to_write_to(alternating: RoomState) -> None:
    with pytest.raises(RefusedError, match="has no mediator"):
        send_message(alternating, access("north"), message_id="x", text="hi", disclosure="attributed")


def _with_message(
    state: RoomState, disclosure: str, *, message_id: str = "src", to: str = "mediator"
) -> RoomState:
    return then(
        state,
        send_message(
            state,
            access("north"),
            message_id=message_id,
            text="We could live with Oslo",
            disclosure=disclosure,
            to=to,
        ),
    )


def test_the_mediator_forwards_verbatim_within_the_mark(one_text: RoomState) -> None:
    state = _with_message(one_text, "attributed")
    records = forward(state, access("envoy"), message_id="src", to=["south"], forward_id="f1")
    assert records[0].data == {
        "id": "f1",
        "source": "src",
        "seat": "envoy",
        "member": "m-envoy",
        "to": ["south"],
        "text": "We could live with Oslo",
        "verbatim": True,
    }
    after = then(state, records)
    assert after.forwards["f1"].author == "north"


def test_an_unattributed_forward_has_no_author(one_text: RoomState) -> None:
    state = then(_with_message(one_text, "unattributed"), [])
    state = then(state, forward(state, access("envoy"), message_id="src", to=["south"], forward_id="f1"))
    assert state.forwards["f1"].author is None


def test_a_mediator_only_message_is_passed_on_only_in_the_mediators_words(one_text: RoomState) -> None:
    state = _with_message(one_text, "mediator-only")
    with pytest.raises(RefusedError, match="marked mediator-only: pass it on only in your own words"):
        forward(state, access("envoy"), message_id="src", to=["south"], forward_id="f1")
    records = forward(
        state,
        access("envoy"),
        message_id="src",
        to=["south"],
        forward_id="f1",
        paraphrase="North is flexible",
    )
    assert records[0].data["verbatim"] is False
    assert records[0].data["text"] == "North is flexible"
    assert then(state, records).forwards["f1"].author is None


@pytest.mark.parametrize(
    ("seat", "message_id", "to", "error", "reason"),
    [
        ("north", "src", ["south"], ForbiddenError, "only the mediator forwards messages"),
        ("envoy", "nothing", ["south"], NotFoundError, "no such message to the mediator"),
        ("envoy", "team", ["south"], NotFoundError, "no such message to the mediator"),
        ("envoy", "src", [], RefusedError, "name at least one delegation"),
        ("envoy", "src", ["envoy"], RefusedError, "'envoy' is not a delegation"),
        ("envoy", "src", ["south", "south"], RefusedError, "named twice"),
    ],
)
def test_forwards_are_checked(
    one_text: RoomState, seat: str, message_id: str, to: list[str], error: type[Exception], reason: str
) -> None:
    state = _with_message(_with_message(one_text, "attributed"), "attributed", message_id="team", to="team")
    with pytest.raises(error, match=reason):
        forward(state, access(seat), message_id=message_id, to=to, forward_id="f1")


def test_a_forward_needs_a_fresh_id(one_text: RoomState) -> None:
    state = _with_message(one_text, "attributed")
    with pytest.raises(RefusedError, match="message id 'src' is taken"):
        forward(state, access("envoy"), message_id="src", to=["south"], forward_id="src")


# ---------------------------------------------------------------------------------------- seats and links


def test_the_mediator_or_the_organiser_hands_a_seat_to_an_agent_and_back(one_text: RoomState) -> None:
    records = hand_seat(one_text, access("envoy"), "north", "boulware")
    assert records[0].data == {
        "seat": "north",
        "holder": {"holder": "agent", "agent": "boulware-v1"},
        "by": "envoy",
    }
    state = then(one_text, records)
    assert state.holders["north"].agent == "boulware-v1"
    back = hand_seat(state, None, "north", None)
    assert back[0].data["by"] == ""
    assert then(state, back).holders["north"].holder == "person"


@pytest.mark.parametrize(
    ("by", "seat", "agent", "error", "reason"),
    [
        ("north", "south", "boulware", ForbiddenError, "only the mediator or the organiser"),
        ("envoy", "west", "boulware", NotFoundError, "no such seat"),
        ("envoy", OBSERVERS, "boulware", RefusedError, "observers' links are not a seat"),
        (
            "envoy",
            "north",
            "drafter",
            RefusedError,
            "north' to drafter: agent 'drafter-v1' cannot take a delegation",
        ),
        ("envoy", "north", None, RefusedError, "it already holds the seat"),
    ],
)
def test_handing_seats_is_checked(
    one_text: RoomState, by: str, seat: str, agent: str | None, error: type[Exception], reason: str
) -> None:
    with pytest.raises(error, match=reason):
        hand_seat(one_text, access(by), seat, agent)


def test_links_are_issued_reissued_and_revoked_by_hash(one_text: RoomState) -> None:
    state = then(one_text, issue_link(one_text, "north", "m-2", token_hash("second")))
    assert set(state.members("north")) == {"m-north", "m-2"}
    state = then(state, issue_link(state, "north", "m-2", token_hash("third")))
    assert state.links["m-2"].token_hash == token_hash("third")
    state = then(state, revoke_link(state, "north", "m-2"))
    assert state.members("north") == ("m-north",)
    with pytest.raises(RefusedError, match="already revoked"):
        revoke_link(state, "north", "m-2")
    with pytest.raises(NotFoundError, match="no such member"):
        revoke_link(state, "south", "m-north")
    with pytest.raises(RefusedError, match="belongs to seat 'north'"):
        issue_link(state, "south", "m-north", token_hash("x"))
    with pytest.raises(NotFoundError, match="no such seat"):
        issue_link(state, "west", "m-9", token_hash("x"))


def test_disclosure_is_a_delegations_choice_in_a_disclosed_room(one_text: RoomState) -> None:
    with pytest.raises(RefusedError, match="holds every delegation's preferences"):
        set_disclosure(one_text, access("north"), True)
    state = new_room("one-text", preferences="disclosed")
    with pytest.raises(ForbiddenError, match="only a delegation"):
        set_disclosure(state, access("envoy"), True)
    with pytest.raises(RefusedError, match="it already has"):
        set_disclosure(state, access("north"), False)
    state = then(state, set_disclosure(state, access("north"), True))
    assert state.disclosed == {"north"}
    state = then(state, set_disclosure(state, access("north"), False))
    assert state.disclosed == frozenset()


# ---------------------------------------------------------------------------------------------- deadline


@pytest.mark.parametrize(
    ("protocol", "before", "overdue"),
    [
        ("alternating-offers", [], {"north": {"kind": "walk-away", "reason": "the time limit passed"}}),
        ("one-text", [("envoy", DRAFT)], {"north": NO_OBJECTION, "south": NO_OBJECTION}),
        ("shuttle", [], {"north": {"kind": "wait"}, "south": {"kind": "wait"}}),
    ],
)
def test_a_person_who_lets_the_time_pass_passes_or_walks_away(
    protocol: str, before: list[tuple[str, dict[str, object]]], overdue: dict[str, dict[str, object]]
) -> None:
    state = new_room(protocol, round_seconds=60)
    for seat, action in before:
        state = then(state, act(state, access(seat), action))
    started = datetime.fromisoformat(state.turn_started)
    assert deadline(state, started + timedelta(seconds=59)) == []
    records = deadline(state, started + timedelta(seconds=61))
    taken = {record.data["seat"]: record.data["action"] for record in records if record.kind == "action"}
    assert taken == overdue
    assert all(
        record.data["note"] == "the time limit of 60 s passed"
        for record in records
        if record.kind == "action"
    )
    assert then(state, records).awaited != state.awaited


def test_no_time_limit_means_no_deadline(one_text: RoomState) -> None:
    assert deadline(one_text, EPOCH + timedelta(days=365)) == []


# ---------------------------------------------------------------------------------------------- the fold


def test_a_stored_event_that_differs_from_the_replay_is_named(one_text: RoomState) -> None:
    records = act(one_text, access("envoy"), DRAFT)
    forged = dict(records[1].data["event"], data={"draft": ["geneva", "one"]})
    seq = one_text.last_seq
    with pytest.raises(RecordError, match=f"record {seq + 2}: the stored event"):
        stored(
            ROOM,
            [records[0], type(records[1])("protocol-event", {"event": forged})],
            state=one_text,
        )


def test_records_must_follow_in_order(one_text: RoomState) -> None:
    record = StoredStandIn(
        ROOM, one_text.last_seq + 2, "link-revoked", {"seat": "north", "member": "m-north"}
    )
    from accord.room.folding import fold

    with pytest.raises(RecordError, match="expected record"):
        fold(one_text, [record])


def test_an_action_the_protocol_did_not_await_cannot_be_folded(one_text: RoomState) -> None:
    from accord.room.records import ActionTaken, Record

    with pytest.raises(RecordError, match="seat 'north' is not awaited"):
        stored(ROOM, [Record.of(ActionTaken(seat="north", action=NO_OBJECTION))], state=one_text)
