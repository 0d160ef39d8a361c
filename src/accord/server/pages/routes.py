"""The room's pages: following a link, each seat's page, its forms, the mediator's plot, the debrief.

``GET /join/{token}``: the link's token becomes an HttpOnly, SameSite=Strict session
cookie (``Secure`` over HTTPS) and the browser goes on to ``/rooms/{room}``, a URL
without the token, so it stays out of the history, bookmarks and ``Referer``
headers; a revoked or unknown link gets a page that says so.

``GET /rooms/{room}`` is the seat's page: the delegation's desk, the mediator's console
or the observers' page, by the seat's role. Every page renders from the seat's view
(:meth:`RoomService.view`, the room's one confidentiality choke point) and nothing else;
forms post to ``/rooms/{room}/…`` and come back to the page (post, then redirect), so a
reload loses nothing; ``room.js`` keeps the page live from the seat's event stream.
Pages authenticate by the room's cookie only, through :func:`~accord.server.access.seat_access`
(which also checks the ``Origin`` of every form sent).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from accord.errors import AccordError
from accord.room import RoomError, SeatAccess
from accord.room.service import RoomService
from accord.server.access import seat_access, set_session_cookie, token_access
from accord.server.pages import console, desk
from accord.server.pages.forms import FormError, action_from_form
from accord.server.pages.preferences import preferences_from_form
from accord.server.pages.reading import read_view
from accord.server.pages.rendering import render, static_file
from accord.server.pages.text import change_from_form
from accord.server.pages.tracks import linked_context
from accord.server.pages.worth import view_scenario
from accord.server.schemas import ERROR_RESPONSES

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

Room = Annotated[str, Path(max_length=200)]


def _service(request: Request) -> RoomService:
    service: RoomService = request.app.state.service
    return service


def _page_path(room: str, anchor: str = "") -> str:
    return f"/rooms/{quote(room, safe='')}" + (f"#{anchor}" if anchor else "")


def _refused(request: Request, error: HTTPException) -> HTMLResponse:
    return render(
        request,
        "refused.html",
        {"title": "This link does not open a seat", "status": error.status_code, "reason": str(error.detail)},
        status=error.status_code,
    )


async def _access(request: Request, room: str) -> SeatAccess:
    """The seat of a page request, by the room's cookie (pages never take bearer tokens)."""
    return await seat_access(request, room, None)


@router.get("/static/{name}", responses=ERROR_RESPONSES)
async def static(name: Annotated[str, Path(max_length=40)]) -> Response:
    response = static_file(name)
    if response is None:
        raise HTTPException(404, f"no file {name!r}")
    return response


@router.get("/join/{token}", response_model=None, responses=ERROR_RESPONSES)
async def join(request: Request, token: Annotated[str, Path(max_length=200)]) -> Response:
    try:
        access = await token_access(request, token)
    except HTTPException as error:
        return _refused(request, error)
    response = RedirectResponse(_page_path(access.room), status_code=303)
    set_session_cookie(request, response, access.room, token)
    return response


async def _page(request: Request, room: str, *, error: str | None = None, status: int = 200) -> Response:
    try:
        access = await _access(request, room)
    except HTTPException as refusal:
        return _refused(request, refusal)
    service = _service(request)
    view = await run_in_threadpool(service.view, access)
    reading = await run_in_threadpool(read_view, view)
    query = dict(request.query_params)
    form_key = secrets.token_urlsafe(12)
    if access.role.value == "mediator":
        context = console.context(reading, query, connected=request.app.state.broadcaster.connected(room))
        template = "console.html"
    elif access.role.value == "delegation":
        context = desk.context(reading, query)
        template = "desk.html"
    else:
        context = desk.observer_context(reading)
        template = "observer.html"
    process = (
        None if access.role.value == "observer" else await run_in_threadpool(service.process_view, access)
    )
    context.update(
        error=error,
        form_key=form_key,
        room_path=_page_path(room),
        linked=linked_context(process, access.role.value),
    )
    return render(request, template, context, status=status)


@router.get("/rooms/{room}", response_model=None, responses=ERROR_RESPONSES)
async def room_page(request: Request, room: Room) -> Response:
    return await _page(request, room)


async def _form(request: Request) -> tuple[dict[str, Any], list[str], list[str]]:
    form = await request.form()
    data = {key: value for key, value in form.items() if isinstance(value, str)}
    packages = [value for value in form.getlist("package") if isinstance(value, str)]
    to = [value for value in form.getlist("to") if isinstance(value, str)]
    return data, packages, to


def _key(form: dict[str, Any]) -> str | None:
    key = form.get("form-key")
    return str(key)[:200] if key else None


async def _after(request: Request, room: str, anchor: str, work: Any) -> Response:
    """Do ``work`` (blocking, in the threadpool); back to the page, or the page with the refusal."""
    try:
        await run_in_threadpool(work)
    except (RoomError, AccordError) as error:
        return await _page(request, room, error=str(error), status=409)
    except FormError as error:
        return await _page(request, room, error=str(error), status=422)
    return RedirectResponse(_page_path(room, anchor), status_code=303)


@router.post("/rooms/{room}/act", response_model=None, responses=ERROR_RESPONSES)
async def act(request: Request, room: Room) -> Response:
    access = await _access(request, room)
    form, packages, _ = await _form(request)
    service = _service(request)
    view = await run_in_threadpool(service.view, access)
    agenda = view_scenario(view).agenda

    def work() -> None:
        service.act(access, action_from_form(agenda, form, packages), idempotency_key=_key(form))

    return await _after(request, room, "turn", work)


