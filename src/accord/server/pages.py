"""Following a link in a browser: ``GET /join/{token}`` and the room's page.

The link's token becomes an HttpOnly, SameSite=Strict session cookie (``Secure``
over HTTPS), and the browser is sent on to ``/rooms/{room}``, a URL without the
token, so it stays out of the history, bookmarks and ``Referer`` headers. The
room's pages come later; ``/rooms/{room}`` is a minimal placeholder for now.
Text from the room is escaped wherever a page shows it.
"""

from __future__ import annotations

import html
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from accord.room import SeatAccess
from accord.server.access import seat_access, set_session_cookie, token_access
from accord.server.schemas import ERROR_RESPONSES

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Accord: {room}</title></head>
<body><h1>Room {room}</h1><p>You hold the seat <strong>{seat}</strong> ({role}).</p>
<p>The room's pages are on their way; meanwhile its data is at
<a href="/api/v1/rooms/{room_path}/view">/api/v1/rooms/{room}/view</a>.</p></body></html>
"""


@router.get("/join/{token}", responses=ERROR_RESPONSES)
async def join(request: Request, token: Annotated[str, Path(max_length=200)]) -> RedirectResponse:
    access = await token_access(request, token)
    response = RedirectResponse(f"/rooms/{quote(access.room, safe='')}", status_code=303)
    set_session_cookie(request, response, access.room, token)
    return response


@router.get("/rooms/{room}", response_class=HTMLResponse, responses=ERROR_RESPONSES)
async def room_page(access: Annotated[SeatAccess, Depends(seat_access)]) -> HTMLResponse:
    room = html.escape(str(access.room))
    return HTMLResponse(
        _PAGE.format(
            room=room,
            room_path=html.escape(quote(str(access.room), safe="")),
            seat=html.escape(str(access.seat)),
            role=html.escape(str(access.role)),
        )
    )
