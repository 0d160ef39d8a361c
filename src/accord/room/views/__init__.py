"""THE one choke point for confidentiality: what one seat may see, built from the room's state.

Every page, endpoint, event stream and export renders from these functions and
nothing else, so a leak has one place to be:

* :func:`seat_view` — the seat's whole view now, exactly the JSON of
  ``GET /api/v1/rooms/{room}/view``;
* :func:`seat_items` — the seat's view changes after a ``seq``: one item per record
  the seat may know of (with that record's ``seq`` and time ``at``), which the live
  stream sends and ``accord room export --seat`` writes. Items depend only on the
  record and on what was known when it was committed, so the export equals what
  was sent live;
* :func:`organiser_view` — the organiser's (outside the talks; the room's owner, who holds its
  whole record): every event and preferences, for the rooms' list and the debrief.

What a seat sees:

* a delegation: its own preferences (as last set, and whether it may change them now), the
  protocol events its seat may read, its own messages (to the mediator and its team's channel),
  and what the mediator passed on to it — a verbatim ``attributed`` message with its author's seat, an
  ``unattributed`` one or a paraphrase with nothing of its source (a fresh id, the
  forward's own time);
* the mediator: every delegation's preferences (``preferences: all``) or those
  disclosed to it, naming the delegations missing (``disclosed``), as last set (a change while it
  does not hold them reaches it only with the disclosure: the record of the change never does); the
  seats awaiting a new link from the organiser (never a token); every message
  sent to it, its team's channel, its forwards with their sources;
* observers: the events visible to everyone, and nothing else.

Never another delegation's preferences, private events, messages, team channel,
or anything computed from them.

Modules: :mod:`~accord.room.views.seat` (the seat's view and the parts every view shares),
:mod:`~accord.room.views.items` (the view's changes, record by record),
:mod:`~accord.room.views.organiser` (the organiser's), :mod:`~accord.room.views.preferences` and
:mod:`~accord.room.views.messages` (what of each a seat's view holds), and
:mod:`accord.room.text_view` (the negotiating text's part).
"""

from accord.room.views.items import seat_items
from accord.room.views.organiser import organiser_view
from accord.room.views.preferences import mediator_analysis, preferences_data
from accord.room.views.seat import agenda_data, rounds_data, seat_document, seat_view

__all__ = [
    "agenda_data",
    "mediator_analysis",
    "organiser_view",
    "preferences_data",
    "rounds_data",
    "seat_document",
    "seat_items",
    "seat_view",
]
