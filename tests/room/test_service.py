"""The room's application on a real store (SQLite): commands, agents, idempotency, replay, export."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from accord.protocols.replay import check_replay
from accord.room.errors import NotFoundError, RefusedError
from accord.room.folding import fold
from accord.room.rules import SeatAccess
from accord.room.service import RoomService
from accord.room.state import OBSERVERS
from accord.room.testing import ROOM_SCENARIO
from accord.store import Store, verify_room

GENEVA = Path(__file__).resolve().parents[2] / "examples" / "geneva-2017.yaml"
ENVOY, GOVERNMENT, HNC = "UN Special Envoy", "Government", "High Negotiations Committee"


def _utility(preferences: dict[str, Any], package: dict[str, str]) -> float:
    """A person's reckoning of a package from the preferences in their own view (weights × values)."""
    weights = preferences["weights"]
    return sum(weights[issue] * preferences["values"][issue][option] for issue, option in package.items())


def _scripted_move(view: dict[str, Any]) -> dict[str, Any]:
    """What a scripted delegate does with only their view, as the engine's delegations do: a threshold
    that falls from 1 to their reservation value by the deadline; a draft below it draws a critique of
    every issue where it loses them something (intensities adding up to the shortfall; 1 across a red
    line); in the vote, yes to a draft within their red lines and worth their reservation value."""
    preferences = view["preferences"]["delegations"][view["seat"]]
    issues = [issue["name"] for issue in view["agenda"]["issues"]]
    draft = dict(zip(issues, view["protocol"]["on_table"], strict=True))
    crossed = {
        issue
        for line in preferences.get("red_lines", [])
        if all(draft[issue] in options for issue, options in line["when"].items())
        for issue in line["when"]
    }
    reservation, value = preferences["reservation"], _utility(preferences, draft)
    if "vote" in view["turn"]["allowed"]:
        return {"kind": "vote", "accept": not crossed and value >= reservation}
    progress = view["protocol"]["round"] / view["protocol"]["rounds"]
    shortfall = max(0.0, 1.0 - progress * (1.0 - reservation) - value)
    losses = {}
    for issue, option in draft.items():
        values = preferences["values"][issue]
        best = max(values, key=values.get)
        loss = preferences["weights"][issue] * (values[best] - values[option])
        if loss > 0:
            losses[issue] = (best, loss)
    total = sum(loss for _, loss in losses.values()) or 1.0
    requests = [
        [issue, best, 1.0 if issue in crossed else min(1.0, shortfall * loss / total)]
        for issue, (best, loss) in losses.items()
        if issue in crossed or shortfall > 0
    ]
    return {"kind": "critique", "requests": requests}


def _geneva(service: RoomService, **options: Any) -> tuple[str, dict[str, SeatAccess], list[str]]:
    created = service.create_room(
        GENEVA,
        "one-text",
        agents={ENVOY: "drafter", "Moscow platform": "boulware", "Cairo platform": "boulware"},
        observers=1,
        rounds=12,
        seed=2017,
        **options,
    )
    people = {seat: service.authenticate(str(created.seats[seat].token)) for seat in (GOVERNMENT, HNC)}
    observer = service.authenticate(created.observers[0])
    assert observer is not None and observer.role.value == "observer"
    seats = {seat: access for seat, access in people.items() if access is not None}
    return created.room, {**seats, OBSERVERS: observer}, list(created.observers)


def _play_people(
    service: RoomService, people: dict[str, SeatAccess], live: dict[str, list[dict[str, Any]]]
) -> None:
    """The scripted delegates act whenever it is their turn; every seat's stream is read as it goes."""
    room = next(iter(people.values())).room
    for _ in range(200):
        for access in people.values():
            _follow(service, access, live)
        if service.state(room).result is not None:
            return
        moved = False
        for seat in (GOVERNMENT, HNC):
            view = service.view(people[seat])
            if view["turn"]["must_act"]:
                answer = service.act(people[seat], _scripted_move(view))
                assert answer.seq > 0
                moved = True
        assert moved, "nobody could act, yet the talks go on"
    raise AssertionError("the talks never ended")


