"""The room's text as one seat may see it: part of the one choke point (:mod:`accord.room.views`).

Everything here starts from :func:`accord.text.view` (the text's own choke point for its
private side): a delegation gets the document and, of the private side, its own comments,
proposals and scores and the links its own preferences imply; the mediator gets every
comment, proposal and score, and the links implied by the preferences it holds; observers
get the document alone. The worth of each alternative (:func:`accord.text.worth`) is given
for the delegations whose preferences the seat holds: its own, or the mediator's held ones.
:mod:`accord.room.views` calls these; nothing else should.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from accord.domain import Role
from accord.room.state import RoomState, TextNote
from accord.text import (
    Accept,
    CommentOn,
    DeclineProposal,
    Propose,
    Score,
    Text,
    Wording,
    direction,
    view,
    worth,
)

__all__ = ["seat_text", "text_data", "text_item"]


def seat_text(
    state: RoomState, seat: str, held: tuple[str, ...], *, revision: int | None = None
) -> Text | None:
    """The room's text (at Rev.``revision``, default the current one) as ``seat`` may see it, or ``None``
    in a room without a text. ``held``: the delegations whose preferences the seat holds (the mediator
    sees only the links their preferences imply). ``KeyError`` for a revision the text has not reached.
    """
    if state.text is None:
        return None
    text = state.text.text if revision is None else state.text.at(revision)
    shown = view(text, seat)
    if seat == text.mediator:
        shown = replace(
            shown, implied_links=frozenset(link for link in shown.implied_links if link[2] in held)
        )
    return shown


def _wording(wording: Wording) -> list[dict[str, str]]:
    return [
        {"language": language, "text": text, "direction": direction(language)}
        for language, text in wording.versions
    ]


def _paragraphs(text: Text) -> list[dict[str, Any]]:
    paragraphs = []
    for paragraph in text.paragraphs:
        paragraphs.append(
            {
                "key": paragraph.key,
                "number": text.number(paragraph.key),
                "part": paragraph.part.value,
                "title": paragraph.title,
                "issue": paragraph.issue,
                "status": paragraph.status.value,
                "chosen": paragraph.chosen,
                "linked": sorted(text.linked_to(paragraph.key)),
                "alternatives": [
                    {
                        "key": alternative.key,
                        "wording": _wording(alternative.wording),
                        "proposer": alternative.proposer,
                        "supporters": list(alternative.supporters),
                        "option": alternative.option,
                        "bridging": alternative.bridging,
                    }
                    for alternative in paragraph.alternatives
                ],
            }
        )
    return paragraphs


def text_data(state: RoomState, seat: str, held: tuple[str, ...]) -> dict[str, Any] | None:
    """The seat's text as JSON data (the view's ``text``), or ``None`` in a room without a text.

    Keys: ``title``, ``revision``, ``mediator``, ``delegations``, ``languages``, ``paragraphs`` (each
    with its ``number``, ``status``, ``chosen``, ``linked`` paragraphs and ``alternatives``),
    ``links``, ``implied_links``, ``acceptances``, ``everything_agreed``, ``adopted``, ``revisions``,
    ``comments``, ``proposals``, ``scores`` (what the seat may see of them) and ``worth``: delegation →
    paragraph → alternative → ``{"value", "crosses_red_line"}`` for the delegations in ``held``.
    """
    text = seat_text(state, seat, held)
    if text is None:
        return None
    return {
        "title": text.title,
        "revision": text.revision,
        "mediator": text.mediator,
        "delegations": list(text.delegations),
        "languages": list(text.languages),
        "paragraphs": _paragraphs(text),
        "links": [list(link) for link in sorted(text.links)],
        "implied_links": [list(link) for link in sorted(text.implied_links)],
        "acceptances": sorted(text.acceptances),
        "everything_agreed": text.everything_agreed,
        "adopted": text.adopted,
        "revisions": [
            {"number": item.number, "author": item.author, "time": item.time, "summary": item.summary}
            for item in text.revisions
        ],
        "comments": [
            {"seat": item.seat, "paragraph": item.paragraph, "text": item.text, "time": item.time}
            for item in text.comments
        ],
        "proposals": [
            {
                "number": item.number,
                "seat": item.seat,
                "paragraph": item.paragraph,
                "wording": _wording(item.wording),
                "option": item.option,
                "time": item.time,
                "state": item.state,
            }
            for item in text.proposals
        ],
        "scores": [
            {"seat": key[0], "paragraph": key[1], "alternative": key[2], "value": value}
            for key, value in sorted(text.scores.items())
        ],
        "worth": {
            delegation: {
                paragraph: {
                    alternative: {"value": item.value, "crosses_red_line": item.crosses_red_line}
                    for alternative, item in row.items()
                }
                for paragraph, row in worth(text, state.scenario, delegation).items()
            }
            for delegation in held
        },
    }


def _summary(note: TextNote) -> str:
    """What a change that made no revision did, in a few words."""
    change = note.change
    if isinstance(change, Accept):
        return f"{change.seat} accepts the whole text" + ("; the text is adopted" if note.adopted else "")
    if isinstance(change, Propose):
        return f"{change.seat} proposes wording for paragraph {change.paragraph!r}"
    if isinstance(change, DeclineProposal):
        return f"{change.proposer}'s proposal {change.proposal} declined"
    if isinstance(change, CommentOn):
        return f"{change.seat} comments on paragraph {change.paragraph!r}"
    if isinstance(change, Score):
        return f"{change.seat} scores {change.alternative!r} in paragraph {change.paragraph!r}"
    return "the text changed"


def text_item(note: TextNote, change_data: dict[str, Any], seat: str, role: Role) -> dict[str, Any] | None:
    """What ``seat`` may know of one ``text-change`` record (``change_data``: its recorded change), or
    ``None``: every seat learns of a change to the document (its revision, author and summary); the
    change itself, and a change to the private side, only the seats that may know of it
    (:func:`accord.text.witnesses`: its author, the mediator, a declined proposal's proposer)."""
    witness = (
        role is Role.MEDIATOR
        or seat == note.change.seat
        or (note.witnesses is not None and seat in note.witnesses)
    )
    if note.witnesses is not None and not witness:
        return None
    item: dict[str, Any] = {
        "kind": "text",
        "author": note.change.seat,
        "revision": None if note.revision is None else note.revision.number,
        "summary": _summary(note) if note.revision is None else note.revision.summary,
    }
    if witness:
        item["change"] = change_data
    return item
