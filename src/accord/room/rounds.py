"""Rounds of talks: the mediator or the organiser adjourns a room and reconvenes it for the next round.

Pure rules, like :mod:`accord.room.rules`: each takes the state and returns the records to
append or raises a :class:`~accord.room.errors.RoomError` naming the seat, the command and
why. While the talks stand adjourned no protocol action is taken, by people or agents, and no
person is timed out (:func:`refuse_if_adjourned`, called by :func:`accord.room.rules.submit`);
messages, links and seats are not actions and go on. The text, the record, the seats and their links
carry over to the next round, whose label (``Geneva V``) the ``reconvened`` record gives.

>>> from accord.room.testing import ROOM_SCENARIO, stored
>>> from accord.room.rules import create_room
>>> from accord.room.records import Settings
>>> records = create_room(scenario_text=ROOM_SCENARIO, protocol="alternating-offers",
...                       agents={}, settings=Settings(round="Geneva IV"),
...                       credentials=lambda seat: ("m-" + seat, "0" * 64))
>>> state = stored("r1", records)
>>> [record.data["round"] for record in adjourn(state, None)]
['Geneva IV']
>>> state = stored("r1", records + adjourn(state, None))
>>> state.adjourned, state.round_label
(True, 'Geneva IV')
>>> try:
...     refuse_if_adjourned(state, "north", "offer")
... except RefusedError as refusal:
...     print(refusal.reason)
the talks are adjourned (round 'Geneva IV' closed); no action is taken until they reconvene
>>> [record.data["round"] for record in reconvene(state, None, "Geneva V")]
['Geneva V']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accord.domain import Role
from accord.room.errors import ForbiddenError, RefusedError
from accord.room.records import Adjourned, Reconvened, Record
from accord.room.state import RoomState

if TYPE_CHECKING:  # the rules call refuse_if_adjourned: no import back at run time
    from accord.room.rules import SeatAccess

__all__ = ["MAX_LABEL", "adjourn", "reconvene", "refuse_if_adjourned"]

#: Longest round label.
MAX_LABEL = 200


def refuse_if_adjourned(state: RoomState, seat: str, what: str) -> None:
    """Refuse ``what`` by ``seat`` while the talks stand adjourned, naming the round that closed."""
    if state.adjourned:
        raise RefusedError(
            seat,
            what,
            f"the talks are adjourned (round {state.round_label!r} closed); "
            "no action is taken until they reconvene",
        )


def _chair(by: SeatAccess | None, what: str) -> str:
    """The seat of whoever adjourns or reconvenes: the mediator, or ``""`` for the organiser."""
    if by is not None and by.role is not Role.MEDIATOR:
        raise ForbiddenError(
            by.seat, what, "only the mediator or the organiser adjourns and reconvenes the talks"
        )
    return "" if by is None else by.seat


def adjourn(state: RoomState, by: SeatAccess | None) -> list[Record]:
    """Close the current round: ``by`` is the mediator's member, or ``None`` for the organiser."""
    what = "adjourn the talks"
    who = _chair(by, what)
    if state.result is not None:
        raise RefusedError(who, what, f"the talks have ended ({state.result.reason})")
    if state.adjourned:
        raise RefusedError(who, what, f"they stand adjourned already (round {state.round_label!r} closed)")
    return [Record.of(Adjourned(round=state.round_label, by=who))]


def reconvene(state: RoomState, by: SeatAccess | None, label: str) -> list[Record]:
    """Open the round ``label`` (e.g. ``Geneva V``) after an adjournment."""
    what = "reconvene the talks"
    who = _chair(by, what)
    label = label.strip()
    if not label or len(label) > MAX_LABEL:
        raise RefusedError(who, what, f"a round needs a label of 1 to {MAX_LABEL} characters")
    if not state.adjourned:
        raise RefusedError(who, what, f"round {state.round_label!r} is in session: adjourn it first")
    if any(round_.label == label for round_ in state.rounds):
        raise RefusedError(who, what, f"the round {label!r} was held already")
    return [Record.of(Reconvened(round=label, by=who))]