def _follow(service: RoomService, access: SeatAccess, live: dict[str, list[dict[str, Any]]]) -> None:
    """What the live stream sends a seat: the items after the last one it got."""
    sent = live.setdefault(access.seat, [])
    sent.extend(service.items(access, after_seq=sent[-1]["seq"] if sent else 0))


def test_a_geneva_one_text_session_with_two_people_and_three_agents_reaches_agreement(
    service: RoomService, store: Store
) -> None:
    room, seats, _ = _geneva(service)
    live: dict[str, list[dict[str, Any]]] = {}
    _play_people(service, seats, live)
    state = service.state(room)
    assert state.result is not None and state.result.reason == "agreement"
    view = service.view(seats[GOVERNMENT])
    assert view["result"]["reason"] == "agreement"
    assert list(view["result"]["agreement"].values()) == list(state.result.agreement or ())
    actors = {
        record.data["seat"]: record.data["agent"] for record in state.records if record.kind == "action"
    }
    assert (
        actors[GOVERNMENT] == ""
        and actors[ENVOY] == "drafter-v1"
        and actors["Cairo platform"] == "boulware-v1"
    )
    assert verify_room(store, room).ok
    # The record replays to the same state, event for event.
    replayed = fold(None, store.read(room), room=room)
    assert [event.to_data() for _, event in replayed.events] == [event.to_data() for _, event in state.events]
    assert replayed.steps == state.steps and replayed.result == state.result
    check_replay(state.protocol, state.setup, state.steps, expected=[event for _, event in state.events])
    # Each seat's export is exactly what its stream sent.
    for access in seats.values():
        _follow(service, access, live)
        assert service.export(room, seat=access.seat) == live[access.seat]


def test_a_new_service_on_the_same_store_rebuilds_every_room(service: RoomService, store: Store) -> None:
    room, seats, _ = _geneva(service)
    service.act(seats[GOVERNMENT], {"kind": "critique", "requests": []})
    service.message(seats[HNC], "a word in confidence", disclosure="mediator-only")
    before = {seat: (service.view(access), service.items(access)) for seat, access in seats.items()}
    restarted = RoomService(store, background=False)
    assert restarted.rooms() == (room,)
    for seat, access in seats.items():
        assert (restarted.view(access), restarted.items(access)) == before[seat]


def test_links_authenticate_and_revoked_or_replaced_ones_do_not(service: RoomService) -> None:
    created = service.create_room(ROOM_SCENARIO, "one-text", observers=2)
    token = str(created.seats["north"].token)
    north = service.authenticate(token)
    assert north is not None and (north.seat, north.role.value) == ("north", "delegation")
    assert service.authenticate("not a token") is None
    assert service.authenticate(token + "x") is None
    reissued = service.reissue_link(created.room, "north", north.member)
    assert service.authenticate(token) is None
    assert service.authenticate(str(reissued.token)) == north
    second = service.issue_link(created.room, "north")
    teammate = service.authenticate(str(second.token))
    assert teammate is not None and teammate.seat == "north" and teammate.member != north.member
    service.revoke_link(created.room, "north", str(second.member))
    assert service.authenticate(str(second.token)) is None
    assert len({service.authenticate(token) for token in created.observers}) == 2
    assert json.dumps(created.to_data()).count(token) == 1


def test_create_room_answers_with_holders_and_tokens_for_peoples_seats_only(service: RoomService) -> None:
    created = service.create_room(ROOM_SCENARIO, "one-text", agents={"south": "boulware"}, observers=1)
    data = created.to_data()
    assert list(data) == ["room", "seats", "observers"]
    assert list(data["seats"]) == ["envoy", "north", "south"]
    assert data["seats"]["south"] == {"holder": "agent", "agent": "boulware-v1", "token": None}
    assert data["seats"]["north"]["holder"] == "person" and data["seats"]["north"]["agent"] is None
    assert len(data["observers"]) == 1
    stored = json.dumps([record.to_dict() for record in service.store.read(created.room)])
    assert data["seats"]["north"]["token"] not in stored and data["observers"][0] not in stored


