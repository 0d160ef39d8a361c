"""No command overwrites a file or a folder that exists unless ``--force`` is given.

Every command that writes files adds ``--force`` (:func:`add_force`) and checks each path it is
about to write, before doing any work (:func:`refuse_to_overwrite`); the refusal names the path.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> refuse_to_overwrite([folder / "new.png", folder, None], force=False)  # new file, empty folder
>>> _ = (folder / "old.png").write_bytes(b"")
>>> for path in (folder / "old.png", folder):
...     try:
...         refuse_to_overwrite([path], force=False)
...     except InputError as error:
...         print(error.reason)
the file exists; give --force to overwrite it
the folder exists and is not empty; give --force to write into it
>>> refuse_to_overwrite([folder / "old.png", folder], force=True)
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

from accord.errors import InputError

__all__ = ["add_force", "refuse_to_overwrite"]


def add_force(parser: argparse.ArgumentParser) -> None:
    """Add ``--force``: overwrite the files (or write into the folders) the command is told to write."""
    parser.add_argument(
        "--force",
        action="store_true",
        help="overwrite files that exist (write into a folder that is not empty)",
    )


def refuse_to_overwrite(paths: Iterable[str | Path | None], *, force: bool) -> None:
    """:class:`~accord.errors.InputError` naming the first of ``paths`` that exists, unless ``force``.

    A folder counts as existing when it holds anything (an empty one is written into); ``None``
    (an option not given) is skipped.
    """
    if force:
        return
    for given in paths:
        if given is None:
            continue
        path = Path(given)
        if path.is_dir():
            if next(path.iterdir(), None) is not None:
                raise InputError(
                    str(path), "", "the folder exists and is not empty; give --force to write into it"
                )
        elif path.exists() or path.is_symlink():
            raise InputError(str(path), "", "the file exists; give --force to overwrite it")
