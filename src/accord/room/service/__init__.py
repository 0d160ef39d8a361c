"""The room's application over the store: the only part of the room that touches :mod:`accord.store`.

:mod:`~accord.room.service.application` holds :class:`RoomService`, the API the web layer and
the command line use; :mod:`~accord.room.service.rooms` the machinery under it (rooms kept in
memory, commits decided again on conflict, idempotency, the agents' turns). See
:mod:`accord.room` for the API.
"""

from accord.room.service.application import CreatedRoom, RoomService, SeatLink, new_token
from accord.room.service.rooms import Issued

__all__ = ["CreatedRoom", "Issued", "RoomService", "SeatLink", "new_token"]
