"""CSV rows from a user's text; a malformed or oversized cell is one error naming its line.

>>> csv_rows("a,b\\n1,2\\n", "talks.csv")
[['a', 'b'], ['1', '2']]
>>> csv_rows("a\\n" + "x" * 200_000 + "\\n", "talks.csv")
Traceback (most recent call last):
...
accord.errors.InputError: talks.csv: line 2: a cell is longer than 131,072 characters
"""

from __future__ import annotations

import csv
import io

from accord.errors import InputError

__all__ = ["csv_rows"]


def csv_rows(
    text: str,
    source: str,
    *,
    error: type[InputError] = InputError,
    delimiter: str = ",",
    skip_initial_space: bool = False,
) -> list[list[str]]:
    """Every row of ``text`` (``\\r\\n`` and ``\\r`` count as line ends), read by :mod:`csv`."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(lines), delimiter=delimiter, skipinitialspace=skip_initial_space)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as failure:
        line = f"line {reader.line_num}"
        if "field larger than field limit" in str(failure):
            raise error(
                source, line, f"a cell is longer than {csv.field_size_limit():,} characters"
            ) from None
        raise error(source, line, f"not valid CSV: {failure}") from None
    return rows
