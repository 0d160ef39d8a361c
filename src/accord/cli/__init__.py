"""The ``accord`` command: thin commands over the library; rich output lives only here.

Each command module exposes ``register(subcommands)``, which adds its parser and
sets ``handler`` to a function ``(arguments) -> exit code``. Every failure is one line,
``accord: error: WHERE: reason`` (see :mod:`accord.cli.failures`), never a traceback; a
closed pipe (``accord ... --json | head``) ends the command quietly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from accord.cli.failures import CommandParser, error_line, one_line
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

#: The exit code of a command whose output pipe was closed (128 + SIGPIPE, as the shell reports it).
CLOSED_PIPE = 141


def build_parser() -> CommandParser:
    import importlib

    from accord import __version__

    parser = CommandParser(
        prog="accord", description="Mediated multi-party negotiation: analysis, talks and forecasts."
    )
    parser.add_argument("--version", action="version", version=f"accord {__version__}")
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subcommands)
    return parser


def _quiet_closed_pipe() -> int:
    """Point stdout at /dev/null, so that Python's last flush does not fail again on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return CLOSED_PIPE


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 success, 1 failure, 2 bad input)."""
    try:
        parser = build_parser()
        try:
            arguments = parser.parse_args(argv)
        except SystemExit as stop:  # --help, --version, or a refusal argparse has printed
            return stop.code if isinstance(stop.code, int) else 2
        code: int = arguments.handler(arguments)
        sys.stdout.flush()
    except BrokenPipeError:
        return _quiet_closed_pipe()
    except AccordError as error:
        sys.stderr.write(error_line(error) + "\n")
        return error.exit_code
    except OSError as error:
        # A file we were told to read or write could not be: say which and why, on one line.
        where = f"{error.filename}: " if error.filename else ""
        sys.stderr.write(one_line(f"accord: error: {where}{error.strerror or error}") + "\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("accord: interrupted\n")
        return 130
    return code


if __name__ == "__main__":
    sys.exit(main())
