"""Reading and writing scenarios: Accord's own format, Genius XML and GeniusWeb JSON."""

from accord.io.genius import import_genius
from accord.io.geniusweb import import_geniusweb
from accord.io.geniusweb_export import export_geniusweb
from accord.io.scenario_file import load_scenario, parse_scenario, save_scenario, scenario_to_data
from accord.io.schema import scenario_json_schema

__all__ = [
    "export_geniusweb",
    "import_genius",
    "import_geniusweb",
    "load_scenario",
    "parse_scenario",
    "save_scenario",
    "scenario_json_schema",
    "scenario_to_data",
]
