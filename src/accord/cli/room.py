"""``accord room``: create a room, verify its record, export it, give a seat a new link.

``accord room create SCENARIO --protocol ID [--agents SEAT=AGENT,...] [--observers N]
[--preferences all|disclosed] [--edit-preferences before|during] [--round-seconds S] [--rounds R]
[--db URL] [--json]``,
``accord room adjourn ROOM``, ``accord room reconvene ROOM --round LABEL``,
``accord room verify ROOM [--db URL]`` and
``accord room export ROOM [--seat SEAT] [--db URL] --output F.jsonl`` and
``accord room link ROOM [--seat SEAT] [--db URL] [--json]`` (the seats awaiting a new link, or a
new link to one seat: the organiser's, for a seat whose links the mediator revoked).
``--db`` defaults to ``sqlite:///accord.db`` in the working folder.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from accord.cli.arguments import JoinOnce, count, positive_number, rounds
from accord.cli.outputs import add_force, refuse_to_overwrite
from accord.cli.shown import shown
from accord.cli.wording import counted
from accord.errors import ArgumentError, InputError

if TYPE_CHECKING:
    from accord.room.service import CreatedRoom
    from accord.store import Store

__all__ = ["register"]

#: The store the commands use unless ``--db`` names another: ``accord.store.DEFAULT_URL``, said here
#: so that ``accord --help`` does not load the database drivers.
DATABASE_HELP = "the store's URL (default: sqlite:///accord.db in the working folder)"


def register(subcommands: Any) -> None:
    room = subcommands.add_parser(
        "room", help="rooms where people and agents negotiate: create, verify, export, link"
    )
    commands = room.add_subparsers(dest="room_command", metavar="COMMAND", required=True)
    create = commands.add_parser("create", help="create a room and print its links")
    create.add_argument(
        "scenario",
        type=Path,
        metavar="SCENARIO",
        help="an Accord scenario file, or a process file: one linked room per track (YAML or JSON)",
    )
    create.add_argument(
        "--protocol",
        help="protocol id or bare name (see `accord list protocols`); required for a scenario, "
        "a process file names each track's",
    )
    create.add_argument(
        "--agents",
        metavar="SEAT=AGENT[,...]",
        default="",
        help="seats held by agents (the others: by people); for a process, TRACK:SEAT=AGENT, "
        "or SEAT=AGENT for that seat in every track",
    )
    create.add_argument("--observers", type=count, default=0, help="how many observers' links (default 0)")
    create.add_argument(
        "--join",
        action=JoinOnce,
        metavar="A+B[+C]",
        help="seat these delegations as one joint delegation (NAME=WEIGHT weights them; as `accord analyze "
        "--join`); a room on the file as written seats them apart",
    )
    create.add_argument(
        "--preferences",
        choices=("all", "disclosed"),
        default="all",
        help="what the mediator holds: every delegation's preferences, or those disclosed to it "
        "(default %(default)s)",
    )
    create.add_argument(
        "--edit-preferences",
        choices=("before", "during"),
        default="before",
        help="when a delegation may change its own preferences at its desk: before the talks begin, "
        "or during them too (default %(default)s)",
    )
    create.add_argument(
        "--round-seconds",
        type=positive_number,
        help="how long an awaited person has to act (default: no limit)",
    )
    create.add_argument("--rounds", type=rounds, default=100, help="the protocol's deadline (default 100)")
    create.add_argument(
        "--round", metavar="LABEL", default="", help="the first round's label (default: Round 1)"
    )
    create.add_argument("--db", help=DATABASE_HELP)
    create.add_argument("--json", action="store_true", help="print the room, its seats and tokens as JSON")
    create.set_defaults(handler=create_command)
    adjourn = commands.add_parser(
        "adjourn", help="adjourn a room's talks: the round closes, no action is taken"
    )
    adjourn.add_argument("room", metavar="ROOM", help="the room's id (as `accord room create` printed it)")
    adjourn.add_argument("--db", help=DATABASE_HELP)
    adjourn.set_defaults(handler=adjourn_command)
    reconvene = commands.add_parser("reconvene", help="reconvene an adjourned room for its next round")
    reconvene.add_argument("room", metavar="ROOM", help="the room's id (as `accord room create` printed it)")
    reconvene.add_argument(
        "--round", metavar="LABEL", required=True, help="the new round's label, e.g. 'Geneva V'"
    )
    reconvene.add_argument("--db", help=DATABASE_HELP)
    reconvene.set_defaults(handler=reconvene_command)
    verify = commands.add_parser("verify", help="check a room's hash chain and replay its record")
    verify.add_argument("room", metavar="ROOM", help="the room's id (as `accord room create` printed it)")
    verify.add_argument("--db", help=DATABASE_HELP)
    verify.set_defaults(handler=verify_command)
    export = commands.add_parser("export", help="write a room's record, or what one seat was shown and when")
    export.add_argument("room", metavar="ROOM", help="the room's id (as `accord room create` printed it)")
    export.add_argument("--seat", help="only what this seat was shown, and when (default: the whole record)")
    export.add_argument("--db", help=DATABASE_HELP)
    export.add_argument("--output", "-o", type=Path, required=True, help="the JSON-lines file to write")
    add_force(export)
    export.set_defaults(handler=export_command)
    link = commands.add_parser(
        "link",
        help="list the seats awaiting a new link (the mediator revoked theirs), or give one a new link",
    )
    link.add_argument("room", metavar="ROOM", help="the room's id (as `accord room create` printed it)")
    link.add_argument("--seat", help="issue a new link to this seat (or `observers`) and print its token")
    link.add_argument("--db", help=DATABASE_HELP)
    link.add_argument("--json", action="store_true", help='print {"room", "seat", "token"} as JSON')
    link.set_defaults(handler=link_command)


@contextmanager
def _store(url: str | None) -> Iterator[Store]:
    from accord.store import DEFAULT_URL, StoreError, open_store

    try:
        store = open_store(url or DEFAULT_URL)
    except StoreError as error:
        raise ArgumentError("--db", str(error)) from None
    try:
        yield store
    finally:
        store.close()


def _agents(given: str) -> dict[str, str]:
    agents: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in given.split(","))):
        seat, equals, agent = item.partition("=")
        seat, agent = seat.strip(), agent.strip()
        if not equals or not seat or not agent:
            raise ArgumentError("--agents", f"expected SEAT=AGENT, e.g. Government=boulware, got {item!r}")
        if seat in agents:
            raise ArgumentError("--agents", f"the seat {seat!r} is named twice")
        agents[seat] = agent
    return agents


def create_command(arguments: argparse.Namespace) -> int:
    from accord.io.process_file import is_process_file
    from accord.room.service import RoomService

    if is_process_file(arguments.scenario):
        return _create_process(arguments)
    if not arguments.protocol:
        raise ArgumentError("--protocol", "name the room's protocol (see `accord list protocols`)")
    agents = _agents(arguments.agents)
    scenario: Path | str = arguments.scenario
    if arguments.join:
        scenario = _joined_text(arguments.scenario, arguments.join)
    with _store(arguments.db) as store:
        service = RoomService(store, background=False)
        try:
            created = service.create_room(
                scenario,
                arguments.protocol,
                source=str(arguments.scenario),
                agents=agents,
                observers=arguments.observers,
                preferences=arguments.preferences,
                edit_preferences=arguments.edit_preferences,
                round_seconds=arguments.round_seconds,
                rounds=arguments.rounds,
                first_round=arguments.round,
            )
        finally:
            service.close()
    if arguments.json:
        sys.stdout.write(json.dumps(created.to_data(), indent=2, ensure_ascii=False) + "\n")
    else:
        _print_created(created, service.store.url)
    return 0


def _joined_text(path: Path, spec: str) -> str:
    """The scenario at ``path`` with ``--join``'s delegations joined into one seat, as scenario-file text."""
    from accord.cli.coalitions import joined_scenario
    from accord.io import load_scenario
    from accord.io.scenario_file import scenario_to_data

    joined = joined_scenario(load_scenario(path), spec).joined
    # Written as a process's tracks are stored (JSON text of the scenario file).
    return json.dumps(scenario_to_data(joined), ensure_ascii=False, indent=1)


