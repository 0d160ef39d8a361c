"""Process files (``accord-process/1``, YAML or JSON): linked tracks of talks, their rounds and conditions.

A process file names its tracks (each an Accord scenario file, relative to the process file,
and the protocol its talks follow, in rounds), the parties linking the tracks, the
conditions tying an issue's agreement in one track to another's, and dated deadlines.
Every problem is one :class:`~accord.errors.ScenarioError` naming the file, the line and the
field (a track's scenario file reports its own problems at its own lines).

>>> import pathlib, tempfile
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "talks.yaml").write_text('''
... format: accord-scenario/1
... name: Talks
... issues: [{name: ceasefire, options: [agreed, refused]}]
... parties:
...   - {name: A, preferences: {weights: {ceasefire: 1}, values: {ceasefire: {agreed: 1, refused: 0}}}}
...   - {name: B, preferences: {weights: {ceasefire: 1}, values: {ceasefire: {agreed: 0.5, refused: 1}}}}
... ''')
>>> _ = (folder / "process.yaml").write_text('''
... format: accord-process/1
... name: Linked
... tracks:
...   - {name: one, scenario: talks.yaml, protocol: alternating-offers}
...   - {name: two, scenario: talks.yaml, protocol: alternating-offers}
... conditions:
...   - {track: one, issue: ceasefire, requires: {track: two, issue: cease-fire}}
... ''')
>>> try:
...     load_process(folder / "process.yaml")
... except ScenarioError as error:
...     print(error.location, error.reason, sep=": ")
line 8: conditions[0].requires: no issue named 'cease-fire' in track 'two'
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from accord.domain.invariants import MAX_NAME_LENGTH
from accord.domain.process import Deadline, LinkedParty, Process, Round, Track, TrackCondition
from accord.errors import AccordError, DomainError, InputError, ScenarioError
from accord.io.scenario_file import load_scenario, validation_reason
from accord.reading import Document, load_data, read_text

__all__ = ["PROCESS_FORMAT", "is_process_file", "load_process", "process_json_schema"]

PROCESS_FORMAT: Literal["accord-process/1"] = "accord-process/1"

Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_LENGTH)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True, allow_inf_nan=False)


class _Sourced(_Strict):
    source: str = ""
    """Where this is on public record."""
    assumption: bool = False
    """True when nothing on public record says so: a modelling assumption."""

    @model_validator(mode="after")
    def _sourced_or_assumed(self) -> _Sourced:
        if self.source and self.assumption:
            raise ValueError("give a source or mark it an assumption, not both")
        return self


class RoundModel(_Strict):
    """A round of talks."""

    label: Name
    """The round's name, e.g. ``Geneva IV``."""
    start: datetime.date | None = None
    """The day it opened (``YYYY-MM-DD``); date every round of the process or none."""
    end: datetime.date | None = None
    """The day it closed."""
    absent: list[Name] = Field(default_factory=list)
    """Delegations of the track that stayed away from this round."""
    source: str = ""
    """Where the round's dates and attendance are on record."""


class TrackModel(_Strict):
    """A track of talks: a scenario, the protocol its talks follow, its rounds."""

    name: Name
    """The track's name, unique in the process (conditions and parties refer to it)."""
    scenario: Annotated[str, Field(min_length=1, max_length=4096)]
    """The track's Accord scenario file, relative to this file."""
    protocol: Name = "alternating-offers"
    """The protocol its talks follow (``accord list protocols``)."""
    rounds: list[RoundModel] = Field(default_factory=list)
    """Its rounds of talks in order (none: one round named after the track)."""


class LinkedPartyModel(_Sourced):
    """A party with seats in several tracks (or a faction inside delegations of several tracks)."""

    name: Name
    """The party's name in the process."""
    seats: dict[Name, Name] = Field(min_length=1)
    """Track → the delegation that is this party's seat there."""
    weights: dict[Name, Annotated[float, Field(gt=0.0)]] = Field(default_factory=dict)
    """Track → how much that track weighs in the party's worth (default 1 each: the sum)."""


class RequiredModel(_Strict):
    track: Name
    """The other track."""
    issue: Name
    """The issue that must be agreed there first."""


class ConditionModel(_Sourced):
    """``issue`` in ``track`` cannot be agreed before ``requires.issue`` in ``requires.track`` is."""

    track: Name
    """The track whose issue waits."""
    issue: Name
    """The issue that waits."""
    requires: RequiredModel
    """What must be agreed first, in another track."""
    reason: str = ""
    """Why the tracks are tied so, for people."""


class DeadlineModel(_Strict):
    """An issue to be agreed by a date."""

    track: Name
    issue: Name
    by: datetime.date
    """The day by which the issue is to be agreed (``YYYY-MM-DD``)."""
    source: str = Field(min_length=1)
    """Where the deadline is set (e.g. a resolution's paragraph)."""


