"""``accord text change T.yaml KIND --seat SEAT …``: one change to a text file, without a room.

Every change the text's rule knows (:data:`accord.text.changes.KINDS`: ``propose``,
``support``, ``add-alternative``, ``agree-ad-referendum``, ``confirm``, ``reopen``, ``link``,
``comment``, ``accept``, …) is a subcommand whose options are the change's own fields
(``--paragraph``, ``--alternative``, ``--wording``, …). The change is applied by
:func:`accord.text.changes.apply`, the same rule the room applies; a refused change leaves the
file as it was and is one line naming the file, the seat, the change and the reason. The file is
replaced atomically, so an interrupted command never leaves half a text.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from accord.cli.shown import shown
from accord.domain.names import resolve_name
from accord.errors import DomainError, InputError, TextError
from accord.io.text_file import load_text, save_text
from accord.text.change_kinds import KINDS, Change, change_from_data
from accord.text.model import Part

__all__ = ["register_change"]

#: Each field a change may carry: its option's help and type (``str`` unless said).
_FIELDS: dict[str, tuple[str, Any]] = {
    "paragraph": ("the paragraph's key (as `accord text show` lists it)", str),
    "alternative": ("the alternative's key", str),
    "other": ("the other paragraph's key", str),
    "wording": ("the wording, in --wording-language", str),
    "option": ("the scenario option the wording stands for (it is then scored as that option)", str),
    "proposer": ("the delegation whose proposal it is", str),
    "proposal": ("the proposal's number (as `accord text show` lists it)", int),
    "language": ("the language of the translation (e.g. ar)", str),
    "text": ("the text (the translation, or the comment)", str),
    "value": ("the wording's worth to this delegation, in [0, 1]", float),
    "part": ("the part of the document", str),
    "title": ("the paragraph's title", str),
    "after": ("the paragraph it follows (default: its part's end)", str),
}
_OPTIONAL = {"option", "title", "after"}


def register_change(commands: Any) -> None:
    """Add ``accord text change`` with one subcommand per kind of change."""
    change = commands.add_parser(
        "change",
        help="apply one change (propose, support, bracket, agree, reopen, comment, accept, …) to a text file",
    )
    kinds = change.add_subparsers(dest="change_kind", metavar="KIND", required=True)
    for kind, cls in KINDS.items():
        parser = kinds.add_parser(kind, help=_first_line(cls.__doc__))
        parser.add_argument(
            "text_file", metavar="T.yaml", help="the text file to change (rewritten in place)"
        )
        parser.add_argument(
            "--seat", required=True, help="the seat making the change (the mediator or a delegation)"
        )
        for item in dataclasses.fields(cls):
            if item.name in {"seat", "time"}:
                continue
            help_text, kind_of_value = _FIELDS[item.name]
            choices = [part.value for part in Part] if item.name == "part" else None
            parser.add_argument(
                f"--{item.name}",
                type=kind_of_value,
                choices=choices,
                required=item.name not in _OPTIONAL,
                help=help_text,
            )
            if item.name == "wording":
                parser.add_argument(
                    "--wording-language",
                    default="en",
                    metavar="LANG",
                    help="the wording's language (default: en)",
                )
        parser.set_defaults(handler=change_command)


def _first_line(doc: str | None) -> str:
    """A change's docstring's first paragraph, on one line, without reStructuredText quotes."""
    paragraph = (doc or "").strip().split("\n\n")[0]
    return " ".join(paragraph.split()).replace("``", "")


def change_command(arguments: argparse.Namespace) -> int:
    path = Path(arguments.text_file)
    history, scenario = load_text(path)
    text = history.text
    seat = resolve_name(arguments.seat, [text.mediator, *text.delegations], what="seat", argument="--seat")
    data: dict[str, Any] = {"kind": arguments.change_kind, "seat": seat, "time": _now()}
    for item in dataclasses.fields(KINDS[arguments.change_kind]):
        value = getattr(arguments, item.name, None)
        if item.name in {"seat", "time"} or value is None:
            continue
        if item.name == "proposer":  # a delegation, named as --seat names one
            value = resolve_name(value, text.delegations, what="delegation", argument="--proposer")
        data[item.name] = {arguments.wording_language: value} if item.name == "wording" else value
    try:
        change: Change = change_from_data(data)
        changed = history.then(change)
    except (TextError, DomainError) as error:
        raise InputError(str(path), "", str(error)) from None
    _replace(path, changed, scenario)
    revision = changed.text.revision
    said = f"Rev.{revision}" if revision != text.revision else f"still Rev.{revision} (a private change)"
    Console().print(f"{arguments.change_kind} by {shown(seat)} applied to {shown(str(path))}: {said}")
    if changed.text.adopted and not text.adopted:
        Console().print("The text is adopted: every paragraph is agreed and every delegation accepts it.")
    return 0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _replace(path: Path, history: Any, scenario: Path | None) -> None:
    """Write ``history`` beside ``path`` and move it into place (atomic on one file system), keeping the
    file's mode; a symbolic link stays one, and the file it points to is the one replaced."""
    path = path.resolve()
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(descriptor)
    try:
        save_text(history, temporary, scenario=scenario)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
