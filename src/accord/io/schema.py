"""The Accord scenario file format, as pydantic models (YAML or JSON).

The models here describe the file; :func:`accord.io.scenario_file.load_scenario`
validates a file against them and builds the frozen domain objects. ``accord
schema`` prints :func:`scenario_json_schema`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from accord.domain.invariants import LANGUAGE_TAG, MAX_NAME_LENGTH

__all__ = [
    "ClauseModel",
    "ConditionModel",
    "DimensionModel",
    "InteractionModel",
    "IssueModel",
    "OptionModel",
    "PartyModel",
    "PreferencesModel",
    "RedLineModel",
    "ScenarioModel",
    "ValueFunctionModel",
    "scenario_json_schema",
]

FORMAT: Literal["accord-scenario/1"] = "accord-scenario/1"

Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]
UnitValue = Annotated[float, Field(ge=0.0, le=1.0)]


#: Tags of the file format's unions; they appear in pydantic's error paths and are dropped there.
UNION_TAGS = frozenset({"named", "described", "option-values", "value-function", "options", "range"})


def _tag_by(test: Any, when_true: str, when_false: str) -> Any:
    return Discriminator(lambda value: when_true if test(value) else when_false)


class _Strict(BaseModel):
    # Each field's docstring (the string under it) is its description in the JSON Schema.
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False)


def _language_tag(value: str) -> str:
    if not LANGUAGE_TAG.fullmatch(value):
        raise ValueError(f"{value!r} is not a language tag such as 'en', 'ar' or 'zh-Hant'")
    return value


#: A language tag (``domain.invariants.LANGUAGE_TAG``); the schema states the pattern, the check says
#: what is wrong in words.
Language = Annotated[
    str,
    Field(min_length=2, max_length=20, json_schema_extra={"pattern": f"^{LANGUAGE_TAG.pattern}$"}),
    AfterValidator(_language_tag),
]


class OptionModel(_Strict):
    """An option of a discrete issue and the clause it would put into an agreement."""

    name: Name
    """The option's name, as parties and preferences refer to it."""
    text: str = ""
    """The clause this option would put into an agreement's text, in the scenario's ``language``."""
    translations: dict[Language, str] = Field(default_factory=dict)
    """The clause in other languages: language code (ISO 639-1, e.g. ``ar``) → text."""
    proposed_by: Name | None = None
    """The party on record as proposing this clause (a party of the scenario); a negotiating
    text made from the scenario attributes the clause's bracket to it."""
    supported_by: list[Name] = Field(default_factory=list)
    """Parties on record as supporting this clause."""
    source: str = ""
    """Where the attribution (``proposed_by``, ``supported_by``) is on public record."""


class ClauseModel(_Strict):
    """A paragraph of agreed language, e.g. a preambular paragraph of a negotiating text."""

    text: str = Field(min_length=1)
    """The paragraph, in the scenario's ``language``."""
    translations: dict[Language, str] = Field(default_factory=dict)
    """The paragraph in other languages: language code → text."""


class IssueModel(_Strict):
    """An issue: ``discrete`` with options, ``integer`` low..high, ``real`` low..high by step."""

    name: Name
    """The issue's name, unique in the scenario."""
    type: Literal["discrete", "integer", "real"] = "discrete"
    """``discrete`` (named options), ``integer`` (every whole number from low to high) or ``real``
    (low to high by step)."""
    description: str = ""
    """What the issue is about, for people."""
    options: (
        list[
            Annotated[
                Annotated[Name, Tag("named")] | Annotated[OptionModel, Tag("described")],
                _tag_by(lambda value: isinstance(value, str), "named", "described"),
            ]
        ]
        | None
    ) = None
    """A discrete issue's options: names, or objects with a name and the clause text."""
    low: float | None = None
    """The lowest value of an integer or real issue."""
    high: float | None = None
    """The highest value of an integer or real issue."""
    step: float | None = Field(default=None, gt=0)
    """The distance between neighbouring values of a real issue."""

    @model_validator(mode="after")
    def _shape(self) -> IssueModel:
        # Which fields each type takes; the values' own invariants are the domain's (accord.domain).
        if self.type == "discrete":
            return self
        if self.low is None or self.high is None:
            raise ValueError(f"an {self.type} issue needs low and high")
        if self.type == "integer" and (self.low != int(self.low) or self.high != int(self.high)):
            raise ValueError("an integer issue needs whole-number low and high")
        if self.type == "real" and self.step is None:
            raise ValueError("a real issue needs a step")
        if self.options:
            raise ValueError(f"an {self.type} issue takes no options")
        return self


