"""Reading a tournament's records: the leaderboard, summaries, and the Parquet and CSV files.

The runners write flat records (one dict per session, see
:mod:`accord.tournament.runner`); a :class:`ResultSet` only reads them. Seats
are numbered from 1: ``seat_i`` holds the delegation's name, ``agent_i`` the
agent id that played it and ``utility_i`` the utility that delegation got.

>>> results = ResultSet([
...     {"reason": "agreement", "agent_1": "boulware-v1", "utility_1": 0.9,
...      "agent_2": "conceder-v1", "utility_2": 0.5},
...     {"reason": "deadline", "agent_1": "conceder-v1", "utility_1": 0.0,
...      "agent_2": "boulware-v1", "utility_2": 0.1},
... ])
>>> [(row.agent, row.sessions, round(row.mean_utility, 2), row.agreement_rate)
...  for row in results.leaderboard()]
[('boulware-v1', 2, 0.5, 0.5), ('conceder-v1', 2, 0.25, 0.5)]
>>> results.agreement_rate
0.5
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from accord.errors import InputError

__all__ = [
    "LEADERBOARD_CSV",
    "RECORDS_CSV",
    "RECORDS_PARQUET",
    "TIMING_COLUMNS",
    "ResultSet",
    "Standing",
    "column_order",
]

#: Columns that measure the machine, not the negotiation: left out when runs are compared.
TIMING_COLUMNS = ("seconds",)
#: File names :meth:`ResultSet.write` uses inside its output directory.
RECORDS_PARQUET = "records.parquet"
RECORDS_CSV = "records.csv"
LEADERBOARD_CSV = "leaderboard.csv"

_SEAT_COLUMN = re.compile(r"^(seat|agent|utility)_(\d+)$")


@dataclass(frozen=True, slots=True, kw_only=True)
class Standing:
    """One agent's line in the leaderboard: the sessions it sat in (a session counts once, however
    many seats the agent held in it), the seats it held, its mean utility over those seats and the
    share of its sessions that ended in agreement."""

    agent: str
    sessions: int
    mean_utility: float
    agreement_rate: float
    seats: int = 0

    def to_data(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "sessions": self.sessions,
            "seats": self.seats,
            "mean_utility": self.mean_utility,
            "agreement_rate": self.agreement_rate,
        }


def _seat_numbers(record: Mapping[str, Any]) -> list[int]:
    numbers = {int(match[2]) for key in record if (match := _SEAT_COLUMN.match(key)) and match[1] == "agent"}
    return sorted(numbers)


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def column_order(records: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every column of ``records``: first-seen order, seat columns grouped by seat number.

    >>> column_order([{"reason": "x", "agent_2": "b", "agent_1": "a", "utility_1": 1.0, "seconds": 0.1}])
    ['reason', 'agent_1', 'utility_1', 'agent_2', 'seconds']
    """
    plain: list[str] = []
    seats: dict[int, set[str]] = {}
    seen: set[str] = set()
    for record in records:
        for key in record:
            if key in seen:
                continue
            seen.add(key)
            match = _SEAT_COLUMN.match(key)
            if match:
                seats.setdefault(int(match[2]), set()).add(match[1])
            else:
                plain.append(key)
    timing = [key for key in plain if key in TIMING_COLUMNS]
    ordered = [key for key in plain if key not in TIMING_COLUMNS]
    for number in sorted(seats):
        ordered += [f"{kind}_{number}" for kind in ("seat", "agent", "utility") if kind in seats[number]]
    return ordered + timing


