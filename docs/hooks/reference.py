"""MkDocs hook: the reference pages, generated from the code on every build so they stay true.

``reference/protocols.md``, ``reference/agents.md``, ``reference/forecasting.md``,
``reference/scenario-format.md`` and ``reference/command-line.md`` are written from the
registries, the docstrings, the JSON Schema and the argument parser; nothing in them is
typed by hand. ``mkdocs.yml`` names this file under ``hooks``.
"""

from __future__ import annotations

import argparse
import dataclasses
import inspect
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from griffe import Extension

#: Roles of reST cross-references: ``:class:`~accord.x.Name``` and the like.
_ROLE = re.compile(r":(?:class|func|meth|attr|data|mod|exc|obj):`(~?)([^`]+)`")


def markdown(docstring: str | None) -> str:
    """A docstring as Markdown: reST references become code, doctest examples code blocks."""
    text = inspect.cleandoc(docstring or "")
    text = _ROLE.sub(
        lambda match: f"`{match.group(2).rsplit('.', 1)[-1] if match.group(1) else match.group(2)}`", text
    )
    lines: list[str] = []
    in_example = False
    for line in text.splitlines():
        if line.lstrip().startswith(">>>") and not in_example:
            if lines and lines[-1].strip():
                lines.append("")
            lines.append("```pycon")
            in_example = True
        elif in_example and not line.strip():
            lines.append("```")
            in_example = False
        lines.append(line)
    if in_example:
        lines.append("```")
    return "\n".join(lines).strip() + "\n"


def _escape_cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_escape_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


# --- protocols -------------------------------------------------------------------------------


def protocols_page() -> str:
    from accord.agents.registry import AGENTS, agent_protocols
    from accord.domain import Role
    from accord.protocols.registry import PROTOCOLS

    fits = {agent: agent_protocols(agent) for agent in AGENTS.ids()}
    parts = [
        "# Protocols\n",
        "Every protocol registered with Accord, generated from its code: who acts, what each seat "
        "sees and how the talks end are the rules in its module's docstring. `accord list protocols` "
        "prints the same list; `accord run SCENARIO --protocol ID` and `accord room create` use the ids.\n",
        _table(
            ("id", "mediator", "description"),
            [
                (
                    f"[`{name}`](#{name})",
                    "needs one" if PROTOCOLS.resolve(name).needs_mediator else "none",
                    PROTOCOLS.description(name),
                )
                for name in PROTOCOLS.ids()
            ],
        ),
    ]
    for name in PROTOCOLS.ids():
        protocol = PROTOCOLS.resolve(name)
        module = inspect.getmodule(protocol)
        seats = []
        for role in (Role.DELEGATION, Role.MEDIATOR):
            agents = [agent for agent, by_role in fits.items() if name in by_role.get(role, ())]
            if agents:
                seats.append(f"{role.value}: " + ", ".join(f"`{agent}`" for agent in agents))
        parts += [
            f"## {name}\n",
            f"*{PROTOCOLS.description(name)}*\n",
            f"- Class: `{protocol.__module__}.{protocol.__qualname__}`",
            "- Mediator: "
            + ("a mediator seat is required" if protocol.needs_mediator else "none (a mediator may watch)"),
            f"- Registered agents that fit: {'; '.join(seats) or 'none'}\n",
            markdown(module.__doc__ if module else protocol.__doc__),
        ]
    return "\n".join(parts)


# --- agents ----------------------------------------------------------------------------------

_NOT_PARAMETERS = {"id", "roles", "protocols"}


