"""A wording's languages are language tags: anything else (markup, spaces, bidi controls) is refused,
from Python, the command line and the room, naming the reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.cli import main
from accord.errors import DomainError
from accord.io.text_file import load_text
from accord.room.errors import RefusedError
from accord.room.service import RoomService
from accord.room.testing import ROOM_SCENARIO
from accord.store import open_store
from accord.text import Wording

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOT_TAGS = ["<b>", "en us", "e", "english", "ar\u202e", "en-", "-en", "1en", "en_GB"]


@pytest.mark.parametrize("tag", ["en", "ar", "zh-Hant", "sr-Latn-RS", "es-419"])
def test_language_tags_are_accepted(tag: str) -> None:
    assert Wording.of("Text.", tag).languages == (tag,)


@pytest.mark.parametrize("tag", NOT_TAGS)
def test_anything_else_is_refused_naming_it(tag: str) -> None:
    with pytest.raises(DomainError) as refused:
        Wording((("en", "Text."), (tag, "Text.")))
    assert refused.value.field == ("versions", tag) and "is not a language tag" in refused.value.reason


def test_the_command_line_refuses_a_translation_into_no_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.yaml"
    assert main(["text", "new", str(EXAMPLES / "geneva-2017.yaml"), "--output", str(path)]) == 0
    before = path.read_text()
    command = ["text", "change", "translate", str(path), "--seat", "UN Special Envoy", "--paragraph"]
    command += ["governance", "--alternative", "national-unity-government", "--language", "<b>fr"]
    assert main([*command, "--text", "Un gouvernement d'unité nationale."]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "'<b>fr' is not a language tag" in error
    assert path.read_text() == before and load_text(path)[0].text.revision == 0


def test_the_room_refuses_a_wording_in_no_language(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'rooms.db'}") as store:
        service = RoomService(store, background=False)
        try:
            created = service.create_room(ROOM_SCENARIO, "one-text")
            envoy = service.authenticate(created.seats["envoy"].token or "")
            assert envoy is not None
            added = {
                "kind": "add-alternative",
                "paragraph": "days",
                "alternative": "b",
                "wording": {"<b>": "x"},
            }
            with pytest.raises(RefusedError) as refused:
                service.change_text(envoy, added)
            assert "'<b>' is not a language tag" in refused.value.reason
            service.change_text(envoy, {**added, "wording": {"en": "Two days."}})
            translated = {"kind": "translate", "paragraph": "days", "alternative": "b", "text": "Deux jours."}
            with pytest.raises(RefusedError) as untagged:
                service.change_text(envoy, {**translated, "language": "fr fr"})
            assert (
                untagged.value.action == "translate"
                and "'fr fr' is not a language tag" in untagged.value.reason
            )
            with pytest.raises(RefusedError) as unknown:
                service.change_text(envoy, {"kind": "bracket"})
            assert "no change is of kind 'bracket'" in unknown.value.reason
            history = service.state(created.room).text
            assert history is not None and history.text.revision == 1  # the English alternative alone
        finally:
            service.close()
