"""Rendering pages: one Jinja2 environment (autoescaped everywhere), and the page's static files.

Text from scenarios and people is always escaped (``autoescape`` on every template;
no template marks room data ``|safe``); every element that shows such text carries
``dir="auto"`` so that right-to-left clause text reads as written. Scripts are files
served from :data:`STATIC` (the Content-Security-Policy allows no inline script).
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

__all__ = ["STATIC", "render", "static_file"]

_ENVIRONMENT = Environment(
    loader=PackageLoader("accord.server.pages", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENVIRONMENT.filters["percent"] = lambda value: f"{100 * float(value):.0f}"
_ENVIRONMENT.filters["utility"] = lambda value: f"{float(value):.3f}"
_ENVIRONMENT.filters["signed"] = lambda value: f"{float(value):+.3f}"

#: The page's static files and their media types (nothing else is served from the folder).
STATIC = {
    "room.js": "text/javascript; charset=utf-8",
    "room.css": "text/css; charset=utf-8",
    "icon.svg": "image/svg+xml",
}


def render(request: Request, template: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    """The page ``template`` with ``context`` (HTML-escaped wherever it shows it)."""
    page = _ENVIRONMENT.get_template(template).render(**context)
    return HTMLResponse(page, status_code=status, headers={"cache-control": "no-store"})


def static_file(name: str) -> Response | None:
    """One of :data:`STATIC`, or ``None``."""
    media_type = STATIC.get(name)
    if media_type is None:
        return None
    content = resources.files("accord.server.pages").joinpath("static", name).read_bytes()
    return Response(content, media_type=media_type, headers={"cache-control": "no-cache"})
