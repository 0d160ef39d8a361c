"""Reading forecasting input: BDM-style CSV, KTAB CSV, Accord scenarios, and DEU III issues.

:func:`load_actor_table` chooses the reader by the file's content and suffix:

- ``.yaml`` / ``.yml`` / ``.json``: an Accord scenario whose parties carry
  ``capability``, ``positions`` and ``salience`` (:func:`actor_table_from_scenario`);
- ``.xml``, or a file that starts with ``<``: KTAB's XML scenario, with its model
  parameters and ideal adjustments (:func:`accord.forecast.ktab_csv.read_ktab_xml`);
- a CSV whose second line starts with ``Actor,Description``: KTAB's SMP format
  (read by :func:`accord.forecast.ktab_csv.read_ktab_csv`);
- a tab-separated file whose header starts with ``prnrnmc``: the DEU III backtest
  format, which holds many issues and is read by :func:`read_backtest_issues`;
- any other CSV: the simple one-issue table of the BDM replications
  (:func:`read_bdm_csv`).

Every problem with the input raises :class:`accord.errors.ForecastDataError`
naming the file, the line or field, and the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from accord.domain.scenario import Scenario
from accord.errors import ForecastDataError
from accord.forecast.actors import ActorTable
from accord.forecast.ktab_csv import read_ktab_csv, read_ktab_xml
from accord.reading import csv_rows, read_bytes

__all__ = [
    "BacktestIssue",
    "actor_table_from_scenario",
    "load_actor_table",
    "read_backtest_issues",
    "read_bdm_csv",
]

#: Accepted header names (lower case) for each column of a BDM-style CSV.
BDM_COLUMNS: dict[str, tuple[str, ...]] = {
    "actor": ("actor", "stakeholder", "name"),
    "capability": ("capability", "capabilities", "resources", "power", "influence"),
    "position": ("position",),
    "salience": ("salience",),
}


@dataclass(frozen=True, slots=True)
class BacktestIssue:
    """One issue with a known outcome: the actors before the decision, and what was decided."""

    name: str
    table: ActorTable
    outcome: float


def _number(text: str, source: str, location: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ForecastDataError(source, location, f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise ForecastDataError(source, location, f"expected a finite number, got {text!r}")
    return value


#: How files that are not text begin, and what to call them when one is given for a CSV file.
_NOT_TEXT = (
    (b"PK\x03\x04", "a spreadsheet or other zip archive (.xlsx, .ods)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97–2003 spreadsheet (.xls)"),
    (b"%PDF-", "a PDF document"),
)


def _read_text(path: Path) -> str:
    """The file's text; a spreadsheet or another binary file is refused, saying what it is."""
    data = read_bytes(path, error=ForecastDataError)
    for start, kind in _NOT_TEXT:
        if data.startswith(start):
            raise ForecastDataError(
                str(path),
                "",
                f"this is {kind}, not a CSV file: save it as CSV (comma-separated values) first",
            )
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ForecastDataError(str(path), "", "this is a binary file, not a CSV file (text)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        raise ForecastDataError(str(path), f"byte {failure.start}", "not UTF-8 text") from None


def read_bdm_csv(path: str | Path) -> ActorTable:
    """Read the one-issue ``Actor,Capability,Position,Salience`` table of the BDM replications.

    Header names are matched case-insensitively, with the aliases used by the
    public replications (``Stakeholder``/``name`` for the actor,
    ``Resources``/``Capabilities`` for capability); extra columns are ignored.
    Saliences on 0–100 (any value above 1) are divided by 100. The one dimension
    is called ``position``.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "talks.csv"
    ...     _ = path.write_text("Actor,Capability,Position,Salience\\nA,1,0,50\\nB,2,100,100\\n")
    ...     table = read_bdm_csv(path)
    >>> table.actors, table.salience[:, 0].tolist()
    (('A', 'B'), [0.5, 1.0])
    """
    path = Path(path)
    source = str(path)
    rows = [
        row
        for row in csv_rows(_read_text(path), source, error=ForecastDataError)
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        raise ForecastDataError(source, "line 1", "the file is empty")
    header = [cell.strip().lower() for cell in rows[0]]
    columns: dict[str, int] = {}
    for column, aliases in BDM_COLUMNS.items():
        found = [index for index, name in enumerate(header) if name in aliases]
        if not found:
            raise ForecastDataError(
                source, "line 1", f"missing a column {column!r} (one of {', '.join(aliases)})"
            )
        columns[column] = found[0]
    actors: list[str] = []
    seen: set[str] = set()
    values: list[tuple[float, float, float]] = []
    for line_number, row in enumerate(rows[1:], start=2):
        if len(row) <= max(columns.values()):
            raise ForecastDataError(source, f"line {line_number}", "too few columns")
        name = row[columns["actor"]].strip()
        if not name:
            raise ForecastDataError(source, f"line {line_number}, actor", "is empty")
        if name in seen:
            raise ForecastDataError(source, f"line {line_number}, actor", f"{name!r} repeats")
        actors.append(name)
        seen.add(name)
        values.append(
            (
                _number(row[columns["capability"]].strip(), source, f"line {line_number}, capability"),
                _number(row[columns["position"]].strip(), source, f"line {line_number}, position"),
                _number(row[columns["salience"]].strip(), source, f"line {line_number}, salience"),
            )
        )
    if not actors:
        raise ForecastDataError(source, "line 2", "no actors")
    array = np.array(values, dtype=float)
    salience = array[:, 2]
    if np.any(salience > 1.0):
        salience = salience / 100.0
    return _checked_table(
        source,
        actors=tuple(actors),
        dimensions=("position",),
        capability=array[:, 0],
        positions=array[:, 1:2],
        salience=salience[:, None],
    )


def _checked_table(
    source: str,
    *,
    actors: tuple[str, ...],
    dimensions: tuple[str, ...],
    capability: np.ndarray,
    positions: np.ndarray,
    salience: np.ndarray,
    description: str = "",
    scale: tuple[float, float] = (0.0, 100.0),
) -> ActorTable:
    """Check the ranges every model relies on and build the table."""
    for index, name in enumerate(actors):
        if capability[index] < 0:
            raise ForecastDataError(source, f"{name}, capability", "must not be negative")
        for column, dimension in enumerate(dimensions):
            if not 0.0 <= salience[index, column] <= 1.0:
                raise ForecastDataError(source, f"{name}, salience {dimension}", "must lie in 0–1 (or 0–100)")
    if not np.any(capability[:, None] * salience > 0, axis=0).all():
        raise ForecastDataError(
            source, "capability, salience", "every dimension needs an actor with weight above 0"
        )
    return ActorTable(
        actors=actors,
        dimensions=dimensions,
        capability=capability.astype(float),
        positions=positions.astype(float),
        salience=salience.astype(float),
        source=source,
        description=description,
        scale=scale,
    )


def actor_table_from_scenario(scenario: Scenario, *, source: str = "") -> ActorTable:
    """The actors of a scenario: every party with a ``capability`` or ``positions``.

    Such a party needs a capability, and a position and a salience (0–100) on every
    dimension of the scenario; parties with neither (a mediator, say) are left out.
    The table's scale spans the dimensions' ``low`` and ``high``; the scenario's
    ``forecast_settings`` (checked here) become the table's ``model_parameters``.
    """
    if not scenario.dimensions:
        raise ForecastDataError(source, "dimensions", "the scenario has no forecasting dimensions")
    dimensions = tuple(dimension.name for dimension in scenario.dimensions)
    actors: list[str] = []
    capability: list[float] = []
    positions: list[list[float]] = []
    salience: list[list[float]] = []
    for index, party in enumerate(scenario.parties):
        if party.capability is None and not party.positions:
            continue
        where = f"parties[{index}]"
        if party.capability is None:
            raise ForecastDataError(source, f"{where}.capability", "missing (the party has positions)")
        row_positions: list[float] = []
        row_salience: list[float] = []
        for name in dimensions:
            if name not in party.positions:
                raise ForecastDataError(source, f"{where}.positions.{name}", "missing")
            if name not in party.salience:
                raise ForecastDataError(source, f"{where}.salience.{name}", "missing")
            value = float(party.salience[name])
            if not 0.0 <= value <= 100.0:
                raise ForecastDataError(source, f"{where}.salience.{name}", "must lie in 0–100")
            row_positions.append(float(party.positions[name]))
            row_salience.append(value / 100.0)
        for name in party.positions:
            if name not in dimensions:
                raise ForecastDataError(source, f"{where}.positions.{name}", "no such dimension")
        actors.append(party.name)
        capability.append(float(party.capability))
        positions.append(row_positions)
        salience.append(row_salience)
    if not actors:
        raise ForecastDataError(source, "parties", "no party has a capability and positions")
    low = min(dimension.low for dimension in scenario.dimensions)
    high = max(dimension.high for dimension in scenario.dimensions)
    parameters: dict[str, dict[str, str]] = {}
    for model, setting, text in scenario.forecast_settings:
        parameters.setdefault(model, {})[setting] = text
    from accord.forecast.settings import model_settings

    for model, given in parameters.items():
        try:
            model_settings(model, given, source=source)
        except ForecastDataError as error:
            where = ".".join(part for part in ("forecast_settings", model, error.location) if part)
            raise ForecastDataError(source, where, error.reason) from None
    table = _checked_table(
        source,
        actors=tuple(actors),
        dimensions=dimensions,
        capability=np.array(capability),
        positions=np.array(positions),
        salience=np.array(salience),
        description=scenario.description or scenario.name,
        scale=(low, high),
    )
    return replace(table, model_parameters=parameters)


#: DEU III: the columns of positions (``p…``) and saliences (``s…``) start with these actors.
_DEU_FIRST_POSITION, _DEU_FIRST_SALIENCE = "pcom", "scom"


def read_backtest_issues(path: str | Path) -> list[BacktestIssue]:
    """Read the DEU III table: one issue per row, with the outcome that was decided.

    Tab-separated with a header; the second row holds each actor's capability
    under its position column. Columns ``pcom``…``puk`` hold positions, ``scom``…``suk``
    saliences (both 0–100), ``out`` the outcome. An actor takes part in an issue
    when it has a position; a blank salience counts as 0. Rows without an outcome
    are skipped.
    """
    path = Path(path)
    source = str(path)
    rows = csv_rows(_read_text(path), source, error=ForecastDataError, delimiter="\t")
    if len(rows) < 3:
        raise ForecastDataError(source, "line 1", "expected a header, a capability row and issues")
    header = [cell.strip() for cell in rows[0]]
    required = (_DEU_FIRST_POSITION, _DEU_FIRST_SALIENCE, "out")
    for name in required:
        if name not in header:
            raise ForecastDataError(source, "line 1", f"missing the column {name!r}")
    first_position = header.index(_DEU_FIRST_POSITION)
    first_salience = header.index(_DEU_FIRST_SALIENCE)
    count = first_salience - first_position
    actor_codes = [name[1:] for name in header[first_position:first_salience]]
    outcome_column = header.index("out")
    name_column = header.index("isnr") if "isnr" in header else 0
    capability_row = rows[1]
    capability = np.array(
        [
            _number(cell.strip(), source, f"line 2, {name}")
            for cell, name in zip(
                capability_row[first_position:first_salience],
                header[first_position:first_salience],
                strict=False,
            )
        ]
    )
    issues: list[BacktestIssue] = []
    for line_number, row in enumerate(rows[2:], start=3):
        if len(row) <= outcome_column or not row[outcome_column].strip():
            continue
        outcome = _number(row[outcome_column].strip(), source, f"line {line_number}, out")
        members: list[int] = []
        positions: list[float] = []
        salience: list[float] = []
        for offset in range(count):
            position_text = row[first_position + offset].strip()
            if not position_text:
                continue
            salience_text = row[first_salience + offset].strip()
            members.append(offset)
            positions.append(
                _number(position_text, source, f"line {line_number}, {header[first_position + offset]}")
            )
            salience.append(
                _number(salience_text, source, f"line {line_number}, {header[first_salience + offset]}")
                / 100.0
                if salience_text
                else 0.0
            )
        name = row[name_column].strip() or f"line {line_number}"
        weights = capability[members] * np.array(salience)
        if not members or not np.any(weights > 0):
            continue
        try:
            table = _checked_table(
                f"{source}:{line_number}",
                actors=tuple(actor_codes[offset] for offset in members),
                dimensions=(name,),
                capability=capability[members],
                positions=np.array(positions)[:, None],
                salience=np.array(salience)[:, None],
            )
        except ForecastDataError as error:
            raise ForecastDataError(source, f"line {line_number}", error.reason) from None
        issues.append(BacktestIssue(name=name, table=table, outcome=outcome))
    if not issues:
        raise ForecastDataError(source, "out", "no issue has an outcome")
    return issues


def _is_backtest_text(text: str) -> bool:
    first_line = text.split("\n", 1)[0]
    return "\t" in first_line and _DEU_FIRST_POSITION in first_line


def _is_ktab_text(text: str) -> bool:
    lines = [line for line in text.replace("\r", "\n").split("\n") if line.strip()]
    if len(lines) < 2:
        return False
    cells = [cell.strip().lower() for cell in lines[1].split(",")]
    return cells[:2] == ["actor", "description"]


def load_actor_table(path: str | Path) -> ActorTable:
    """Read actors from any supported file, choosing the reader by suffix and content.

    >>> load_actor_table("missing.csv")
    Traceback (most recent call last):
    ...
    accord.errors.ForecastDataError: missing.csv: no such file
    """
    path = Path(path)
    source = str(path)
    if path.suffix.lower() in {".yaml", ".yml", ".json"}:
        from accord.io import load_scenario

        return actor_table_from_scenario(load_scenario(path), source=source)
    text = _read_text(path)
    if path.suffix.lower() == ".xml" or text.lstrip().startswith("<"):
        return read_ktab_xml(path)
    if _is_backtest_text(text):
        raise ForecastDataError(
            source, "", "holds many issues with outcomes; use `accord forecast backtest` on it"
        )
    if _is_ktab_text(text):
        return read_ktab_csv(path)
    return read_bdm_csv(path)
