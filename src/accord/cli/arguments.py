"""Argument types shared by the commands: each turns a command-line word into a value, or refuses it.

A refusal is an :class:`argparse.ArgumentTypeError`, which argparse prints as one line naming the option.

>>> seed("7"), count("0"), rounds("3"), positive_number("2.5")
(7, 0, 3, 2.5)
>>> count("-1")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: -1 is negative
>>> rounds("0")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be at least 1, got 0
"""

from __future__ import annotations

import argparse

__all__ = ["JoinOnce", "Once", "count", "positive_number", "rounds", "seed"]


def _from_zero(text: str, negative: str) -> int:
    """``text`` as a whole number from 0 up; ``negative`` is added to the refusal of a negative one."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative{negative}")
    return value


def seed(text: str) -> int:
    """A seed: a whole number from 0 up (numpy's SeedSequence takes no negative seeds)."""
    return _from_zero(text, "; a seed is a whole number from 0 up")


def count(text: str) -> int:
    """A count (of observers, of rounds): a whole number from 0 up."""
    return _from_zero(text, "")


def rounds(text: str) -> int:
    """A deadline in rounds: a whole number from 1 up (every command that takes ``--rounds`` uses it)."""
    value = _from_zero(text, "; rounds are counted from 1")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def positive_number(text: str) -> float:
    """A number more than 0 (seconds, say)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} must be more than 0")
    return value


class Once(argparse.Action):
    """An option that may be given once: a second one is refused (argparse would keep only the last)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        if getattr(namespace, self.dest, None) is not None:
            raise argparse.ArgumentError(self, f"given twice; {self.remedy}")
        setattr(namespace, self.dest, values)

    #: What the refusal of a second one suggests.
    remedy = "give it once"


class JoinOnce(Once):
    """``--join``: one coalition at a time."""

    remedy = "join one coalition at a time"
