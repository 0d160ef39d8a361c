"""A laid-out text as PDF (fpdf2), with the DejaVu fonts matplotlib ships and HarfBuzz shaping.

Arabic and other right-to-left lines are shaped (uharfbuzz) and set right to left, right
aligned. Notes naming proposers and supporters are numbered marks after each bracket and
listed as endnotes after the last paragraph (fpdf2 has no footnotes that break with the
page). A comparison underlines insertions (green) and strikes through deletions (red).
Every page carries the title, revision and date in its header and its number in the footer.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fpdf import FPDF

from accord.io.text_export.layout import Document, Line

__all__ = ["render_pdf"]


def _font_folder() -> Path:
    return Path(str(files("matplotlib"))) / "mpl-data" / "fonts" / "ttf"


class _Page(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(format="A4")
        self.document = document
        folder = _font_folder()
        self.add_font("Serif", "", str(folder / "DejaVuSerif.ttf"))
        self.add_font("Serif", "B", str(folder / "DejaVuSerif-Bold.ttf"))
        self.add_font("Serif", "I", str(folder / "DejaVuSerif-Italic.ttf"))
        self.add_font("Sans", "", str(folder / "DejaVuSans.ttf"))
        self.add_font("Sans", "B", str(folder / "DejaVuSans-Bold.ttf"))
        self.add_font("Sans", "I", str(folder / "DejaVuSans-Oblique.ttf"))
        self.set_fallback_fonts(["Sans"])
        self.set_margins(25, 22, 25)
        self.set_auto_page_break(True, margin=20)

    def header(self) -> None:
        self.set_font("Serif", "", 8)
        self.set_text_color(110, 110, 110)
        parts = (self.document.title, self.document.revision, self.document.date)
        self.cell(0, 5, " — ".join(part for part in parts if part), align="R")
        self.ln(10)
        self.set_text_color(0, 0, 0)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font("Serif", "", 8)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, str(self.page_no()), align="C")
        self.set_text_color(0, 0, 0)


def _line(pdf: Any, line: Line) -> None:
    rtl = line.direction == "rtl"
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else "ltr")
    pdf.set_left_margin(35)
    pdf.set_x(35)
    if rtl:
        # A right-to-left line is set as one shaped block, right aligned; its note marks follow it.
        words = " ".join(run.text for run in line.runs).replace("[ ", "[").replace(" ]", "]")
        # fpdf2 does not mirror brackets in a right-to-left line: give it the glyphs to show.
        words = words.translate(str.maketrans("[]", "]["))
        notes = [str(run.note) for run in line.runs if run.note is not None]
        label = f"{line.label}: " if line.label else ""
        pdf.set_font("Sans", "", 11)
        pdf.multi_cell(0, 6, words, align="R", new_x="LMARGIN", new_y="NEXT")
        if notes or label:
            pdf.set_font("Serif", "I", 8)
            pdf.multi_cell(
                0, 4, f"{label}note {', '.join(notes)}".strip(), align="R", new_x="LMARGIN", new_y="NEXT"
            )
        pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")
        pdf.ln(1.5)
        pdf.set_left_margin(25)
        return
    if line.label:
        pdf.set_font("Serif", "I", 11)
        pdf.write(6, f"{line.label}: ")
    for index, run in enumerate(line.runs):
        previous = line.runs[index - 1] if index else None
        joined = previous is None or (previous.kind == "bracket" and previous.text == "[")
        text = run.text if joined or (run.kind == "bracket" and run.text == "]") else f" {run.text}"
        style = ""
        if run.kind == "inserted":
            style = "U"
            pdf.set_text_color(10, 110, 10)
        elif run.kind == "deleted":
            style = "S"
            pdf.set_text_color(170, 20, 20)
        elif run.kind == "bracket":
            style = "B"
        pdf.set_font("Serif", style, 11)
        pdf.write(6, text)
        pdf.set_text_color(0, 0, 0)
        if run.note is not None:
            pdf.set_font("Serif", "", 11)
            pdf.char_vpos = "SUP"
            pdf.write(6, str(run.note))
            pdf.char_vpos = "LINE"
    pdf.ln(7.5)
    pdf.set_left_margin(25)


def render_pdf(document: Document) -> bytes:
    pdf = _Page(document)
    pdf.set_title(document.title)
    pdf.set_creator("Accord")
    pdf.add_page()
    pdf.set_text_shaping(use_shaping_engine=True, direction="ltr")
    pdf.set_font("Serif", "B", 16)
    pdf.multi_cell(0, 8, document.title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("Serif", "B", 11)
    pdf.cell(
        0,
        6,
        " · ".join(part for part in (document.revision, document.date) if part),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font("Serif", "I", 10)
    pdf.multi_cell(0, 5, document.subtitle, new_x="LMARGIN", new_y="NEXT")
    for index, block in enumerate(document.blocks):
        section = document.section_of(index)
        if section:
            pdf.ln(4)
            pdf.set_font("Serif", "B", 11)
            pdf.cell(0, 7, section.upper(), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        number = f"{block.number}." if block.number.isdigit() else block.number
        pdf.set_font("Serif", "B", 11)
        pdf.write(6, f"{number}  ")
        if block.title:
            pdf.set_font("Serif", "I", 11)
            pdf.write(6, f"{block.title}  ")
        pdf.set_font("Serif", "", 8)
        pdf.set_text_color(90, 90, 90)
        pdf.write(6, f"[{block.status.upper()}]")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(7)
        for line in block.lines:
            _line(pdf, line)
    if document.notes:
        pdf.ln(4)
        pdf.set_font("Serif", "B", 10)
        pdf.cell(0, 6, "NOTES", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Serif", "", 9)
        for position, note in enumerate(document.notes, start=1):
            pdf.multi_cell(0, 4.6, f"{position}. {note}", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