def _process_agents(given: str, tracks: dict[str, tuple[str, ...]]) -> dict[str, dict[str, str]]:
    """``TRACK:SEAT=AGENT`` (or ``SEAT=AGENT``: in every track with that seat) → track → seat → agent."""
    chosen: dict[str, dict[str, str]] = {track: {} for track in tracks}
    for seat, agent in _agents(given).items():
        track, colon, name = seat.partition(":")
        if colon:
            if track not in tracks:
                raise ArgumentError("--agents", f"no track named {track!r}; tracks: {', '.join(tracks)}")
            chosen[track][name.strip()] = agent
            continue
        having = [track for track, seats in tracks.items() if seat in seats]
        if not having:
            raise ArgumentError("--agents", f"no track has a seat named {seat!r}")
        for track in having:
            chosen[track][seat] = agent
    return chosen


def _create_process(arguments: argparse.Namespace) -> int:
    from accord.cli.process import load_process_file
    from accord.room.service import RoomService
    from accord.room.service.processes import create_process
    from accord.session import seating

    if arguments.protocol:
        raise ArgumentError("--protocol", "a process file names each track's protocol")
    if arguments.join:
        raise ArgumentError("--join", "joins the delegations of a scenario file, not a process's")
    if arguments.round:
        raise ArgumentError("--round", "a process file names each track's rounds")
    process = load_process_file(str(arguments.scenario))
    tracks: dict[str, tuple[str, ...]] = {}
    for item in process.tracks:
        mediator, delegations = seating(item.scenario, item.protocol)
        tracks[item.name] = (mediator, *delegations) if mediator else tuple(delegations)
    agents = _process_agents(arguments.agents, tracks)
    with _store(arguments.db) as store:
        service = RoomService(store, background=False)
        try:
            created = create_process(
                service,
                process,
                agents=agents,
                observers=arguments.observers,
                rounds=arguments.rounds,
                preferences=arguments.preferences,
                edit_preferences=arguments.edit_preferences,
                round_seconds=arguments.round_seconds,
            )
        finally:
            service.close()
    if arguments.json:
        sys.stdout.write(json.dumps(created.to_data(), indent=2, ensure_ascii=False) + "\n")
        return 0
    console = Console(soft_wrap=True, highlight=False)
    console.print(
        f"Process [bold]{shown(created.name)}[/bold] ({shown(created.process)}) in {shown(store.url)}"
    )
    for track, room in created.rooms.items():
        console.print(f"Track [bold]{shown(track)}[/bold]:")
        _print_created(room, store.url)
    linked = {party: seats for party, seats in created.parties.items() if len(seats) > 1}
    if linked:
        console.print("Parties seated in several tracks (their links side by side):")
    for party, seats in linked.items():
        for track, seat in seats.items():
            link = created.rooms[track].seats[seat]
            holder = f"agent {link.agent}" if link.holder == "agent" else f"token {link.token}"
            console.print(f"  {shown(party)} — {shown(track)}: {shown(seat)}, {shown(holder)}")
    return 0


