"""Read and write Accord scenario files (YAML or JSON).

Every problem with a file becomes one :class:`~accord.errors.ScenarioError`
naming the file, the place (field path, and the line when it can be found) and
the reason.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import yaml
from pydantic import ValidationError

from accord.domain import (
    Agenda,
    Condition,
    Dimension,
    DiscreteIssue,
    IntegerIssue,
    Interaction,
    Issue,
    Option,
    Party,
    Preferences,
    RealIssue,
    RedLine,
    Role,
    Scenario,
    ValueFunction,
)
from accord.errors import DomainError, ScenarioError
from accord.io.schema import (
    UNION_TAGS,
    ConditionModel,
    IssueModel,
    PartyModel,
    PreferencesModel,
    ScenarioModel,
    ValueFunctionModel,
)
from accord.reading import Document, load_data, read_text

__all__ = ["load_scenario", "parse_scenario", "save_scenario", "scenario_to_data"]

#: PyYAML's LibYAML emitter when it is installed (ten times faster on large scenarios).
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def parse_scenario(text: str, *, source: str = "") -> Scenario:
    """Validate scenario text (YAML or JSON) and build the frozen :class:`Scenario`."""
    return _scenario(load_data(text, source, error=ScenarioError))


def _scenario(document: Document) -> Scenario:
    """The scenario the file's data describe (``document.source`` names the file in errors)."""
    data, source = document.data, document.source
    if not isinstance(data, dict):
        raise ScenarioError(source, "", "expected a mapping with name, issues and parties")
    try:
        model = ScenarioModel.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        location = tuple(part for part in first["loc"] if not _is_union_tag(part))
        raise ScenarioError(source, document.where(location), validation_reason(first)) from None
    except (RecursionError, OverflowError) as error:
        raise ScenarioError(source, "", f"cannot be read: {error}") from None
    return _build(model, document)


def _is_union_tag(part: int | str) -> bool:
    return isinstance(part, str) and part in UNION_TAGS


def validation_reason(error: Any) -> str:
    """The reason of one of pydantic's errors as the one-line errors give it (lower case, plain words)."""
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if error["type"] == "extra_forbidden":
        message = "unknown field"
    if error["type"] == "missing":
        message = "required field is missing"
    return message[0].lower() + message[1:] if message else "invalid"


def load_scenario(path: str | Path) -> Scenario:
    """Load an Accord scenario file (``.yaml``, ``.yml`` or ``.json``).

    Raises :class:`~accord.errors.ScenarioError` for anything wrong with it.
    """
    path = Path(path)
    text = read_text(path, error=ScenarioError)
    source = str(path)
    return parse_scenario(text, source=source)


# ---------------------------------------------------------------- building domain objects

#: Where a domain object's fields live in the file, when the names differ.
_FILE_FIELDS = {"option_values": "values", "value_functions": "values", "conditions": "when"}


class _Builder:
    """Builds domain objects from the validated file; their :class:`DomainError` becomes a located
    :class:`ScenarioError` naming the file, the line and the field path."""

    def __init__(self, document: Document) -> None:
        self.source = document.source
        self.document = document

    def fail(self, location: tuple[int | str, ...], reason: str) -> NoReturn:
        raise ScenarioError(self.source, self.document.where(location), reason)

    @contextmanager
    def located(self, *location: int | str) -> Iterator[None]:
        """Report a domain error raised inside at ``location`` followed by the error's field."""
        try:
            yield
        except DomainError as error:
            self.fail((*location, *(_FILE_FIELDS.get(str(part), part) for part in error.field)), error.reason)


def _build_issue(model: IssueModel) -> Issue:
    if model.type == "discrete":
        options = tuple(
            Option(option)
            if isinstance(option, str)
            else Option(
                option.name,
                option.text,
                tuple(option.translations.items()),
                option.proposed_by,
                tuple(option.supported_by),
                option.source,
            )
            for option in model.options or ()
        )
        return DiscreteIssue(model.name, options, model.description)
    assert model.low is not None and model.high is not None
    if model.type == "integer":
        return IntegerIssue(model.name, int(model.low), int(model.high), model.description)
    assert model.step is not None
    return RealIssue(model.name, model.low, model.high, model.step, model.description)


def _build_value_function(model: ValueFunctionModel, issue: Issue) -> ValueFunction:
    if model.kind == "linear":
        assert model.slope is not None and model.offset is not None
        low, high = float(issue.values[0]), float(issue.values[-1])
        return ValueFunction(
            ((low, model.offset + model.slope * low), (high, model.offset + model.slope * high))
            if high > low
            else ((low, model.offset + model.slope * low),)
        )
    return ValueFunction(tuple((float(x), float(v)) for x, v in model.points or ()))