class ValueFunctionModel(_Strict):
    """A value function on a numeric issue: linear (``slope``, ``offset``) or piecewise-linear ``points``."""

    kind: Literal["linear", "piecewise-linear"]
    """``linear``: value = slope × x + offset; ``piecewise-linear``: straight lines between points."""
    slope: float | None = None
    """A linear function's slope."""
    offset: float | None = None
    """A linear function's value at 0."""
    points: list[tuple[float, float]] | None = None
    """A piecewise-linear function's ``[x, value]`` points, at least two."""

    @model_validator(mode="after")
    def _shape(self) -> ValueFunctionModel:
        if self.kind == "linear" and (self.slope is None or self.offset is None):
            raise ValueError("a linear value function needs slope and offset")
        if self.kind == "piecewise-linear" and (not self.points or len(self.points) < 2):
            raise ValueError("a piecewise-linear value function needs at least two points")
        return self


class ConditionModel(_Strict):
    """Part of a red line: the issue's value is among ``options``, or within ``at_least``..``at_most``."""

    options: list[str | float] | None = None
    """The issue's value is one of these options (or numbers)."""
    at_least: float | None = None
    """The issue's value is at least this."""
    at_most: float | None = None
    """The issue's value is at most this."""


class RedLineModel(_Strict):
    """An outcome a party can never accept: every condition in ``when`` holds together."""

    when: dict[
        Name,
        Annotated[
            Annotated[list[str | float], Tag("options")] | Annotated[ConditionModel, Tag("range")],
            _tag_by(lambda value: isinstance(value, list), "options", "range"),
        ],
    ] = Field(min_length=1)
    """Issue name → the options it takes (a list) or a range (``at_least``, ``at_most``);
    every condition must hold for the red line to be crossed."""
    reason: str = ""
    """Why the party can never accept it, for people."""
    source: str = ""
    """The public record of the stance this red line paraphrases (publication, date)."""
    assumption: bool = False
    """True when no public source is known: the red line is a modelling assumption."""

    @model_validator(mode="after")
    def _basis(self) -> RedLineModel:
        if self.source and self.assumption:
            raise ValueError("a red line with a public source is no assumption")
        return self


class InteractionModel(_Strict):
    """Value added to a party's utility when every condition in ``when`` holds (non-additive)."""

    when: dict[
        Name,
        Annotated[
            Annotated[list[str | float], Tag("options")] | Annotated[ConditionModel, Tag("range")],
            _tag_by(lambda value: isinstance(value, list), "options", "range"),
        ],
    ] = Field(min_length=1)
    """Issue name → the options it takes (a list) or a range; every condition must hold."""
    value: float
    """What is added to the party's utility (negative to subtract) when every condition holds."""


class PreferencesModel(_Strict):
    """A delegation's confidential preferences."""

    weights: dict[Name, Annotated[float, Field(ge=0.0)]] = Field(min_length=1)
    """Issue name → how much the issue matters to the party (normalised to add up to 1)."""
    values: dict[
        Name,
        Annotated[
            Annotated[dict[Name, UnitValue], Tag("option-values")]
            | Annotated[ValueFunctionModel, Tag("value-function")],
            _tag_by(
                lambda value: isinstance(value, dict) and "kind" in value, "value-function", "option-values"
            ),
        ],
    ] = Field(default_factory=dict)
    """Issue name → option name → value in [0, 1] (a discrete issue), or a value function (a
    numeric issue)."""
    reservation: float = 0.0
    """The utility of no agreement: the party signs nothing worth less."""
    red_lines: list[RedLineModel] = Field(default_factory=list)
    """Outcomes the party can never accept, on one issue or across issues."""
    discount: float | None = Field(default=None, gt=0.0, le=1.0)
    """Utility lost to time: an agreement at relative time t is worth utility × discount^t."""
    interactions: list[InteractionModel] = Field(default_factory=list)
    """Values added when options of several issues come together (non-additive preferences)."""


