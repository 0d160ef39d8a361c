"""The room's application over the store: the only part of the room that touches :mod:`accord.store`.

:mod:`~accord.room.service.application` holds :class:`RoomService`, the API the web layer and
the command line use, whose methods call :mod:`~accord.room.service.commands` (what each command
decides), :mod:`~accord.room.service.links` (tokens and links), :mod:`~accord.room.service.creating`
(a new room) and :mod:`~accord.room.service.exports`; :mod:`~accord.room.service.rooms` is the
machinery under it (rooms kept in memory, commits decided again on conflict, idempotency, the
agents' turns); :mod:`~accord.room.service.processes` the linked rooms of a process. See
:mod:`accord.room` for the API.
"""

from accord.room.service.application import CreatedRoom, RoomService, SeatLink, new_token
from accord.room.service.rooms import Issued

__all__ = ["CreatedRoom", "Issued", "RoomService", "SeatLink", "new_token"]
