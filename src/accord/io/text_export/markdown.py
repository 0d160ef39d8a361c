"""A laid-out text as Markdown (CommonMark with footnotes): every word from the text escaped.

Notes are Markdown footnotes (``[^1]``); insertions and deletions of a comparison are
``<ins>`` and ``<del>``; right-to-left lines sit in ``<div dir="rtl">``.
"""

from __future__ import annotations

import html
import re

from accord.io.text_export.layout import Document, Line, Run

__all__ = ["render_markdown"]

#: Characters that would turn text into emphasis, code, links, footnotes or tables; every line
#: starts with Accord's own markup, so line-start syntax (#, -, 1.) cannot arise from the text.
_SPECIAL = re.compile(r"([\\`*_{}\[\]|~])")


def _escape(text: str) -> str:
    """Text shown as written: Markdown's punctuation escaped, HTML's ``<``, ``>`` and ``&`` as entities."""
    return _SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


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
