"""Command-line arguments that are malformed exit with code 2 and no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.cli import main

GENEVA = str(Path(__file__).resolve().parents[1] / "examples" / "geneva-2017.yaml")


@pytest.mark.parametrize(
    "arguments",
    [
        ["run", GENEVA, "--protocol", "one-text", "--seed", "-1"],
        ["run", GENEVA, "--protocol", "one-text", "--seed", "one"],
        ["tournament", GENEVA, "--protocol", "one-text", "--agents", "boulware", "--seed", "-3"],
        ["forecast", GENEVA, "--samples", "3", "--seed", "-2"],
    ],
)
def test_bad_seeds_are_refused_cleanly(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(arguments)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "--seed" in error
    assert "Traceback" not in error