class PartyModel(_Strict):
    """A seat at the table."""

    name: Name
    """The party's name, unique in the scenario."""
    role: Literal["mediator", "delegation", "observer"] = "delegation"
    """``delegation`` (negotiates, holds preferences), ``mediator`` (at most one) or ``observer``."""
    description: str = ""
    """Who the party is, for people."""
    preferences: PreferencesModel | None = None
    """A delegation's confidential preferences (only its own seat and a mediator may see them)."""
    capability: float | None = Field(default=None, ge=0.0)
    """For forecasting: how much weight the party carries (any non-negative scale)."""
    positions: dict[Name, float] = Field(default_factory=dict)
    """For forecasting: dimension name → the party's position on the dimension's scale."""
    salience: dict[Name, Annotated[float, Field(ge=0.0, le=100.0)]] = Field(default_factory=dict)
    """For forecasting: dimension name → how much the party cares, 0–100."""

    @model_validator(mode="after")
    def _shape(self) -> PartyModel:
        if self.role == "delegation" and self.preferences is None:
            raise ValueError("a delegation needs preferences")
        return self


class DimensionModel(_Strict):
    """A forecasting dimension."""

    name: Name
    """The dimension's name, unique in the scenario."""
    description: str = ""
    """What the dimension measures, for people."""
    low: float = 0.0
    """The low end of the dimension's scale."""
    high: float = 100.0
    """The high end of the dimension's scale."""


class ScenarioModel(_Strict):
    """An Accord scenario file."""

    format: Literal["accord-scenario/1"] = FORMAT
    """The file format and its version."""
    name: Name
    """The scenario's name."""
    description: str = ""
    """What the talks are about, for people."""
    issues: list[IssueModel] = Field(min_length=1)
    """The agenda: the issues to agree on, in order."""
    parties: list[PartyModel] = Field(min_length=1)
    """Every seat at the table: delegations, at most one mediator, observers."""
    dimensions: list[DimensionModel] = Field(default_factory=list)
    """For forecasting: the dimensions on which parties hold positions."""
    forecast_settings: dict[
        Literal["spatial", "expected-utility"],
        dict[Name, Annotated[str, Field(max_length=200)] | int | float],
    ] = Field(default_factory=dict)
    """For forecasting: model name → setting → value, as ``accord forecast --set`` takes them
    (e.g. ``spatial: {VictoryProbModel: Linear}``); ``--set`` overrides them."""
    notes: dict[str, Any] = Field(default_factory=dict)
    """Anything else worth keeping with the scenario (sources, dates); Accord does not read it."""
    language: Language = "en"
    """The language of the clause texts (ISO 639-1); translations name their own."""
    preamble: list[ClauseModel] = Field(default_factory=list)
    """Preambular paragraphs of a negotiating text made from the scenario (``accord text new``)."""


#: The schema's identifier (``$id``): the format's name and version as a URN.
SCHEMA_ID = "urn:accord:schema:accord-scenario/1"


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the scenario file format: ``$schema``, ``$id``, a title,
    and a description of every model and field (from the models' docstrings).

    >>> schema = scenario_json_schema()
    >>> schema["$id"], schema["title"]
    ('urn:accord:schema:accord-scenario/1', 'Accord scenario file')
    """
    generated = _tidied(ScenarioModel.model_json_schema())
    generated["title"] = "Accord scenario file"
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **generated}


def _tidied(node: Any) -> Any:
    """Descriptions on one line, with Markdown's single backquotes for the docstrings' double ones."""
    if isinstance(node, dict):
        return {
            key: " ".join(value.split()).replace("``", "`")
            if key == "description" and isinstance(value, str)
            else _tidied(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_tidied(item) for item in node]
    return node
