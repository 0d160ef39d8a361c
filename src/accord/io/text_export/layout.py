"""What an exported text says, decided once for every format: :func:`layout`.

A :class:`Document` is the text laid out for reading in one language: a heading (title,
revision, date), sections (preamble, operative part), numbered paragraphs each with its
status, its agreed language or each alternative in brackets, and numbered notes naming
who proposed and who supports each alternative. Given an older revision it is instead
the comparison: each paragraph's words marked inserted or deleted. The renderers
(Markdown, HTML, DOCX, PDF) only choose how each piece looks.

Every word a document shows from the text is :func:`readable`: control characters, and the
bidirectional embeddings, overrides and isolates that would show a name in another order
than written, are written as escapes (as the terminal shows them, :mod:`accord.cli.shown`);
the marks Arabic text uses (U+200E, U+200F, U+061C) are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from accord.errors import ArgumentError
from accord.text import Alternative, Part, Status, Text, compare, direction

__all__ = ["Block", "Document", "Line", "Run", "chosen_language", "layout", "readable"]


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a line: ``kind`` is ``"text"``, ``"bracket"``, ``"inserted"`` or ``"deleted"``;
    ``note`` is the number of the note whose mark follows it."""

    text: str
    kind: str = "text"
    note: int | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """A line of a paragraph (one alternative, or the agreed language) and its writing direction."""

    runs: tuple[Run, ...]
    direction: str = "ltr"
    label: str = ""


@dataclass(frozen=True, slots=True)
class Block:
    """A numbered paragraph: its number, title, status (as shown) and lines."""

    number: str
    title: str
    status: str
    lines: tuple[Line, ...]
    part: Part


@dataclass(frozen=True, slots=True)
class Document:
    """A text laid out for reading: heading lines, blocks in order, notes numbered from 1."""

    title: str
    revision: str
    date: str
    subtitle: str
    language: str
    direction: str
    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = field(default=())
    comparison: bool = False

    def section_of(self, index: int) -> str | None:
        """The section heading that opens before block ``index``, if one does."""
        part = self.blocks[index].part
        if index and self.blocks[index - 1].part is part:
            return None
        return "Preamble" if part is Part.PREAMBLE else "Operative paragraphs"


#: Characters no document shows as they are: C0 and C1 controls (but the line feed), DEL, the
#: bidirectional embeddings, overrides and isolates, surrogates and U+FFFE/U+FFFF (not XML).
_UNSHOWN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def readable(text: str) -> str:
    r"""``text`` as a document shows it: line breaks as ``\n``, a tab as a space, and every
    character of :data:`_UNSHOWN` as its escape.

    >>> readable("North\u202eevil\r\n\tx\x1b")
    'North\\u202eevil\n x\\x1b'
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _UNSHOWN.sub(_escape, text)


_STATUS = {
    Status.BRACKETED: "bracketed",
    Status.AGREED_AD_REFERENDUM: "agreed ad referendum",
    Status.AGREED: "agreed",
}


def _attribution(text: Text, alternative: Alternative, label: str) -> str:
    if alternative.bridging and alternative.proposer == text.mediator:
        who = f"{label}: the mediator's bridging language ({alternative.proposer})"
    else:
        who = f"{label}: proposed by {alternative.proposer}"
    supporters = [name for name in alternative.supporters if name != alternative.proposer]
    if supporters:
        who += f"; supported by {', '.join(supporters)}"
    return readable(who + ".")


def _date(time: str) -> str:
    """An ISO time as a document dates it (``3 March 2017, 10:00``); anything else as given."""
    try:
        moment = datetime.fromisoformat(time)
    except ValueError:
        return time
    day = f"{moment.day} {moment.strftime('%B %Y')}"
    return day if (moment.hour, moment.minute) == (0, 0) else f"{day}, {moment.strftime('%H:%M')}"


def _revision_line(text: Text) -> tuple[str, str]:
    revision = "original text" if text.revision == 0 else f"Rev.{text.revision}"
    date = readable(_date(text.revisions[-1].time)) if text.revisions else ""
    return revision, date


def chosen_language(text: Text, language: str | None) -> str:
    """``language`` if some wording of ``text`` is in it; ``None``: the text's most used language.

    Any other language is an :class:`~accord.errors.ArgumentError` naming those the text has.
    """
    if language is None:
        return text.languages[0] if text.languages else "en"
    if language not in text.languages:
        raise ArgumentError(
            "language", f"the text has no wording in {language!r} (it has: {', '.join(text.languages)})"
        )
    return language


def layout(text: Text, *, language: str | None = None, older: Text | None = None) -> Document:
    """``text`` laid out in ``language`` (default: its most used), or compared with ``older``;
    a language the text lacks is refused (:func:`chosen_language`)."""
    chosen = chosen_language(text, language)
    revision, date = _revision_line(text)
    if older is not None:
        return _comparison(text, older, chosen, revision, date)
    notes: list[str] = []
    blocks = []
    for paragraph in text.paragraphs:
        agreed = paragraph.agreed_language
        lines = []
        if agreed is not None:
            wording, used = agreed.wording.in_language(chosen)
            lines.append(Line((Run(readable(wording)),), direction(used)))
        else:
            many = len(paragraph.alternatives) > 1
            for position, alternative in enumerate(paragraph.alternatives, start=1):
                label = f"Alt {position}" if many else "Proposal"
                notes.append(_attribution(text, alternative, label))
                wording, used = alternative.wording.in_language(chosen)
                runs = (Run("[", "bracket"), Run(readable(wording)), Run("]", "bracket", note=len(notes)))
                lines.append(Line(runs, direction(used), label if many else ""))
        blocks.append(
            Block(
                text.number(paragraph.key),
                readable(paragraph.title),
                _STATUS[paragraph.status],
                tuple(lines),
                paragraph.part,
            )
        )
    subtitle = "Nothing is agreed until everything is agreed."
    if text.adopted:
        subtitle = "Adopted: every paragraph agreed and accepted by every delegation."
    return Document(
        readable(text.title), revision, date, subtitle, chosen, direction(chosen), tuple(blocks), tuple(notes)
    )


def _comparison(text: Text, older: Text, language: str, revision: str, date: str) -> Document:
    older_name = "original text" if older.revision == 0 else f"Rev.{older.revision}"
    blocks = []
    parts = {paragraph.key: paragraph.part for paragraph in (*older.paragraphs, *text.paragraphs)}
    titles = {paragraph.key: readable(paragraph.title) for paragraph in (*older.paragraphs, *text.paragraphs)}
    for item in compare(older, text, language=language):
        before = _STATUS[item.status_before] if item.status_before is not None else "new"
        after = _STATUS[item.status_after] if item.status_after is not None else "deleted"
        status = after if before == after else f"{before} → {after}"
        lines: list[list[Run]] = [[]]
        for piece in item.pieces:
            kind = "text" if piece.kind == "same" else piece.kind
            for index, part in enumerate(readable(piece.text).split("\n")):
                if index:
                    lines.append([])
                if part.strip():
                    lines[-1].append(Run(part.strip(), kind))
        shown = tuple(Line(tuple(runs), direction(language)) for runs in lines if runs)
        blocks.append(Block(item.number, titles[item.key], status, shown, parts[item.key]))
    subtitle = f"Comparison of {revision} with {older_name}: insertions underlined, deletions struck through."
    return Document(
        readable(text.title),
        revision,
        date,
        subtitle,
        language,
        direction(language),
        tuple(sorted(blocks, key=lambda block: block.part is Part.OPERATIVE)),
        comparison=True,
    )