def _build_condition(issue: str, given: ConditionModel | list[str | float]) -> Condition:
    model = ConditionModel(options=given) if isinstance(given, list) else given
    return Condition(issue, tuple(model.options or ()), model.at_least, model.at_most)


def _build_preferences(
    model: PreferencesModel, agenda: Agenda, build: _Builder, base: tuple[int | str, ...]
) -> Preferences:
    """The party's preferences; the :class:`Scenario` they join checks the issues and options they name."""
    option_values: dict[str, dict[str, float]] = {}
    value_functions: dict[str, ValueFunction] = {}
    for name, given in model.values.items():
        if not isinstance(given, ValueFunctionModel):
            option_values[name] = dict(given)
            continue
        # Building a value function needs its issue's range.
        if name not in agenda.names:
            build.fail((*base, "values", name), f"no issue named {name!r}")
        issue = agenda.issue(name)
        if isinstance(issue, DiscreteIssue):
            build.fail((*base, "values", name), "a value function needs a numeric issue; give option values")
        with build.located(*base, "values", name):
            value_functions[name] = _build_value_function(given, issue)

    def conditions(field: str, index: int, when: dict[str, Any]) -> tuple[Condition, ...]:
        built = []
        for name, condition in when.items():
            with build.located(*base, field, index, "when", name):
                built.append(_build_condition(name, condition))
        return tuple(built)

    red_lines = []
    for index, line in enumerate(model.red_lines):
        with build.located(*base, "red_lines", index):
            red_lines.append(
                RedLine(conditions("red_lines", index, line.when), line.reason, line.source, line.assumption)
            )
    interactions = []
    for index, item in enumerate(model.interactions):
        with build.located(*base, "interactions", index):
            interactions.append(Interaction(conditions("interactions", index, item.when), item.value))
    with build.located(*base):
        return Preferences(
            weights=dict(model.weights),
            option_values=option_values,
            value_functions=value_functions,
            reservation=model.reservation,
            red_lines=tuple(red_lines),
            discount=model.discount,
            interactions=tuple(interactions),
        )


def _build(model: ScenarioModel, document: Document) -> Scenario:
    build = _Builder(document)
    issues = []
    for index, issue in enumerate(model.issues):
        with build.located("issues", index):
            issues.append(_build_issue(issue))
    with build.located():
        agenda = Agenda(tuple(issues))
    if agenda.size > 10**30:
        build.fail(("issues",), "the outcome space is larger than 10^30 outcomes")
    parties = [_build_party(party, index, agenda, build) for index, party in enumerate(model.parties)]
    _check_attributions(model, build)
    dimensions = []
    for index, item in enumerate(model.dimensions):
        with build.located("dimensions", index):
            dimensions.append(Dimension(item.name, item.description, item.low, item.high))
    with build.located():
        settings = tuple(
            (model_name, name, str(value))
            for model_name, given in model.forecast_settings.items()
            for name, value in given.items()
        )
        return Scenario(
            model.name,
            agenda,
            tuple(parties),
            model.description,
            tuple(dimensions),
            forecast_settings=settings,
            preamble=tuple(
                ((model.language, clause.text), *clause.translations.items()) for clause in model.preamble
            ),
            language=model.language,
        )


def _check_attributions(model: ScenarioModel, build: _Builder) -> None:
    """Options are attributed (``proposed_by``, ``supported_by``) to parties of the scenario only."""
    names = {party.name for party in model.parties}
    for position, issue in enumerate(model.issues):
        for index, option in enumerate(issue.options or ()):
            if isinstance(option, str):
                continue
            attributed = [("proposed_by", option.proposed_by)] if option.proposed_by else []
            attributed += [("supported_by", name) for name in option.supported_by]
            for field_name, name in attributed:
                if name not in names:
                    build.fail(("issues", position, "options", index, field_name), f"no party named {name!r}")


def _build_party(party: PartyModel, index: int, agenda: Agenda, build: _Builder) -> Party:
    preferences = None
    if party.preferences is not None:
        preferences = _build_preferences(party.preferences, agenda, build, ("parties", index, "preferences"))
    with build.located("parties", index):
        return Party(
            name=party.name,
            role=Role(party.role),
            preferences=preferences,
            description=party.description,
            capability=party.capability,
            positions=dict(party.positions),
            salience=dict(party.salience),
        )