def _parameters(agent: type) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for parameter in inspect.signature(agent).parameters.values():
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        default = "required" if parameter.default is parameter.empty else f"`{parameter.default!r}`"
        rows.append((f"`{parameter.name}`", "constructor argument", default))
    for klass in reversed(agent.__mro__):
        for name, value in vars(klass).items():
            if (
                name.startswith("_")
                or name in _NOT_PARAMETERS
                or callable(value)
                or isinstance(value, property)
            ):
                continue
            if isinstance(value, staticmethod | classmethod):
                continue
            rows = [row for row in rows if row[0] != f"`{name}`"]
            rows.append((f"`{name}`", f"class setting (of `{klass.__name__}`)", f"`{value!r}`"))
    return rows


def agents_page() -> str:
    from accord.agents.registry import (
        AGENTS,
        DEFAULT_DELEGATION,
        DEFAULT_MEDIATOR,
        DEFAULT_MEDIATORS,
        agent_protocols,
    )
    from accord.protocols.registry import PROTOCOLS

    every = set(PROTOCOLS.ids())
    parts = [
        "# Agents\n",
        "Every agent registered with Accord, generated from its code: its strategy (the docstrings "
        "of its class and of the Accord classes it builds on), the seats and protocols it fits, and "
        "its parameters. `accord list agents` prints the same list. Agents are chosen by id with "
        "`accord run --agents PARTY=ID --mediator ID`, `accord tournament --agents` and "
        "`accord room create --agents`.\n",
        f"A delegation without an agent named gets `{DEFAULT_DELEGATION}`; a mediator's seat gets "
        + ", ".join(f"`{agent}` under {protocol}" for protocol, agent in DEFAULT_MEDIATORS.items())
        + f", and `{DEFAULT_MEDIATOR}` elsewhere.\n",
        _table(
            ("id", "seats", "description"),
            [
                (
                    f"[`{name}`](#{name})",
                    ", ".join(role.value for role in agent_protocols(name)),
                    AGENTS.description(name),
                )
                for name in AGENTS.ids()
            ],
        ),
    ]
    for name in AGENTS.ids():
        agent = AGENTS.resolve(name)
        seats = []
        for role, protocols in agent_protocols(name).items():
            which = (
                "every protocol" if set(protocols) == every else ", ".join(f"`{item}`" for item in protocols)
            )
            seats.append(f"{role.value}'s seat under {which or 'no registered protocol'}")
        parts += [
            f"## {name}\n",
            f"*{AGENTS.description(name)}*\n",
            f"- Class: `{agent.__module__}.{agent.__qualname__}`",
            f"- Takes a {'; a '.join(seats)}\n",
            "### Strategy\n",
            markdown(agent.__doc__),
        ]
        for base in agent.__mro__[1:]:
            if base.__module__.startswith("accord.") and base.__doc__:
                parts += [f"Built on `{base.__name__}`:\n", markdown(base.__doc__)]
        rows = _parameters(agent)
        parts += ["### Parameters\n", _table(("name", "kind", "default"), rows) if rows else "None.\n"]
    return "\n".join(parts)


# --- forecasting -----------------------------------------------------------------------------


def _settings_table(model: str) -> str:
    from accord.forecast.settings import SETTINGS_CLASSES, setting_choices
    from accord.forecast.spatial_settings import KTAB_NAMES

    own_name = {field: ktab for ktab, (field, _) in KTAB_NAMES.items()}
    choices = setting_choices(model)
    rows = []
    for field in dataclasses.fields(SETTINGS_CLASSES[model]):
        ktab = own_name.get(field.name)
        names = f"`{field.name}`" + (f" or `{ktab}`" if ktab else "")
        values = choices[field.name] + (f" (KTAB: {choices[ktab]})" if ktab else "")
        rows.append((names, values, f"`{field.default}`"))
    return _table(("setting", "values", "default"), rows)