def _print_created(created: CreatedRoom, url: str) -> None:
    console = Console(soft_wrap=True, highlight=False)
    console.print(f"Room [bold]{shown(created.room)}[/bold] in {shown(url)}")
    console.print("Link tokens are secrets: give each only to that seat's people.")
    for seat, link in created.seats.items():
        if link.holder == "agent":
            console.print(f"  {shown(seat)}: agent {shown(str(link.agent))}")
        else:
            console.print(f"  {shown(seat)}: people, token {shown(str(link.token))}")
    for number, token in enumerate(created.observers, start=1):
        console.print(f"  observer {number}: token {shown(token)}")
    console.print("Scripts and agents send a token as `Authorization: Bearer <token>`.")


def _known_room(store: Store, room: str) -> None:
    """Refuse a room id the store holds no record of (WHERE: the ``ROOM`` argument)."""
    if store.last_seq(room) == 0:
        raise ArgumentError("ROOM", f"no room {room!r} in {store.url}")


def _chair_command(arguments: argparse.Namespace, label: str | None) -> int:
    """Adjourn (``label`` ``None``) or reconvene a room as the organiser; a refusal is one line."""
    from accord.room.errors import RoomError
    from accord.room.service import RoomService

    with _store(arguments.db) as store:
        _known_room(store, arguments.room)
        service = RoomService(store, background=False)
        try:
            if label is None:
                service.adjourn(arguments.room)
            else:
                service.reconvene(arguments.room, label)
            state = service.state(arguments.room)
        except RoomError as error:
            raise InputError(arguments.room, "", error.reason) from None
        finally:
            service.close()
    done = "adjourned" if label is None else "reconvened"
    Console(soft_wrap=True).print(
        f"Room {shown(arguments.room)} {done}: round {shown(state.round_label)} "
        f"{'closed' if label is None else 'in session'}"
    )
    return 0


