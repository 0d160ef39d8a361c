"""The room: mediated talks for people and agents, event-sourced, each seat seeing only what it may.

A room is one negotiation on one scenario under one registered protocol. Its seats
are the protocol's (the mediator where the protocol has one, each delegation) and
any number of observers; each seat is held by people (members with secret links)
or by an agent. The room's rules are pure and testable without a database; one
application module appends what they decide to the store.

Modules, from the inside out:

* :mod:`~accord.room.records` — the record kinds and their data (validated).
* :mod:`~accord.room.state` — :class:`RoomState`, rebuilt by folding records
  (:func:`fold`); the protocol's state is replayed from the recorded actions and
  every stored protocol event is checked against the replay.
* :mod:`~accord.room.rules` — each command takes the state and returns the
  records to append, or raises a :class:`RoomError`:
  :class:`RefusedError` (HTTP 409: illegal or out of turn, with the protocol's
  reason), :class:`ForbiddenError` (403), :class:`NotFoundError` (404).
* :mod:`~accord.room.views` — THE one choke point for confidentiality:
  :func:`seat_view` (the JSON of ``GET /api/v1/rooms/{room}/view``) and
  :func:`seat_items` (the seat's view changes after a ``seq``: the event stream
  and ``accord room export --seat``).
* :mod:`~accord.room.driver` — agents act as soon as their seat is awaited.
* ``accord.room.service`` — the application over the store (lands with the store).
"""

from accord.room.errors import ForbiddenError, NotFoundError, RecordError, RefusedError, RoomError
from accord.room.records import Record, Settings, token_hash
from accord.room.rules import SeatAccess
from accord.room.state import OBSERVERS, RoomState, fold
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
    "token_hash",
]
