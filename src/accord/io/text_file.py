"""Negotiating-text files (``accord-text/1``, YAML or JSON): the text as first issued and its changes.

A file holds ``base`` (the text at Rev.0) and ``changes`` (each with its kind, seat and time,
as :func:`accord.text.change_to_data` writes them); loading replays the changes, so every
revision is rebuilt from the file and a change that is not legal is reported with its
place. ``scenario`` names the scenario file the text was drafted from, relative to the text
file, so the worth of its alternatives can be shown.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accord.domain import DiscreteIssue, Scenario
from accord.errors import AccordError, InputError
from accord.io.scenario_file import load_scenario
from accord.reading import load_data, read_text
from accord.text import (
    Alternative,
    History,
    Paragraph,
    Part,
    Status,
    Text,
    Wording,
    change_from_data,
    change_to_data,
)

__all__ = ["history_from_data", "history_to_data", "load_text", "save_text", "text_scenario"]

FORMAT: Literal["accord-text/1"] = "accord-text/1"

Name = Annotated[str, Field(min_length=1, max_length=200)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AlternativeModel(_Strict):
    """One wording of a paragraph and its attribution."""

    key: Name
    wording: dict[Name, str] = Field(min_length=1, description="language code → text, the original first")
    proposer: Name
    supporters: list[Name] = Field(default_factory=list)
    option: Name | None = Field(default=None, description="the scenario option it stands for; none: unscored")
    bridging: bool = Field(default=False, description="the mediator's bridging language")


class ParagraphModel(_Strict):
    """A paragraph at Rev.0."""

    key: Name
    part: Literal["preamble", "operative"] = "operative"
    issue: Name | None = None
    title: str = ""
    status: Literal["bracketed", "agreed ad referendum", "agreed"] = "bracketed"
    chosen: Name | None = None
    alternatives: list[AlternativeModel] = Field(min_length=1)


class BaseTextModel(_Strict):
    """The text as first issued (Rev.0)."""

    title: Name
    mediator: Name
    delegations: list[Name] = Field(min_length=1)
    scenario_name: str = ""
    paragraphs: list[ParagraphModel] = Field(min_length=1)
    links: list[tuple[Name, Name]] = Field(default_factory=list)
    implied_links: list[tuple[Name, Name, Name]] = Field(default_factory=list)


class TextFileModel(_Strict):
    """An Accord negotiating-text file."""

    format: Literal["accord-text/1"] = FORMAT
    scenario: str | None = Field(default=None, description="the scenario file, relative to this file")
    base: BaseTextModel
    changes: list[dict[str, Any]] = Field(default_factory=list)


def _paragraph(model: ParagraphModel) -> Paragraph:
    alternatives = tuple(
        Alternative(
            item.key,
            Wording(tuple(item.wording.items())),
            item.proposer,
            tuple(item.supporters),
            item.option,
            item.bridging,
        )
        for item in model.alternatives
    )
    return Paragraph(
        model.key,
        Part(model.part),
        alternatives,
        Status(model.status),
        model.chosen,
        model.issue,
        model.title,
    )


def history_from_data(data: Any, source: str = "<input>") -> tuple[History, str | None]:
    """The history in a file's data and its ``scenario`` reference; :class:`InputError` if malformed."""
    try:
        model = TextFileModel.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise InputError(source, where, first["msg"]) from None
    base = model.base
    try:
        paragraphs = tuple(_paragraph(paragraph) for paragraph in base.paragraphs)
        for index, paragraph in enumerate(paragraphs):
            if paragraph.chosen is not None and paragraph.chosen not in {
                a.key for a in paragraph.alternatives
            }:
                raise InputError(
                    source, f"base.paragraphs.{index}.chosen", f"no alternative {paragraph.chosen!r}"
                )
            if (paragraph.chosen is None) != (paragraph.status is Status.BRACKETED):
                raise InputError(
                    source, f"base.paragraphs.{index}", "an agreed paragraph names its chosen alternative"
                )
        text = Text(
            base.title,
            base.mediator,
            tuple(base.delegations),
            paragraphs,
            scenario=base.scenario_name,
            links=frozenset((first, second) for first, second in base.links),
            implied_links=frozenset(tuple(link) for link in base.implied_links),  # type: ignore[misc]
        )
    except AccordError as error:
        if isinstance(error, InputError):
            raise
        raise InputError(source, "base", str(error)) from None
    history = History(text)
    for index, item in enumerate(model.changes):
        try:
            change = change_from_data(item)
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(source, f"changes.{index}", f"not a change: {error}") from None
        try:
            history = history.then(change)
        except AccordError as error:
            raise InputError(source, f"changes.{index}", str(error)) from None
    return history, model.scenario


