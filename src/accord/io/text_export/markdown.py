"""A laid-out text as Markdown (CommonMark with footnotes): every word from the text escaped.

Notes are Markdown footnotes (``[^1]``); insertions and deletions of a comparison are
``<ins>`` and ``<del>``; right-to-left lines sit in ``<div dir="rtl">``. A line break inside a
wording is ``<br>``, so no text ever starts a line of the file but at a line's start, where
:func:`_at_line_start` escapes what would open a block (a heading, list, rule, quote or code).
"""

from __future__ import annotations

import html
import re

from accord.io.text_export.layout import Document, Line, Run

__all__ = ["render_markdown"]

#: Characters that would turn text into emphasis, code, links, footnotes, tables or a heading's end.
_SPECIAL = re.compile(r"([\\`*_{}\[\]|~#])")

#: What opens a block at a line's start once Markdown's punctuation is escaped: a list marker
#: (``-``, ``+``, ``1.``, ``1)``), a rule or setext underline (``-``, ``=``), or an indent (code).
_BLOCK_START = re.compile(r"^\s*(?:([-+=])|(\d{1,9})([.)]))")


def _escape(text: str) -> str:
    """Text shown as written: Markdown's punctuation escaped, HTML's ``<``, ``>`` and ``&`` as entities,
    line breaks as ``<br>``."""
    return _SPECIAL.sub(r"\\\1", html.escape(text, quote=False)).replace("\n", "<br>")


def _at_line_start(text: str) -> str:
    """Escaped ``text`` placed at a line's start: what would open a block escaped, no indent.

    >>> _at_line_start("  1986. A year"), _at_line_start("- item"), _at_line_start("word")
    ('1986\\\\. A year', '\\\\- item', 'word')
    """
    match = _BLOCK_START.match(text)
    if match is None:
        return text.lstrip()
    if match[1]:
        return "\\" + text.lstrip()
    return f"{match[2]}\\{match[3]}{text[match.end() :]}"


def _run(run: Run) -> str:
    text = _escape(run.text)
    if run.kind == "inserted":
        text = f"<ins>{text}</ins>"
    elif run.kind == "deleted":
        text = f"<del>{text}</del>"
    return text + (f"[^{run.note}]" if run.note is not None else "")


def _line(line: Line) -> str:
    body = " ".join(
        _run(run) if run.kind != "bracket" else _escape(run.text) + _note(run) for run in line.runs
    )
    body = body.replace("\\[ ", "\\[").replace(" \\]", "\\]")
    if line.label:
        body = f"*{_escape(line.label)}:* {body}"
    body = _at_line_start(body)
    if line.direction == "rtl":
        return f'<div dir="rtl">\n\n{body}\n\n</div>'
    return body


def _note(run: Run) -> str:
    return f"[^{run.note}]" if run.note is not None else ""


def render_markdown(document: Document) -> bytes:
    out = [f"# {_escape(document.title)}", ""]
    heading = " · ".join(_escape(part) for part in (document.revision, document.date) if part)
    out += [f"**{heading}**", "", f"*{_escape(document.subtitle)}*", ""]
    for index, block in enumerate(document.blocks):
        section = document.section_of(index)
        if section:
            out += [f"## {section}", ""]
        number = f"{block.number}." if block.number.isdigit() else block.number
        title = f" {_escape(block.title)}" if block.title else ""
        out += [f"**{_escape(number)}**{title} — *{_escape(block.status)}*", ""]
        for line in block.lines:
            out += [("- " if line.label else "") + _line(line), ""]
    for position, note in enumerate(document.notes, start=1):
        out.append(f"[^{position}]: {_escape(note)}")
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")
