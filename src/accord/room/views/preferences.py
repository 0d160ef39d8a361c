"""The preferences a seat's view holds: a delegation its own, the mediator those it holds, nobody else's.

The mediator's analysis (``accord analyze``'s JSON) is computed over the delegations it
holds and nobody else's, and kept per room, scenario and those delegations' revisions.
"""

from __future__ import annotations

import threading
from typing import Any

from accord.analysis import analyze
from accord.domain import Role
from accord.errors import AnalysisError
from accord.frozen import thaw
from accord.room.state import RoomState

__all__ = ["held_preferences", "mediator_analysis", "preferences_data", "seat_preferences"]


def preferences_data(state: RoomState, delegation: str) -> dict[str, Any]:
    """One delegation's confidential preferences, in the scenario file's form (weights, values, …)."""
    preferences: dict[str, Any] = thaw(state.preferences[delegation])
    return preferences


#: The mediator's analyses, by room, scenario and the delegations they cover (bounded).
_ANALYSES: dict[tuple[str, str, tuple[str, ...], tuple[int, ...]], dict[str, Any] | None] = {}
_ANALYSES_LOCK = threading.Lock()
_ANALYSES_SIZE = 64


def mediator_analysis(state: RoomState, held: tuple[str, ...]) -> dict[str, Any] | None:
    """The analysis (``accord analyze``'s JSON) of the delegations whose preferences the mediator
    holds, and of nobody else's; ``None`` while it holds fewer than two."""
    if len(held) < 2:
        return None
    revisions = tuple(state.preferences_set.get(delegation, 0) for delegation in held)
    key = (state.room, state.created.scenario.text, held, revisions)
    with _ANALYSES_LOCK:
        if key in _ANALYSES:
            return _ANALYSES[key]
    try:
        result: dict[str, Any] | None = analyze(state.scenario.restricted_to(held)).to_dict()
    except AnalysisError:
        result = None
    with _ANALYSES_LOCK:
        if len(_ANALYSES) >= _ANALYSES_SIZE:
            _ANALYSES.pop(next(iter(_ANALYSES)))
        _ANALYSES[key] = result
    return result


def _mediator_holds(state: RoomState) -> tuple[str, ...]:
    """The delegations whose preferences the mediator holds, in seating order."""
    return tuple(seat for seat in state.setup.delegations if state.mediator_holds(seat))


def held_preferences(state: RoomState, seat: str, role: Role) -> tuple[str, ...]:
    """The delegations whose preferences ``seat`` holds: its own, the mediator's held ones, or none."""
    if role is Role.MEDIATOR:
        return _mediator_holds(state)
    return (seat,) if role is Role.DELEGATION else ()


def seat_preferences(state: RoomState, seat: str, role: Role) -> dict[str, Any]:
    """The view's ``preferences``: the setting, the preferences ``seat`` holds, the delegations missing,
    and the mediator's analysis, or a delegation's own with whether it may change them now."""
    setting = state.created.settings.preferences
    if role is Role.MEDIATOR:
        held = _mediator_holds(state)
        return {
            "setting": setting,
            "delegations": {delegation: preferences_data(state, delegation) for delegation in held},
            "missing": [delegation for delegation in state.setup.delegations if delegation not in held],
            "analysis": mediator_analysis(state, held),
        }
    if role is Role.DELEGATION:
        refused = state.preferences_editable()
        return {
            "setting": setting,
            "delegations": {seat: preferences_data(state, seat)},
            "missing": [],
            "disclosed": state.mediator_holds(seat),
            "edit_preferences": state.created.settings.edit_preferences,
            "editable": refused is None,
            "edit_refused": refused,
        }
    return {"setting": setting, "delegations": {}, "missing": []}
