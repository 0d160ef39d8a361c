"""Exports of a negotiating text: DOCX, PDF, Markdown and HTML, one layout for all.

:func:`export_text` lays the text out once (:mod:`accord.io.text_export.layout`) and hands
it to the format's renderer; given an older revision it exports the comparison instead.
"""

from __future__ import annotations

from accord.errors import ArgumentError
from accord.io.text_export.layout import Document, layout, readable
from accord.text import Text

__all__ = ["FORMATS", "export_text"]

#: The formats :func:`export_text` writes.
FORMATS = ("docx", "pdf", "md", "html")


def export_text(text: Text, format: str, *, language: str | None = None, older: Text | None = None) -> bytes:
    """``text`` (or its comparison with ``older``) as a document in ``format``."""
    document: Document = layout(text, language=language, older=older)
    if format == "md":
        from accord.io.text_export.markdown import render_markdown

        return render_markdown(document)
    if format == "html":
        from accord.io.text_export.html_page import render_html

        return render_html(document)
    if format == "docx":
        from accord.io.text_export.word import render_docx

        author = text.revisions[-1].author if text.revisions else text.mediator
        return render_docx(document, author=readable(author))
    if format == "pdf":
        from accord.io.text_export.pdf import render_pdf

        return render_pdf(document)
    raise ArgumentError("format", f"expected one of {', '.join(FORMATS)}, got {format!r}")
