"""The linked rooms of a process: one room per track, each carrying the process in its first record.

:func:`create_process` opens every track's room through :meth:`RoomService.create_room` with
ids chosen up front, so each room's ``room-created`` record names every track's room, the
conditions and the linked parties' seats (:class:`~accord.room.records.ProcessLink`): the rooms
find each other from their own records, and each enforces the conditions
(:mod:`accord.room.linking`). :func:`process_view` is what a seat sees of the other tracks.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.analysis.joint import analyze_process
from accord.domain import Role
from accord.domain.process import LinkedParty, Process, Track, TrackCondition
from accord.errors import AnalysisError
from accord.io import scenario_to_data
from accord.room.errors import NotFoundError
from accord.room.linking import agreed_issues
from accord.room.records import ProcessCondition, ProcessLink
from accord.room.rules import SeatAccess
from accord.room.service.application import RoomService
from accord.room.service.creating import CreatedRoom, new_room_id
from accord.room.state import RoomState
from accord.room.views import rounds_data, seat_view

__all__ = ["CreatedProcess", "create_process", "process_view"]


@dataclass(frozen=True, slots=True)
class CreatedProcess:
    """The rooms of a new process: its id, each track's room, and each linked party's seats."""

    process: str
    name: str
    rooms: Mapping[str, CreatedRoom]
    parties: Mapping[str, Mapping[str, str]]

    def to_data(self) -> dict[str, Any]:
        """``{"process", "name", "rooms": {TRACK: room data}, "parties": {PARTY: {TRACK: SEAT}}}``."""
        return {
            "process": self.process,
            "name": self.name,
            "rooms": {track: created.to_data() for track, created in self.rooms.items()},
            "parties": {party: dict(seats) for party, seats in self.parties.items()},
        }


def create_process(
    service: RoomService,
    process: Process,
    *,
    agents: Mapping[str, Mapping[str, str]] | None = None,
    observers: int = 0,
    rounds: int = 100,
    seed: int | None = None,
    preferences: str = "all",
    edit_preferences: str = "before",
    round_seconds: float | None = None,
) -> CreatedProcess:
    """One room per track of ``process`` (``agents``: track → seat → agent id; the rest people), each
    with the settings given (as :meth:`RoomService.create_room` takes them)."""
    identifier = "p-" + secrets.token_hex(6)
    room_ids = {track.name: new_room_id() for track in process.tracks}
    conditions = tuple(
        ProcessCondition(
            track=item.track,
            issue=item.issue,
            requires_track=item.requires_track,
            requires_issue=item.requires_issue,
            reason=item.reason,
        )
        for item in process.conditions
    )
    parties = {party.name: dict(party.seats) for party in process.parties}
    weights = {
        party.name: {track: party.weight(track) for track, _ in party.seats}
        for party in process.parties
        if party.weights
    }
    created = {}
    for track in process.tracks:
        link = ProcessLink(
            id=identifier,
            name=process.name,
            track=track.name,
            rooms=room_ids,
            conditions=conditions,
            parties=parties,
            weights=weights,
        )
        text = json.dumps(scenario_to_data(track.scenario), ensure_ascii=False, indent=1)
        created[track.name] = service.create_room(
            text,
            track.protocol,
            agents=dict((agents or {}).get(track.name, {})),
            observers=observers,
            rounds=rounds,
            seed=seed,
            preferences=preferences,
            edit_preferences=edit_preferences,
            round_seconds=round_seconds,
            source=f"track {track.name!r}",
            first_round=track.rounds[0].label if track.rounds else "",
            room=room_ids[track.name],
            process=link,
        )
    return CreatedProcess(identifier, process.name, created, parties)


def _siblings(service: RoomService, link: ProcessLink) -> dict[str, RoomState]:
    found = {}
    for track, room in link.rooms.items():
        try:
            found[track] = service.state(room)
        except NotFoundError:
            continue
    return found


def _process_of(link: ProcessLink, states: Mapping[str, RoomState]) -> Process:
    """The process as the rooms hold it now (their scenarios with the preferences as the delegations last
    set them, protocols, conditions and linked parties)."""
    tracks = tuple(Track(track, state.scenario, state.created.protocol) for track, state in states.items())
    conditions = tuple(
        TrackCondition(item.track, item.issue, item.requires_track, item.requires_issue, item.reason)
        for item in link.conditions
        if item.track in states and item.requires_track in states
    )
    linked = []
    for name, seats in link.parties.items():
        present = tuple((track, seat) for track, seat in seats.items() if track in states)
        if len(present) < 2:
            continue
        stated = link.weights.get(name)
        weights = tuple(stated.get(track, 1.0) for track, _ in present) if stated else ()
        linked.append(LinkedParty(name, present, weights=weights))
    return Process(link.name, tracks, tuple(linked), conditions)


#: Why a mediator holding only disclosed preferences gets no joint analysis.
_WITHHELD = (
    "no joint analysis: this room's mediator holds only the preferences delegations disclosed, and the "
    "joint analysis would show every party's worth in every track"
)


#: The joint analyses, by process and what each track's preferences are (bounded): every page of a
#: mediator's console asks for it, and a large process's takes seconds.
_ANALYSES: dict[tuple[Any, ...], dict[str, Any]] = {}
_ANALYSES_LOCK = threading.Lock()
_ANALYSES_SIZE = 16


def _joint_analysis(link: ProcessLink, states: Mapping[str, RoomState]) -> dict[str, Any]:
    """:func:`analyze_process`'s JSON for the tracks as they stand (or ``{"error": reason}``), computed
    once for each set of the delegations' preferences."""
    key = (
        link.id,
        tuple(
            (track, state.room, tuple(sorted(state.preferences_set.items())))
            for track, state in sorted(states.items())
        ),
    )
    with _ANALYSES_LOCK:
        if key in _ANALYSES:
            return _ANALYSES[key]
    try:
        result = analyze_process(_process_of(link, states)).to_dict()
    except (AnalysisError, ValueError) as error:
        result = {"error": str(error)}
    with _ANALYSES_LOCK:
        if len(_ANALYSES) >= _ANALYSES_SIZE:
            _ANALYSES.pop(next(iter(_ANALYSES)))
        _ANALYSES[key] = result
    return result


