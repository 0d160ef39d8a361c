"""The Accord scenario file format, as pydantic models (YAML or JSON).

The models here describe the file; :func:`accord.io.scenario_file.load_scenario`
validates a file against them and builds the frozen domain objects. ``accord
schema`` prints :func:`scenario_json_schema`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

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

Name = Annotated[str, Field(min_length=1, max_length=200)]
UnitValue = Annotated[float, Field(ge=0.0, le=1.0)]


#: Tags of the file format's unions; they appear in pydantic's error paths and are dropped there.
UNION_TAGS = frozenset({"named", "described", "option-values", "value-function", "options", "range"})


def _tag_by(test: Any, when_true: str, when_false: str) -> Any:
    return Discriminator(lambda value: when_true if test(value) else when_false)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Language = Annotated[str, Field(min_length=2, max_length=20, pattern=r"^[A-Za-z]{2,3}(-[A-Za-z0-9]+)*$")]


class OptionModel(_Strict):
    """An option of a discrete issue and the clause it would put into an agreement."""

    name: Name
    text: str = Field(default="", description="The clause, in the scenario's language.")
    translations: dict[Language, str] = Field(
        default_factory=dict,
        description="The clause in other languages: language code (ISO 639-1, e.g. ar) → text.",
    )
    proposed_by: Name | None = Field(
        default=None, description="The party on record as proposing this clause (a party of the scenario)."
    )
    supported_by: list[Name] = Field(
        default_factory=list, description="Parties on record as supporting this clause."
    )
    source: str = Field(
        default="", description="Where the attribution (proposed_by, supported_by) is on public record."
    )


class ClauseModel(_Strict):
    """A paragraph of agreed language, e.g. a preambular paragraph of a negotiating text."""

    text: str = Field(min_length=1, description="The paragraph, in the scenario's language.")
    translations: dict[Language, str] = Field(
        default_factory=dict, description="The paragraph in other languages: language code → text."
    )


class IssueModel(_Strict):
    """An issue: ``discrete`` with options, ``integer`` low..high, ``real`` low..high by step."""

    name: Name
    type: Literal["discrete", "integer", "real"] = "discrete"
    description: str = ""
    options: (
        list[
            Annotated[
                Annotated[Name, Tag("named")] | Annotated[OptionModel, Tag("described")],
                _tag_by(lambda value: isinstance(value, str), "named", "described"),
            ]
        ]
        | None
    ) = None
    low: float | None = None
    high: float | None = None
    step: float | None = Field(default=None, gt=0)

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
    slope: float | None = None
    offset: float | None = None
    points: list[tuple[float, float]] | None = None

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
    at_least: float | None = None
    at_most: float | None = None


class RedLineModel(_Strict):
    """An outcome a party can never accept: every condition in ``when`` holds together."""

    when: dict[
        Name,
        Annotated[
            Annotated[list[str | float], Tag("options")] | Annotated[ConditionModel, Tag("range")],
            _tag_by(lambda value: isinstance(value, list), "options", "range"),
        ],
    ] = Field(min_length=1)
    reason: str = ""
    source: str = Field(
        default="",
        description="The public record of the stance this red line paraphrases (publication, date).",
    )
    assumption: bool = Field(
        default=False,
        description="True when no public source is known: the red line is a modelling assumption.",
    )

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
    value: float


class PreferencesModel(_Strict):
    """A delegation's confidential preferences."""

    weights: dict[Name, Annotated[float, Field(ge=0.0)]] = Field(min_length=1)
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
    reservation: float = 0.0
    red_lines: list[RedLineModel] = Field(default_factory=list)
    discount: float | None = Field(default=None, gt=0.0, le=1.0)
    interactions: list[InteractionModel] = Field(default_factory=list)


class PartyModel(_Strict):
    """A seat at the table."""

    name: Name
    role: Literal["mediator", "delegation", "observer"] = "delegation"
    description: str = ""
    preferences: PreferencesModel | None = None
    capability: float | None = Field(default=None, ge=0.0)
    positions: dict[Name, float] = Field(default_factory=dict)
    salience: dict[Name, Annotated[float, Field(ge=0.0, le=100.0)]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _shape(self) -> PartyModel:
        if self.role == "delegation" and self.preferences is None:
            raise ValueError("a delegation needs preferences")
        return self


class DimensionModel(_Strict):
    """A forecasting dimension."""

    name: Name
    description: str = ""
    low: float = 0.0
    high: float = 100.0


class ScenarioModel(_Strict):
    """An Accord scenario file."""

    format: Literal["accord-scenario/1"] = FORMAT
    name: Name
    description: str = ""
    issues: list[IssueModel] = Field(min_length=1)
    parties: list[PartyModel] = Field(min_length=1)
    dimensions: list[DimensionModel] = Field(default_factory=list)
    forecast_settings: dict[
        Literal["spatial", "expected-utility"],
        dict[Name, Annotated[str, Field(max_length=200)] | int | float],
    ] = Field(default_factory=dict)
    notes: dict[str, Any] = Field(default_factory=dict)
    language: Language = Field(default="en", description="The language of the clause texts (ISO 639-1).")
    preamble: list[ClauseModel] = Field(
        default_factory=list,
        description="Preambular paragraphs of a negotiating text made from the scenario (accord text new).",
    )


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario file format.

    >>> scenario_json_schema()["title"]
    'ScenarioModel'
    """
    return ScenarioModel.model_json_schema()