def test_a_retried_request_is_applied_once_and_answered_as_the_first_time(service: RoomService) -> None:
    created = service.create_room(ROOM_SCENARIO, "one-text")
    envoy = service.authenticate(str(created.seats["envoy"].token))
    north = service.authenticate(str(created.seats["north"].token))
    assert envoy is not None and north is not None
    draft = {"kind": "propose", "outcome": ["oslo", "two"]}
    first = service.act(envoy, draft, idempotency_key="k-1")
    count = service.state(created.room).last_seq
    # The retry would now be out of turn: it is answered as the first time, and nothing is added.
    assert service.act(envoy, draft, idempotency_key="k-1") == first
    assert service.state(created.room).last_seq == count
    sent = service.message(north, "Oslo", disclosure="attributed", idempotency_key="k-2")
    assert service.message(north, "Oslo", disclosure="attributed", idempotency_key="k-2") == sent
    assert sum(1 for record in service.store.read(created.room) if record.kind == "message") == 1
    with pytest.raises(RefusedError, match="it is not its turn"):
        service.act(envoy, draft, idempotency_key="k-3")


def test_two_services_on_one_store_decide_on_the_newest_record(store: Store) -> None:
    first, second = RoomService(store, background=False), RoomService(store, background=False)
    created = first.create_room(ROOM_SCENARIO, "one-text")
    north_first = first.authenticate(str(created.seats["north"].token))
    north_second = second.authenticate(str(created.seats["north"].token))
    envoy_second = second.authenticate(str(created.seats["envoy"].token))
    assert north_first is not None and north_second is not None and envoy_second is not None
    second.view(north_second)  # the second service now holds the room as it was
    a = first.message(north_first, "from the first", disclosure="attributed")
    b = second.message(north_second, "from the second", disclosure="attributed")
    assert b.seq == a.seq + 1
    second.act(envoy_second, {"kind": "propose", "outcome": ["oslo", "two"]})
    with pytest.raises(RefusedError, match="may not propose"):
        first.act(envoy_second, {"kind": "propose", "outcome": ["oslo", "two"]})


def test_handing_a_seat_to_an_agent_lets_it_act_and_back_gives_people_a_link(service: RoomService) -> None:
    created = service.create_room(
        ROOM_SCENARIO, "one-text", agents={"envoy": "drafter", "south": "boulware"}, rounds=3
    )
    north = service.authenticate(str(created.seats["north"].token))
    assert north is not None and service.view(north)["turn"]["must_act"]
    service.hand_seat(created.room, "north", "boulware")
    state = service.state(created.room)
    assert state.result is not None  # with every seat held by agents, the talks ran to their end
    north_moves = [
        record.data for record in state.records if record.kind == "action" and record.seat == "north"
    ]
    assert north_moves and all(move["agent"] == "boulware-v1" for move in north_moves)
    with pytest.raises(RefusedError, match="held by the agent boulware-v1"):
        service.act(north, {"kind": "walk-away", "reason": ""})
    back = service.hand_seat(created.room, "envoy", None)
    envoy = service.authenticate(str(back.token))
    assert envoy is not None and envoy.seat == "envoy"


def test_agents_act_on_a_worker_after_the_command_is_acknowledged(store: Store) -> None:
    service = RoomService(store)
    try:
        created = service.create_room(
            ROOM_SCENARIO, "one-text", agents={"envoy": "drafter", "south": "boulware"}
        )
        assert service.settle(30)
        north = service.authenticate(str(created.seats["north"].token))
        assert north is not None
        assert service.view(north)["turn"]["must_act"]
        service.act(north, {"kind": "critique", "requests": []})
        assert service.settle(30)
        view = service.view(north)
        assert view["turn"]["must_act"] and view["protocol"]["round"] == 1
    finally:
        service.close()


