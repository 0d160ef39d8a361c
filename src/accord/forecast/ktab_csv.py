"""Reading KTAB's scenario files for the spatial model: its CSV format and its XML format.

KTAB's CSV holds, on line 1, the scenario's name, its description, the number of actors
and the number of dimensions; on line 2 the column names (``Actor``, ``Description``, the
capability column, then a position and a salience column per dimension); then one line
per actor. Positions and saliences are on 0–100; an actor's saliences may add up to at
most 100. Trailing empty cells are ignored. The position columns name the dimensions.

Every problem raises :class:`accord.errors.ForecastDataError` naming the file, the line
and column (or XML element), and the reason.

>>> import tempfile
>>> text = (
...     "Budget,Share of spending,3,1,\\n"
...     "Actor,Description,Power,Share,Salience,\\n"
...     "A,Treasury,100,20,50,\\nB,Army,60,70,90,\\nC,Schools,40,45,30,\\n"
... )
>>> with tempfile.TemporaryDirectory() as folder:
...     path = Path(folder) / "budget.csv"
...     _ = path.write_text(text)
...     table = read_ktab_csv(path)
>>> table.actors, table.dimensions, table.salience[:, 0].tolist()
(('A', 'B', 'C'), ('Share',), [0.5, 0.9, 0.3])
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from accord.errors import ForecastDataError
from accord.forecast.actors import ActorTable
from accord.reading import XmlElement, csv_rows, parse_xml, read_bytes, read_text

__all__ = ["ktab_model_parameters", "read_ktab_csv", "read_ktab_xml"]

#: Columns before the first position column: actor, description, capability.
LEADING_COLUMNS = 3


def _read_text(path: Path) -> str:
    return read_text(path, error=ForecastDataError)


def _number(text: str, source: str, location: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        raise ForecastDataError(source, location, f"expected a number, got {text.strip()!r}") from None
    if not math.isfinite(value):
        raise ForecastDataError(source, location, f"expected a finite number, got {text.strip()!r}")
    return value


def _count(text: str, source: str, location: str, minimum: int) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise ForecastDataError(source, location, f"expected a whole number, got {text.strip()!r}") from None
    if value < minimum:
        raise ForecastDataError(source, location, f"must be at least {minimum}, got {value}")
    return value


def _trimmed(row: list[str]) -> list[str]:
    """The row's cells without surrounding spaces, and without empty cells at its end."""
    cells = [cell.strip() for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _checked_actor(
    source: str,
    values: list[tuple[float, str]],
    *,
    where: str,
    actor: str,
) -> tuple[list[float], list[float]]:
    """Check one actor's (position, salience) pairs, given with their locations, on 0–100.

    ``values`` alternates position and salience, each with its location. Returns positions
    and saliences (the latter divided by 100).
    """
    positions: list[float] = []
    saliences: list[float] = []
    for index, (value, location) in enumerate(values):
        kind = "position" if index % 2 == 0 else "salience"
        if not 0.0 <= value <= 100.0:
            raise ForecastDataError(source, location, f"{kind} of {actor} must lie in 0–100, got {value:g}")
        (positions if kind == "position" else saliences).append(value)
    total = sum(saliences)
    if total > 100.0:
        raise ForecastDataError(source, where, f"saliences of {actor} add up to {total:g}, more than 100")
    return positions, [salience / 100.0 for salience in saliences]


def read_ktab_csv(path: str | Path) -> ActorTable:
    """Read a KTAB SMP scenario CSV (see the module's description) into an :class:`ActorTable`.

    Saliences are divided by 100; positions stay on 0–100. Raises ``ForecastDataError``
    naming the line and column of the first problem.
    """
    path = Path(path)
    source = str(path)
    text = _read_text(path)
    rows: list[tuple[int, list[str]]] = []
    for line_number, row in enumerate(
        csv_rows(text, source, error=ForecastDataError, skip_initial_space=True), 1
    ):
        cells = _trimmed(row)
        if cells:
            rows.append((line_number, cells))
    if not rows:
        raise ForecastDataError(source, "line 1", "the file is empty")
    line, first = rows[0]
    if len(first) < 4:
        raise ForecastDataError(
            source,
            f"line {line}",
            "expected scenario name, description, number of actors and number of dimensions",
        )
    n_actors = _count(first[2], source, f"line {line}, column 3 (number of actors)", 2)
    n_dimensions = _count(first[3], source, f"line {line}, column 4 (number of dimensions)", 1)
    n_columns = LEADING_COLUMNS + 2 * n_dimensions
    if len(rows) < 2:
        raise ForecastDataError(source, "line 2", "missing the line of column names")
    line, header = rows[1]
    if len(header) < n_columns or not all(header[:n_columns]):
        raise ForecastDataError(
            source,
            f"line {line}",
            f"expected {n_columns} column names (actor, description, capability, then a position "
            f"and a salience for each of {n_dimensions} dimensions), got {len(header)}",
        )
    dimensions = tuple(header[LEADING_COLUMNS + 2 * index] for index in range(n_dimensions))
    if len(set(dimensions)) != n_dimensions:
        raise ForecastDataError(source, f"line {line}", f"dimension names repeat: {', '.join(dimensions)}")

    body = rows[2:]
    if len(body) < n_actors:
        where = f"line {body[-1][0] + 1}" if body else f"line {line + 1}"
        raise ForecastDataError(
            source, where, f"expected {n_actors} actor lines (line 1 says so), found {len(body)}"
        )
    if len(body) > n_actors:
        raise ForecastDataError(
            source, f"line {body[n_actors][0]}", f"more actor lines than the {n_actors} line 1 declares"
        )
    names: list[str] = []
    seen: set[str] = set()
    capability: list[float] = []
    positions: list[list[float]] = []
    salience: list[list[float]] = []
    for line, cells in body:
        if len(cells) < n_columns:
            raise ForecastDataError(source, f"line {line}", f"expected {n_columns} columns, got {len(cells)}")

        def at(column: int, line: int = line) -> str:
            return f"line {line}, column {column + 1} ({header[column]})"

        name = cells[0]
        if not name:
            raise ForecastDataError(source, at(0), "the actor's name is empty")
        if name in seen:
            raise ForecastDataError(source, at(0), f"actor {name!r} appears twice")
        power = _number(cells[2], source, at(2))
        if power < 0:
            raise ForecastDataError(source, at(2), f"capability of {name} must not be negative")
        values = [
            (_number(cells[column], source, at(column)), at(column))
            for column in range(LEADING_COLUMNS, n_columns)
        ]
        actor_positions, actor_salience = _checked_actor(source, values, where=f"line {line}", actor=name)
        names.append(name)
        seen.add(name)
        capability.append(power)
        positions.append(actor_positions)
        salience.append(actor_salience)
    if not any(value > 0 for value in capability):
        raise ForecastDataError(source, "column 3", "every capability is zero")
    return ActorTable(
        actors=tuple(names),
        dimensions=dimensions,
        capability=np.array(capability, dtype=float),
        positions=np.array(positions, dtype=float),
        salience=np.array(salience, dtype=float),
        source=source,
        description=first[1],
    )


def _parse_xml(path: Path) -> XmlElement:
    """The root ``<Scenario>``, read and parsed by :mod:`accord.reading` (bounded; no DTDs)."""
    source = str(path)
    root = parse_xml(read_bytes(path, error=ForecastDataError), source, error=ForecastDataError)
    if root.tag != "Scenario":
        raise ForecastDataError(source, root.tag, "the root element must be <Scenario>")
    return root


def _child(element: XmlElement | None, tag: str) -> XmlElement | None:
    """The first direct child of ``element`` named ``tag``."""
    return next(iter(element.named(tag)), None) if element is not None else None


def _children(element: XmlElement, path: str) -> list[XmlElement]:
    """The elements at ``path`` (``"Actors/Actor"``) below ``element``, in document order."""
    *parents, tag = path.split("/")
    for parent in parents:
        found = _child(element, parent)
        if found is None:
            return []
        element = found
    return element.named(tag)


def _text(element: XmlElement | None, source: str, location: str) -> str:
    if element is None:
        raise ForecastDataError(source, location, "missing")
    value = element.content
    if not value:
        raise ForecastDataError(source, location, "is empty")
    return value


def read_ktab_xml(path: str | Path) -> ActorTable:
    """Read a KTAB SMP XML scenario (the format of ``smpExample.xml``; a byte-order mark is fine).

    Capabilities must be positive; positions and saliences are on 0–100 (saliences are
    divided by 100). The ``ModelParameters`` become the table's spatial settings
    (``model_parameters["spatial"]``, KTAB's names), checked here; the ``IdealAdjustment``
    pairs (``adjustingIdeal``, ``referencePos``, ``adjust``) become its ``accommodation``
    matrix (pairs not listed are 0). Raises ``ForecastDataError`` naming the element.
    """
    path = Path(path)
    source = str(path)
    root = _parse_xml(path)
    dimension_elements = _children(root, "Dimensions/dName")
    if not dimension_elements:
        raise ForecastDataError(source, "Scenario/Dimensions", "needs at least one <dName>")
    dimensions = tuple(
        _text(element, source, f"Scenario/Dimensions/dName[{index}]")
        for index, element in enumerate(dimension_elements, start=1)
    )
    actor_elements = _children(root, "Actors/Actor")
    if len(actor_elements) < 2:
        raise ForecastDataError(source, "Scenario/Actors", "needs at least two <Actor> elements")
    names: list[str] = []
    seen: set[str] = set()
    capability: list[float] = []
    positions: list[list[float]] = []
    salience: list[list[float]] = []
    for index, element in enumerate(actor_elements, start=1):
        where = f"Scenario/Actors/Actor[{index}]"
        name = _text(_child(element, "name"), source, f"{where}/name")
        if name in seen:
            raise ForecastDataError(source, f"{where}/name", f"actor {name!r} appears twice")
        power = _number(
            _text(_child(element, "capability"), source, f"{where}/capability"), source, f"{where}/capability"
        )
        if not power > 0:
            raise ForecastDataError(source, f"{where}/capability", f"capability of {name} must be positive")
        values: list[tuple[float, str]] = []
        coordinates = _children(element, "Position/dCoord")
        weights = _children(element, "Salience/dSal")
        for tag, found in (("Position/dCoord", coordinates), ("Salience/dSal", weights)):
            if len(found) != len(dimensions):
                raise ForecastDataError(
                    source,
                    f"{where}/{tag.split('/')[0]}",
                    f"expected {len(dimensions)} <{tag.split('/')[1]}>, got {len(found)}",
                )
        for dimension in range(len(dimensions)):
            for tag, found in (("Position/dCoord", coordinates), ("Salience/dSal", weights)):
                location = f"{where}/{tag}[{dimension + 1}]"
                values.append(
                    (_number(_text(found[dimension], source, location), source, location), location)
                )
        actor_positions, actor_salience = _checked_actor(source, values, where=where, actor=name)
        names.append(name)
        seen.add(name)
        capability.append(power)
        positions.append(actor_positions)
        salience.append(actor_salience)
    description = next(
        (found.content for found in (_child(root, "desc"), _child(root, "name")) if found and found.content),
        "",
    )
    parameters = _model_parameters(root, source)
    return ActorTable(
        actors=tuple(names),
        dimensions=dimensions,
        capability=np.array(capability, dtype=float),
        positions=np.array(positions, dtype=float),
        salience=np.array(salience, dtype=float),
        source=source,
        description=description,
        model_parameters={"spatial": parameters} if parameters else {},
        accommodation=_accommodation(root, source, names),
    )


def _model_parameters(root: XmlElement, source: str) -> dict[str, str]:
    element = _child(root, "ModelParameters")
    if element is None:
        return {}
    parameters = {
        child.tag: _text(child, source, f"Scenario/ModelParameters/{child.tag}") for child in element.children
    }
    from accord.forecast.settings import model_settings

    for name, value in parameters.items():
        model_settings("spatial", {name: value}, source=f"{source}: Scenario/ModelParameters")
    return parameters


def _accommodation(root: XmlElement, source: str, names: list[str]) -> np.ndarray | None:
    """The ``IdealAdjustment`` pairs as a matrix: ``[i, j]`` how far actor i's ideal moves
    toward actor j's position after each step; ``None`` when the scenario has none."""
    element = _child(root, "IdealAdjustment")
    if element is None:
        return None
    matrix = np.zeros((len(names), len(names)))
    positions_of = {name: index for index, name in enumerate(names)}
    for index, pair in enumerate(element.named("iaPair"), start=1):
        where = f"Scenario/IdealAdjustment/iaPair[{index}]"
        rows = []
        for tag in ("adjustingIdeal", "referencePos"):
            name = _text(_child(pair, tag), source, f"{where}/{tag}")
            if name not in positions_of:
                raise ForecastDataError(source, f"{where}/{tag}", f"no actor named {name!r}")
            rows.append(positions_of[name])
        share = _number(_text(_child(pair, "adjust"), source, f"{where}/adjust"), source, f"{where}/adjust")
        if not 0.0 <= share <= 1.0:
            raise ForecastDataError(source, f"{where}/adjust", f"must lie in 0–1, got {share:g}")
        matrix[rows[0], rows[1]] = share
    for row, total in enumerate(matrix.sum(axis=1)):
        if total > 1.0 + 1e-9:
            raise ForecastDataError(
                source,
                "Scenario/IdealAdjustment",
                f"the adjustments of {names[row]}'s ideal add up to {total:g}, more than 1",
            )
    return matrix


def ktab_model_parameters(path: str | Path) -> dict[str, str]:
    """KTAB's model parameters in an XML scenario, by KTAB's names (``{"VotingRule": "Prop", …}``),
    each checked; empty when the scenario gives none. ``read_ktab_xml`` keeps them in its table."""
    path = Path(path)
    return _model_parameters(_parse_xml(path), str(path))
