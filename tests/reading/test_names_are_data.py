"""Names are data, never markup: hostile names print literally in every table and line of the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.cli import main
from accord.cli.shown import literal

#: Characters that mean something to rich or to a terminal, and a few letters.
HOSTILE = st.text(alphabet="[]/=@#ab \x1b\n\r\x07\t\u202e", min_size=1, max_size=8).filter(
    lambda name: name.strip() != ""
)

MARKUP_NAMES = ["[/]", "[link=https://evil.example]x[/link]", "[bold red]A", "\x1b[2J\x1b[31mB", "two\nlines"]


def scenario(issue: str, options: tuple[str, str], parties: tuple[str, str]) -> dict[str, object]:
    def preferences(values: tuple[float, float]) -> dict[str, object]:
        return {"weights": {issue: 1}, "values": {issue: dict(zip(options, values, strict=True))}}

    return {
        "name": "names",
        "issues": [{"name": issue, "options": list(options)}],
        "parties": [
            {"name": parties[0], "preferences": preferences((1.0, 0.0))},
            {"name": parties[1], "preferences": preferences((0.4, 1.0))},
        ],
    }


@pytest.fixture(autouse=True)
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide enough that no table cell wraps, so each name can be found whole."""
    monkeypatch.setenv("COLUMNS", "500")


def printed(capsys: pytest.CaptureFixture[str], arguments: list[str]) -> str:
    code = main(arguments)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "\x1b" not in out and "\r" not in out and "\u202e" not in out
    return out


@pytest.mark.parametrize("name", MARKUP_NAMES)
def test_markup_and_escapes_in_names_print_literally(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "talks.json"
    path.write_text(json.dumps(scenario(name, (name + "1", "b"), (name + "P", "Q"))))
    out = printed(capsys, ["analyze", str(path)])
    assert literal(name + "P") in out and literal(name) in out
    out = printed(capsys, ["run", str(path), "--protocol", "alternating-offers", "--seed", "1"])
    assert literal(name + "P") in out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(issue=HOSTILE, option=HOSTILE, party=HOSTILE)
def test_any_name_prints_as_written_never_as_markup(
    issue: str,
    option: str,
    party: str,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path_factory.mktemp("names")
    path = folder / "talks.json"
    path.write_text(json.dumps(scenario(issue, (option, option + "2"), (party, party + "2"))))
    out = printed(capsys, ["analyze", str(path)])
    assert literal(party) in out and literal(issue) in out