@router.post("/rooms/{room}/message", response_model=None, responses=ERROR_RESPONSES)
async def message(request: Request, room: Room) -> Response:
    access = await _access(request, room)
    form, _, _ = await _form(request)
    to = "team" if form.get("to") == "team" else "mediator"
    text = str(form.get("text") or "").strip()
    disclosure = str(form["disclosure"]) if to == "mediator" and form.get("disclosure") else None

    def work() -> None:
        if not text:
            raise FormError("the message is empty")
        _service(request).message(access, text, disclosure=disclosure, to=to, idempotency_key=_key(form))

    return await _after(request, room, "team" if to == "team" else "messages", work)


@router.post("/rooms/{room}/messages/{message_id}/forward", response_model=None, responses=ERROR_RESPONSES)
async def forward(request: Request, room: Room, message_id: Annotated[str, Path(max_length=200)]) -> Response:
    access = await _access(request, room)
    form, _, to = await _form(request)
    paraphrase = str(form.get("paraphrase") or "").strip() or None
    verbatim = form.get("how") != "paraphrase"

    def work() -> None:
        if not to:
            raise FormError("forward: choose at least one delegation")
        if not verbatim and paraphrase is None:
            raise FormError("forward: write the paraphrase")
        _service(request).forward(
            access, message_id, to, paraphrase=None if verbatim else paraphrase, idempotency_key=_key(form)
        )

    return await _after(request, room, "messages", work)


@router.post("/rooms/{room}/text", response_model=None, responses=ERROR_RESPONSES)
async def change_text(request: Request, room: Room) -> Response:
    access = await _access(request, room)
    form, _, _ = await _form(request)

    def work() -> None:
        _service(request).change_text(access, change_from_form(form), idempotency_key=_key(form))

    return await _after(request, room, "text", work)


@router.post("/rooms/{room}/disclosure", response_model=None, responses=ERROR_RESPONSES)
async def disclosure(request: Request, room: Room) -> Response:
    access = await _access(request, room)
    form, _, _ = await _form(request)

    def work() -> None:
        _service(request).set_disclosure(access, form.get("disclosed") == "yes", idempotency_key=_key(form))

    return await _after(request, room, "preferences", work)


@router.post("/rooms/{room}/preferences", response_model=None, responses=ERROR_RESPONSES)
async def preferences(request: Request, room: Room) -> Response:
    access = await _access(request, room)
    form, _, _ = await _form(request)
    service = _service(request)
    view = await run_in_threadpool(service.view, access)

    def work() -> None:
        service.set_preferences(access, preferences_from_form(view, form), idempotency_key=_key(form))

    return await _after(request, room, "preferences", work)


@router.post("/rooms/{room}/seats/{seat}/links", response_model=None, responses=ERROR_RESPONSES)
async def request_link(request: Request, room: Room, seat: Annotated[str, Path(max_length=200)]) -> Response:
    """The mediator revokes a seat's links; the page then says where the new one is collected."""
    access = await _access(request, room)
    form, _, _ = await _form(request)

    def work() -> None:
        _service(request).request_link(access, seat, idempotency_key=_key(form))

    return await _after(request, room, "seats", work)


@router.post("/rooms/{room}/holders", response_model=None, responses=ERROR_RESPONSES)
async def hand_seat(request: Request, room: Room) -> Response:
    access = await _access(request, room)
    form, _, _ = await _form(request)
    seat = str(form.get("seat") or "")
    agent = str(form.get("agent") or "").strip() or None

    def work() -> None:
        _service(request).hand_seat(room, seat, agent, by=access, idempotency_key=_key(form))

    return await _after(request, room, "seats", work)


@router.get("/rooms/{room}/plot.png", response_model=None, responses=ERROR_RESPONSES)
async def plot(request: Request, room: Room) -> Response:
    access = await _access(request, room)
    view = await run_in_threadpool(_service(request).view, access)
    first, second = request.query_params.get("first", ""), request.query_params.get("second", "")
    reading = await run_in_threadpool(read_view, view)
    trajectory = request.query_params.get("trajectory") == "yes"
    png = await run_in_threadpool(lambda: console.plot_png(reading, first, second, trajectory=trajectory))
    if png is None:
        raise HTTPException(404, "no plot: choose two delegations whose preferences this seat holds")
    return Response(png, media_type="image/png", headers={"cache-control": "no-store"})


@router.get("/rooms/{room}/debrief", response_model=None, responses=ERROR_RESPONSES)
async def debrief(request: Request, room: Room) -> Response:
    try:
        access = await _access(request, room)
    except HTTPException as refusal:
        return _refused(request, refusal)
    view = await run_in_threadpool(_service(request).view, access)
    if view["role"] != "mediator":
        return _refused(request, HTTPException(403, "the debrief is the mediator's"))
    if view["result"] is None:
        return _refused(
            request, HTTPException(409, "the talks are still going on: the debrief comes after them")
        )
    reading = await run_in_threadpool(read_view, view)
    context = console.debrief_context(reading, dict(request.query_params))
    path = _page_path(room)
    context.update(
        error=None,
        form_key="",
        room_path=path,
        debrief_path=f"{path}/debrief",
        plot_path=f"{path}/plot.png",
        back_path=path,
        back_label="Back to the console",
    )
    return render(request, "debrief.html", context)
