"""The ``accord`` command: thin commands over the library; rich output lives only here.

Each command module exposes ``register(subcommands)``, which adds its parser and
sets ``handler`` to a function ``(arguments) -> exit code``. Errors derived from
:class:`accord.errors.AccordError` are printed on one line, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from rich.console import Console

from accord.errors import AccordError

__all__ = ["main"]

#: Command modules, in the order ``accord --help`` lists them.
COMMAND_MODULES = (
    "accord.cli.analyze",
    "accord.cli.schema",
    "accord.cli.convert",
    "accord.cli.engine",
    "accord.cli.tournament",
    "accord.cli.forecast",
    "accord.cli.text",
    "accord.cli.room",
    "accord.cli.serve",
)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="accord", description="Mediated multi-party negotiation: analysis, talks and forecasts."
    )
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subcommands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 success, 1 failure, 2 bad input)."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    errors = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        code: int = arguments.handler(arguments)
    except AccordError as error:
        errors.print(f"accord: error: {error}", markup=False)
        return error.exit_code
    except OSError as error:
        # A file we were told to read or write could not be: say which and why, on one line.
        target = error.filename or "(file)"
        errors.print(f"accord: error: {target}: {error.strerror or error}", markup=False)
        return 1
    except KeyboardInterrupt:
        errors.print("accord: interrupted", markup=False)
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
