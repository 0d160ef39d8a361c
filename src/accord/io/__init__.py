"""Reading and writing scenarios: Accord's own format, Genius XML and GeniusWeb JSON."""

from accord.io.genius import import_genius
from accord.io.scenario_file import load_scenario, parse_scenario, save_scenario, scenario_to_data
from accord.io.schema import scenario_json_schema

__all__ = [
    "import_genius",
    "load_scenario",
    "parse_scenario",
    "save_scenario",
    "scenario_json_schema",
    "scenario_to_data",
]
