"""Command-line arguments that are malformed exit with code 2 and no traceback."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from accord import cli
from accord.cli import build_parser, main

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
    assert main(arguments) == 2
    error = capsys.readouterr().err
    assert error.startswith("accord: error: --seed: ") and error.count("\n") == 1


#: Every command the ``accord`` program offers, in the order ``accord --help`` lists them.
COMMANDS = [
    "analyze",
    "schema",
    "import",
    "export",
    "run",
    "list",
    "tournament",
    "forecast",
    "text",
    "room",
    "serve",
]


def test_help_lists_every_command_of_every_module(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    listed = capsys.readouterr().out
    positions = [listed.index(f"\n    {command}") for command in COMMANDS]
    assert positions == sorted(positions)
    subcommands = next(
        action for action in build_parser()._actions if isinstance(action, argparse._SubParsersAction)
    )
    assert list(subcommands.choices) == COMMANDS


def test_a_command_module_that_fails_to_import_is_an_error_not_a_missing_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cli, "COMMAND_MODULES", (*cli.COMMAND_MODULES, "accord.cli.absent"))
    with pytest.raises(ModuleNotFoundError, match=r"accord\.cli\.absent"):
        build_parser()
