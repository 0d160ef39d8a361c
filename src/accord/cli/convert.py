"""``accord import`` and ``accord export``: convert Genius XML and GeniusWeb JSON scenarios.

``accord import genius DOMAIN.xml PROFILE.xml... --output FILE.yaml``,
``accord import geniusweb PROFILE.json... [--domain DOMAIN.json] --output FILE.yaml`` and
``accord export geniusweb SCENARIO --output DIR [--normalize]``. Parties are named after the
profile files' stems, in the order given. Success prints one summary line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

from accord.cli.failures import one_line
from accord.cli.outputs import add_force, refuse_to_overwrite
from accord.cli.shown import literal
from accord.cli.wording import counted
from accord.domain import Scenario
from accord.errors import ScenarioError
from accord.io import export_geniusweb, import_genius, import_geniusweb, load_scenario, save_scenario
from accord.io.geniusweb_export import geniusweb_omissions

__all__ = ["register"]


def register(subcommands: Any) -> None:
    importer = subcommands.add_parser(
        "import", help="convert a Genius or GeniusWeb scenario to an Accord scenario file"
    )
    formats = importer.add_subparsers(dest="format", metavar="FORMAT", required=True)
    genius = formats.add_parser("genius", help="a Genius XML domain and its profiles")
    genius.add_argument("domain", type=Path, metavar="DOMAIN", help="the domain (template) XML file")
    genius.add_argument(
        "profiles", type=Path, nargs="+", metavar="PROFILE", help="one utility-space XML file per party"
    )
    genius.add_argument("--output", "-o", type=Path, required=True, help="the scenario file to write")
    add_force(genius)
    genius.set_defaults(handler=run_import_genius)
    geniusweb = formats.add_parser("geniusweb", help="GeniusWeb JSON profiles (LinearAdditiveUtilitySpace)")
    geniusweb.add_argument(
        "profiles", type=Path, nargs="+", metavar="PROFILE", help="one profile JSON file per party"
    )
    geniusweb.add_argument("--domain", type=Path, help="the domain JSON file (default: the first profile's)")
    geniusweb.add_argument("--output", "-o", type=Path, required=True, help="the scenario file to write")
    add_force(geniusweb)
    geniusweb.set_defaults(handler=run_import_geniusweb)

    exporter = subcommands.add_parser("export", help="write an Accord scenario in another format")
    targets = exporter.add_subparsers(dest="format", metavar="FORMAT", required=True)
    to_geniusweb = targets.add_parser("geniusweb", help="a GeniusWeb domain and one profile per delegation")
    to_geniusweb.add_argument("scenario", type=Path, metavar="SCENARIO", help="the Accord scenario file")
    to_geniusweb.add_argument("--output", "-o", type=Path, required=True, help="the directory to write")
    to_geniusweb.add_argument(
        "--drop-red-lines",
        action="store_true",
        help="export delegations with red lines without them (a warning says which; GeniusWeb has none)",
    )
    add_force(to_geniusweb)
    to_geniusweb.add_argument(
        "--normalize",
        action="store_true",
        help="divide a party's utilities by its best sum when Genius's cap at 1 makes them nonlinear",
    )
    to_geniusweb.set_defaults(handler=run_export_geniusweb)


def _summary(scenario: Scenario) -> str:
    parties = ", ".join(party.name for party in scenario.delegations)
    return (
        f"{scenario.name}: {counted(len(scenario.agenda.issues), 'issue')}, "
        f"{counted(scenario.agenda.size, 'outcome')}, "
        f"{counted(len(scenario.delegations), 'party', 'parties')} ({parties})"
    )


def _save(scenario: Scenario, output: Path) -> None:
    try:
        save_scenario(scenario, output)
    except OSError as error:
        raise ScenarioError(str(output), "", f"cannot be written: {error.strerror}") from None
    Console(highlight=False, soft_wrap=True).print(
        literal(f"Imported {_summary(scenario)} → {output}"), markup=False
    )


def run_import_genius(arguments: argparse.Namespace) -> int:
    refuse_to_overwrite([arguments.output], force=arguments.force)
    _save(import_genius(arguments.domain, arguments.profiles), arguments.output)
    return 0


def run_import_geniusweb(arguments: argparse.Namespace) -> int:
    refuse_to_overwrite([arguments.output], force=arguments.force)
    _save(import_geniusweb(arguments.profiles, domain_path=arguments.domain), arguments.output)
    return 0


def run_export_geniusweb(arguments: argparse.Namespace) -> int:
    refuse_to_overwrite([arguments.output], force=arguments.force)
    scenario = load_scenario(arguments.scenario)
    paths = export_geniusweb(  # its errors' remedies are shown as options (--drop-red-lines)
        scenario,
        arguments.output,
        normalize=arguments.normalize,
        drop_red_lines=arguments.drop_red_lines,
        source=str(arguments.scenario),
    )
    for note in geniusweb_omissions(scenario, drop_red_lines=arguments.drop_red_lines):
        sys.stderr.write(one_line(f"accord: warning: {note}") + "\n")
    Console(highlight=False, soft_wrap=True).print(
        literal(f"Exported {_summary(scenario)} → {counted(len(paths), 'file')} in {arguments.output}"),
        markup=False,
    )
    return 0
