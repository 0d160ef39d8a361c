"""Linked rooms: the rooms of a process's tracks and the cross-track conditions both of them enforce.

A room created from a process file carries a :class:`~accord.room.records.ProcessLink` in its
``room-created`` record: the process's id and name, its own track, every track's room, the
conditions and the linked parties' seats. The rules stay pure: the service reads the other
rooms' states and passes in what each track has agreed (``elsewhere``, track → issues);
:func:`refuse_if_linked` refuses a step that would break a condition
(:func:`accord.domain.process.new_violations`), naming the condition, the other track and
its issue. A room's agreed issues (:func:`agreed_issues`) are every issue of its agenda once
the talks end in agreement, and, in a room holding a text, the issue of every paragraph agreed
(``agreed ad referendum`` or ``agreed``): :func:`text_agreed` for a text; the text's rule in the
room (:func:`accord.room.text_changes.change_text`) checks its changes the same way.

>>> from accord.room.records import ProcessCondition, ProcessLink
>>> link = ProcessLink(id="p1", name="Linked", track="Geneva", rooms={"Geneva": "g", "Astana": "a"},
...                    conditions=(ProcessCondition(track="Geneva", issue="ct", requires_track="Astana",
...                                                 requires_issue="monitoring"),))
>>> [violation.reason for violation in broken_conditions(link, {"ct"}, frozenset(), {"Astana": frozenset()})]
["condition 1: ct in track 'Geneva' cannot be agreed before monitoring in track 'Astana' is"]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from accord.domain.process import TrackCondition, Violation, new_violations
from accord.room.errors import RefusedError
from accord.room.records import ProcessLink
from accord.room.state import RoomState
from accord.text import Status, Text

__all__ = [
    "Agreed",
    "ConditionRefusedError",
    "agreed_issues",
    "broken_conditions",
    "refuse_if_linked",
    "refuse_text_if_linked",
    "text_agreed",
]

#: What each other track of the process has agreed: track → issue names.
Agreed = Mapping[str, frozenset[str]]


class ConditionRefusedError(RefusedError):
    """A step refused because it would break a cross-track condition (the agents' driver waits
    for the other track rather than walking away)."""


def text_agreed(text: Text | None) -> frozenset[str]:
    """The issues of the text's paragraphs agreed (ad referendum or finally)."""
    if text is None:
        return frozenset()
    return frozenset(
        paragraph.issue
        for paragraph in text.paragraphs
        if paragraph.issue is not None and paragraph.status is not Status.BRACKETED
    )


def agreed_issues(state: RoomState, protocol_state: Any | None = None) -> frozenset[str]:
    """The issues the room has agreed at ``protocol_state`` (default: the room's own): every issue
    once the talks end in agreement, else those its text's agreed paragraphs settle."""
    result = state.protocol.result(state.protocol_state if protocol_state is None else protocol_state)
    if result is not None and result.agreement is not None:
        return frozenset(state.setup.agenda.names)
    return text_agreed(None if state.text is None else state.text.text)


def _conditions(link: ProcessLink) -> tuple[TrackCondition, ...]:
    return tuple(
        TrackCondition(item.track, item.issue, item.requires_track, item.requires_issue, item.reason)
        for item in link.conditions
    )


def broken_conditions(
    link: ProcessLink, after: Collection[str], before: Collection[str], elsewhere: Agreed
) -> tuple[Violation, ...]:
    """The conditions a change of this room's agreed issues from ``before`` to ``after`` would break."""
    others = {track: issues for track, issues in elsewhere.items() if track != link.track}
    return new_violations(
        _conditions(link),
        {**others, link.track: frozenset(before)},
        {**others, link.track: frozenset(after)},
    )


def refuse_text_if_linked(
    state: RoomState, after: Text, seat: str, what: str, elsewhere: Agreed | None
) -> None:
    """Refuse a change of the room's text to ``after`` if it would break a condition of the room's process
    (agreeing a paragraph too early, or reopening one another track's agreement waits on)."""
    link = state.created.process
    if link is None or elsewhere is None or state.result is not None:
        return
    broken = broken_conditions(link, text_agreed(after), agreed_issues(state), elsewhere)
    if broken:
        reasons = "; ".join(f"{violation.reason} (not so in that track)" for violation in broken)
        raise ConditionRefusedError(seat, what, reasons)


def refuse_if_linked(
    state: RoomState, protocol_state: Any, seat: str, what: str, elsewhere: Agreed | None
) -> None:
    """Refuse a step leading to ``protocol_state`` if it would break a condition of the room's process.

    ``elsewhere`` (what the other tracks have agreed) comes from the service; ``None`` outside a process.
    """
    link = state.created.process
    if link is None or elsewhere is None:
        return
    broken = broken_conditions(link, agreed_issues(state, protocol_state), agreed_issues(state), elsewhere)
    if broken:
        reasons = "; ".join(f"{violation.reason} (not yet agreed in that track)" for violation in broken)
        raise ConditionRefusedError(seat, what, reasons)