def test_a_person_who_lets_the_time_pass_is_recorded_by_expire(service: RoomService) -> None:
    created = service.create_room(ROOM_SCENARIO, "one-text", agents={"envoy": "drafter"}, round_seconds=30)
    north = service.authenticate(str(created.seats["north"].token))
    assert north is not None
    started = datetime.fromisoformat(service.state(created.room).turn_started)
    assert service.expire(started + timedelta(seconds=10)) == 0
    assert service.expire(started + timedelta(seconds=31)) == 1
    [timed_out] = [item for item in service.items(north) if item["kind"] == "action"]
    assert timed_out["action"] == {"kind": "critique", "requests": []}
    assert timed_out["note"] == "the time limit of 30 s passed"
    state = service.state(created.room)
    envoys_move = [record for record in state.records if record.kind == "action" and record.seat == "envoy"][
        -1
    ]
    assert state.turn_started == envoys_move.created_at and state.awaited == ("north", "south")
    assert service.expire(datetime.now(UTC)) == 0
    assert state.turn("north").allowed == ("vote", "walk-away")  # nobody objected: the envoy called the vote
    # Another process's service (rooms not yet in its memory) records the next time-out: a vote has
    # no way to pass, so the overdue delegations walk away, which ends the talks.
    restarted = RoomService(service.store, background=False)
    assert restarted.expire(datetime.fromisoformat(state.turn_started) + timedelta(seconds=31)) == 1
    ended = service.state(created.room)
    assert ended.result is not None and ended.result.reason == "walk-out"
    assert [item["action"]["kind"] for item in service.items(north) if item["kind"] == "action"] == [
        "critique",
        "walk-away",
    ]


def test_unknown_rooms_and_seats_are_not_found(service: RoomService) -> None:
    created = service.create_room(ROOM_SCENARIO, "one-text")
    with pytest.raises(NotFoundError, match="no such room"):
        service.state("nowhere")
    with pytest.raises(NotFoundError, match="no seat 'west'"):
        service.export(created.room, seat="west")
    assert service.export(created.room, seat="NORTH") == service.export(created.room, seat="north")


def test_commands_from_many_threads_and_two_services_are_each_recorded_once(store: Store) -> None:
    import threading

    services = [RoomService(store), RoomService(store)]
    created = services[0].create_room(ROOM_SCENARIO, "shuttle", agents={"envoy": "nash-mediator"}, rounds=50)
    acknowledged: list[tuple[str, int]] = []
    lock = threading.Lock()

    def speak(service: RoomService, seat: str, number: int) -> None:
        access = service.authenticate(str(created.seats[seat].token))
        assert access is not None
        for turn in range(10):
            issued = service.message(access, f"{seat} {number}.{turn}", disclosure="attributed")
            with lock:
                acknowledged.append((str(issued.id), issued.seq))

    steps: list[int] = []

    def act(service: RoomService, seat: str) -> None:
        access = service.authenticate(str(created.seats[seat].token))
        assert access is not None
        issued = service.act(access, {"kind": "wait"})
        with lock:
            steps.append(issued.seq)

    threads = [
        threading.Thread(target=speak, args=(services[number % 2], seat, number))
        for number, seat in enumerate(("north", "south") * 3)
    ]
    # Both delegations consult at once, each through the other service: one of them completes the step.
    threads += [
        threading.Thread(target=act, args=(services[number], seat))
        for number, seat in enumerate(("north", "south"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for service in services:
        assert service.settle(30)
        service.close()
    assert len(steps) == 2
    records = store.read(created.room)
    assert [record.seat for record in records if record.kind == "action"][:3] in (
        ["north", "south", "envoy"],
        ["south", "north", "envoy"],
    )
    messages = {record.data["id"]: record.seq for record in records if record.kind == "message"}
    assert len(acknowledged) == 60
    assert messages == dict(acknowledged)
    assert verify_room(store, created.room).ok
    fold(None, records, room=created.room)


class _ThinkingAgent:
    """A mediator that takes its time over every move, then drafts the first package."""

    id = "thinking-v1"

    def reset(self, context: Any, rng: Any) -> None:
        self.agenda = context.agenda

    def act(self, observation: Any) -> Any:
        import time

        from accord.protocols import Propose

        time.sleep(0.6)
        return Propose(tuple(issue.values[0] for issue in self.agenda.issues))


def test_readers_never_wait_for_an_agent_that_is_thinking(store: Store) -> None:
    import time

    service = RoomService(store, build=lambda name: _ThinkingAgent())
    try:
        created = service.create_room(ROOM_SCENARIO, "one-text", agents={"envoy": "drafter"})
        north = service.authenticate(str(created.seats["north"].token))
        assert north is not None
        time.sleep(0.1)  # the envoy is thinking, under the room's lock
        began = time.monotonic()
        view = service.view(north)
        assert time.monotonic() - began < 0.3
        assert view["turn"]["must_act"] is False
        assert service.settle(10)
        assert service.view(north)["turn"]["must_act"] is True
    finally:
        service.close()
