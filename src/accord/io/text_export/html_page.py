"""A laid-out text as one self-contained HTML page: every word from the text escaped, ``dir="auto"``."""

from __future__ import annotations

from html import escape

from accord.io.text_export.layout import Document, Line

__all__ = ["render_html"]

_STYLE = """
body { font-family: "Times New Roman", "DejaVu Serif", serif; max-width: 46em; margin: 2em auto;
       line-height: 1.5; color: #111; padding: 0 1em; }
header { border-bottom: 1px solid #999; margin-bottom: 1.5em; }
.revision { font-weight: bold; } .subtitle { font-style: italic; }
h2 { font-size: 1.05em; text-transform: uppercase; letter-spacing: .05em; margin-top: 2em; }
.paragraph { margin: 1.2em 0; } .number { font-weight: bold; margin-inline-end: .5em; }
.title { font-style: italic; } .status { font-size: .85em; color: #555; border: 1px solid #aaa;
       border-radius: 3px; padding: 0 .3em; margin-inline-start: .5em; }
.status.agreed { color: #145214; border-color: #145214; }
.line { margin: .3em 0 .3em 2em; } .label { font-style: italic; margin-inline-end: .4em; }
ins { color: #0a5c0a; } del { color: #a01010; } .notes { font-size: .85em; border-top: 1px solid #999; }
"""


def _line(line: Line) -> str:
    parts = []
    if line.label:
        parts.append(f'<span class="label">{escape(line.label)}:</span>')
    for run in line.runs:
        text = escape(run.text)
        if run.kind == "inserted":
            text = f"<ins>{text}</ins>"
        elif run.kind == "deleted":
            text = f"<del>{text}</del>"
        elif run.kind == "bracket":
            text = f'<span class="bracket">{text}</span>'
        if run.note is not None:
            text += f'<sup><a href="#note-{run.note}" id="mark-{run.note}">{run.note}</a></sup>'
        parts.append(text)
    return f'<p class="line" dir="auto">{" ".join(parts)}</p>'.replace(
        'bracket">[</span> ', 'bracket">[</span>'
    )


def render_html(document: Document) -> bytes:
    lang = escape(document.language)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}" dir="{document.direction}">',
        '<head><meta charset="utf-8">',
        f"<title>{escape(document.title)} — {escape(document.revision)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<header>",
        f'<h1 dir="auto">{escape(document.title)}</h1>',
        f'<p class="revision">{escape(document.revision)}'
        + (f" · <time>{escape(document.date)}</time>" if document.date else "")
        + "</p>",
        f'<p class="subtitle">{escape(document.subtitle)}</p>',
        "</header><main>",
    ]
    for index, block in enumerate(document.blocks):
        section = document.section_of(index)
        if section:
            out.append(f"<h2>{escape(section)}</h2>")
        number = f"{block.number}." if block.number.isdigit() else block.number
        status_class = "status agreed" if block.status == "agreed" else "status"
        out.append('<section class="paragraph">')
        out.append(
            f'<p dir="auto"><span class="number">{escape(number)}</span>'
            + (f'<span class="title">{escape(block.title)}</span>' if block.title else "")
            + f'<span class="{status_class}">{escape(block.status)}</span></p>'
        )
        out += [_line(line) for line in block.lines]
        out.append("</section>")
    out.append("</main>")
    if document.notes:
        out.append('<ol class="notes">')
        out += [
            f'<li id="note-{number}" dir="auto">{escape(note)} <a href="#mark-{number}">↩</a></li>'
            for number, note in enumerate(document.notes, start=1)
        ]
        out.append("</ol>")
    out.append("</body></html>")
    return ("\n".join(out) + "\n").encode("utf-8")
