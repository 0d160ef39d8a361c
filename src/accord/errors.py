"""The one exception tree of Accord.

Every error a user can cause derives from :class:`AccordError`. The command line
prints ``accord: error: WHERE: reason`` on one line and exits with
:attr:`AccordError.exit_code`; it never shows a traceback for them.

WHERE follows one convention everywhere, in the command line and the Python API alike:

* a file: its path, then ``line N`` when the line is known, then the field path
  (``talks.yaml: line 12: parties[1].preferences.weights``);
* a command-line option: the option (``--rounds``); from Python, the parameter (``rounds``),
  which the command line shows as its option (:class:`ArgumentError`);
* text given without a file: ``line N`` and the field path alone.

An error that knows what would work carries it as :class:`Remedy` values (``remedies``): a
parameter, the value to give it and what that does. The message spells a remedy as Python
(``drop_red_lines=True``); the command line as its option (``--drop-red-lines``).

>>> str(ScenarioError("talks.yaml", "line 12: parties[1].preferences.weights", "must sum to more than 0"))
'talks.yaml: line 12: parties[1].preferences.weights: must sum to more than 0'
>>> str(ArgumentError("rounds", "must be at least 1, got 0"))
'rounds: must be at least 1, got 0'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AccordError",
    "AgentError",
    "AnalysisError",
    "ArgumentError",
    "DomainError",
    "ForecastDataError",
    "InputError",
    "ProtocolError",
    "Remedy",
    "ScenarioError",
    "TextError",
]


@dataclass(frozen=True, slots=True)
class Remedy:
    """What would work instead: giving the parameter ``argument`` the ``value``, which ``effect``.

    >>> str(Remedy("drop_red_lines", True, "exports without them"))
    'drop_red_lines=True exports without them'
    """

    argument: str
    value: bool | str | tuple[str, ...]
    effect: str

    def __str__(self) -> str:
        return f"{self.argument}={self.value!r} {self.effect}"


def _with_remedies(message: str, remedies: Sequence[Remedy]) -> str:
    return "; ".join([message, *(str(remedy) for remedy in remedies)])


class AccordError(Exception):
    """Base of every error Accord raises on purpose.

    ``remedies``: what would work instead (see :class:`Remedy`), already part of the message."""

    exit_code = 1
    remedies: tuple[Remedy, ...] = ()


class InputError(AccordError):
    """A file or value given by the user is not what Accord expects.

    ``source`` names the file (empty for text given without one), ``location`` where in it
    (``line N``, a field path such as ``parties[2].preferences.reservation``, or both; empty
    for the whole file), and ``reason`` what is wrong and what was expected.

    >>> str(InputError("talks.yaml", "", "no such file"))
    'talks.yaml: no such file'
    >>> str(InputError("", "line 3: name", "required field is missing"))
    'line 3: name: required field is missing'
    """

    exit_code = 2

    def __init__(self, source: str, location: str, reason: str, *, remedies: Sequence[Remedy] = ()) -> None:
        self.source = source
        self.location = location
        self.reason = reason
        self.remedies = tuple(remedies)
        message = ": ".join(part for part in (source, location, reason) if part)
        super().__init__(_with_remedies(message, self.remedies))

    @property
    def where(self) -> str:
        """The WHERE part of the message: the file (or option) and the place in it."""
        return ": ".join(part for part in (self.source, self.location) if part)

    def __reduce__(
        self,
    ) -> tuple[object, ...]:  # keeps source, location, reason and remedies across processes
        return (_input_error, (type(self), self.source, self.location, self.reason, self.remedies))


def _input_error(
    kind: type[InputError], source: str, location: str, reason: str, remedies: tuple[Remedy, ...]
) -> InputError:
    return kind(source, location, reason, remedies=remedies)


class ArgumentError(InputError):
    """A value given for a function's parameter or a command-line option is not acceptable.

    ``argument`` is the parameter's name from Python (``rounds``, ``preset``) and the
    option from the command line (``--rounds``); the command line shows a parameter
    as the option the user typed (see :mod:`accord.cli.failures`), so its messages never
    name a Python parameter. ``reason`` says what is wrong and includes the value given.

    >>> error = ArgumentError("preset", "unknown preset 'x' (known: published)")
    >>> error.argument, str(error)
    ('preset', "preset: unknown preset 'x' (known: published)")
    """

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(argument, "", reason)

    @property
    def argument(self) -> str:
        return self.source

    def __reduce__(self) -> tuple[object, ...]:  # keeps the argument across processes
        return (ArgumentError, (self.source, self.reason))


class ScenarioError(InputError):
    """A scenario file (Accord, Genius or GeniusWeb) is malformed or inconsistent."""


class ForecastDataError(InputError):
    """Forecasting input (actors, positions, saliences, capabilities) is malformed."""


class DomainError(AccordError, ValueError):
    """A domain object was given values that break its invariants (raised by its constructor).

    ``subject`` names the object (``"IntegerIssue 'rounds'"``), ``field`` the path to the
    offending value inside it (``("options", 2, "name")``) and ``reason`` what is wrong.
    Importers report ``field`` and ``reason`` at the file, line and field the value came from.

    >>> str(DomainError("IntegerIssue 'rounds'", ("high",), "high 1 is below low 3"))
    "IntegerIssue 'rounds': high: high 1 is below low 3"
    """

    exit_code = 2

    def __init__(self, subject: str, field: tuple[str | int, ...], reason: str) -> None:
        self.subject = subject
        self.field = field
        self.reason = reason
        path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in field).lstrip(".")
        super().__init__(": ".join(part for part in (subject, path, reason) if part))


class AnalysisError(AccordError):
    """An analysis was asked for something the scenario cannot give (``reason``), or for more
    work than it allows; ``remedies`` then say what would work.

    >>> str(AnalysisError("too slow", remedies=(Remedy("parties", ("a", "b"), "analyses two"),)))
    "too slow; parties=('a', 'b') analyses two"
    """

    exit_code = 2

    def __init__(self, reason: str, *, remedies: Sequence[Remedy] = ()) -> None:
        self.reason = reason
        self.remedies = tuple(remedies)
        super().__init__(_with_remedies(reason, self.remedies))

    def __reduce__(self) -> tuple[object, ...]:  # keeps the remedies across processes
        return (_analysis_error, (self.reason, self.remedies))


def _analysis_error(reason: str, remedies: tuple[Remedy, ...]) -> AnalysisError:
    return AnalysisError(reason, remedies=remedies)


class ProtocolError(AccordError):
    """An action is illegal in the protocol's current state, or a setup is one it cannot run.

    The state is unchanged. ``seat`` names the seat whose action was refused and
    ``action`` its kind (``None`` for something that is not an Accord action);
    both are ``None`` for a setup the protocol refuses or a step no seat is to
    blame for. ``reason`` says why, without the seat and action that the message
    adds. Protocols raise seat errors through
    :func:`accord.protocols.legality.illegal`.

    >>> error = ProtocolError("seat 'north' may not accept: nothing is on the table",
    ...                       seat="north", action="accept", reason="nothing is on the table")
    >>> error.seat, error.action, error.reason
    ('north', 'accept', 'nothing is on the table')
    >>> ProtocolError("alternating-offers-v1: rounds must be at least 1").seat is None
    True
    """

    def __init__(
        self, message: str, *, seat: str | None = None, action: str | None = None, reason: str = ""
    ) -> None:
        super().__init__(message)
        self.seat = seat
        self.action = action
        self.reason = reason or message

    def __reduce__(self) -> tuple[object, ...]:  # keeps seat, action and reason across processes
        return (_protocol_error, (str(self), self.seat, self.action, self.reason))


def _protocol_error(message: str, seat: str | None, action: str | None, reason: str) -> ProtocolError:
    return ProtocolError(message, seat=seat, action=action, reason=reason)


class AgentError(ArgumentError):
    """An agent or protocol id is unknown, an agent could not be built, or it cannot take its seat.

    ``argument`` is ``agents`` or ``protocol`` (``--agents`` or ``--protocol`` on the command line).
    """


class TextError(AccordError):
    """A change to a negotiating text is refused (:mod:`accord.text`); the text is unchanged.

    Like :class:`ProtocolError`, it carries ``seat`` (who asked), ``action`` (the change's
    kind) and ``reason`` as data.

    >>> error = TextError(seat="Government", action="confirm", reason="paragraph 'elections' is bracketed")
    >>> str(error), error.seat
    ("seat 'Government' may not confirm: paragraph 'elections' is bracketed", 'Government')
    """

    exit_code = 2

    def __init__(self, *, seat: str, action: str, reason: str) -> None:
        super().__init__(f"seat {seat!r} may not {action}: {reason}")
        self.seat = seat
        self.action = action
        self.reason = reason
