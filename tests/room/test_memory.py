"""What the rooms keep in memory for speed cannot leak across seats or rooms, nor answer for a stale room.

The fold parses each record once and the room's state keeps the parse (``RoomState.parsed``);
every seat's items are still filtered from it by the one choke point. A service that follows the
store's fan-out answers authentication and reads from memory only while memory holds every record
it has heard of; commands decided on memory are decided again on the store's newest state when
another writer got there first, and before a refusal.
"""

from __future__ import annotations

import json
import time

from accord.room.records import parse_data
from accord.room.rules import SeatAccess
from accord.room.service import CreatedRoom, RoomService
from accord.room.state import OBSERVERS
from accord.room.testing import ROOM_SCENARIO
from accord.store import Store

from .test_views import MARKED, PREFERENCE_MARKERS


def _seats(service: RoomService, created: CreatedRoom) -> dict[str, SeatAccess]:
    tokens = {seat: link.token for seat, link in created.seats.items() if link.token is not None}
    tokens[OBSERVERS] = created.observers[0]
    seats = {}
    for seat, token in tokens.items():
        access = service.authenticate(str(token))
        assert access is not None
        seats[seat] = access
    return seats


def _talks(service: RoomService, seats: dict[str, SeatAccess], tag: str) -> dict[str, tuple[str, ...]]:
    """Each delegation's confidential words in ``tag``'s room (to the mediator, to its team), and a round."""
    markers = {}
    for seat in ("north", "south"):
        secret, team = f"private-{tag}-{seat}-5521", f"team-{tag}-{seat}-7730"
        service.message(seats[seat], secret, disclosure="mediator-only")
        service.message(seats[seat], team, to="team")
        markers[seat] = (secret, team)
    service.act(seats["envoy"], {"kind": "propose", "outcome": ["oslo", "two"]})
    service.act(seats["north"], {"kind": "critique", "requests": [["venue", "oslo", 0.5]]})
    service.act(seats["south"], {"kind": "critique", "requests": [["days", "three", 0.25]]})
    return markers


def test_the_parse_kept_in_memory_is_each_records_own_and_every_seat_reads_it_filtered(store: Store) -> None:
    service = RoomService(store, background=False)
    service.follow()
    rooms = {tag: service.create_room(MARKED, "one-text", observers=1) for tag in ("first", "second")}
    seats = {tag: _seats(service, created) for tag, created in rooms.items()}
    markers = {tag: _talks(service, seats[tag], tag) for tag in rooms}
    fresh = RoomService(store, background=False)  # another process: folds every room from the store
    for tag, created in rooms.items():
        state = service.state(created.room)
        assert len(state.parsed) == len(state.records)
        for record, data in zip(state.records, state.parsed, strict=True):
            assert data.kind == record.kind
            assert data == parse_data(record.kind, record.data)
        for seat, access in seats[tag].items():
            live = service.items(access)
            assert live == fresh.items(access), f"{tag} {seat}: memory and the store disagree"
            seen = json.dumps(live)
            other = "second" if tag == "first" else "first"
            leaked = [word for words in markers[other].values() for word in words if word in seen]
            assert leaked == [], f"{tag} {seat} sees the {other} room's {leaked}"
            for delegation in ("north", "south"):
                planted = markers[tag][delegation] + PREFERENCE_MARKERS[delegation]
                if seat == delegation:
                    continue
                if seat == "envoy":  # the mediator reads messages to it, never a team's channel
                    planted = (markers[tag][delegation][1],)
                leaked = [word for word in planted if word in seen]
                assert leaked == [], f"{tag} {seat} sees {delegation}'s {leaked}"
    fresh.close()
    service.close()


def _until(condition: object, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.02)
    return False


def test_memory_answers_only_while_it_holds_every_record_heard_of(store: Store) -> None:
    following, other = RoomService(store, background=False), RoomService(store, background=False)
    created = following.create_room(ROOM_SCENARIO, "one-text", observers=1)
    north_token = str(created.seats["north"].token)
    assert following.authenticate_in_memory(north_token) is None  # not following: memory cannot tell
    following.follow()
    north = following.authenticate_in_memory(north_token)
    assert north is not None and north.seat == "north"
    assert following.authenticate_in_memory("not a token") is None
    # Another process revokes the link: once the fan-out tells of it, memory no longer opens it.
    other.revoke_link(created.room, "north", north.member)
    assert _until(lambda: following.authenticate_in_memory(north_token) is None)
    assert following.authenticate(north_token) is None
    following.unfollow()
    other.close()
    following.close()


def test_commands_decided_on_memory_are_decided_again_on_the_newest_state(store: Store) -> None:
    first, second = RoomService(store, background=False), RoomService(store, background=False)
    created = first.create_room(ROOM_SCENARIO, "one-text")
    envoy = second.authenticate(str(created.seats["envoy"].token))
    north = first.authenticate(str(created.seats["north"].token))
    assert envoy is not None and north is not None
    # The first service's memory still has the envoy to draft, so a critique looks out of turn there;
    # the second service's draft makes it north's turn: the first refuses only after reading it.
    drafted = second.act(envoy, {"kind": "propose", "outcome": ["oslo", "two"]})
    critique = first.act(north, {"kind": "critique", "requests": []})
    assert critique.seq > drafted.seq
    # A message from the first while its memory is behind lands after the second's record.
    sent = second.message(envoy, "to the team", to="team")
    later = first.message(north, "north's word", disclosure="attributed")
    assert later.seq == sent.seq + 1
    assert [record.seq for record in store.read(created.room)] == list(range(1, later.seq + 1))
    second.close()
    first.close()
