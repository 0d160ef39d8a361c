"""Reading a user's file: regular files only, never more than a limit, never waiting.

>>> read_bytes("/dev/zero")
Traceback (most recent call last):
...
accord.errors.InputError: /dev/zero: is not a regular file (a device, pipe or socket); give a file
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from accord.errors import InputError

__all__ = ["MAX_FILE_BYTES", "read_bytes", "read_text"]

#: Largest file any reader accepts: enough for 10^5 options or 200,000 Genius items.
MAX_FILE_BYTES = 64 * 1024 * 1024

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def read_bytes(
    path: str | Path, *, limit: int = MAX_FILE_BYTES, error: type[InputError] = InputError
) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else ``error(path, "", reason)``.

    The file is opened without blocking (a FIFO with no writer does not hold the reader up),
    and refused unless it is a regular file; at most ``limit + 1`` bytes are read, so a file
    that grows while it is read cannot exhaust memory.
    """
    source = str(path)
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise error(source, "", "no such file") from None
    except IsADirectoryError:
        raise error(source, "", "is a directory, expected a file") from None
    except OSError as failure:
        raise error(source, "", f"cannot be read: {failure.strerror or failure}") from None
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise error(source, "", "is a directory, expected a file")
        if not stat.S_ISREG(status.st_mode):
            raise error(source, "", "is not a regular file (a device, pipe or socket); give a file")
        if status.st_size > limit:
            raise error(source, "", f"larger than {limit:,} bytes")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    except OSError as failure:
        raise error(source, "", f"cannot be read: {failure.strerror or failure}") from None
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise error(source, "", f"larger than {limit:,} bytes (it grew while being read)")
    return data


def read_text(path: str | Path, *, limit: int = MAX_FILE_BYTES, error: type[InputError] = InputError) -> str:
    """The UTF-8 text of a file read by :func:`read_bytes` (a byte-order mark is dropped)."""
    data = read_bytes(path, limit=limit, error=error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as failure:
        raise error(str(path), f"byte {failure.start}", "not UTF-8 text") from None
