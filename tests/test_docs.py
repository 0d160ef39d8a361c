"""The documentation site builds with ``--strict``, and documents everything that is registered.

One build of the whole site (MkDocs, Material, mkdocstrings) for the module; the reference
pages are generated from the code by ``docs/hooks/reference.py``, so a protocol, agent,
forecasting model, setting, scenario field or command missing from them is a failure here.
"""

from __future__ import annotations

import html
import importlib
import inspect
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from accord.agents.registry import AGENTS
from accord.forecast.models import FORECAST_MODELS
from accord.forecast.settings import SETTINGS_CLASSES, setting_choices
from accord.io import scenario_json_schema
from accord.protocols.registry import PROTOCOLS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("site")
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    source = str(ROOT / "src")
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [source, environment.get("PYTHONPATH")]))
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(target),
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    return target


def page(site: Path, name: str) -> str:
    """The visible text of a built page, on one line per block, without markup."""
    text = (site / name / "index.html").read_text(encoding="utf-8")
    text = text[text.index('<article class="md-content__inner') :]
    text = re.sub(r"</?(?:span|code|a|em|strong)\b[^>]*>", "", text)  # inline: no break
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_every_protocol_is_documented_with_its_rules(site: Path) -> None:
    text = page(site, "reference/protocols")
    for name in PROTOCOLS.ids():
        assert PROTOCOLS.description(name), f"{name} has no docstring"
        assert name in text and PROTOCOLS.description(name) in text
        assert f"Rules ({name})" in text, name
    assert "a mediator seat is required" in text and "none (a mediator may watch)" in text


def test_every_agent_is_documented_with_its_strategy_and_parameters(site: Path) -> None:
    text = page(site, "reference/agents")
    for name in AGENTS.ids():
        assert AGENTS.description(name), f"{name} has no docstring"
        assert name in text and AGENTS.description(name) in text
    # the parameters come from the constructors and class settings
    assert "acceptance" in text and "deadline_curve" in text and "max_drafts" in text


def test_every_forecast_model_and_setting_is_documented(site: Path) -> None:
    text = page(site, "reference/forecasting")
    for model, target in FORECAST_MODELS.items():
        module_name, attribute = target.split(":")
        documentation = inspect.getdoc(getattr(importlib.import_module(module_name), attribute)) or ""
        assert documentation, f"the {model} model has no docstring"
        assert model in text and " ".join(documentation.splitlines()[0].replace("`", "").split()) in text
    for model in SETTINGS_CLASSES:
        for setting, values in setting_choices(model).items():
            assert setting in text, (model, setting)
            assert values.split(" (default")[0] in text, (model, setting)
    assert "--set VictoryProbModel=Linear" in text and "IdealAdjustment" in text


def test_every_scenario_field_is_documented(site: Path) -> None:
    text = page(site, "reference/scenario-format")
    schema = scenario_json_schema()
    for model in [schema, *schema["$defs"].values()]:
        for field, node in model.get("properties", {}).items():
            assert field in text and " ".join(node["description"].replace("`", "").split()) in text, field


def test_every_command_is_documented(site: Path) -> None:
    text = page(site, "reference/command-line")
    for command in ("analyze", "schema", "import", "export", "run", "list", "tournament", "forecast"):
        assert f"accord {command}" in text
    for command in ("room create", "room verify", "room export", "serve"):
        assert f"accord {command}" in text
    assert "--set NAME=VALUE" in text


def test_the_tutorial_and_the_api_are_built(site: Path) -> None:
    tutorial = page(site, "tutorial")
    assert "accord room create" in tutorial and "accord serve" in tutorial
    api = page(site, "api")
    for name in ("run_session", "load_scenario", "run_model", "analyze"):
        assert name in api, name
    assert ":class:" not in api and ":func:" not in api  # reST references are shown as code