class ResultSet:
    """A tournament's records, read-only, with the leaderboard and summary figures."""

    def __init__(self, records: Sequence[Mapping[str, Any]]) -> None:
        self.records: tuple[dict[str, Any], ...] = tuple(dict(record) for record in records)

    def __len__(self) -> int:
        return len(self.records)

    @classmethod
    def read(cls, path: str | Path) -> ResultSet:
        """Records from a Parquet or CSV file, or from a directory :meth:`write` filled."""
        import pyarrow.csv
        import pyarrow.parquet

        path = Path(path)
        if path.is_dir():
            path = path / RECORDS_PARQUET
        try:
            if path.suffix == ".csv":
                options = pyarrow.csv.ConvertOptions(strings_can_be_null=True)
                table = pyarrow.csv.read_csv(path, convert_options=options)
            else:
                table = pyarrow.parquet.read_table(path)
        except (OSError, pyarrow.ArrowInvalid) as error:
            raise InputError(str(path), "", f"cannot read tournament records ({error})") from None
        rows: list[dict[str, Any]] = table.to_pylist()
        # A table has every seat column of its largest scenario: drop the empty ones again.
        return cls(
            [
                {key: value for key, value in row.items() if _present(value) or not _SEAT_COLUMN.match(key)}
                for row in rows
            ]
        )

    @property
    def agreement_rate(self) -> float:
        """The share of sessions that ended in agreement (0 for no sessions)."""
        if not self.records:
            return 0.0
        agreed = sum(1 for record in self.records if record.get("reason") == "agreement")
        return agreed / len(self.records)

    def leaderboard(self) -> tuple[Standing, ...]:
        """Per agent: sessions sat in, seats held, mean utility per seat and the agreement rate of
        its sessions; best mean utility first."""
        totals: dict[str, list[float]] = {}  # agent → [sessions, seats, utility, agreements]
        for record in self.records:
            agreed = record.get("reason") == "agreement"
            seated: set[str] = set()
            for number in _seat_numbers(record):
                agent = str(record[f"agent_{number}"])
                utility = record.get(f"utility_{number}")
                entry = totals.setdefault(agent, [0.0, 0.0, 0.0, 0.0])
                entry[1] += 1
                entry[2] += float(utility) if utility is not None and _present(utility) else 0.0
                if agent not in seated:  # a session counts once per agent, not once per seat
                    seated.add(agent)
                    entry[0] += 1
                    entry[3] += agreed
        standings = [
            Standing(
                agent=agent,
                sessions=int(sessions),
                seats=int(seats),
                mean_utility=total / seats,
                agreement_rate=agreements / sessions,
            )
            for agent, (sessions, seats, total, agreements) in totals.items()
        ]
        standings.sort(key=lambda standing: (-standing.mean_utility, standing.agent))
        return tuple(standings)

    def table(self) -> Any:
        """The records as a ``pyarrow.Table`` (columns in :func:`column_order`, nulls where absent)."""
        import pyarrow

        columns = column_order(self.records)
        return pyarrow.table({name: [record.get(name) for record in self.records] for name in columns})

    def write(self, directory: str | Path) -> dict[str, Path]:
        """Write ``records.parquet``, ``records.csv`` and ``leaderboard.csv`` into ``directory``."""
        import pyarrow
        import pyarrow.csv
        import pyarrow.parquet

        directory = Path(directory)
        try:
            directory.mkdir(parents=True, exist_ok=True)
            table = self.table()
            paths = {
                "records_parquet": directory / RECORDS_PARQUET,
                "records_csv": directory / RECORDS_CSV,
                "leaderboard_csv": directory / LEADERBOARD_CSV,
            }
            pyarrow.parquet.write_table(table, paths["records_parquet"])
            pyarrow.csv.write_csv(table, paths["records_csv"])
            standings = [standing.to_data() for standing in self.leaderboard()]
            names = ["agent", "sessions", "mean_utility", "agreement_rate"]
            board = pyarrow.table({name: [row[name] for row in standings] for name in names})
            pyarrow.csv.write_csv(board, paths["leaderboard_csv"])
        except OSError as error:
            reason = f"cannot write results ({error.strerror or error})"
            raise InputError(str(directory), "--out", reason) from None
        return paths