def process_view(service: RoomService, access: SeatAccess) -> dict[str, Any] | None:
    """What the seat sees of its room's process, or ``None`` outside one.

    Every seat: the process's name, the tracks (their rooms, rounds, whether their talks ended and
    which issues they agreed) and the conditions. A delegation: its own linked seats in the other
    tracks, each with that seat's view (:func:`accord.room.views.seat_view`), side by side with its
    own — never another party's seat. The mediator: every track's agenda and result as observers
    see them, and the joint analysis (:func:`accord.analysis.joint.analyze_process`) — withheld when
    its room gives the mediator only the preferences delegations disclose (``disclosed``), since the
    analysis would show every party's worth.
    """
    state = service.state(access.room)
    link = state.created.process
    if link is None:
        return None
    states = _siblings(service, link)
    tracks = {
        track: {
            "room": other.room,
            "protocol": other.created.protocol,
            "rounds": rounds_data(other),
            "ended": None if other.result is None else other.result.reason,
            "agreed": sorted(agreed_issues(other)),
        }
        for track, other in states.items()
    }
    view: dict[str, Any] = {
        "id": link.id,
        "name": link.name,
        "track": link.track,
        "tracks": tracks,
        "conditions": [item.model_dump(mode="json") for item in link.conditions],
    }
    if access.role is Role.DELEGATION:
        party = next(
            (name for name, seats in link.parties.items() if seats.get(link.track) == access.seat), None
        )
        linked = {} if party is None else link.parties[party]
        view["party"] = party
        view["seats"] = {
            track: seat_view(states[track], seat)
            for track, seat in linked.items()
            if track != link.track and track in states
        }
    elif access.role is Role.MEDIATOR:
        view["texts"] = {
            track: seat_view(other, "observers")["agenda"]
            for track, other in states.items()
            if track != link.track
        }
        if state.created.settings.preferences == "disclosed":
            view["analysis"] = {"error": _WITHHELD}
            return view
        view["analysis"] = _joint_analysis(link, states)
    return view
