"""The room's pages: server-rendered (Jinja2, autoescaped), live through the seat's event stream.

* :mod:`~accord.server.pages.routes` — the routes (``/join/{token}``, ``/rooms/{room}`` and its
  forms, the mediator's plot, ``/static/…``);
* :mod:`~accord.server.pages.reading` — what a page shows, read from the seat's view;
* :mod:`~accord.server.pages.desk`, :mod:`~accord.server.pages.console` — the delegation's
  desk and the observers' page, the mediator's console;
* :mod:`~accord.server.pages.organiser` — the organiser's pages (``/organise/…``): create rooms from
  a scenario file, their links, the rooms' list, the records;
* :mod:`~accord.server.pages.forms` — the package builder and the action a form sends;
* :mod:`~accord.server.pages.worth` — a package's worth to the delegations a view holds;
* :mod:`~accord.server.pages.rendering` — the Jinja2 environment and the static files
  (``static/room.js``, plain JavaScript, no library; ``static/room.css``).

Every page renders from the seat's view (``RoomService.view``, built by the room's one
confidentiality choke point) and nothing else.
"""

from fastapi import APIRouter

from accord.server.pages import organiser, routes

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
router.include_router(routes.router)
router.include_router(organiser.router)