# ---------------------------------------------------------------- writing


def _option_data(option: Option) -> Any:
    data: dict[str, Any] = {"name": option.name, "text": option.text}
    if option.translations:
        data["translations"] = dict(option.translations)
    if option.proposed_by is not None:
        data["proposed_by"] = option.proposed_by
    if option.supported_by:
        data["supported_by"] = list(option.supported_by)
    if option.source:
        data["source"] = option.source
    return data if len(data) > 2 or option.text else option.name


def _issue_data(issue: Issue) -> dict[str, Any]:
    if isinstance(issue, DiscreteIssue):
        options: list[Any] = [_option_data(option) for option in issue.options]
        data: dict[str, Any] = {"name": issue.name, "options": options}
    elif isinstance(issue, IntegerIssue):
        data = {"name": issue.name, "type": "integer", "low": issue.low, "high": issue.high}
    else:
        data = {
            "name": issue.name,
            "type": "real",
            "low": issue.low,
            "high": issue.high,
            "step": issue.step,
        }
    if issue.description:
        data["description"] = issue.description
    return data


def _conditions_data(conditions: tuple[Condition, ...]) -> dict[str, Any]:
    return {
        condition.issue: (
            list(condition.values)
            if condition.values
            else {
                key: value
                for key, value in (("at_least", condition.at_least), ("at_most", condition.at_most))
                if value is not None
            }
        )
        for condition in conditions
    }


def _preferences_data(preferences: Preferences) -> dict[str, Any]:
    values: dict[str, Any] = {name: dict(table) for name, table in preferences.option_values.items()}
    for name, function in preferences.value_functions.items():
        values[name] = {"kind": "piecewise-linear", "points": [list(point) for point in function.points]}
    data: dict[str, Any] = {"weights": dict(preferences.weights), "values": values}
    data["reservation"] = preferences.reservation
    if preferences.discount is not None:
        data["discount"] = preferences.discount
    if preferences.red_lines:
        data["red_lines"] = [
            {
                "when": _conditions_data(line.conditions),
                **({"reason": line.reason} if line.reason else {}),
                **({"source": line.source} if line.source else {}),
                **({"assumption": True} if line.assumption else {}),
            }
            for line in preferences.red_lines
        ]
    if preferences.interactions:
        data["interactions"] = [
            {"when": _conditions_data(item.conditions), "value": item.value}
            for item in preferences.interactions
        ]
    return data


def scenario_to_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data in the file format (inverse of :func:`parse_scenario`)."""
    parties = []
    for party in scenario.parties:
        data: dict[str, Any] = {"name": party.name, "role": party.role.value}
        if party.description:
            data["description"] = party.description
        if party.preferences is not None:
            data["preferences"] = _preferences_data(party.preferences)
        if party.capability is not None:
            data["capability"] = party.capability
        if party.positions:
            data["positions"] = dict(party.positions)
        if party.salience:
            data["salience"] = dict(party.salience)
        parties.append(data)
    result: dict[str, Any] = {"format": "accord-scenario/1", "name": scenario.name}
    if scenario.description:
        result["description"] = scenario.description
    result["issues"] = [_issue_data(issue) for issue in scenario.agenda.issues]
    result["parties"] = parties
    if scenario.dimensions:
        result["dimensions"] = [
            {"name": item.name, "description": item.description, "low": item.low, "high": item.high}
            for item in scenario.dimensions
        ]
    if scenario.forecast_settings:
        settings: dict[str, dict[str, str]] = {}
        for model_name, name, value in scenario.forecast_settings:
            settings.setdefault(model_name, {})[name] = value
        result["forecast_settings"] = settings
    if scenario.language != "en":
        result["language"] = scenario.language
    if scenario.preamble:
        result["preamble"] = [
            {"text": clause[0][1], **({"translations": dict(clause[1:])} if clause[1:] else {})}
            for clause in scenario.preamble
        ]
    return result


def save_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write ``scenario`` as YAML (or JSON when ``path`` ends in ``.json``); a scenario whose
    file :func:`load_scenario` would refuse is a :class:`ScenarioError`, and nothing is written."""
    path = Path(path)
    data = scenario_to_data(scenario)
    try:  # never write a file that would not load again (what YAML and JSON write, they read back)
        _scenario(Document(data, str(path), None))
    except ScenarioError as error:
        raise ScenarioError(
            str(path), "", f"not written: it would not load again ({error.location}: {error.reason})"
        ) from None
    if path.suffix.lower() == ".json":
        text = json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    else:
        text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
