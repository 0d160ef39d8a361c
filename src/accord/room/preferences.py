"""A delegation's preferences in the room: disclosed to the mediator (or withdrawn) in a
``disclosed`` room, and replaced by new ones, checked as a scenario file's are.

Pure rules like :mod:`accord.room.rules` (which names them too); what a seat's view holds of
them is :mod:`accord.room.views.preferences`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from accord.domain import Role
from accord.errors import InputError
from accord.frozen import thaw
from accord.io.preferences_form import parse_preferences, preferences_to_data
from accord.room.errors import ForbiddenError, NotFoundError, RefusedError
from accord.room.records import PreferencesDisclosed, PreferencesSet, Record
from accord.room.state import RoomState

if TYPE_CHECKING:
    from accord.room.rules import SeatAccess

__all__ = ["PREFERENCES_MARGIN", "set_disclosure", "set_preferences"]

#: How much larger than the room's whole scenario file a delegation's new preferences may be (characters).
PREFERENCES_MARGIN = 65_536


def set_disclosure(state: RoomState, access: SeatAccess, disclosed: bool) -> list[Record]:
    """A delegation allows (or withdraws) the mediator's access to its preferences (``disclosed`` rooms)."""
    what = "disclose its preferences" if disclosed else "withdraw its preferences"
    if access.role is not Role.DELEGATION:
        raise ForbiddenError(access.seat, what, "only a delegation has preferences to disclose")
    if state.created.settings.preferences != "disclosed":
        raise RefusedError(
            access.seat, what, "in this room the mediator holds every delegation's preferences"
        )
    if (access.seat in state.disclosed) == disclosed:
        raise RefusedError(access.seat, what, "it already has")
    return [Record.of(PreferencesDisclosed(seat=access.seat, member=access.member, disclosed=disclosed))]


def set_preferences(state: RoomState, access: SeatAccess, preferences: Mapping[str, Any]) -> list[Record]:
    """A delegation's new preferences (a scenario file's ``preferences`` block: weights, values,
    reservation, red lines…), replacing its own: before the talks, or during them where the room's
    ``edit_preferences`` is ``during``. Checked as a scenario file's are; a refusal names the field.

    >>> from accord.domain import Role
    >>> from accord.room.records import Settings
    >>> from accord.room.rules import SeatAccess, create_room
    >>> from accord.room.testing import ROOM_SCENARIO, stored
    >>> state = stored("r1", create_room(scenario_text=ROOM_SCENARIO, protocol="one-text", agents={},
    ...                                  settings=Settings()))
    >>> north = SeatAccess(room="r1", seat="north", member="m-1", role=Role.DELEGATION)
    >>> set_preferences(state, north, {"weights": {"venue": 1.0}, "reservation": -1})
    Traceback (most recent call last):
    ...
    accord.room.errors.RefusedError: seat 'north' may not set its preferences: reservation: must lie in ...
    """
    what = "set its preferences"
    if access.role is not Role.DELEGATION:
        raise ForbiddenError(access.seat, what, "only a delegation has preferences")
    if access.seat not in state.setup.delegations:
        raise NotFoundError(access.seat, what, "no such delegation in this room")
    refused = state.preferences_editable()
    if refused is not None:
        raise RefusedError(access.seat, what, refused)
    size, limit = len(json.dumps(thaw(preferences))), len(state.created.scenario.text) + PREFERENCES_MARGIN
    if size > limit:
        reason = f"{size} characters of preferences; at most {limit} (the scenario's own size and 64 kB)"
        raise RefusedError(access.seat, what, reason)
    try:
        built = parse_preferences(thaw(preferences), state.setup.agenda, source="")
    except InputError as error:
        raise RefusedError(
            access.seat, what, f"{error.location}: {error.reason}" if error.location else error.reason
        ) from None
    data = preferences_to_data(built)
    if data == thaw(state.preferences[access.seat]):
        raise RefusedError(access.seat, what, "they are the preferences it holds already")
    return [Record.of(PreferencesSet(seat=access.seat, member=access.member, preferences=data))]
