"""``accord schema``: print the JSON Schema of the scenario file format."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from accord.io import scenario_json_schema

__all__ = ["register"]


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("schema", help="print the JSON Schema of scenario files")
    parser.set_defaults(handler=run)


def run(arguments: argparse.Namespace) -> int:
    sys.stdout.write(json.dumps(scenario_json_schema(), indent=2) + "\n")
    return 0
