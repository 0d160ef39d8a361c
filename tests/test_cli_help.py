"""Every option of every command says what it does, and what it is when not given."""

from __future__ import annotations

import argparse

from accord.cli import build_parser

#: Defaults that need no mention: an empty text or list means "none given".
_SILENT_DEFAULTS: tuple[object, ...] = (None, False, "", [], argparse.SUPPRESS)


def _arguments(parser: argparse.ArgumentParser, path: str) -> list[tuple[str, argparse.Action]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, command in action.choices.items():
                found += _arguments(command, f"{path} {name}")
        elif not isinstance(action, argparse._HelpAction | argparse._VersionAction):
            found.append((f"{path} {'/'.join(action.option_strings) or action.dest}", action))
    return found


def test_every_option_has_help_and_shows_its_default() -> None:
    arguments = _arguments(build_parser(), "accord")
    assert len(arguments) > 60
    missing = [where for where, action in arguments if not (action.help or "").strip()]
    assert missing == []
    silent = [
        where
        for where, action in arguments
        if action.default not in _SILENT_DEFAULTS
        and not isinstance(action, argparse._StoreTrueAction)
        and "default" not in (action.help or "")
    ]
    assert silent == []


def test_help_renders_for_every_command() -> None:
    parser = build_parser()
    commands = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    for name, command in commands[0].choices.items():
        text = command.format_help()
        assert text.startswith("usage:") and name in text
