"""`accord room create / verify / export`, in-process through `accord.cli.main`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from accord.cli import main
from accord.room.service import RoomService
from accord.room.testing import ROOM_SCENARIO
from accord.store import open_store

GENEVA = Path(__file__).resolve().parents[2] / "examples" / "geneva-2017.yaml"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # --db defaults to sqlite:///accord.db in the working folder
    return tmp_path / "accord.db"


def _create(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, object]:
    assert main(["room", "create", str(GENEVA), "--json", *arguments]) == 0
    created: dict[str, object] = json.loads(capsys.readouterr().out)
    return created


def test_create_prints_the_room_its_seats_and_tokens_as_json(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    created = _create(
        capsys,
        "--protocol",
        "one-text",
        "--agents",
        "UN Special Envoy=drafter,Cairo platform=boulware-v1",
        "--observers",
        "2",
    )
    assert database.exists()
    assert list(created) == ["room", "seats", "observers"]
    seats = created["seats"]
    assert isinstance(seats, dict)
    assert list(seats) == [
        "UN Special Envoy",
        "Government",
        "High Negotiations Committee",
        "Moscow platform",
        "Cairo platform",
    ]
    assert seats["UN Special Envoy"] == {"holder": "agent", "agent": "drafter-v1", "token": None}
    assert seats["Cairo platform"] == {"holder": "agent", "agent": "boulware-v1", "token": None}
    for seat in ("Government", "High Negotiations Committee", "Moscow platform"):
        assert set(seats[seat]) == {"holder", "agent", "token"}
        assert seats[seat]["holder"] == "person" and seats[seat]["agent"] is None
        assert isinstance(seats[seat]["token"], str) and len(seats[seat]["token"]) >= 43
    observers = created["observers"]
    assert isinstance(observers, list) and len(observers) == 2
    with open_store("sqlite:///accord.db") as store:
        service = RoomService(store, background=False)
        access = service.authenticate(seats["Government"]["token"])
        assert access is not None and access.room == created["room"] and access.seat == "Government"


def test_create_without_json_prints_each_seats_link(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["room", "create", str(GENEVA), "--protocol", "alternating-offers"]) == 0
    out = capsys.readouterr().out
    assert "Government: people, token " in out
    assert out.count(": people, token ") == 4


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--protocol", "one-text", "--agents", "Nobody=drafter"],
            "accord: error: --agents: no seat 'Nobody'",
        ),
        (
            ["--protocol", "one-text", "--agents", "Government"],
            "accord: error: --agents: expected SEAT=AGENT, e.g. Government=boulware, got 'Government'",
        ),
        (
            ["--protocol", "one-text", "--agents", "Government=drafter"],
            "accord: error: --agents: seat 'Government': agent 'drafter-v1'",
        ),
        (["--protocol", "haggling"], "accord: error: --protocol: unknown protocol 'haggling'"),
        (["--protocol", "one-text", "--db", "mysql://nowhere/x"], "accord: error: --db: "),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    database: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    assert main(["room", "create", str(GENEVA), *arguments]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_verify_holds_then_names_the_record_that_was_altered(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    room = str(_create(capsys, "--protocol", "one-text", "--agents", "UN Special Envoy=drafter")["room"])
    assert main(["room", "verify", room]) == 0
    line = capsys.readouterr().out
    assert line.count("\n") == 1 and "the chain holds" in line
    with sqlite3.connect(database) as connection:
        tamper = "UPDATE records SET data = replace(data, 'propose', 'call-vote') WHERE room = ? AND kind = ?"
        connection.execute(tamper, (room, "action"))
        [altered] = connection.execute(
            "SELECT seq FROM records WHERE room = ? AND kind = 'action'", (room,)
        ).fetchone()
    assert main(["room", "verify", room]) == 1
    out = capsys.readouterr().out
    assert f"record {altered} was altered" in out


def test_verify_names_a_removed_record(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    room = str(_create(capsys, "--protocol", "one-text")["room"])
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM records WHERE room = ? AND seq = 3", (room,))
    assert main(["room", "verify", room]) == 1
    assert "record 3" in capsys.readouterr().out


def test_verify_and_export_refuse_an_unknown_room(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _create(capsys, "--protocol", "one-text")
    output = str(tmp_path / "record.jsonl")
    for argv in (["room", "verify", "elsewhere"], ["room", "export", "elsewhere", "-o", output]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err == "accord: error: ROOM: no room 'elsewhere' in sqlite:///accord.db\n"
    assert main(["room", "verify", ""]) == 2  # WHERE even for an empty id
    assert capsys.readouterr().err.startswith("accord: error: ROOM: no room '' in ")
    assert not Path(output).exists()


def test_export_names_the_option_of_a_misnamed_output(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    room = str(_create(capsys, "--protocol", "one-text")["room"])
    output = str(tmp_path / "record.json")
    assert main(["room", "export", room, "-o", output]) == 2
    err = capsys.readouterr().err
    assert err == f"accord: error: --output: the file name must end in .jsonl, got {output!r}\n"


def test_export_writes_the_whole_record_or_what_one_seat_was_shown(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    created = _create(
        capsys, "--protocol", "one-text", "--agents", "UN Special Envoy=drafter", "--observers", "1"
    )
    room = str(created["room"])
    with open_store("sqlite:///accord.db") as store:
        service = RoomService(store, background=False)
        seats = created["seats"]
        assert isinstance(seats, dict)
        government = service.authenticate(seats["Government"]["token"])
        assert government is not None
        service.act(government, {"kind": "critique", "requests": [["elections", "existing-schedule", 0.9]]})
        service.message(government, "ready to talk", disclosure="mediator-only")
        sent = service.items(government)
        records = [record.to_dict() for record in store.read(room)]
    assert main(["room", "export", room, "--output", str(tmp_path / "whole.jsonl")]) == 0
    whole = [json.loads(line) for line in (tmp_path / "whole.jsonl").read_text(encoding="utf-8").splitlines()]
    assert whole == records
    assert (
        main(["room", "export", room, "--seat", "Government", "--output", str(tmp_path / "government.jsonl")])
        == 0
    )
    lines = (tmp_path / "government.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == sent
    assert (
        main(
            ["room", "export", room, "--seat", "Moscow platform", "--output", str(tmp_path / "moscow.jsonl")]
        )
        == 0
    )
    moscow = (tmp_path / "moscow.jsonl").read_text(encoding="utf-8")
    assert "existing-schedule" not in moscow and "ready to talk" not in moscow
    assert main(["room", "export", room, "--seat", "West", "--output", str(tmp_path / "west.jsonl")]) == 2
    assert "accord: error: --seat: no seat 'West' (known: UN Special Envoy, " in capsys.readouterr().err
    assert main(["room", "export", room, "--output", str(tmp_path / "whole.json")]) == 2


def test_rooms_can_be_created_from_scenario_text_too(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'text.db'}") as store:
        created = RoomService(store, background=False).create_room(ROOM_SCENARIO, "one-text")
        assert created.room in store.rooms()


def test_link_lists_the_seats_awaiting_a_new_link_and_issues_one(
    database: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    created = _create(capsys, "--protocol", "one-text")
    room = str(created["room"])
    seats = created["seats"]
    assert isinstance(seats, dict)
    with open_store("sqlite:///accord.db") as store:
        service = RoomService(store, background=False)
        envoy = service.authenticate(seats["UN Special Envoy"]["token"])
        assert envoy is not None
        service.request_link(envoy, "Government")
        old = seats["Government"]["token"]
        assert service.authenticate(old) is None
        service.close()
    assert main(["room", "link", room]) == 0
    assert "awaiting a new link" in capsys.readouterr().out.replace("\n", " ")
    assert main(["room", "link", room, "--seat", "government", "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["seat"] == "Government" and answer["room"] == room
    assert main(["room", "link", room, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["waiting"] == []
    with open_store("sqlite:///accord.db") as store:
        access = RoomService(store, background=False).authenticate(answer["token"])
        assert access is not None and access.seat == "Government"
    assert main(["room", "link", room, "--seat", "Nobody"]) == 2
    assert "accord: error: --seat:" in capsys.readouterr().err