def forecasting_page() -> str:
    import accord.forecast as forecast
    from accord.forecast import readers
    from accord.forecast.baseline import COMPROMISE_PRESETS
    from accord.forecast.expected_utility import EXPECTED_UTILITY_PRESETS, ExpectedUtilitySettings
    from accord.forecast.ktab_csv import read_ktab_xml
    from accord.forecast.models import FORECAST_MODELS
    from accord.forecast.settings import SETTINGS_CLASSES
    from accord.forecast.spatial_settings import SpatialSettings

    presets: dict[str, dict[str, Any]] = {
        "compromise": COMPROMISE_PRESETS,
        "expected-utility": EXPECTED_UTILITY_PRESETS,
    }
    parts = [
        "# Forecasting\n",
        markdown(forecast.__doc__),
        "`accord forecast DATA --model NAME` runs one model; `--preset` chooses named settings, "
        "`--set NAME=VALUE` (repeatable) sets one, `--samples N` adds a Monte Carlo interval, "
        "`accord forecast backtest DEU3.csv` scores every model against real outcomes.\n",
        "## Data files\n",
        markdown(readers.__doc__),
        "### KTAB's XML scenarios\n",
        markdown(read_ktab_xml.__doc__),
        "## Models\n",
        _table(
            ("model", "presets", "takes --set"),
            [
                (
                    f"[`{name}`](#{name})",
                    ", ".join(f"`{preset}`" for preset in presets.get(name, {})) or "—",
                    "yes" if name in SETTINGS_CLASSES else "no",
                )
                for name in FORECAST_MODELS
            ],
        ),
    ]
    described: set[str] = set()
    for name, target in FORECAST_MODELS.items():
        module_name, attribute = target.split(":")
        module = __import__(module_name, fromlist=[attribute])
        parts += [f"### {name}\n", f"`{module_name}.{attribute}`\n"]
        if module_name not in described:  # models sharing a module share its description
            described.add(module_name)
            parts.append(markdown(module.__doc__))
        parts.append(markdown(getattr(module, attribute).__doc__))
        if name in presets:
            parts.append("Presets: " + ", ".join(f"`{preset}`" for preset in presets[name]) + ".\n")
        if name in SETTINGS_CLASSES:
            settings_class = SETTINGS_CLASSES[name]
            parts += [
                f"#### Settings (`{settings_class.__name__}`)\n",
                markdown(settings_class.__doc__),
                _settings_table(name),
            ]
    parts += [
        "## Reproducing KTAB's reference run\n",
        "KTAB's `dummyData_3Dim` reference run, with the parameters its summary lists:\n",
        "```sh\naccord forecast dummyData_3Dim.csv --model spatial \\\n"
        + " \\\n".join(
            f"    --set {ktab}={value}"
            for ktab, value in (
                ("VictoryProbModel", "Linear"),
                ("VotingRule", "Prop"),
                ("PCEModel", "Conditional"),
                ("StateTransitions", "Deterministic"),
                ("BigRRange", "Mid"),
                ("BigRAdjust", "OneThird"),
                ("ThirdPartyCommit", "SemiCommit"),
                ("InterVecBrgn", "S2P2"),
                ("BargnModel", "InitOnlyInterp"),
            )
        )
        + "\n```\n",
        "The run matches KTAB's log state by state: every position (to the printed 0.1), every "
        "win probability and every step's fractional change (`tests/forecast/test_forecast_settings.py`). "
        "A stochastic run (`StateTransitions=Stochastic`) draws from NumPy's generator seeded by "
        "`seed`, not from KTAB's, so KTAB's stochastic reference runs match only up to their first draw.\n",
        f"These are also the defaults (`{SpatialSettings.__name__}()`), and the expected-utility "
        f"model's defaults are the `scholz` preset (`{ExpectedUtilitySettings.__name__}()`).\n",
    ]
    return "\n".join(parts)


# --- the scenario format ---------------------------------------------------------------------


