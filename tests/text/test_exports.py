"""Exports read back: DOCX paragraphs, brackets, footnotes and statuses; PDF pages; the comparison's words."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.cli import main
from accord.errors import ArgumentError
from accord.io import load_scenario
from accord.io.text_export import export_text
from accord.io.text_file import load_text
from accord.text import (
    AgreeAdReferendum,
    Alternative,
    EnterProposal,
    History,
    Paragraph,
    Part,
    Propose,
    Status,
    Support,
    Text,
    Translate,
    Wording,
    compare,
    text_from_scenario,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ARABIC = "تُشكَّل حكومة وحدة وطنية تضم شخصيات من المعارضة."


def _geneva() -> History:
    scenario = load_scenario(EXAMPLES / "geneva-2017.yaml")
    history = History(text_from_scenario(scenario))
    envoy = history.text.mediator
    changes = [
        Propose(
            seat="Government",
            time="2017-03-01T10:00",
            paragraph="elections",
            wording=Wording.of("<b>Polls</b> & [all]"),
        ),
        EnterProposal(
            seat=envoy, time="2017-03-01T11:00", proposer="Government", proposal=1, alternative="polls"
        ),
        Support(seat="Cairo platform", time="2017-03-01T12:00", paragraph="elections", alternative="polls"),
        AgreeAdReferendum(
            seat=envoy, time="2017-03-02T09:00", paragraph="sequencing", alternative="parallel-baskets"
        ),
        Translate(
            seat=envoy,
            time="2017-03-02T10:00",
            paragraph="governance",
            alternative="national-unity-government",
            language="ar",
            text=ARABIC,
        ),
    ]
    for change in changes:
        history = history.then(change)
    return history


def _footnotes(document: docx.document.Document) -> dict[str, str]:
    for relationship in document.part.rels.values():
        if relationship.reltype == RELATIONSHIP_TYPE.FOOTNOTES:
            root = docx.oxml.parse_xml(relationship.target_part.blob)
            return {
                note.get(qn("w:id")): "".join(node.text or "" for node in note.iter(qn("w:t"))).strip()
                for note in root.iter(qn("w:footnote"))
                if int(note.get(qn("w:id"))) > 0
            }
    return {}


def _body_text(paragraph: docx.text.paragraph.Paragraph) -> str:
    return "".join(node.text or "" for node in paragraph._p.iter(qn("w:t")))


def test_docx_reads_back_to_the_same_paragraphs_brackets_attributions_and_statuses() -> None:
    text = _geneva().text
    document = docx.Document(io.BytesIO(export_text(text, "docx")))
    notes = _footnotes(document)
    paragraphs = document.paragraphs
    headings = [p for p in paragraphs if re.match(r"^(PP)?\d+\.?\s", _body_text(p))]
    assert len(headings) == len(text.paragraphs)
    note_number = 0
    for heading, paragraph in zip(headings, text.paragraphs, strict=True):
        assert _body_text(heading).startswith(text.number(paragraph.key))
        assert _body_text(heading).endswith(f"[{paragraph.status}]")
        start = paragraphs.index(heading) + 1
        if paragraph.status is not Status.BRACKETED:
            assert _body_text(paragraphs[start]) == paragraph.agreed_language.wording.original
            continue
        for offset, alternative in enumerate(paragraph.alternatives):
            line = paragraphs[start + offset]
            references = [node.get(qn("w:id")) for node in line._p.iter(qn("w:footnoteReference"))]
            assert len(references) == 1
            note_number += 1
            assert references == [str(note_number)]
            assert _body_text(line).endswith(f"[{alternative.wording.original}]")
            note = notes[references[0]]
            assert alternative.proposer in note
            assert all(supporter in note for supporter in alternative.supporters)
    assert len(notes) == note_number
    assert "Rev.4" in document.sections[0].header.paragraphs[0].text
    assert "2 March 2017" in document.sections[0].header.paragraphs[0].text


def test_docx_comparison_tracks_exactly_the_changed_words() -> None:
    history = _geneva()
    document = docx.Document(io.BytesIO(export_text(history.text, "docx", older=history.at(0))))
    body = document.element.body
    inserted = [
        " ".join(node.text for node in change.iter(qn("w:t"))).strip() for change in body.iter(qn("w:ins"))
    ]
    deleted = [
        " ".join(node.text for node in change.iter(qn("w:delText"))).strip()
        for change in body.iter(qn("w:del"))
    ]
    # Rev.0 → Rev.4: the proposal entered as a new bracket, the sequencing paragraph agreed.
    assert "[<b>Polls</b> & [all]]" in " ".join(inserted).replace("[ ", "[")
    assert deleted  # the sequencing alternatives other than the agreed one are gone
    assert all(change.get(qn("w:author")) == "UN Special Envoy" for change in body.iter(qn("w:ins")))


def _reading_text(words: list[str]) -> Text:
    paragraph = Paragraph(
        "p", Part.OPERATIVE, (Alternative("a", Wording.of(" ".join(words)), "Envoy"),), Status.AGREED, "a"
    )
    return Text("T", "Envoy", ("North",), (paragraph,))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(0, 10_000), min_size=1, max_size=30, unique=True),
    st.data(),
)
def test_the_comparison_marks_exactly_the_changed_words(numbers: list[int], data: st.DataObject) -> None:
    before = [f"w{number}" for number in numbers]
    changed = data.draw(st.sets(st.integers(0, len(before) - 1)))
    after = [f"new{index}" if index in changed else word for index, word in enumerate(before)]
    (item,) = compare(_reading_text(before), _reading_text(after))
    inserted = [word for piece in item.pieces if piece.kind == "inserted" for word in piece.text.split()]
    deleted = [word for piece in item.pieces if piece.kind == "deleted" for word in piece.text.split()]
    same = [word for piece in item.pieces if piece.kind == "same" for word in piece.text.split()]
    assert sorted(inserted) == sorted(f"new{index}" for index in changed)
    assert sorted(deleted) == sorted(before[index] for index in changed)
    assert same == [word for index, word in enumerate(before) if index not in changed]


@pytest.mark.parametrize("form", ["md", "html"])
def test_markdown_and_html_show_names_as_written(form: str) -> None:
    output = export_text(_geneva().text, form).decode()
    assert "<b>Polls</b>" not in output
    assert "&lt;b&gt;Polls&lt;/b&gt;" in output
    if form == "html":
        assert 'dir="auto"' in output
        assert output.count('class="line"') == sum(
            len(p.alternatives) if p.status is Status.BRACKETED else 1 for p in _geneva().text.paragraphs
        )
    arabic = export_text(_geneva().text, form, language="ar").decode()
    assert ARABIC in arabic and 'dir="rtl"' in arabic


def test_pdf_renders_to_non_empty_pages(tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        missing = "pdftoppm (Debian poppler-utils) is not installed; .ci/run installs it"
        if os.environ.get("CI") == "true":
            pytest.fail(missing)
        pytest.skip(missing)
    history = _geneva()
    for name, document in (
        ("text.pdf", export_text(history.text, "pdf")),
        ("arabic.pdf", export_text(history.text, "pdf", language="ar")),
        ("compare.pdf", export_text(history.text, "pdf", older=history.at(0))),
    ):
        path = tmp_path / name
        path.write_bytes(document)
        subprocess.run(["pdftoppm", "-r", "30", "-gray", str(path), str(tmp_path / name)], check=True)
        pages = sorted(tmp_path.glob(f"{name}*.pgm"))
        assert pages
        for page in pages:
            _, size, _, pixels = page.read_bytes().split(b"\n", 3)
            width, height = (int(value) for value in size.split())
            # The body, between the running header and the page number, holds text on every page.
            body = pixels[width * height // 8 : width * height * 7 // 8]
            dark = sum(1 for value in body if value < 128)
            assert dark > 20, f"{page.name} has an empty body"


def test_the_command_line_drafts_shows_and_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text_file = tmp_path / "t.yaml"
    assert main(["text", "new", str(EXAMPLES / "geneva-2017.yaml"), "--output", str(text_file)]) == 0
    history, scenario = load_text(text_file)
    assert scenario is not None and scenario.resolve() == (EXAMPLES / "geneva-2017.yaml").resolve()
    assert [p.key for p in history.text.paragraphs if p.issue] == list(load_scenario(scenario).agenda.names)
    assert main(["text", "show", str(text_file), "--seat", "Government"]) == 0
    shown = capsys.readouterr().out
    assert "worth to Government" in shown and "worth to High Negotiations Committee" not in shown
    for form in ("docx", "pdf", "md", "html"):
        target = tmp_path / f"t.{form}"
        assert main(["text", "export", str(text_file), "--format", form, "--output", str(target)]) == 0
        assert target.stat().st_size > 500
    assert (
        main(
            [
                "text",
                "export",
                str(text_file),
                "--format",
                "md",
                "--output",
                str(tmp_path / "x.md"),
                "--compare",
                "4",
            ]
        )
        == 2
    )
    assert "no revision 4" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["export", "show"])
def test_a_language_the_text_lacks_is_refused_naming_those_it_has(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    text_file = tmp_path / "t.yaml"
    assert main(["text", "new", str(EXAMPLES / "geneva-2017.yaml"), "--output", str(text_file)]) == 0
    target = tmp_path / "t.md"
    options = ["--format", "md", "--output", str(target)] if command == "export" else []
    capsys.readouterr()
    assert main(["text", command, str(text_file), *options, "--language", "xx"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "accord: error: --language: the text has no wording in 'xx' (it has: en, ar)\n"
    assert captured.out == "" and not target.exists()
    assert main(["text", command, str(text_file), *options, "--language", "ar"]) == 0
    with pytest.raises(ArgumentError, match="no wording in 'xx'"):
        export_text(_geneva().text, "html", language="xx")


#: Wordings that would be Markdown blocks (heading, list, rule, code, quote) if written as they are.
BLOCKS = "# Heading\n\n1986. A year\n\n- item\n\n---\n\n    code\n\n> quote\n\n+ plus\n\nSetext\n==="


def _hostile_text() -> Text:
    blocks = (Alternative("x", Wording.of(BLOCKS), "Envoy"),)
    agreed = Paragraph("a", Part.PREAMBLE, blocks, Status.AGREED, "x")
    spoof = "North\u202eevil\x1b[2J\x00\x0b\ufffe"
    bracketed = Paragraph(
        "b",
        Part.OPERATIVE,
        (
            Alternative("y", Wording.of(f"2017. {spoof}\n# Heading two"), spoof),
            Alternative("z", Wording.of("\t\tindented"), "Envoy", bridging=True),
        ),
        title=f"Title {spoof}",
    )
    return Text(f"Talks {spoof}", "Envoy", (spoof,), (agreed, bracketed))


def test_markdown_never_turns_a_wording_into_blocks() -> None:
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("commonmark").render(export_text(_hostile_text(), "md").decode())
    # Accord's own blocks: the title, the two section headings, one list item per alternative.
    assert [tag for tag in re.findall(r"<(h\d|ol|ul|li|hr|pre|code|blockquote)>", rendered)] == [
        "h1", "h2", "h2", "ul", "li", "li",
    ], rendered  # fmt: skip
    for words in ("# Heading", "1986. A year", "- item", "---", "code", "&gt; quote", "+ plus", "==="):
        assert words in rendered, words


@pytest.mark.parametrize("form", ["md", "html", "docx"])
def test_control_and_bidi_override_characters_are_written_as_escapes(form: str) -> None:
    document = export_text(_hostile_text(), form)
    if form == "docx":
        word = docx.Document(io.BytesIO(document))
        shown = "\n".join([_body_text(p) for p in word.paragraphs] + list(_footnotes(word).values()))
    else:
        shown = document.decode()
    for raw, escaped in (("\u202e", "\\u202e"), ("\x1b", "\\x1b"), ("\x00", "\\x00"), ("\ufffe", "\\ufffe")):
        assert raw not in shown and escaped.replace("\\", "\\\\" if form == "md" else "\\") in shown, raw


def test_a_huge_paragraph_is_compared_within_the_matchers_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import difflib
    import importlib

    comparing = importlib.import_module("accord.text.compare")

    weighed: list[int] = []

    class Counted(difflib.SequenceMatcher[str]):
        def __init__(self, *, a: list[str], b: list[str], autojunk: bool) -> None:
            weighed.append(len(a) * len(b))
            super().__init__(a=a, b=b, autojunk=autojunk)

    monkeypatch.setattr(comparing.difflib, "SequenceMatcher", Counted)
    # Few distinct words make difflib's matching quadratic or worse: 137 kB took 90 s before the budget.
    before = ["opening", *(["a", "b"] * 15_000), "closing"]
    after = ["opening", *(["b", "b", "a"] * 10_000), "closing"]
    (item,) = compare(_reading_text(before), _reading_text(after))
    assert all(pairs <= comparing.MAX_WORD_PAIRS for pairs in weighed)
    kept = [(piece.kind, piece.text.split()) for piece in item.pieces]
    assert [word for kind, words in kept if kind != "inserted" for word in words] == before
    assert [word for kind, words in kept if kind != "deleted" for word in words] == after
    assert kept[0] == ("same", ["opening"]) and kept[-1] == ("same", ["closing"])


def test_a_text_naming_a_scenario_it_was_not_drafted_from_is_refused_not_shown_unscored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text_file = tmp_path / "t.yaml"
    assert main(["text", "new", str(EXAMPLES / "geneva-2017.yaml"), "--output", str(text_file)]) == 0
    astana = EXAMPLES / "astana-2017.yaml"
    lines = text_file.read_text().splitlines(keepends=True)
    assert lines[1].startswith("scenario: ")
    text_file.write_text("".join([lines[0], f"scenario: {astana}\n", *lines[2:]]))
    capsys.readouterr()
    assert main(["text", "show", str(text_file), "--seat", "Government"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"accord: error: {text_file}: scenario: {astana} is not the scenario the text was drafted from: "
        "paragraph 1 stands for the issue 'governance', which it lacks\n"
    )


def test_a_comparison_in_docx_names_its_author_readably() -> None:
    envoy = "Envoy\x1b\u202e"
    paragraph = Paragraph(
        "p",
        Part.OPERATIVE,
        (
            Alternative("x", Wording.of("talks in Geneva"), envoy),
            Alternative("y", Wording.of("in Astana"), envoy),
        ),
    )
    history = History(Text("T", envoy, ("North",), (paragraph,)))
    history = history.then(
        AgreeAdReferendum(seat=envoy, time="2017-03-01T10:00", paragraph="p", alternative="y")
    )
    word = docx.Document(io.BytesIO(export_text(history.text, "docx", older=history.at(0))))
    authors = {change.get(qn("w:author")) for change in word.element.body.iter(qn("w:del"))}
    assert authors == {"Envoy\\x1b\\u202e"}
