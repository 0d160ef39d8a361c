"""The room: mediated talks for people and agents, event-sourced, each seat seeing only what it may.

A room is one negotiation on one scenario under one registered protocol. Its seats
are the protocol's (the mediator where the protocol has one, each delegation) and
the observers' seat (:data:`OBSERVERS`); each protocol seat is held by people
(members with secret links) or by an agent. The room's rules are pure and tested
without a database; one application module appends what they decide to the store.

Modules, from the inside out:

* :mod:`~accord.room.records` — the record kinds and their data (validated).
* :mod:`~accord.room.state` — :class:`RoomState`, rebuilt by folding records
  (:mod:`~accord.room.folding`)
  (:func:`fold`); the protocol's state is replayed from the recorded actions and
  every stored protocol event is checked against the replay.
* :mod:`~accord.room.rules` (and :mod:`~accord.room.seats` for seats and links,
  :mod:`~accord.room.preferences` for a delegation's preferences,
  :mod:`~accord.room.messages` for the messages, :mod:`~accord.room.text_changes` for the
  negotiating text) —
  each command takes the state and returns the records to append, or raises a
  :class:`RoomError`.
* :mod:`~accord.room.views` — THE one choke point for confidentiality:
  :func:`seat_view` and :func:`seat_items`.
* :mod:`~accord.room.driver` — agents act as soon as their seat is awaited.
* :mod:`~accord.room.service` — ``RoomService`` (``application``), over the rooms kept in
  memory (``rooms``): the only part of the room that imports :mod:`accord.store`.

The API for the web layer (``accord.server``)
---------------------------------------------

Build one ``RoomService(open_store(url))`` per process
(``from accord.room.service import RoomService``: the package itself does not import
the store, so the pure rules load without a database driver). It is thread-safe;
agents act on its worker threads after each command; call ``close()`` at shutdown.

Authentication — ``service.authenticate(token) -> SeatAccess | None``: the bearer
token or session cookie's token → ``SeatAccess(room, seat, member, role)``;
``None`` → 401 (unknown or revoked). Tokens are compared by hash in constant
time; rate-limit failures in the web layer. A route for room ``R`` must check
``access.room == R`` (else 404).

Reads (each brings the room up to date from the store first):

* ``service.view(access) -> dict`` — ``GET /api/v1/rooms/{room}/view``. Keys:
  ``room``, ``seq`` (the last record it reflects), ``seat``, ``member``, ``role``,
  ``holder``, ``protocol`` (``id``, ``rounds``, ``round``, and for seats ``phase``,
  ``on_table``, ``details``), ``seats``, ``agenda`` (``name``, ``description``,
  ``issues`` with options and clause text), ``preferences`` (``setting``,
  ``delegations`` (own only; the mediator's per the setting), ``missing``,
  ``disclosed`` for a delegation, ``analysis`` for the mediator: ``accord analyze``'s
  JSON over the delegations it holds only, ``None`` below two), ``turn`` (``must_act``,
  ``allowed``, ``since``, ``round_seconds``), ``events`` (each with ``seq``), ``messages``, ``result``.
* ``service.items(access, after_seq=N) -> list[dict]`` — the seat's view changes
  after record ``N``, each with ``seq`` (use it as the SSE ``id:``; resume from
  ``Last-Event-ID``), ``at`` and ``kind`` (``room-created``, ``event``, ``action``,
  ``message``, ``seat-handed``, ``preferences-disclosed``, ``preferences-set``,
  ``link-requested``, ``turn``); a ``turn`` key
  where the seat's turn changed. ``accord room export --seat`` writes exactly
  these, so what a seat was sent live equals its export.
* To follow rooms live: ``service.store.subscribe(callback)`` (or ``listen``)
  gives notifications ``(room, seq)`` from every process; then call ``items``.
* ``service.organiser_view(room)`` — the organiser's (every event and every delegation's
  preferences, the seats awaiting a new link; no messages, no tokens): its rooms' list and debrief.
* ``service.rooms()``, ``service.state(room)`` (a :class:`RoomState`, never changed
  once built), ``service.export(room, seat=None)``.

Commands (each returns ``accord.room.service.Issued``; ``issued.response()``
is the 201 body, ``{"seq": N}`` or ``{"id": ..., "seq": N}``; pass the
``Idempotency-Key`` header as ``idempotency_key=`` and a retry is answered as the
first time and applied once):

* ``service.act(access, action_data)`` — ``POST .../actions``.
* ``service.message(access, text, disclosure=..., to="mediator"|"team")`` —
  ``POST .../messages``.
* ``service.forward(access, message_id, to=[...], paraphrase=None)`` —
  ``POST .../messages/{id}/forward``.
* ``service.set_disclosure(access, disclosed)`` — a delegation in a ``disclosed`` room.
* ``service.set_preferences(access, preferences)`` — a delegation's new preferences (a scenario
  file's ``preferences`` block), before the talks or, with ``edit_preferences="during"``, until
  they end; refused naming the field.
* ``service.request_link(access, seat)`` — the mediator revokes every link of ``seat``; the
  organiser issues the new one (``issue_link``): the mediator never receives a token.
* ``service.change_text(access, change)`` — ``POST .../text/changes``: a change to the room's
  negotiating text (``accord.text.change_to_data`` form without ``seat`` and ``time``), decided by
  ``accord.text.apply`` (rooms whose protocol seats a mediator hold a text; the view's ``text``).
* ``service.text_export(access, format, compare=None, language=None) -> bytes`` — the seat's own
  view of the text as a ``docx``/``pdf``/``md``/``html`` document (or a comparison with a revision).
* ``service.hand_seat(room, seat, agent_or_None, by=access_or_None)`` — the mediator
  (``by=access``) or the organiser (``by=None``); back to people issues a link if
  the seat has none (``issued.token``).
* ``service.issue_link(room, seat)``, ``reissue_link(room, seat, member)``,
  ``revoke_link(room, seat, member)`` — the organiser's.
* ``service.expire()`` — call about once a second: records overdue people
  (``round_seconds``) as passing or walking away.
* ``service.create_room(path_or_text, protocol, agents=..., observers=...,
  preferences=..., round_seconds=..., rounds=..., edit_preferences=...) -> CreatedRoom``
  (``created.to_data()`` is the ``accord room create --json`` answer).

Errors: :class:`RefusedError` → 409 ``{"error": str(error)}`` (illegal or out of
turn, with the protocol's reason; nothing recorded), :class:`ForbiddenError` → 403,
:class:`NotFoundError` → 404 (another seat's message is "not found"). Each carries
``seat``, ``action`` and ``reason``. Any other seat's data never reaches a route:
render only from ``view`` and ``items``.
"""

from accord.room.errors import ForbiddenError, NotFoundError, RecordError, RefusedError, RoomError
from accord.room.folding import fold
from accord.room.records import Record, Settings
from accord.room.rules import SeatAccess
from accord.room.state import OBSERVERS, RoomState
from accord.room.views import seat_items, seat_view

__all__ = [
    "OBSERVERS",
    "ForbiddenError",
    "NotFoundError",
    "Record",
    "RecordError",
    "RefusedError",
    "RoomError",
    "RoomState",
    "SeatAccess",
    "Settings",
    "fold",
    "seat_items",
    "seat_view",
]
