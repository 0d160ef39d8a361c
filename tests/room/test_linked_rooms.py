"""Linked rooms of a process: conditions enforced by both rooms, the side-by-side view, who sees what."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from accord.analysis.joint import analyze_process
from accord.cli import main
from accord.cli.process import load_process_file
from accord.room.errors import RefusedError
from accord.room.linking import agreed_issues
from accord.room.rules import SeatAccess
from accord.room.service import RoomService
from accord.room.service.processes import CreatedProcess, create_process
from accord.store import Store, open_store
from process_files import write_process

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "geneva-astana-2017.yaml"
DEAL = ["alpha", "beta"]


def _people(service: RoomService, created: CreatedProcess) -> dict[tuple[str, str], SeatAccess]:
    seats = {}
    for track, room in created.rooms.items():
        for seat, link in room.seats.items():
            if link.token is not None:
                access = service.authenticate(link.token)
                assert access is not None
                seats[(track, seat)] = access
    return seats


def _agree(service: RoomService, seats: dict[tuple[str, str], SeatAccess], track: str) -> None:
    """Government offers the deal in ``track``; every other delegation accepts it."""
    service.act(seats[(track, "Government")], {"kind": "offer", "outcome": DEAL})
    others = [seat for (name, seat) in seats if name == track and seat != "Government"]
    for seat in others:
        service.act(seats[(track, seat)], {"kind": "accept"})


@pytest.mark.parametrize("reverse", [False, True])
def test_an_agreement_breaking_a_condition_is_refused_in_either_room_naming_the_other_track(
    service: RoomService, tmp_path: Path, reverse: bool
) -> None:
    created = create_process(service, load_process_file(str(write_process(tmp_path, reverse=reverse))))
    seats = _people(service, created)
    waiting, required = ("Ceasefire", "Politics") if reverse else ("Politics", "Ceasefire")
    service.act(seats[(waiting, "Government")], {"kind": "offer", "outcome": DEAL})
    last = [seat for (name, seat) in seats if name == waiting and seat != "Government"]
    for seat in last[:-1]:
        service.act(seats[(waiting, seat)], {"kind": "accept"})
    with pytest.raises(RefusedError) as refused:
        service.act(seats[(waiting, last[-1])], {"kind": "accept"})
    assert refused.value.seat == last[-1] and refused.value.action == "accept"
    assert f"in track {required!r} is (not yet agreed in that track)" in refused.value.reason
    assert service.state(created.rooms[waiting].room).result is None  # nothing recorded
    # Once the other track agrees, the same acceptance goes through.
    _agree(service, seats, required)
    service.act(seats[(waiting, last[-1])], {"kind": "accept"})
    for room in created.rooms.values():
        result = service.state(room.room).result
        assert result is not None and result.reason == "agreement"


def test_agents_in_every_seat_wait_for_the_other_track_then_agree(
    service: RoomService, tmp_path: Path
) -> None:
    process = load_process_file(str(write_process(tmp_path)))
    agents = {
        "Politics": {"Government": "boulware", "Opposition": "boulware"},
        "Ceasefire": {"Government": "boulware", "Opposition": "boulware", "Guarantor": "boulware"},
    }
    created = create_process(service, process, agents=agents, rounds=30, seed=3)
    politics = service.state(created.rooms["Politics"].room)
    ceasefire = service.state(created.rooms["Ceasefire"].room)
    assert ceasefire.result is not None and ceasefire.result.reason == "agreement"
    assert politics.result is not None and politics.result.reason == "agreement"
    # Politics, created first, could not agree until the ceasefire track had.
    assert politics.records[-1].created_at >= ceasefire.records[-1].created_at


def test_a_delegation_sees_its_own_seats_side_by_side_and_nothing_of_another_partys(
    service: RoomService, tmp_path: Path
) -> None:
    created = create_process(service, load_process_file(str(write_process(tmp_path))))
    seats = _people(service, created)
    government = service.process_view(seats[("Politics", "Government")])
    assert government is not None
    assert (government["track"], government["party"]) == ("Politics", "Government")
    assert set(government["seats"]) == {"Ceasefire"}
    other = government["seats"]["Ceasefire"]
    assert other["seat"] == "Government" and other["room"] == created.rooms["Ceasefire"].room
    assert set(other["preferences"]["delegations"]) == {"Government"}
    assert "analysis" not in government and "texts" not in government
    rebels = service.process_view(seats[("Ceasefire", "Opposition")])
    assert rebels is not None and rebels["party"] == "Rebels"
    assert set(rebels["seats"]) == {"Politics"} and rebels["seats"]["Politics"]["seat"] == "Opposition"
    assert set(rebels["seats"]["Politics"]["preferences"]["delegations"]) == {"Opposition"}
    guarantor = service.process_view(seats[("Ceasefire", "Guarantor")])
    assert guarantor is not None and guarantor["seats"] == {}
    # No seat's process view holds another party's seat or preferences (the linked parties here sit
    # under the same seat name in both tracks).
    for (_, seat), access in seats.items():
        view = service.process_view(access)
        assert view is not None
        for shown in view["seats"].values():
            assert shown["seat"] == seat
            assert set(shown["preferences"]["delegations"]) == {seat}


def test_the_mediator_sees_every_track_and_the_joint_analysis(service: RoomService) -> None:
    created = create_process(service, load_process_file(str(EXAMPLE)))
    envoy = service.authenticate(str(created.rooms["Geneva"].seats["UN Special Envoy"].token))
    assert envoy is not None
    view = service.process_view(envoy)
    assert view is not None
    assert set(view["tracks"]) == {"Geneva", "Astana"}
    assert [item["label"] for item in view["tracks"]["Astana"]["rounds"]["held"]] == ["Astana I"]
    assert [issue["name"] for issue in view["texts"]["Astana"]["issues"]] == [
        "ceasefire-monitoring",
        "humanitarian-access",
        "detainees",
    ]
    assert view["analysis"]["joint_pareto_size"] == 215
    # The rooms weigh a linked party's tracks as the process file states (the armed factions 0.4/0.6):
    # the console's joint analysis is the command line's.
    expected = analyze_process(load_process_file(str(EXAMPLE))).to_dict()

    def by_party(analysis: dict[str, Any]) -> dict[str, tuple[float, dict[str, float]]]:
        return {party["name"]: (party["reservation"], party["weights"]) for party in analysis["parties"]}

    assert by_party(view["analysis"]) == by_party(expected)
    assert by_party(view["analysis"])["Armed factions"][1] == {"Geneva": 0.4, "Astana": 0.6}
    assert view["analysis"]["separate_nash"]["worth"] == pytest.approx(expected["separate_nash"]["worth"])
    assert view["analysis"]["separate_nash"]["worth"]["Armed factions"] == pytest.approx(0.512)
    assert view["conditions"][0]["requires_track"] == "Astana"
    # A room outside a process has no process view.
    plain = service.create_room(Path(EXAMPLE).with_name("astana-2017.yaml"), "alternating-offers")
    access = service.authenticate(str(plain.seats["Russia"].token))
    assert access is not None and service.process_view(access) is None


def test_the_joint_analysis_rests_on_the_preferences_the_delegations_set_in_their_rooms(
    service: RoomService,
) -> None:
    created = create_process(service, load_process_file(str(EXAMPLE)))
    seats = {track: room.seats for track, room in created.rooms.items()}
    envoy = service.authenticate(str(seats["Geneva"]["UN Special Envoy"].token))
    government = service.authenticate(str(seats["Geneva"]["Government"].token))
    assert envoy is not None and government is not None
    preferences = service.view(government)["preferences"]["delegations"]["Government"]

    def reservation() -> float:
        view = service.process_view(envoy)
        assert view is not None
        parties = {party["name"]: party for party in view["analysis"]["parties"]}
        found: float = parties["Government"]["reservation"]
        return found

    before = reservation()
    service.set_preferences(government, {**preferences, "reservation": 0.05})
    assert service.view(envoy)["preferences"]["delegations"]["Government"]["reservation"] == 0.05
    assert reservation() == pytest.approx(before - preferences["reservation"] + 0.05)


def test_the_command_line_creates_the_linked_rooms(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite:///{tmp_path / 'rooms.db'}"
    assert (
        main(
            ["room", "create", str(EXAMPLE), "--db", database, "--json", "--agents", "Astana:Russia=boulware"]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert set(data["rooms"]) == {"Geneva", "Astana"}
    assert data["rooms"]["Astana"]["seats"]["Russia"]["holder"] == "agent"
    assert data["parties"]["Armed factions"] == {
        "Geneva": "High Negotiations Committee",
        "Astana": "Armed opposition",
    }
    assert main(["room", "create", str(EXAMPLE), "--db", database, "--protocol", "shuttle"]) == 2
    assert "--protocol: a process file names each track's protocol" in capsys.readouterr().err
    assert main(["room", "create", str(EXAMPLE), "--db", database, "--agents", "Oslo:Russia=boulware"]) == 2
    assert "no track named 'Oslo'" in capsys.readouterr().err


def test_the_command_line_gives_every_track_the_rooms_settings_and_refuses_what_it_cannot_apply(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite:///{tmp_path / 'rooms.db'}"
    settings = ["--preferences", "disclosed", "--edit-preferences", "during", "--round-seconds", "60"]
    assert main(["room", "create", str(EXAMPLE), "--db", database, "--json", *settings]) == 0
    data = json.loads(capsys.readouterr().out)
    with open_store(database) as store:
        service = RoomService(store, background=False)
        try:
            for track in ("Geneva", "Astana"):
                created = service.state(data["rooms"][track]["room"]).created.settings
                assert (created.preferences, created.edit_preferences, created.round_seconds) == (
                    "disclosed",
                    "during",
                    60,
                ), track
            envoy = service.authenticate(data["rooms"]["Geneva"]["seats"]["UN Special Envoy"]["token"])
            assert envoy is not None
            # Nothing disclosed: the envoy holds no delegation's preferences, in its room or through the
            # joint analysis of the process (which would show every party's worth).
            assert service.view(envoy)["preferences"]["delegations"] == {}
            view = service.process_view(envoy)
            assert view is not None and set(view["analysis"]) == {"error"}
            assert "disclosed" in view["analysis"]["error"]
        finally:
            service.close()
    for option, value, reason in (
        ("--join", "HNC+Cairo", "--join: joins the delegations of a scenario file, not a process's"),
        ("--round", "Geneva IV", "--round: a process file names each track's rounds"),
    ):
        assert main(["room", "create", str(EXAMPLE), "--db", database, option, value]) == 2
        assert capsys.readouterr().err == f"accord: error: {reason}\n"


def test_a_text_paragraph_agreed_too_early_is_refused_naming_the_other_track(service: RoomService) -> None:
    created = create_process(service, load_process_file(str(EXAMPLE)))
    seats = _people(service, created)
    envoy = seats[("Geneva", "UN Special Envoy")]
    agree = {
        "kind": "agree-ad-referendum",
        "paragraph": "counter-terrorism",
        "alternative": "security-governance-basket",
    }
    with pytest.raises(RefusedError) as refused:
        service.change_text(envoy, agree)
    assert refused.value.seat == "UN Special Envoy" and refused.value.action == "agree-ad-referendum"
    assert "ceasefire-monitoring in track 'Astana'" in refused.value.reason
    # A paragraph no condition holds back may be agreed.
    service.change_text(
        envoy, {**agree, "paragraph": "elections", "alternative": "un-supervised-within-18-months"}
    )
    # Astana settles (Russia offers; the four others accept), and the paragraph may be agreed.
    astana = ["Russia", "Turkey", "Iran", "Government", "Armed opposition"]
    deal = ["trilateral-mechanism", "agreed-monthly-plan", "lists-and-phased-releases"]
    service.act(seats[("Astana", "Russia")], {"kind": "offer", "outcome": deal})
    for seat in astana[1:]:
        service.act(seats[("Astana", seat)], {"kind": "accept"})
    assert service.state(created.rooms["Astana"].room).result is not None
    service.change_text(envoy, agree)
    view = service.process_view(envoy)
    assert view is not None and "ceasefire-monitoring" in view["tracks"]["Astana"]["agreed"]
    assert set(view["tracks"]["Geneva"]["agreed"]) == {"counter-terrorism", "elections"}


class _OtherWriterFirst:
    """A store through which, just before the first append to ``room``, another writer acts: the
    moment between a decision and its append that two rooms (or two servers) deciding at once share."""

    def __init__(self, store: Store, room: str, meanwhile: Callable[[], object]) -> None:
        self._store, self._room, self._meanwhile = store, room, meanwhile

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def append(self, room: str, *args: Any, **kwargs: Any) -> Any:
        if room == self._room and self._meanwhile is not None:
            meanwhile, self._meanwhile = self._meanwhile, None
            meanwhile()
        return self._store.append(room, *args, **kwargs)


def test_a_condition_holds_when_both_tracks_change_at_once(store: Store, tmp_path: Path) -> None:
    """The envoy agrees the political track's counter-terrorism paragraph (it waits on the ceasefire
    track's monitoring, agreed) while, in between that decision and its append, another server
    reopens monitoring. Each decision alone is legal; together they break the condition. The append
    that rests on the ceasefire room's old state is refused, decided again and refused with the reason."""
    path = write_process(tmp_path)
    path.write_text(path.read_text().replace("protocol: alternating-offers", "protocol: one-text"))
    other_server = RoomService(store, background=False)
    created = create_process(other_server, load_process_file(str(path)))
    politics, ceasefire = created.rooms["Politics"].room, created.rooms["Ceasefire"].room
    envoys = {
        track: other_server.authenticate(created.rooms[track].seats["Envoy"].token or "")
        for track in ("Politics", "Ceasefire")
    }
    assert envoys["Politics"] is not None and envoys["Ceasefire"] is not None
    agree_monitoring = {"kind": "agree-ad-referendum", "paragraph": "monitoring", "alternative": "alpha"}
    other_server.change_text(envoys["Ceasefire"], agree_monitoring)

    def reopen_monitoring() -> None:
        assert envoys["Ceasefire"] is not None
        other_server.change_text(envoys["Ceasefire"], {"kind": "reopen", "paragraph": "monitoring"})

    racing = RoomService(cast(Store, _OtherWriterFirst(store, politics, reopen_monitoring)), background=False)
    try:
        with pytest.raises(RefusedError) as refused:
            racing.change_text(
                envoys["Politics"],
                {"kind": "agree-ad-referendum", "paragraph": "counter-terrorism", "alternative": "alpha"},
            )
    finally:
        racing.close()
        other_server.close()
    assert "monitoring in track 'Ceasefire'" in refused.value.reason
    service = RoomService(store, background=False)
    try:
        assert agreed_issues(service.state(ceasefire)) == frozenset()
        assert agreed_issues(service.state(politics)) == frozenset()  # nothing recorded on the old state
    finally:
        service.close()


def test_the_joint_analysis_is_computed_once_until_preferences_change(
    service: RoomService, monkeypatch: pytest.MonkeyPatch
) -> None:
    import accord.room.service.processes as processes

    calls: list[int] = []

    def counted(process: Any) -> Any:
        calls.append(1)
        return analyze_process(process)

    monkeypatch.setattr(processes, "analyze_process", counted)
    created = create_process(service, load_process_file(str(EXAMPLE)))
    seats = {track: room.seats for track, room in created.rooms.items()}
    envoy = service.authenticate(str(seats["Geneva"]["UN Special Envoy"].token))
    government = service.authenticate(str(seats["Astana"]["Government"].token))
    assert envoy is not None and government is not None
    first, again = service.process_view(envoy), service.process_view(envoy)
    assert first is not None and again is not None and first["analysis"] == again["analysis"]
    assert len(calls) == 1  # every page of the console asks: a large process's analysis takes seconds
    preferences = service.view(government)["preferences"]["delegations"]["Government"]
    service.set_preferences(government, {**preferences, "reservation": 0.05})
    changed = service.process_view(envoy)
    assert len(calls) == 2 and changed is not None and changed["analysis"] != first["analysis"]
