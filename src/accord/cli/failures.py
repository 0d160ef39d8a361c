"""How the command line reports a failure: one line, ``accord: error: WHERE: reason``.

WHERE follows :mod:`accord.errors`: a file's path (then ``line N`` and the field), or the
option the user typed. The library names a Python parameter (``rounds``, ``agents``) in an
:class:`~accord.errors.ArgumentError`; :func:`option_for` turns it into the option
(``--rounds``, ``--agents``), so that no message of the command line names a Python parameter.
argparse's own refusals (:class:`CommandParser`) take the same shape.

>>> from accord.errors import ArgumentError
>>> error_line(ArgumentError("uncertainty.capability", "must lie in [0, 1), got 1.5"))
'accord: error: --capability-uncertainty: must lie in [0, 1), got 1.5'
>>> error_line(ArgumentError("--rounds", "must be at least 1, got 0"))
'accord: error: --rounds: must be at least 1, got 0'
>>> from accord.errors import AnalysisError, Remedy
>>> error_line(AnalysisError("too slow", remedies=(Remedy("parties", ("a", "b"), "analyses two"),)))
'accord: error: too slow; --parties a,b analyses two'
>>> one_line("a name\\nwith a newline")
'a name\\\\nwith a newline'
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

from accord.errors import AccordError, AnalysisError, ArgumentError, InputError, Remedy

__all__ = ["LONGEST_LINE", "CommandParser", "error_line", "one_line", "option_for", "remedy_text"]

#: Python parameters whose option is not ``--`` and the parameter's name with dashes.
_OPTIONS = {
    "scenarios": "SCENARIO",
    "uncertainty.capability": "--capability-uncertainty",
    "uncertainty.position": "--position-uncertainty",
    "uncertainty.salience": "--salience-uncertainty",
    "max_rounds": "--rounds",
    "settings": "--set",
}

#: An error line longer than this is cut (a hostile file can make a reason megabytes long).
LONGEST_LINE = 2000

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def option_for(argument: str) -> str:
    """The command-line option for a Python parameter (an option or a metavar stays as it is); a
    forecasting model's setting (``settings.NAME``) is the ``--set NAME=VALUE`` that sets it.

    >>> option_for("rounds"), option_for("round_seconds"), option_for("--seat"), option_for("SCENARIO")
    ('--rounds', '--round-seconds', '--seat', 'SCENARIO')
    >>> option_for("settings.status_quo_probability")
    '--set status_quo_probability'
    """
    if argument.startswith("-") or argument.isupper():
        return argument
    if argument.startswith("settings."):
        return f"--set {argument.removeprefix('settings.')}"
    return _OPTIONS.get(argument, "--" + argument.replace("_", "-").replace(".", "-"))


def one_line(text: str) -> str:
    """``text`` on one line: control characters (newlines, escapes) shown as Python escapes; cut
    to :data:`LONGEST_LINE` characters."""
    shown = _CONTROL.sub(lambda match: repr(match.group())[1:-1], text)
    if len(shown) > LONGEST_LINE:
        shown = f"{shown[:LONGEST_LINE]}… ({len(shown) - LONGEST_LINE:,} more characters)"
    return shown


def remedy_text(remedy: Remedy) -> str:
    """A remedy as the command line spells it: the option, its value, what it does.

    >>> remedy_text(Remedy("drop_red_lines", True, "exports without them"))
    '--drop-red-lines exports without them'
    """
    option = option_for(remedy.argument)
    if remedy.value is True:
        return f"{option} {remedy.effect}"
    value = ",".join(remedy.value) if isinstance(remedy.value, tuple) else str(remedy.value)
    return f"{option} {value} {remedy.effect}"


def error_line(error: AccordError | str) -> str:
    """The line the command line prints for ``error`` (an Accord error, or argparse's message)."""
    if isinstance(error, ArgumentError):
        message = f"{option_for(error.argument)}: {error.reason}"
    elif isinstance(error, InputError):
        message = ": ".join(part for part in (error.source, error.location, error.reason) if part)
    elif isinstance(error, AnalysisError):
        message = error.reason
    else:
        message = str(error)
    if isinstance(error, AccordError):
        message = "; ".join([message, *(remedy_text(remedy) for remedy in error.remedies)])
    return one_line(f"accord: error: {message}")


_ARGPARSE_ARGUMENT = re.compile(r"^argument (?P<names>[^:]+): (?P<reason>.*)$", re.DOTALL)
_ARGPARSE_REQUIRED = "the following arguments are required: "
_ARGPARSE_UNKNOWN = "unrecognized arguments: "


def _argparse_message(message: str, prog: str) -> str:
    """argparse's message in the ``WHERE: reason`` shape."""
    match = _ARGPARSE_ARGUMENT.match(message)
    if match:
        names = match["names"].split("/")
        where = next((name for name in names if name.startswith("--")), names[0])
        return f"{where}: {match['reason']}"
    if message.startswith(_ARGPARSE_REQUIRED):
        missing = message[len(_ARGPARSE_REQUIRED) :].split(", ")
        return f"{missing[0]}: required (see `{prog} --help`)"
    if message.startswith(_ARGPARSE_UNKNOWN):
        unknown = message[len(_ARGPARSE_UNKNOWN) :].split(" ")
        return f"{unknown[0]}: not an option or argument of `{prog}` (see `{prog} --help`)"
    return f"{prog}: {message}"


class CommandParser(argparse.ArgumentParser):
    """An argument parser whose refusals are one line, ``accord: error: WHERE: reason`` (exit code 2)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(error_line(_argparse_message(message, self.prog)) + "\n")
        sys.exit(2)
