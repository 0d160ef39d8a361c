"""The analysis of a scenario as one frozen result: :func:`analyze` and :class:`Analysis`.

>>> from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("astana"))),))
>>> parties = (Party("north", preferences=Preferences({"venue": 1.0}, {"venue": {"geneva": 1.0}})),
...            Party("south", preferences=Preferences({"venue": 1.0}, {"venue": {"astana": 1.0}})))
>>> result = analyze(Scenario("talks", agenda, parties))
>>> result.to_dict()["pareto_size"], result.to_dict()["nash"]["outcome"]
(2, {'venue': 'geneva'})
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.bargaining import (
    egalitarian_point,
    kalai_smorodinsky_point,
    max_welfare_point,
    nash_point,
)
from accord.analysis.cost import TIME_LIMIT, Work, duration, expected_frontier, seconds
from accord.analysis.frontier import (
    CHUNK_SIZE,
    ENUMERATION_LIMIT,
    Progress,
    additive_pareto_frontier,
    outcome_census,
)
from accord.analysis.grouping import PlannedGroup, group_issues, planned_groups
from accord.analysis.pareto import Frontier, frontier_order
from accord.analysis.zone import ZoneSize, additive_zone_size, blocking_masks, opposition
from accord.domain import Agenda, Scenario
from accord.errors import AnalysisError, Remedy
from accord.preferences import ScenarioUtilities, scenario_utilities

__all__ = ["Analysis", "analyze", "estimated_seconds", "exact_frontier"]

_POINTS = ("nash", "kalai_smorodinsky", "max_welfare", "egalitarian")


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything :func:`analyze` found; :meth:`to_dict` is the JSON of ``accord analyze --json``.

    ``frontier`` holds the Pareto frontier (its ``utilities: (m, n_parties)`` feed
    the plot); ``nash`` … ``egalitarian`` are row indices into it, or ``None`` when
    no outcome is rational for all; ``blocking: (n_parties, m)`` bool marks, per
    party, the frontier points every other party would accept but it rejects.
    ``frontier_outcomes``: how many outcomes are Pareto optimal; more than the rows
    listed when interchangeable options were merged (each row then stands for a class).
    """

    agenda: Agenda
    parties: tuple[str, ...]
    reservations: np.ndarray
    frontier: Frontier
    nash: int | None
    kalai_smorodinsky: int | None
    max_welfare: int | None
    egalitarian: int | None
    agreement_zone: ZoneSize
    opposition: float | None
    blocking: np.ndarray
    frontier_method: str
    frontier_outcomes: int

    @property
    def n_outcomes(self) -> int:
        return self.agenda.size

    @property
    def frontier_utilities(self) -> np.ndarray:
        """``(m, n_parties)`` utilities of the frontier points, in frontier order."""
        return self.frontier.utilities

    @property
    def ideal(self) -> np.ndarray:
        """``(n_parties,)`` each party's best utility over outcomes that cross no red line."""
        if len(self.frontier) == 0:
            return np.full(len(self.parties), np.nan)
        return np.asarray(self.frontier.utilities.max(axis=0))

    def point(self, row: int | None) -> dict[str, Any] | None:
        """A frontier row as ``{"outcome": {issue: value}, "utilities": {party: value}}``."""
        if row is None:
            return None
        outcome = self.agenda.outcome(self.frontier.choices[row])
        utilities = self.frontier.utilities[row]
        return {
            "outcome": self.agenda.as_mapping(outcome),
            "utilities": {party: float(value) for party, value in zip(self.parties, utilities, strict=True)},
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready summary (``pareto`` lists every frontier point, in frontier order)."""
        data: dict[str, Any] = {
            "parties": list(self.parties),
            "issues": list(self.agenda.names),
            "n_outcomes": self.n_outcomes,
            "reservations": {
                party: float(value) for party, value in zip(self.parties, self.reservations, strict=True)
            },
            "ideal": {party: float(value) for party, value in zip(self.parties, self.ideal, strict=True)},
            "frontier_method": self.frontier_method,
            "pareto_size": len(self.frontier),
            "pareto_outcomes": self.frontier_outcomes,
            "pareto": [self.point(row) for row in range(len(self.frontier))],
        }
        for name in _POINTS:
            data[name] = self.point(getattr(self, name))
        data["agreement_zone_size"] = self.agreement_zone.count
        data["agreement_zone_exact"] = self.agreement_zone.exact
        data["agreement_zone_method"] = self.agreement_zone.method
        data["opposition"] = self.opposition
        data["blocking"] = {
            party: np.flatnonzero(mask).tolist()
            for party, mask in zip(self.parties, self.blocking, strict=True)
        }
        return data


@dataclass(frozen=True, slots=True)
class _Found:
    """A frontier, how many outcomes it stands for, how it was found, and the agreement zone
    (counted in the same pass, or from the additive tables — per issue or per group of
    linked issues — it was merged from)."""

    frontier: Frontier
    outcomes: int
    method: str
    tables: Sequence[np.ndarray] = ()
    allowed: Sequence[np.ndarray] = ()
    weights: Sequence[np.ndarray] | None = None
    zone: ZoneSize | None = None  # already found (by enumeration, or a group reduced to its Pareto set)

    def agreement_zone(self, reservations: np.ndarray) -> ZoneSize:
        if self.zone is not None:
            return self.zone
        return additive_zone_size(self.tables, reservations, allowed=self.allowed, weights=self.weights)


#: Pairs of half combinations valued at once in a group's blockwise pass (its Pareto set is kept per block).
_BLOCK_ROWS = 1 << 21


def _group_work(planned: Sequence[PlannedGroup], n_parties: int) -> list[Work]:
    """The work of the groups: listed, or valued in blocks (with two parties, every block after
    the first is mostly ruled out by the Pareto set found so far; the first is sorted whole)."""
    work = []
    for plan in planned:
        if not plan.blockwise:
            work.append(Work("listing", plan.rows, float(plan.rows)))
            continue
        block = min(plan.rows, _BLOCK_ROWS)
        if n_parties <= 2:
            work.append(Work("listing", block, float(block)))
            work.append(Work("blocks ruled out", plan.rows - block))
        else:
            work.append(Work("blocks", plan.rows, float(block)))
    return work


def _enumeration_work(compiled: ScenarioUtilities) -> list[Work]:
    size = compiled.agenda.size
    return [Work("enumeration", size, float(min(size, CHUNK_SIZE)))]


def _sized(compiled: ScenarioUtilities, work: Sequence[Work]) -> float:
    """Estimated seconds of ``work``; each item's ``frontier`` holds how many rows its Pareto set
    is found among (a chunk, a block, a listed group), whose Pareto set's size is read from a
    sample only when it could matter (three parties or more, and too slow if every row were optimal)."""
    n_parties = len(compiled.parties)
    if n_parties <= 2:
        return sum(seconds(item, n_parties=n_parties) for item in work)
    upper = sum(seconds(item, n_parties=n_parties, frontier=item.frontier) for item in work)
    if upper <= TIME_LIMIT:
        return upper
    return sum(
        seconds(item, n_parties=n_parties, frontier=expected_frontier(compiled, int(item.frontier)))
        for item in work
    )


def estimated_seconds(compiled: ScenarioUtilities, *, enumeration_limit: int = ENUMERATION_LIMIT) -> float:
    """The estimated seconds the exact frontier of ``compiled`` takes, before any of it is done
    (:mod:`accord.analysis.cost`); ``inf`` past the enumeration limit. Additive utilities whose red
    lines each concern one issue count as ``0``: their merge steps are estimated one at a time."""
    if compiled.additive and not compiled.has_cross_issue_red_lines:
        return 0.0
    planned = planned_groups(compiled, enumeration_limit=enumeration_limit)
    if planned is not None:
        return _sized(compiled, _group_work(planned, len(compiled.parties)))
    if compiled.agenda.size > enumeration_limit:
        return float("inf")
    return _sized(compiled, _enumeration_work(compiled))


def _refusal(compiled: ScenarioUtilities, name: str | None, reason: str) -> AnalysisError:
    """The refusal of an analysis too large or too slow for ``reason``, saying what would work."""
    where = "" if name is None else f"scenario {name!r}: "
    parties = compiled.parties
    remedies = []
    if len(parties) > 2:
        pair = compiled.restricted_to(parties[:2])
        if estimated_seconds(pair) <= TIME_LIMIT:
            remedies.append(Remedy("parties", tuple(parties[:2]), "analyses two delegations"))
    fewer = "fewer outcomes would work" if len(parties) <= 2 else "fewer outcomes or delegations would work"
    return AnalysisError(f"{where}{reason}; {fewer}", remedies=remedies)


def _too_slow(compiled: ScenarioUtilities, name: str | None, estimate: float, how: str) -> AnalysisError:
    """The refusal of an analysis estimated at ``estimate`` seconds."""
    return _refusal(
        compiled,
        name,
        f"the analysis of {compiled.agenda.size:,} outcomes for {len(compiled.parties)} delegations "
        f"({how}) would take about {duration(estimate)}, more than the {TIME_LIMIT:.0f} s allowed",
    )


def _structured_frontier(
    compiled: ScenarioUtilities,
    planned: Sequence[PlannedGroup] | None,
    *,
    progress: Progress | None,
    enumeration_limit: int,
) -> _Found | None:
    """The exact frontier found from the utilities' structure, without enumerating the space;
    ``None`` when only enumeration can give it."""
    if compiled.additive and not compiled.has_cross_issue_red_lines:
        tables, allowed = compiled.tables, compiled.allowed_options()
        frontier = additive_pareto_frontier(tables, allowed=allowed, time_limit=TIME_LIMIT)
        if progress is not None:
            progress.advance(1, 1)
        return _Found(frontier, len(frontier), "issue-wise", tables, allowed)
    if planned is None:
        return None
    grouped = group_issues(compiled, progress=progress, planned=planned)
    if grouped is None:
        return None
    # Red lines across issues and interactions link issues into groups; utilities stay
    # additive across groups, so the issue-wise frontier runs over the groups.
    grouped_frontier = additive_pareto_frontier(
        grouped.tables, allowed=grouped.allowed, time_limit=TIME_LIMIT
    )
    choices = grouped.expand(grouped_frontier.choices)
    order = frontier_order(choices, grouped_frontier.utilities)
    method = "issue-wise over linked issue groups"
    if grouped.merged:
        method += " (interchangeable options merged: one outcome listed for each class)"
    if progress is not None:
        progress.advance(1, 1)
    return _Found(
        Frontier(choices[order], grouped_frontier.utilities[order]),
        int(grouped.outcomes(grouped_frontier.choices).sum()),
        method,
        grouped.tables,
        grouped.allowed,
        grouped.multiplicity,
        grouped.zone,
    )


def _find_frontier(
    compiled: ScenarioUtilities, *, name: str | None, progress: Progress | None, enumeration_limit: int
) -> _Found:
    """The exact frontier: from the utilities' structure where it gives one, else by enumeration;
    refused before it starts when estimated to take more than :data:`~accord.analysis.cost.TIME_LIMIT`."""
    agenda = compiled.agenda
    too_large = "capped utilities or issue groups too large to list"
    planned = None
    if not compiled.additive or compiled.has_cross_issue_red_lines:
        planned = planned_groups(compiled, enumeration_limit=enumeration_limit)
    if planned is not None:
        estimate = _sized(compiled, _group_work(planned, len(compiled.parties)))
        if estimate > TIME_LIMIT:
            rows = sum(plan.rows for plan in planned)
            raise _too_slow(compiled, name, estimate, f"{rows:,} combinations of linked issues")
    try:
        found = _structured_frontier(
            compiled, planned, progress=progress, enumeration_limit=enumeration_limit
        )
    except AnalysisError as error:  # the issue-wise merge grew too large: enumeration may still do
        found, too_large = None, str(error)
    if found is not None:
        return found
    if agenda.size > enumeration_limit:
        raise _refusal(
            compiled,
            name,
            f"{agenda.size:,} outcomes ({too_large}) exceed the enumeration limit of {enumeration_limit:,}",
        )
    estimate = _sized(compiled, _enumeration_work(compiled))
    if estimate > TIME_LIMIT:
        raise _too_slow(compiled, name, estimate, f"enumerated: {too_large}")
    census = outcome_census(
        agenda.sizes,
        compiled.evaluate,
        acceptable=compiled.acceptable if compiled.has_red_lines else None,
        reservations=compiled.reservations,
        progress=progress,
    )
    return _Found(
        census.frontier,
        len(census.frontier),
        "enumeration",
        zone=ZoneSize(census.rational, "counted by enumeration"),
    )


def exact_frontier(
    compiled: ScenarioUtilities,
    *,
    progress: Progress | None = None,
    enumeration_limit: int = ENUMERATION_LIMIT,
) -> Frontier:
    """The exact Pareto frontier of the outcomes crossing no red line: the one :func:`analyze` gives.

    Additive utilities, and interactions or red lines linking issues into groups, give it
    without enumerating the space; otherwise the space is enumerated in chunks. Raises
    :class:`AnalysisError` when that would take more than ``enumeration_limit`` outcomes
    (or class combinations of a group of linked issues).

    >>> from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
    >>> from accord.preferences import scenario_utilities
    >>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"), Option("rome"))),))
    >>> north = Preferences({"venue": 1.0}, {"venue": {"geneva": 1.0, "oslo": 0.5, "rome": 0.4}})
    >>> south = Preferences({"venue": 1.0}, {"venue": {"geneva": 0.0, "oslo": 0.5, "rome": 0.4}})
    >>> parties = (Party("north", preferences=north), Party("south", preferences=south))
    >>> scenario = Scenario("talks", agenda, parties)
    >>> exact_frontier(scenario_utilities(scenario)).utilities.tolist()
    [[1.0, 0.0], [0.5, 0.5]]
    """
    found = _find_frontier(compiled, name=None, progress=progress, enumeration_limit=enumeration_limit)
    return found.frontier


def analyze(
    scenario: Scenario,
    *,
    parties: Sequence[str] | None = None,
    progress: Progress | None = None,
    enumeration_limit: int = ENUMERATION_LIMIT,
) -> Analysis:
    """Analyse ``scenario`` for its delegations (or the named ``parties``, in that order).

    Additive utilities whose red lines each concern one issue get the exact
    issue-wise frontier; red lines across issues and interactions are handled
    exactly by merging the issues they link into groups (:mod:`accord.analysis.grouping`);
    only capped utilities, a group too large to list or a frontier too large to merge
    make the outcome space be enumerated in chunks (reporting to ``progress``), refused
    with :class:`AnalysisError` beyond ``enumeration_limit`` outcomes (the frontier is
    :func:`exact_frontier`'s). The result is deterministic.
    """
    compiled = scenario_utilities(scenario)
    if parties is not None:
        unknown = [name for name in parties if name not in compiled.parties]
        if unknown:
            raise AnalysisError(f"no delegation named {unknown[0]!r}; known: {', '.join(compiled.parties)}")
        compiled = compiled.restricted_to(parties)
    if not compiled.parties:
        raise AnalysisError(f"scenario {scenario.name!r} has no delegation with preferences")
    reservations = compiled.reservations
    found = _find_frontier(
        compiled, name=scenario.name, progress=progress, enumeration_limit=enumeration_limit
    )
    frontier = found.frontier
    utilities = frontier.utilities
    return Analysis(
        agenda=compiled.agenda,
        parties=compiled.parties,
        reservations=reservations,
        frontier=frontier,
        nash=nash_point(utilities, reservations),
        kalai_smorodinsky=kalai_smorodinsky_point(utilities, reservations),
        max_welfare=max_welfare_point(utilities, reservations),
        egalitarian=egalitarian_point(utilities, reservations),
        agreement_zone=found.agreement_zone(reservations),
        opposition=opposition(utilities),
        blocking=blocking_masks(utilities, reservations),
        frontier_method=found.method,
        frontier_outcomes=found.outcomes,
    )
