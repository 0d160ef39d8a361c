"""The organiser's pages: create rooms, hand out their links, list rooms, records and debriefs.

The organiser is whoever holds the link ``accord serve`` prints (``/organise/{token}``, a
secret made when the server starts: ``ServerSettings.organiser_token``); following it sets
an HttpOnly, SameSite=Strict cookie, and every organiser page and form checks it (forms
also check their ``Origin``, like the seats' forms). A scenario file that does not load
is refused with the same one line as ``accord room create`` gives (``accord: error:
FILE: line N: FIELD: reason``), and nothing is created. The rooms' list shows what any
observer may see of each room and the seats awaiting a new link (the mediator revoked theirs),
which the organiser issues here; the record download is the whole record (the organiser's); the
debrief of an ended room is the mediator's debrief (:func:`accord.server.pages.console.debrief_context`)
over the organiser's view (every event and every delegation's preferences), with the replay of
what any seat knew at each step.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from accord.errors import AccordError, InputError, ScenarioError
from accord.room import RoomError
from accord.room.service import RoomService
from accord.server.access import same_origin
from accord.server.pages import console
from accord.server.pages.reading import read_view
from accord.server.pages.rendering import render
from accord.server.schemas import ERROR_RESPONSES

__all__ = ["COOKIE", "router"]

router = APIRouter(include_in_schema=False)

#: The organiser's session cookie.
COOKIE = "accord_organiser"
#: The largest scenario file the form takes.
MAX_SCENARIO_BYTES = 2_000_000


def _allowed(request: Request, token: str | None) -> bool:
    expected = request.app.state.settings.organiser_token
    return bool(expected) and token is not None and hmac.compare_digest(token.encode(), expected.encode())


def _check(request: Request) -> None:
    if not _allowed(request, request.cookies.get(COOKIE)):
        raise HTTPException(401, "the organiser's pages need the organiser's link (accord serve prints it)")
    if request.method not in ("GET", "HEAD") and not same_origin(request):
        raise HTTPException(403, "cross-origin request refused")


def _service(request: Request) -> RoomService:
    service: RoomService = request.app.state.service
    return service


def _rooms(service: RoomService) -> list[dict[str, Any]]:
    """Each room (its name, procedure, round, result, the seats awaiting a new link), newest first."""
    rows: list[dict[str, Any]] = []
    for room in reversed(service.rooms()):
        try:
            view = service.organiser_view(room, analysis=False)
        except AccordError as error:
            rows.append({"room": room, "error": str(error)})
            continue
        rows.append(
            {
                "room": room,
                "error": None,
                "name": view["agenda"]["name"],
                "protocol": view["protocol"]["id"],
                "round": view["protocol"]["round"],
                "rounds": view["protocol"]["rounds"],
                "mediator": view["seats"]["mediator"],
                "delegations": view["seats"]["delegations"],
                "result": view["result"],
                "records": view["seq"],
                "link_requests": view["seats"]["link_requests"],
            }
        )
    return rows


def _page(
    request: Request,
    *,
    error: str | None = None,
    created: Any = None,
    links: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    service = _service(request)
    if created is not None:
        base = str(request.base_url).rstrip("/")
        links = {
            "room": created.room,
            "seats": [
                {
                    "seat": seat,
                    "holder": link.holder,
                    "agent": link.agent,
                    "url": None if link.token is None else f"{base}/join/{link.token}",
                }
                for seat, link in created.seats.items()
            ],
            "observers": [f"{base}/join/{token}" for token in created.observers],
        }
    context = {
        "title": "Organiser",
        "rooms": _rooms(service),
        "error": error,
        "links": links,
    }
    return render(request, "organiser.html", context, status=status)


@router.get("/organise/{token}", response_model=None, responses=ERROR_RESPONSES)
async def enter(request: Request, token: Annotated[str, Path(max_length=200)]) -> Response:
    if not _allowed(request, token):
        return render(
            request,
            "refused.html",
            {
                "title": "This link does not open the organiser's pages",
                "status": 401,
                "reason": "unknown link",
            },
            status=401,
        )
    response = RedirectResponse("/organise", status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")
    return response


@router.get("/organise", response_model=None, responses=ERROR_RESPONSES)
async def organise(request: Request) -> Response:
    _check(request)
    return await run_in_threadpool(_page, request)


def _agents(text: str) -> dict[str, str]:
    """``SEAT=AGENT,SEAT=AGENT`` (as ``accord room create --agents`` takes it)."""
    agents: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        seat, equals, agent = part.partition("=")
        if not equals or not seat.strip() or not agent.strip():
            raise InputError("--agents", part, "expected SEAT=AGENT")
        agents[seat.strip()] = agent.strip()
    return agents


def _number(text: str, name: str, kind: type[Any]) -> Any:
    try:
        value = kind(text)
    except ValueError:
        raise InputError(f"--{name}", text, "not a number") from None
    if value < 0 or (value == 0 and name != "observers"):
        raise InputError(f"--{name}", text, "must be positive")
    return value


@router.post("/organise/rooms", response_model=None, responses=ERROR_RESPONSES)
async def create(request: Request) -> Response:
    _check(request)
    async with request.form() as received:
        upload = received.get("scenario")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return _page(request, error="accord: error: scenario: choose a scenario file", status=422)
        name = upload.filename
        data = await upload.read(MAX_SCENARIO_BYTES + 1)
        form = {key: value for key, value in received.items() if isinstance(value, str)}

    def work() -> Any:
        if len(data) > MAX_SCENARIO_BYTES:
            raise ScenarioError(name, "(file)", f"larger than {MAX_SCENARIO_BYTES} bytes")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ScenarioError(name, f"byte {error.start}", "not UTF-8 text") from None
        round_seconds = str(form.get("round_seconds") or "").strip()
        return _service(request).create_room(
            text,
            str(form.get("protocol") or "one-text"),
            agents=_agents(str(form.get("agents") or "")),
            observers=_number(str(form.get("observers") or "0"), "observers", int),
            preferences=str(form.get("preferences") or "all"),
            edit_preferences=str(form.get("edit_preferences") or "before"),
            round_seconds=_number(round_seconds, "round-seconds", float) if round_seconds else None,
            rounds=_number(str(form.get("rounds") or "100"), "rounds", int),
            source=name,
        )

    try:
        created = await run_in_threadpool(work)
    except AccordError as error:
        line = f"accord: error: {error}"
        return await run_in_threadpool(lambda: _page(request, error=line, status=422))
    return await run_in_threadpool(lambda: _page(request, created=created, status=201))


@router.get("/organise/rooms/{room}/record", response_model=None, responses=ERROR_RESPONSES)
async def record(request: Request, room: Annotated[str, Path(max_length=200)]) -> Response:
    _check(request)
    records = await run_in_threadpool(_service(request).export, room)
    body = "".join(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n" for item in records)
    filename = quote(f"accord-room-{room}.jsonl", safe="")
    return Response(
        body,
        media_type="application/x-ndjson",
        headers={
            "content-disposition": f"attachment; filename*=UTF-8''{filename}",
            "cache-control": "no-store",
        },
    )


@router.post("/organise/rooms/{room}/links", response_model=None, responses=ERROR_RESPONSES)
async def new_link(request: Request, room: Annotated[str, Path(max_length=200)]) -> Response:
    """Another link to one seat of ``room`` (a new member of its team), shown once."""
    _check(request)
    async with request.form() as received:
        seat = str(received.get("seat") or "")
    service = _service(request)
    try:
        issued = await run_in_threadpool(service.issue_link, room, seat)
    except AccordError as error:
        line = f"accord: error: {error}"
        return await run_in_threadpool(lambda: _page(request, error=line, status=409))
    base = str(request.base_url).rstrip("/")
    links = {
        "room": room,
        "seats": [{"seat": seat, "holder": "person", "agent": None, "url": f"{base}/join/{issued.token}"}],
        "observers": [],
    }
    return await run_in_threadpool(lambda: _page(request, links=links, status=201))


def _room_path(room: str) -> str:
    return f"/organise/rooms/{quote(room, safe='')}"


def _refused(request: Request, status: int, reason: str) -> Response:
    context = {"title": "No debrief", "status": status, "reason": reason}
    return render(request, "refused.html", context, status=status)


@router.get("/organise/rooms/{room}/debrief", response_model=None, responses=ERROR_RESPONSES)
async def debrief(request: Request, room: Annotated[str, Path(max_length=200)]) -> Response:
    """Any room's debrief, once its talks ended: the mediator's debrief over the organiser's view."""
    _check(request)
    try:
        view = await run_in_threadpool(_service(request).organiser_view, room)
    except RoomError as error:
        return _refused(request, 404, error.reason)
    if view["result"] is None:
        return _refused(request, 409, "the talks are still going on: the debrief comes after them")
    reading = await run_in_threadpool(read_view, view)
    context = await run_in_threadpool(console.debrief_context, reading, dict(request.query_params))
    path = _room_path(room)
    context.update(
        error=None,
        form_key="",
        room=None,
        room_path=path,
        debrief_path=f"{path}/debrief",
        plot_path=f"{path}/plot.png",
        back_path="/organise#rooms",
        back_label="Back to the rooms",
    )
    return render(request, "debrief.html", context)


@router.get("/organise/rooms/{room}/plot.png", response_model=None, responses=ERROR_RESPONSES)
async def plot(request: Request, room: Annotated[str, Path(max_length=200)]) -> Response:
    """The debrief's utility-space plot of two delegations, with every package put forward."""
    _check(request)
    try:
        view = await run_in_threadpool(_service(request).organiser_view, room)
    except RoomError as error:
        raise HTTPException(404, error.reason) from None
    first, second = request.query_params.get("first", ""), request.query_params.get("second", "")
    reading = await run_in_threadpool(read_view, view)
    png = await run_in_threadpool(lambda: console.plot_png(reading, first, second, trajectory=True))
    if png is None:
        raise HTTPException(404, "no plot: choose two delegations of this room")
    return Response(png, media_type="image/png", headers={"cache-control": "no-store"})
