"""``accord text change``: the text's one rule from the command line, without a room."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from accord.cli import main
from accord.io.text_file import load_text

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ENVOY = "UN Special Envoy"


@pytest.fixture
def text_file(tmp_path: Path) -> Path:
    path = tmp_path / "geneva-text.yaml"
    assert main(["text", "new", str(EXAMPLES / "geneva-2017.yaml"), "--output", str(path)]) == 0
    return path


def change(path: Path, kind: str, *options: str) -> int:
    return main(["text", "change", kind, str(path), *options])


def test_a_proposal_becomes_agreed_language_step_by_step(
    text_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wording = "Elections within 24 months under United Nations observation."
    assert (
        change(text_file, "propose", "--seat", "government", "--paragraph", "elections", "--wording", wording)
        == 0
    )
    assert load_text(text_file)[0].text.revision == 0  # a proposal is private until the mediator rules on it
    assert (
        change(
            text_file,
            "enter-proposal",
            "--seat",
            ENVOY,
            "--proposer",
            "Government",
            "--proposal",
            "1",
            "--alternative",
            "observed",
        )
        == 0
    )
    assert (
        change(text_file, "support", "--seat", "HNC", "--paragraph", "elections", "--alternative", "observed")
        == 0
    )
    assert (
        change(
            text_file,
            "agree-ad-referendum",
            "--seat",
            ENVOY,
            "--paragraph",
            "elections",
            "--alternative",
            "observed",
        )
        == 0
    )
    assert change(text_file, "confirm", "--seat", ENVOY, "--paragraph", "elections") == 0
    history, _ = load_text(text_file)
    paragraph = history.text.paragraph("elections")
    assert str(paragraph.status) == "agreed"
    assert paragraph.agreed_language is not None and wording in str(paragraph.agreed_language)
    assert history.text.revision == 4
    assert history.at(1).paragraph("elections").status != paragraph.status  # every revision replays


def test_a_refused_change_leaves_the_file_as_it_was(
    text_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = text_file.read_bytes()
    capsys.readouterr()
    assert change(text_file, "confirm", "--seat", ENVOY, "--paragraph", "elections") == 2
    error = capsys.readouterr().err
    assert error.startswith(f"accord: error: {text_file}: seat 'UN Special Envoy' may not confirm: ")
    assert len(error.strip().splitlines()) == 1
    assert change(text_file, "accept", "--seat", "Government") == 2
    assert "nothing is agreed until everything is agreed" in capsys.readouterr().err
    assert (
        change(text_file, "support", "--seat", "Nobody", "--paragraph", "elections", "--alternative", "x")
        == 2
    )
    assert "--seat" in capsys.readouterr().err
    assert text_file.read_bytes() == before
    assert not [path for path in text_file.parent.iterdir() if path.name.startswith(".")]  # no leftovers


def test_a_comment_reaches_the_mediator_and_no_other_delegation(
    text_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = "MARKER-cairo-[/]-$x$"
    assert change(text_file, "comment", "--seat", "Cairo", "--paragraph", "governance", "--text", marker) == 0
    capsys.readouterr()
    for seat, sees in (
        (ENVOY, True),
        ("Cairo platform", True),
        ("Government", False),
        ("Moscow platform", False),
    ):
        assert main(["text", "show", str(text_file), "--seat", seat]) == 0
        assert (marker in capsys.readouterr().out) is sees, seat


def test_drafting_and_exporting_never_overwrite_without_force(
    text_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = str(EXAMPLES / "geneva-2017.yaml")
    before = text_file.read_bytes()
    capsys.readouterr()
    assert main(["text", "new", scenario, "--output", str(text_file)]) == 2
    assert f"{text_file}: the file exists; give --force" in capsys.readouterr().err
    assert text_file.read_bytes() == before
    target = tmp_path / "text.md"
    target.write_text("keep me")
    assert main(["text", "export", str(text_file), "--format", "md", "--output", str(target)]) == 2
    assert target.read_text() == "keep me"
    assert main(["text", "export", str(text_file), "--format", "md", "--output", str(target), "--force"]) == 0
    assert target.read_text() != "keep me"


def test_a_text_file_with_repeated_keys_is_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("format: accord-text/1\nformat: accord-text/1\n")
    assert main(["text", "show", str(path)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"accord: error: {path}: line 2") and "format" in error


@pytest.mark.parametrize("kind", ["enter-proposal", "decline-proposal"])
def test_the_proposer_is_named_as_a_seat_is(
    text_file: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    propose = ["--seat", "HNC", "--paragraph", "elections", "--wording", "Elections in a year."]
    assert change(text_file, "propose", *propose) == 0
    entered = ["--alternative", "in-a-year"] if kind == "enter-proposal" else []
    ruling = ["--seat", ENVOY, "--proposal", "1", *entered]
    assert change(text_file, kind, *ruling, "--proposer", "hnc") == 0
    (proposal,) = load_text(text_file)[0].text.proposals
    assert (proposal.seat, proposal.state) == (
        "High Negotiations Committee",
        "entered" if kind == "enter-proposal" else "declined",
    )
    capsys.readouterr()
    assert change(text_file, kind, *ruling, "--proposer", "Nobody") == 2
    assert capsys.readouterr().err.startswith("accord: error: --proposer: no delegation 'Nobody'")


def _edited(text_file: Path, edit: Any) -> Path:
    data = yaml.safe_load(text_file.read_text())
    edit(data["base"])
    text_file.write_text(yaml.safe_dump(data, allow_unicode=True))
    return text_file


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (
            lambda base: base["paragraphs"][3]["alternatives"].append(
                base["paragraphs"][3]["alternatives"][0]
            ),
            "base: Text: paragraphs[3].alternatives: two alternatives of paragraph 'governance' share "
            "the key 'national-unity-government'",
        ),
        (
            lambda base: base["delegations"].append("Government"),
            "base: Text: delegations: 'Government' is named twice",
        ),
        (
            lambda base: base.__setitem__("links", [["governance", "nowhere"]]),
            "base: Text: links: no paragraph 'nowhere'",
        ),
        (
            lambda base: base.__setitem__("implied_links", [["governance", "elections", "Nobody"]]),
            "base: Text: implied_links: no delegation 'Nobody'",
        ),
    ],
)
def test_a_text_file_whose_base_contradicts_itself_is_refused(
    text_file: Path, capsys: pytest.CaptureFixture[str], edit: Any, reason: str
) -> None:
    _edited(text_file, edit)
    capsys.readouterr()
    assert main(["text", "show", str(text_file)]) == 2
    assert capsys.readouterr().err == f"accord: error: {text_file}: {reason}\n"


def test_a_change_keeps_the_files_mode_and_writes_through_a_symbolic_link(
    text_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text_file.chmod(0o644)
    elsewhere = tmp_path / "links"
    elsewhere.mkdir()
    link = elsewhere / "current.yaml"
    link.symlink_to(text_file)
    comment = ["--seat", "HNC", "--paragraph", "governance", "--text", "through the link"]
    assert change(link, "comment", *comment) == 0
    assert link.is_symlink() and link.resolve() == text_file.resolve()
    assert (text_file.stat().st_mode & 0o777) == 0o644
    assert [item.text for item in load_text(text_file)[0].text.comments] == ["through the link"]
    # The scenario stays found from the text file's own folder, through the link too.
    capsys.readouterr()
    assert main(["text", "show", str(link), "--seat", "Government"]) == 0
    assert "worth to Government" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("change_data", "reason"),
    [
        (
            {
                "kind": "comment",
                "seat": "Government",
                "time": "",
                "paragraph": "governance",
                "text": "hi",
                "evil": 1,
            },
            "not a change: a comment has no field 'evil' (its fields: seat, time, paragraph, text)",
        ),
        (
            {"kind": "comment", "seat": "Government", "time": "", "paragraph": "governance"},
            "not a change: a comment needs 'text'",
        ),
    ],
)
def test_a_change_in_a_file_with_a_field_too_many_or_too_few_says_which(
    text_file: Path, capsys: pytest.CaptureFixture[str], change_data: dict[str, Any], reason: str
) -> None:
    data = yaml.safe_load(text_file.read_text())
    data["changes"] = [change_data]
    text_file.write_text(yaml.safe_dump(data, allow_unicode=True))
    capsys.readouterr()
    assert main(["text", "show", str(text_file)]) == 2
    assert capsys.readouterr().err == f"accord: error: {text_file}: changes.0: {reason}\n"