class ProcessModel(_Strict):
    """An Accord process file: linked tracks of talks."""

    format: Literal["accord-process/1"]
    """The file format and its version."""
    name: Name
    """The process's name."""
    description: str = ""
    """What the process is, for people."""
    tracks: list[TrackModel] = Field(min_length=1)
    """The tracks, each a scenario file and a protocol."""
    parties: list[LinkedPartyModel] = Field(default_factory=list)
    """Parties seated in several tracks (delegations of the same name are one party without saying so)."""
    conditions: list[ConditionModel] = Field(default_factory=list)
    """Cross-track conditions on the order in which issues are agreed."""
    deadlines: list[DeadlineModel] = Field(default_factory=list)
    """Dated deadlines for issues."""
    notes: dict[str, Any] = Field(default_factory=dict)
    """Anything else worth keeping (sources, caveats); Accord does not read it."""


def process_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the process file format."""
    schema = ProcessModel.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:accord:{PROCESS_FORMAT}",
        **schema,
    }


def is_process_file(path: str | Path) -> bool:
    """Whether ``path`` holds a process file (its ``format`` is ``accord-process/…``); a file that
    cannot be read or parsed is not one (the scenario reader then says what is wrong with it)."""
    try:
        document = load_data(read_text(Path(path), error=ScenarioError), str(path), error=ScenarioError)
    except InputError:
        return False
    data = document.data
    return isinstance(data, dict) and str(data.get("format", "")).startswith("accord-process/")


def load_process(path: str | Path, *, protocol_id: Callable[[str], str] | None = None) -> Process:
    """Load a process file and the scenario files of its tracks.

    ``protocol_id`` turns a track's protocol name into its registered id (raising
    :class:`~accord.errors.AccordError` for an unknown one, reported at the track's
    ``protocol``); without it the names are kept as written.
    """
    path = Path(path)
    source = str(path)
    document = load_data(read_text(path, error=ScenarioError), source, error=ScenarioError)
    data = document.data
    if not isinstance(data, dict):
        raise ScenarioError(source, "", "expected a mapping with format, name and tracks")
    try:
        model = ProcessModel.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise ScenarioError(source, document.where(tuple(first["loc"])), _reason(first)) from None
    return _build(model, document, path.parent, protocol_id)


def _reason(error: Any) -> str:
    if error["type"] == "literal_error" and error["loc"] == ("format",):
        return f"expected {PROCESS_FORMAT!r}"
    return validation_reason(error)


def _build(
    model: ProcessModel, document: Document, folder: Path, protocol_id: Callable[[str], str] | None
) -> Process:
    def fail(location: tuple[int | str, ...], reason: str) -> ScenarioError:
        return ScenarioError(document.source, document.where(location), reason)

    tracks = []
    for index, item in enumerate(model.tracks):
        protocol = item.protocol
        if protocol_id is not None:
            try:
                protocol = protocol_id(protocol)
            except AccordError as error:
                raise fail(("tracks", index, "protocol"), getattr(error, "reason", str(error))) from None
        scenario_path = folder / item.scenario
        if not scenario_path.is_file():
            raise fail(("tracks", index, "scenario"), f"no scenario file {str(scenario_path)!r}")
        scenario = load_scenario(scenario_path)
        rounds = []
        for position, round_ in enumerate(item.rounds):
            try:
                rounds.append(
                    Round(round_.label, round_.start, round_.end, tuple(round_.absent), round_.source)
                )
            except DomainError as error:
                raise fail(("tracks", index, "rounds", position, *error.field), error.reason) from None
        try:
            tracks.append(Track(item.name, scenario, protocol, tuple(rounds)))
        except DomainError as error:
            raise fail(("tracks", index, *error.field), error.reason) from None
    linked = []
    for index, party in enumerate(model.parties):
        unknown = [track for track in party.weights if track not in party.seats]
        if unknown:
            raise fail(("parties", index, "weights", unknown[0]), f"no seat in track {unknown[0]!r}")
        if party.weights and len(party.weights) != len(party.seats):
            missing = next(track for track in party.seats if track not in party.weights)
            raise fail(
                ("parties", index, "weights"), f"no weight for track {missing!r}: give one for every seat"
            )
        try:
            linked.append(
                LinkedParty(
                    party.name,
                    tuple(party.seats.items()),
                    tuple(party.weights[track] for track in party.seats) if party.weights else (),
                    party.source,
                    party.assumption,
                )
            )
        except DomainError as error:
            raise fail(("parties", index, *error.field), error.reason) from None
    conditions = tuple(
        TrackCondition(
            item.track,
            item.issue,
            item.requires.track,
            item.requires.issue,
            item.reason,
            item.source,
            item.assumption,
        )
        for item in model.conditions
    )
    deadlines = tuple(Deadline(item.track, item.issue, item.by, item.source) for item in model.deadlines)
    try:
        return Process(model.name, tuple(tracks), tuple(linked), conditions, deadlines, model.description)
    except DomainError as error:
        raise fail(error.field, error.reason) from None
