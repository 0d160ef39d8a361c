"""``accord text new|show|export|change``: the single negotiating text from the command line.

``accord text new SCENARIO --output T.yaml`` drafts the text (each issue a bracketed paragraph);
``accord text show T.yaml [--seat SEAT] [--language LANG]`` prints it as the mediator (or the
named seat) sees it, with what each alternative is worth; ``accord text export T.yaml --format
docx|pdf|md|html --output F [--compare REV] [--language LANG]`` writes a document; ``accord text
change T.yaml KIND --seat SEAT …`` applies one change (:mod:`accord.cli.text_change`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from accord.cli.outputs import add_force, refuse_to_overwrite
from accord.cli.shown import shown
from accord.cli.text_change import register_change
from accord.domain import Scenario
from accord.domain.names import resolve_name
from accord.errors import ArgumentError
from accord.io import load_scenario
from accord.io.text_export import FORMATS, export_text
from accord.io.text_export.layout import chosen_language
from accord.io.text_file import load_text, save_text, text_scenario
from accord.text import History, Text, paragraph_reading, text_from_scenario, view, worth

__all__ = ["register"]


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("text", help="the single negotiating text: draft, show, change, export")
    commands = parser.add_subparsers(dest="text_command", metavar="ACTION", required=True)
    new = commands.add_parser("new", help="draft a text from a scenario: each issue a bracketed paragraph")
    new.add_argument("scenario", metavar="SCENARIO", help="an Accord scenario file (YAML or JSON)")
    new.add_argument("--output", metavar="T.yaml", required=True, help="the text file to write")
    add_force(new)
    new.set_defaults(handler=new_command)
    show = commands.add_parser("show", help="print a text as the mediator (or --seat) sees it")
    show.add_argument("text", metavar="T.yaml", help="an Accord text file")
    show.add_argument("--seat", help="show what this seat sees (default: the mediator)")
    show.add_argument("--language", help="the language to show (e.g. en, ar; default: the text's)")
    show.set_defaults(handler=show_command)
    export = commands.add_parser("export", help="write a text as DOCX, PDF, Markdown or HTML")
    export.add_argument("text", metavar="T.yaml", help="an Accord text file")
    export.add_argument("--format", choices=FORMATS, required=True, help="the document format")
    export.add_argument("--output", metavar="F", required=True, help="the document to write")
    export.add_argument(
        "--compare", metavar="REV", type=int, help="compare with revision REV (0: the original)"
    )
    export.add_argument("--language", help="the language to export (default: the text's)")
    add_force(export)
    export.set_defaults(handler=export_command)
    register_change(commands)


def new_command(arguments: argparse.Namespace) -> int:
    refuse_to_overwrite([arguments.output], force=arguments.force)
    scenario = load_scenario(arguments.scenario)
    history = History(text_from_scenario(scenario))
    save_text(history, arguments.output, scenario=arguments.scenario)
    text = history.text
    Console().print(
        f"{len(text.paragraphs)} paragraphs for {len(text.delegations)} delegations written to "
        f"{shown(arguments.output)}"
    )
    return 0


def show_command(arguments: argparse.Namespace) -> int:
    history, scenario_path = load_text(arguments.text)
    text = history.text
    seats = [text.mediator, *text.delegations]
    seat = (
        text.mediator
        if arguments.seat is None
        else resolve_name(arguments.seat, seats, what="seat", argument="--seat")
    )
    seen = view(text, seat)
    language = None if arguments.language is None else chosen_language(seen, arguments.language)
    scenario = None if scenario_path is None else text_scenario(text, scenario_path, arguments.text)
    _print_text(seen, seat, scenario, language)
    return 0


def _worth_columns(text: Text, seat: str, scenario: Scenario | None) -> dict[str, Any]:
    if scenario is None:
        return {}
    names = [party.name for party in scenario.delegations]
    seen = names if seat == text.mediator else [seat] if seat in names else []
    return {name: worth(text, scenario, name) for name in seen}


def _print_text(text: Text, seat: str, scenario: Scenario | None, language: str | None) -> None:
    console = Console()
    revision = "original text" if text.revision == 0 else f"Rev.{text.revision}"
    console.print(f"[bold]{shown(text.title)}[/bold] — {revision}, as {shown(seat)} sees it")
    console.print("Nothing is agreed until everything is agreed." if not text.adopted else "Adopted.")
    columns = _worth_columns(text, seat, scenario)
    for paragraph in text.paragraphs:
        number = text.number(paragraph.key)
        heading = f"[bold]{shown(number)}[/bold] {shown(paragraph.title or paragraph.key)}"
        console.print(f"\n{heading} [dim]({paragraph.status})[/dim]")
        if paragraph.agreed_language is not None:
            console.print(f"  {shown(paragraph_reading(paragraph, language))}", soft_wrap=True)
            continue
        for position, alternative in enumerate(paragraph.alternatives, start=1):
            wording = shown(alternative.wording.in_language(language)[0])
            console.print(f"  [bold]Alt {position}[/bold] \\[{wording}]", soft_wrap=True)
            who = "bridging language of " if alternative.bridging else "proposed by "
            who += shown(alternative.proposer)
            if alternative.supporters:
                who += "; supported by " + shown(", ".join(alternative.supporters))
            console.print(f"    [dim]{who}[/dim]", soft_wrap=True)
            worths = []
            for name, table_of_worth in columns.items():
                found = table_of_worth.get(paragraph.key, {}).get(alternative.key)
                value = "unscored" if found is None or found.value is None else f"{found.value:.3f}"
                red_line = " (red line)" if found is not None and found.crosses_red_line else ""
                worths.append(f"{shown(name)} {value}{red_line}")
            if worths:
                console.print(f"    worth to {'; '.join(worths)}", soft_wrap=True)
    for comment in text.comments:
        console.print(
            f"[dim]Comment from {shown(comment.seat)} on {shown(comment.paragraph)}:[/dim] "
            + shown(comment.text)
        )
    for proposal in text.proposals:
        console.print(
            f"[dim]Proposal {proposal.number} by {shown(proposal.seat)} on {shown(proposal.paragraph)} "
            f"({proposal.state}):[/dim] {shown(proposal.wording.original)}"
        )


def export_command(arguments: argparse.Namespace) -> int:
    refuse_to_overwrite([arguments.output], force=arguments.force)
    history, _ = load_text(arguments.text)
    older = None
    if arguments.compare is not None:
        try:
            older = history.at(arguments.compare)
        except KeyError as error:
            raise ArgumentError("--compare", str(error.args[0])) from None
    document = export_text(history.text, arguments.format, language=arguments.language, older=older)
    Path(arguments.output).write_bytes(document)
    Console().print(f"{arguments.format.upper()} written to {shown(arguments.output)}")
    return 0