def adjourn_command(arguments: argparse.Namespace) -> int:
    return _chair_command(arguments, None)


def reconvene_command(arguments: argparse.Namespace) -> int:
    return _chair_command(arguments, arguments.round)


def verify_command(arguments: argparse.Namespace) -> int:
    from accord.room.errors import RecordError
    from accord.room.folding import fold
    from accord.store import verify_room

    with _store(arguments.db) as store:
        _known_room(store, arguments.room)
        report = verify_room(store, arguments.room)
        if report.ok:
            try:
                fold(None, store.read(arguments.room), room=arguments.room)
            except RecordError as error:
                sys.stdout.write(
                    f"room {arguments.room}: record {error.seq} does not replay: {error.reason}\n"
                )
                return 1
    sys.stdout.write(f"{report}\n")
    return 0 if report.ok else 1


def export_command(arguments: argparse.Namespace) -> int:
    from accord.room.errors import NotFoundError, RecordError
    from accord.room.service import RoomService

    if arguments.output.suffix != ".jsonl":
        raise ArgumentError("--output", f"the file name must end in .jsonl, got {str(arguments.output)!r}")
    refuse_to_overwrite([arguments.output], force=arguments.force)
    with _store(arguments.db) as store:
        _known_room(store, arguments.room)
        service = RoomService(store, background=False)
        try:
            lines = service.export(arguments.room, seat=arguments.seat)
        except RecordError as error:
            raise ArgumentError(
                "ROOM", f"record {error.seq} of room {arguments.room!r} does not replay: {error.reason}"
            ) from None
        except NotFoundError as error:
            raise ArgumentError("--seat", error.reason) from None
        finally:
            service.close()
    try:
        with arguments.output.open("w", encoding="utf-8") as output:
            for line in lines:
                output.write(json.dumps(line, ensure_ascii=False) + "\n")
    except OSError as error:
        raise InputError(str(arguments.output), "", f"cannot write: {error.strerror}") from None
    what = f"what seat {arguments.seat} was shown" if arguments.seat else "the whole record"
    target = shown(str(arguments.output))
    Console(soft_wrap=True).print(
        f"Wrote {counted(len(lines), 'line')} ({shown(what)}) of room {shown(arguments.room)} to {target}"
    )
    return 0


def link_command(arguments: argparse.Namespace) -> int:
    from accord.domain.names import resolve_name
    from accord.room.errors import RoomError
    from accord.room.service import RoomService

    with _store(arguments.db) as store:
        if store.last_seq(arguments.room) == 0:
            raise InputError(arguments.room, "", f"no such room in {store.url}")
        service = RoomService(store, background=False)
        try:
            state = service.state(arguments.room)
            waiting = [seat for seat in state.seats if seat in state.link_requests]
            if arguments.seat is None:
                issued = None
            else:
                seat = arguments.seat
                if seat != "observers":  # the seat as a person typed it (accord.domain.names)
                    seat = resolve_name(seat, state.seats, what="seat", argument="seat")
                issued = service.issue_link(arguments.room, seat)
        except RoomError as error:
            raise ArgumentError("--seat", error.reason) from None
        finally:
            service.close()
    console = Console(soft_wrap=True, highlight=False)
    if issued is None:
        if arguments.json:
            sys.stdout.write(
                json.dumps({"room": arguments.room, "waiting": waiting}, ensure_ascii=False) + "\n"
            )
        elif waiting:
            console.print(
                f"Seats of room {shown(arguments.room)} awaiting a new link (the mediator revoked theirs):"
            )
            for seat in waiting:
                console.print(f"  {shown(seat)}")
            console.print("Give one its new link with --seat SEAT.")
        else:
            console.print(f"No seat of room {shown(arguments.room)} awaits a new link.")
        return 0
    if arguments.json:
        answer = {"room": arguments.room, "seat": seat, "token": issued.token}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
    else:
        console.print(
            f"A new link to seat {shown(seat)} of room {shown(arguments.room)}: "
            f"token {shown(str(issued.token))}"
        )
        console.print("Give it only to that seat's people; they open it at /join/<token> on the server.")
    return 0
