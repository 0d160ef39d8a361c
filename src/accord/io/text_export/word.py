"""A laid-out text as a Word document (python-docx), with real footnotes and tracked changes.

python-docx has no footnote API, so the footnotes part (``word/footnotes.xml``) is built
with its OXML layer: each alternative's closing bracket carries a footnote reference, and
the footnote names who proposed it and who supports it. A comparison marks insertions and
deletions as Word's tracked changes (``w:ins``, ``w:del``), attributed to the newer
revision's author, so Word shows them as it shows a colleague's edits. Right-to-left lines
get ``w:bidi`` and ``w:rtl``. The header carries the title, revision and date.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.oxml.parser import parse_xml
from docx.shared import Pt, RGBColor

from accord.io.text_export.layout import Document, Line

__all__ = ["render_docx"]

_GREY = RGBColor(0x55, 0x55, 0x55)


def _text_run(text: str, *, deleted: bool = False, rtl: bool = False) -> Any:
    run = OxmlElement("w:r")
    if rtl:
        properties = OxmlElement("w:rPr")
        properties.append(OxmlElement("w:rtl"))
        run.append(properties)
    element = OxmlElement("w:delText" if deleted else "w:t")
    element.set(qn("xml:space"), "preserve")
    element.text = text
    run.append(element)
    return run


def _note_reference(number: int) -> Any:
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    properties.append(align)
    run.append(properties)
    reference = OxmlElement("w:footnoteReference")
    reference.set(qn("w:id"), str(number))
    run.append(reference)
    return run


class _Tracker:
    """Numbers tracked changes and stamps them with the author and date."""

    def __init__(self, author: str, date: str) -> None:
        self.author = author
        self.date = _iso(date)
        self.count = 0

    def wrap(self, tag: str, run: Any) -> Any:
        self.count += 1
        element = OxmlElement(tag)
        element.set(qn("w:id"), str(self.count))
        element.set(qn("w:author"), self.author)
        if self.date:
            element.set(qn("w:date"), self.date)
        element.append(run)
        return element


def _iso(value: str) -> str:
    try:
        return datetime.fromisoformat(value).strftime("%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return ""


def _line(document: Any, line: Line, tracker: _Tracker) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = Pt(28)
    paragraph.paragraph_format.space_after = Pt(4)
    rtl = line.direction == "rtl"
    if rtl:
        properties = paragraph._p.get_or_add_pPr()
        properties.append(OxmlElement("w:bidi"))
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if line.label:
        label = paragraph.add_run(f"{line.label}: ")
        label.italic = True
    for index, run in enumerate(line.runs):
        previous = line.runs[index - 1] if index else None
        joined = previous is None or (previous.kind == "bracket" and previous.text == "[")
        text = run.text if joined or (run.kind == "bracket" and run.text == "]") else f" {run.text}"
        if run.kind == "inserted":
            paragraph._p.append(tracker.wrap("w:ins", _text_run(text, rtl=rtl)))
        elif run.kind == "deleted":
            paragraph._p.append(tracker.wrap("w:del", _text_run(text, deleted=True, rtl=rtl)))
        else:
            paragraph._p.append(_text_run(text, rtl=rtl))
        if run.note is not None:
            paragraph._p.append(_note_reference(run.note))


def _footnotes_part(document: Any, notes: tuple[str, ...]) -> None:
    root = parse_xml(
        f"<w:footnotes {nsdecls('w')}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote></w:footnotes>"
    )
    for number, note in enumerate(notes, start=1):
        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(number))
        paragraph = OxmlElement("w:p")
        mark = OxmlElement("w:r")
        properties = OxmlElement("w:rPr")
        align = OxmlElement("w:vertAlign")
        align.set(qn("w:val"), "superscript")
        properties.append(align)
        mark.append(properties)
        mark.append(OxmlElement("w:footnoteRef"))
        paragraph.append(mark)
        paragraph.append(_text_run(f" {note}"))
        footnote.append(paragraph)
        root.append(footnote)
    blob = serialize_part_xml(root)
    part = Part(PackURI("/word/footnotes.xml"), CONTENT_TYPE.WML_FOOTNOTES, blob, document.part.package)
    document.part.relate_to(part, RELATIONSHIP_TYPE.FOOTNOTES)


def render_docx(document: Document, *, author: str = "") -> bytes:
    """The document as DOCX bytes; ``author`` signs a comparison's tracked changes."""
    word = docx.Document()
    style = word.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    header = word.sections[0].header.paragraphs[0]
    header.text = " — ".join(part for part in (document.title, document.revision, document.date) if part)
    header.runs[0].font.size = Pt(9)
    header.runs[0].font.color.rgb = _GREY
    word.add_heading(document.title, level=1)
    revision = word.add_paragraph()
    revision.add_run(document.revision).bold = True
    if document.date:
        revision.add_run(f" · {document.date}")
    subtitle = word.add_paragraph()
    subtitle.add_run(document.subtitle).italic = True
    tracker = _Tracker(author or "Accord", document.date)
    for index, block in enumerate(document.blocks):
        section = document.section_of(index)
        if section:
            word.add_heading(section, level=2)
        heading = word.add_paragraph()
        heading.paragraph_format.space_before = Pt(10)
        heading.paragraph_format.keep_with_next = True
        number = f"{block.number}." if block.number.isdigit() else block.number
        heading.add_run(f"{number}  ").bold = True
        if block.title:
            heading.add_run(f"{block.title}  ").italic = True
        status = heading.add_run(f"[{block.status}]")
        status.font.size = Pt(9)
        status.font.small_caps = True
        status.font.color.rgb = _GREY
        for line in block.lines:
            _line(word, line, tracker)
    if document.notes:
        _footnotes_part(word, document.notes)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()