def _kind(node: dict[str, Any]) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "enum" in node:
        return " or ".join(f"`{value}`" for value in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    if "anyOf" in node or "oneOf" in node:
        return " or ".join(_kind(option) for option in node.get("anyOf", node.get("oneOf", [])))
    kind = node.get("type", "any")
    if kind == "array":
        if "prefixItems" in node:
            return "[" + ", ".join(_kind(item) for item in node["prefixItems"]) + "]"
        return f"list of {_kind(node.get('items', {}))}"
    if kind == "object" and isinstance(node.get("additionalProperties"), dict):
        names = node.get("propertyNames", {})
        keys = _kind(names) if "type" in names or "enum" in names else "name"
        return f"map of {keys} → {_kind(node['additionalProperties'])}"
    limits = [
        f"{word} {node[key]}"
        for key, word in (
            ("minimum", "≥"),
            ("exclusiveMinimum", ">"),
            ("maximum", "≤"),
            ("exclusiveMaximum", "<"),
        )
        if key in node
    ]
    return str(kind) + (f" ({', '.join(limits)})" if limits else "")


def _default(node: dict[str, Any]) -> str:
    if "default" not in node or node["default"] in (None, [], {}):
        return "—"
    return f"`{json.dumps(node['default'], ensure_ascii=False)}`"


def scenario_format_page() -> str:
    from accord.io import scenario_json_schema

    schema = scenario_json_schema()
    parts = [
        "# Scenario format, field by field\n",
        f"Generated from the JSON Schema that `accord schema` prints (`$id` `{schema['$id']}`), "
        "itself generated from the pydantic models in `accord.io.schema`. A scenario file is YAML "
        "or JSON; a bad one gets one line naming the file, the line and field, and the reason.\n",
    ]
    # the models in the order a reader meets them: each after the first model that refers to it
    order: list[str] = []
    pending: list[Any] = [schema["properties"]]
    while pending:
        node = pending.pop(0)
        for reference in re.findall(r"#/\$defs/(\w+)", json.dumps(node)):
            if reference not in order:
                order.append(reference)
                pending.append(schema["$defs"][reference])
    models = [("Scenario file", schema), *((name, schema["$defs"][name]) for name in order)]
    for name, model in models:
        required = set(model.get("required", []))
        rows = [
            (
                f"`{field}`",
                _kind(node),
                "required" if field in required else _default(node),
                node.get("description", ""),
            )
            for field, node in model.get("properties", {}).items()
        ]
        parts += [
            f"## {name}\n",
            f"{model.get('description', '')}\n",
            _table(("field", "type", "default", "description"), rows),
        ]
    return "\n".join(parts)


# --- the command line ------------------------------------------------------------------------


def command_line_page() -> str:
    import os

    from accord.cli import build_parser

    os.environ["COLUMNS"] = "100"  # argparse wraps help at the terminal's width
    parser = build_parser()
    parts = [
        "# Command line\n",
        "Every command's help, as `accord COMMAND --help` prints it.\n",
        "```text\n" + parser.format_help() + "```\n",
    ]

    def walk(command: argparse.ArgumentParser, path: str) -> None:
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    parts.extend([f"## {path} {name}\n", "```text\n" + sub.format_help() + "```\n"])
                    walk(sub, f"{path} {name}")

    walk(parser, "accord")
    return "\n".join(parts)


#: Generated page → the function that writes it.
PAGES: dict[str, Callable[[], str]] = {
    "reference/protocols.md": protocols_page,
    "reference/agents.md": agents_page,
    "reference/forecasting.md": forecasting_page,
    "reference/scenario-format.md": scenario_format_page,
    "reference/command-line.md": command_line_page,
}


class DocstringsAsMarkdown(Extension):  # type: ignore[misc]
    """Griffe extension (named in ``mkdocs.yml``): the API pages read each docstring as
    :func:`markdown` gives it, so reST references show as code and doctests as code blocks."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown(obj.docstring.value)


def on_files(files: Any, config: Any) -> Any:
    """Add the generated pages to the site (MkDocs event)."""
    from mkdocs.structure.files import File

    for path, build in PAGES.items():
        files.append(File.generated(config, path, content=build()))
    return files
