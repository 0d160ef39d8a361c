"""The negotiating text on the room's pages: what the text section shows, and the change a form sends.

:func:`text_context` reads the seat's view (its ``text``, built by the room's one choke point) for
the template ``text.html``: each paragraph with its number, status and links, each alternative in
the chosen language (with its direction), who proposed and who supports it, and its worth to the
delegations the view holds (the mediator's held ones on the console, the delegation itself on the
desk); the seat's own part of the private side (its proposals and comments; all of them for the
mediator, with their proposers); the revisions; and which forms the seat may use now.
:func:`change_from_form` turns a posted form into the change the room's service takes, field by
field as :mod:`accord.text.changes` defines them.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any

from accord.server.pages.forms import FormError
from accord.server.pages.reading import version
from accord.text import Part, Wording
from accord.text.change_kinds import KINDS

__all__ = ["change_from_form", "text_context"]


def _in_language(wording: list[dict[str, str]], language: str | None) -> dict[str, str]:
    """The wording's version in ``language`` if it has one, else its original."""
    for item in wording:
        if item["language"] == language:
            return item
    return wording[0]


def _worth(text: Mapping[str, Any], paragraph: str, alternative: str) -> dict[str, dict[str, Any]]:
    return {
        delegation: table.get(paragraph, {}).get(alternative, {"value": None, "crosses_red_line": False})
        for delegation, table in text["worth"].items()
    }


def text_context(view: Mapping[str, Any], query: Mapping[str, str]) -> dict[str, Any] | None:
    """What the text section shows this seat, or ``None`` in a room without a text. ``query``: the
    chosen ``language`` (default: the text's most used)."""
    text = view.get("text")
    if text is None:
        return None
    seat, role = view["seat"], view["role"]
    languages = list(text["languages"]) or ["en"]
    language = query.get("language") if query.get("language") in languages else languages[0]
    paragraphs = []
    for index, paragraph in enumerate(text["paragraphs"], start=1):
        key = paragraph["key"]
        alternatives = []
        for alternative in paragraph["alternatives"]:
            alternatives.append(
                {
                    **alternative,
                    "shown": _in_language(alternative["wording"], language),
                    "worth": _worth(text, key, alternative["key"]),
                    "supported": seat in alternative["supporters"] or seat == alternative["proposer"],
                }
            )
        proposals = [
            {**proposal, "shown": _in_language(proposal["wording"], language)}
            for proposal in text["proposals"]
            if proposal["paragraph"] == key
        ]
        comments = [comment for comment in text["comments"] if comment["paragraph"] == key]
        item = {
            **paragraph,
            "index": index,
            "alternatives": alternatives,
            "proposals": proposals,
            "comments": comments,
            "bracketed": paragraph["status"] == "bracketed",
            "numbers": {other: _number(text, other) for other in paragraph["linked"]},
        }
        item["version"] = version(item, language)
        paragraphs.append(item)
    outline = (
        [paragraph["key"] for paragraph in text["paragraphs"]],
        seat in text["acceptances"],
        text["adopted"],
        text["everything_agreed"],
        language,
    )
    return {
        "title": text["title"],
        "revision": text["revision"],
        "paragraphs": paragraphs,
        "language": language,
        "languages": languages,
        "acceptances": text["acceptances"],
        "adopted": text["adopted"],
        "everything_agreed": text["everything_agreed"],
        "accepted": seat in text["acceptances"],
        "delegations": text["delegations"],
        "held": list(text["worth"]),
        "revisions": list(reversed(text["revisions"])),
        "mediator": role == "mediator",
        "delegation": role == "delegation",
        "version": version(outline),
        "status_version": version(text["revision"], text["acceptances"], text["adopted"], language),
    }


def _number(text: Mapping[str, Any], key: str) -> str:
    for paragraph in text["paragraphs"]:
        if paragraph["key"] == key:
            return str(paragraph["number"])
    return key


def change_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The change a text form sends (``kind`` and the change's own fields; a wording as ``wording`` with
    ``wording-language``), as :meth:`RoomService.change_text` takes it; :class:`FormError` when a field
    is missing or not a number."""
    kind = form.get("kind", "")
    change = KINDS.get(kind)
    if change is None:
        raise FormError(f"no such change to the text: {kind!r}")
    hints = typing.get_type_hints(change)
    data: dict[str, Any] = {"kind": kind}
    for item in dataclasses.fields(change):
        if item.name in ("seat", "time"):
            continue
        raw = (form.get(item.name) or "").strip()
        required = item.default is dataclasses.MISSING
        if not raw:
            if required:
                raise FormError(f"{kind}: fill in the {item.name}")
            continue
        hint = hints[item.name]
        if hint is Wording:
            data["wording"] = {(form.get("wording-language") or "en").strip() or "en": raw}
        elif hint is Part:
            data[item.name] = raw
        elif hint is int:
            data[item.name] = _number_in(kind, item.name, raw, int)
        elif hint is float:
            data[item.name] = _number_in(kind, item.name, raw, float)
        else:
            data[item.name] = raw
    return data


def _number_in(kind: str, name: str, raw: str, kind_of_number: type[int] | type[float]) -> int | float:
    try:
        return kind_of_number(raw)
    except ValueError:
        raise FormError(f"{kind}: the {name} must be a number, got {raw!r}") from None
