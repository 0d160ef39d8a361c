"""A scenario: the agenda, the parties, and forecasting dimensions.

Constructors keep the invariants: names non-empty, party and dimension names
unique, at most one mediator, a dimension's ``low`` below its ``high``, and every
party's preferences, positions and saliences naming only issues, options and
dimensions of the scenario; otherwise they raise :class:`~accord.errors.DomainError`
naming the field.

>>> from accord.domain import DiscreteIssue, Option
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("astana"))),))
>>> Scenario("talks", agenda, (Party("north", preferences=Preferences({"venu": 1.0})),))
Traceback (most recent call last):
...
accord.errors.DomainError: Scenario 'talks': parties[0].preferences.weights.venu: no issue named 'venu'
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.domain.invariants import require_finite, require_language, require_name, require_unique
from accord.domain.issues import Agenda, DiscreteIssue
from accord.domain.parties import Condition, Party, Preferences, Role
from accord.errors import DomainError

__all__ = ["Dimension", "Scenario", "check_preferences"]


@dataclass(frozen=True, slots=True)
class Dimension:
    """A forecasting dimension: a policy scale on which actors hold positions (0–100 by default)."""

    name: str
    description: str = ""
    low: float = 0.0
    high: float = 100.0

    def __post_init__(self) -> None:
        subject = f"Dimension {self.name!r}"
        require_name(subject, ("name",), self.name, "a dimension")
        require_finite(subject, ("low",), self.low)
        require_finite(subject, ("high",), self.high)
        if self.high <= self.low:
            raise DomainError(subject, ("high",), f"high {self.high} is not above low {self.low}")


def _check_references(
    subject: str, base: tuple[str | int, ...], agenda: Agenda, preferences: Preferences
) -> None:
    """Preferences name only issues of ``agenda``, options of its discrete issues, values of its issues."""
    issues = {issue.name: issue for issue in agenda.issues}
    for name in preferences.weights:
        if name not in issues:
            raise DomainError(subject, (*base, "weights", name), f"no issue named {name!r}")
    for name, values in preferences.option_values.items():
        issue = issues.get(name)
        if not isinstance(issue, DiscreteIssue):
            reason = f"no issue named {name!r}" if issue is None else "a numeric issue needs a value function"
            raise DomainError(subject, (*base, "option_values", name), reason)
        known = set(issue.values)
        for option in values:
            if option not in known:
                raise DomainError(
                    subject, (*base, "option_values", name, option), f"no option {option!r} in issue {name!r}"
                )
    for name in preferences.value_functions:
        issue = issues.get(name)
        if issue is None or isinstance(issue, DiscreteIssue):
            reason = f"no issue named {name!r}" if issue is None else "a value function needs a numeric issue"
            raise DomainError(subject, (*base, "value_functions", name), reason)
    groups: tuple[tuple[str, tuple[tuple[Condition, ...], ...]], ...] = (
        ("red_lines", tuple(line.conditions for line in preferences.red_lines)),
        ("interactions", tuple(item.conditions for item in preferences.interactions)),
    )
    for field_name, conditions_list in groups:
        for index, conditions in enumerate(conditions_list):
            for condition in conditions:
                # A condition is located by its issue's name, as scenario files key them.
                where = (*base, field_name, index, "conditions", condition.issue)
                issue = issues.get(condition.issue)
                if issue is None:
                    raise DomainError(subject, where, f"no issue named {condition.issue!r}")
                for value in condition.values:
                    try:
                        issue.index_of(value)
                    except KeyError as error:
                        raise DomainError(subject, where, str(error.args[0])) from None


def check_preferences(agenda: Agenda, preferences: Preferences, *, subject: str = "Preferences") -> None:
    """:class:`DomainError` naming the field (relative to the preferences) when ``preferences`` name an
    issue, option or value that ``agenda`` does not have; what a :class:`Scenario` checks of each party's.

    >>> from accord.domain import DiscreteIssue, Option
    >>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("astana"))),))
    >>> check_preferences(agenda, Preferences({"venue": 1.0}, {"venue": {"oslo": 1.0}}))
    Traceback (most recent call last):
    ...
    accord.errors.DomainError: Preferences: option_values.venue.oslo: no option 'oslo' in issue 'venue'
    """
    _check_references(subject, (), agenda, preferences)


@dataclass(frozen=True, slots=True)
class Scenario:
    """Everything known before talks start. Frozen; built by :mod:`accord.io`."""

    name: str
    agenda: Agenda
    parties: tuple[Party, ...]
    description: str = ""
    dimensions: tuple[Dimension, ...] = ()
    #: Forecasting models' settings as (model, setting, value) triples, e.g.
    #: ``("spatial", "VictoryProbModel", "Linear")``; checked by the forecasting models.
    forecast_settings: tuple[tuple[str, str, str], ...] = ()
    #: Preambular paragraphs of a negotiating text made from the scenario, each as
    #: ``(language, text)`` pairs, the scenario's first language first.
    preamble: tuple[tuple[tuple[str, str], ...], ...] = ()
    #: The language of the clause texts (an ISO 639-1 code); translations name their own.
    language: str = "en"

    def __post_init__(self) -> None:
        subject = f"Scenario {self.name!r}"
        require_name(subject, ("name",), self.name, "a scenario")
        require_language(subject, ("language",), self.language)
        for index, paragraph in enumerate(self.preamble):
            for language, _ in paragraph:
                require_language(subject, ("preamble", index, language), language)
        require_unique(subject, "parties", (party.name for party in self.parties), "party")
        mediators = [index for index, party in enumerate(self.parties) if party.role is Role.MEDIATOR]
        if len(mediators) > 1:
            raise DomainError(
                subject, ("parties", mediators[1], "role"), "at most one party may be the mediator"
            )
        require_unique(subject, "dimensions", (dimension.name for dimension in self.dimensions), "dimension")
        dimensions = {dimension.name for dimension in self.dimensions}
        for index, party in enumerate(self.parties):
            if party.preferences is not None:
                _check_references(subject, ("parties", index, "preferences"), self.agenda, party.preferences)
            for field_name in ("positions", "salience"):
                for dimension in getattr(party, field_name):
                    if dimension not in dimensions:
                        where = ("parties", index, field_name, dimension)
                        raise DomainError(subject, where, f"no dimension named {dimension!r}")

    @property
    def delegations(self) -> tuple[Party, ...]:
        """Parties with confidential preferences, in file order: the seats analysis is about."""
        return tuple(
            party for party in self.parties if party.role is Role.DELEGATION and party.preferences is not None
        )

    @property
    def mediator(self) -> Party | None:
        return next((party for party in self.parties if party.role is Role.MEDIATOR), None)

    def party(self, name: str) -> Party:
        for party in self.parties:
            if party.name == name:
                return party
        raise KeyError(f"no party named {name!r}")

    def preferences_of(self, name: str) -> Preferences:
        preferences = self.party(name).preferences
        if preferences is None:
            raise KeyError(f"party {name!r} has no preferences")
        return preferences

    def restricted_to(self, names: tuple[str, ...]) -> Scenario:
        """The same scenario with only the named delegations (mediator and observers kept)."""
        wanted = set(names)
        kept = tuple(
            party for party in self.parties if party.role is not Role.DELEGATION or party.name in wanted
        )
        return Scenario(
            self.name,
            self.agenda,
            kept,
            self.description,
            self.dimensions,
            self.forecast_settings,
            self.preamble,
            self.language,
        )