def history_to_data(history: History, scenario: str | None = None) -> dict[str, Any]:
    """The file's data for ``history`` (inverse of :func:`history_from_data`)."""
    base = history.base
    data: dict[str, Any] = {"format": FORMAT}
    if scenario is not None:
        data["scenario"] = scenario
    data["base"] = {
        "title": base.title,
        "mediator": base.mediator,
        "delegations": list(base.delegations),
        "scenario_name": base.scenario,
        "paragraphs": [
            {
                "key": paragraph.key,
                "part": paragraph.part.value,
                **({"issue": paragraph.issue} if paragraph.issue is not None else {}),
                **({"title": paragraph.title} if paragraph.title else {}),
                "status": paragraph.status.value,
                **({"chosen": paragraph.chosen} if paragraph.chosen is not None else {}),
                "alternatives": [
                    {
                        "key": alternative.key,
                        "wording": dict(alternative.wording.versions),
                        "proposer": alternative.proposer,
                        **({"supporters": list(alternative.supporters)} if alternative.supporters else {}),
                        **({"option": alternative.option} if alternative.option is not None else {}),
                        **({"bridging": True} if alternative.bridging else {}),
                    }
                    for alternative in paragraph.alternatives
                ],
            }
            for paragraph in base.paragraphs
        ],
        "links": [list(link) for link in sorted(base.links)],
        "implied_links": [list(link) for link in sorted(base.implied_links)],
    }
    data["changes"] = [change_to_data(change) for change in history.changes]
    return data


def load_text(path: str | Path) -> tuple[History, Path | None]:
    """The history in a text file and the scenario file it names (resolved from the folder of the file
    itself, a symbolic link's target), if any."""
    path = Path(path)
    raw = read_text(path)
    document = load_data(raw, str(path), json_only=path.suffix.lower() == ".json")
    history, scenario = history_from_data(document.data, str(path))
    return history, (path.resolve().parent / scenario if scenario else None)


def text_scenario(text: Text, path: Path, source: str) -> Scenario:
    """The scenario at ``path`` (a text file's ``scenario``), refused (:class:`InputError` at ``source``,
    field ``scenario``) unless it has every issue the text's paragraphs and every option its
    alternatives stand for: another scenario would show every alternative unscored, or worth 0."""
    scenario = load_scenario(path)
    issues = {issue.name: issue for issue in scenario.agenda.issues}
    for paragraph in text.paragraphs:
        if paragraph.issue is None:
            continue
        where = f"paragraph {text.number(paragraph.key)}"
        issue = issues.get(paragraph.issue)
        options = {option.name for option in issue.options} if isinstance(issue, DiscreteIssue) else set()
        strays = [a for a in paragraph.alternatives if a.option is not None and a.option not in options]
        missing = None
        if issue is None:
            missing = f"{where} stands for the issue {paragraph.issue!r}"
        elif isinstance(issue, DiscreteIssue) and strays:
            missing = (
                f"alternative {strays[0].key!r} of {where} stands for the option "
                f"{strays[0].option!r} of {paragraph.issue!r}"
            )
        if missing is not None:
            raise InputError(
                source,
                "scenario",
                f"{path} is not the scenario the text was drafted from: {missing}, which it lacks",
            )
    return scenario


def save_text(history: History, path: str | Path, *, scenario: str | Path | None = None) -> None:
    """Write ``history`` as YAML (JSON when ``path`` ends in ``.json``); ``scenario`` is stored
    relative to the file's folder."""
    path = Path(path)
    reference = None
    if scenario is not None:
        reference = os.path.relpath(Path(scenario).resolve(), path.resolve().parent)
    data = history_to_data(history, reference)
    if path.suffix.lower() == ".json":
        path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        path.write_text(
            yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
        )
