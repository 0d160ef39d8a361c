"""The organiser's view of a room: its owner's, outside the talks, who holds its whole record."""

from __future__ import annotations

from typing import Any

from accord.domain import Role
from accord.room.state import OBSERVERS, RoomState
from accord.room.views.preferences import mediator_analysis, preferences_data
from accord.room.views.seat import event_data, seat_view, seats_data

__all__ = ["organiser_view"]


def organiser_view(state: RoomState, *, analysis: bool = True) -> dict[str, Any]:
    """What the organiser sees of a room (its owner, outside the talks, who holds its whole record):
    shaped like the mediator's view, with every protocol event, every delegation's preferences as last
    set (and ``accord analyze``'s JSON over them, unless ``analysis`` is false), who holds each seat and
    which seats await a new link. No messages (the record's download has them), no token or hash.
    """
    view = seat_view(state, OBSERVERS)
    watched = state.mediator or state.setup.delegations[0]
    observation = state.protocol.observe(state.protocol_state, watched)
    delegations = state.setup.delegations
    view.update(
        role="organiser",
        seat="",
        holder=None,
        seats={
            **seats_data(state, Role.MEDIATOR),
            "link_requests": [seat for seat in state.setup.seats if seat in state.link_requests],
        },
        preferences={
            "setting": state.created.settings.preferences,
            "delegations": {delegation: preferences_data(state, delegation) for delegation in delegations},
            "missing": [],
            "analysis": mediator_analysis(state, delegations) if analysis else None,
        },
        events=[event_data(seq, event) for seq, event in state.events],
    )
    view["protocol"].update(
        phase=observation.phase,
        on_table=None if observation.on_table is None else list(observation.on_table),
        details={},
    )
    return view
