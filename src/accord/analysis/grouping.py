"""Exact analysis beyond additivity: group the issues that red lines and interactions link.

A red line or an interaction ties together the issues it names; utilities remain
additive *across* the groups that such links leave apart. Each group becomes one
"super-issue" whose options are the group's option combinations, with a table of
utilities (additive parts plus the interactions inside the group) and an
allowed mask (the red lines inside the group). The issue-wise exact frontier and
the exact zone count then run over the groups unchanged.

A group too large to list is first shrunk by merging *interchangeable* options:
options of one issue that every party values alike and that every red line and
interaction treats alike (:func:`interchangeable_options`). Each class is listed
once, by its first option, and each combination carries its *multiplicity*, how
many outcomes it stands for. If the classes still combine into too many rows, the
group is reduced in blocks to its own Pareto set (the combinations that no other
combination of the group dominates — enough for the whole frontier, since
utilities add up across groups); its agreement zone is then counted in the same
pass when it is the only group, and said to be unknown otherwise. Only beyond
:data:`~accord.analysis.frontier.ENUMERATION_LIMIT` class combinations is the space left to
enumeration.

>>> groups = linked_issue_groups(4, [(0, 2), (2, 3)])
>>> groups
((0, 2, 3), (1,))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.analysis.frontier import ENUMERATION_LIMIT, Progress
from accord.analysis.pareto import PARETO_TOLERANCE, dominated_by, pareto_mask
from accord.analysis.zone import ZoneSize
from accord.preferences import ScenarioUtilities
from accord.preferences.utility import CompiledRedLine, PartyUtility

__all__ = [
    "GROUP_LIMIT",
    "GroupedSpace",
    "PlannedGroup",
    "group_issues",
    "interchangeable_options",
    "linked_issue_groups",
    "planned_groups",
]

#: A group may have at most this many option combinations to be listed as one super-issue.
GROUP_LIMIT = 2_000_000

#: Candidate outcomes evaluated at once in the blockwise pass (about 100 MB of temporaries).
_BLOCK_ELEMENTS = 1 << 21

#: With more than two parties, candidates are first tested against a Pareto set found so far of
#: at most this many rows (pairwise); two parties are tested against any size (by sorting).
_PREFILTER_ROWS = 64


def linked_issue_groups(n_issues: int, links: Sequence[Sequence[int]]) -> tuple[tuple[int, ...], ...]:
    """Connected groups of issue positions, each sorted, ordered by their first issue."""
    parent = list(range(n_issues))

    def root(position: int) -> int:
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    for link in links:
        for other in link[1:]:
            first, second = root(link[0]), root(other)
            if first != second:
                parent[max(first, second)] = min(first, second)
    members: dict[int, list[int]] = {}
    for position in range(n_issues):
        members.setdefault(root(position), []).append(position)
    return tuple(tuple(group) for _, group in sorted(members.items()))


@dataclass(frozen=True, slots=True)
class GroupedSpace:
    """The outcome space seen as groups of linked issues.

    ``groups[g]``: issue positions of group ``g``; ``combinations[g]: (n_g, len(groups[g]))``
    option indices; ``tables[g]: (n_g, n_parties)`` utilities the group contributes;
    ``allowed[g]: (n_g,)`` combinations that cross no red line; ``multiplicity[g]: (n_g,)``
    how many outcomes of the group each row stands for (1 unless options were merged).
    ``complete``: every group lists all its combinations (or classes of them); when one was
    reduced to its Pareto set, ``zone`` holds the agreement zone found in that pass.
    """

    groups: tuple[tuple[int, ...], ...]
    combinations: tuple[np.ndarray, ...]
    tables: tuple[np.ndarray, ...]
    allowed: tuple[np.ndarray, ...]
    multiplicity: tuple[np.ndarray, ...]
    merged: bool = False
    complete: bool = True
    zone: ZoneSize | None = None

    def expand(self, group_choices: np.ndarray) -> np.ndarray:
        """Per-issue ``choices: (m, n_issues)`` from per-group ``group_choices: (m, n_groups)``."""
        n_issues = sum(len(group) for group in self.groups)
        choices = np.empty((group_choices.shape[0], n_issues), dtype=np.int64)
        for index, group in enumerate(self.groups):
            choices[:, list(group)] = self.combinations[index][group_choices[:, index]]
        return choices

    def outcomes(self, group_choices: np.ndarray) -> np.ndarray:
        """``(m,)`` how many outcomes each row of per-group ``group_choices`` stands for."""
        counts = np.ones(group_choices.shape[0], dtype=np.int64)
        for index, multiplicity in enumerate(self.multiplicity):
            counts *= multiplicity[group_choices[:, index]]
        return counts


def _all_combinations(sizes: Sequence[int]) -> np.ndarray:
    grids = np.meshgrid(*[np.arange(size) for size in sizes], indexing="ij")
    return np.stack([grid.ravel() for grid in grids], axis=1).astype(np.int64)


def _links(member: PartyUtility) -> tuple[CompiledRedLine, ...]:
    return (*member.red_lines, *(combination for combination, _ in member.interactions))


def interchangeable_options(compiled: ScenarioUtilities, position: int) -> tuple[np.ndarray, np.ndarray]:
    """Classes of the options of issue ``position`` that nothing in the preferences tells apart.

    Two options are interchangeable when every party's table gives them the same value
    and every red line and interaction term on the issue holds for both or for neither:
    swapping one for the other changes no utility and crosses no other line. Returns each
    class's first option (ascending) and the class sizes.
    """
    features = [member.tables[position][:, None] for member in compiled.members]
    for member in compiled.members:
        for line in _links(member):
            features.extend(
                mask[:, None].astype(np.float64) for where, mask in line.terms if where == position
            )
    _, first, counts = np.unique(
        np.concatenate(features, axis=1), axis=0, return_index=True, return_counts=True
    )
    order = np.argsort(first)
    return first[order].astype(np.int64), counts[order].astype(np.int64)


def _holds(line: CompiledRedLine, group: Sequence[int], combinations: np.ndarray) -> np.ndarray:
    """Whether every term of ``line`` on the issues of ``group`` holds (terms elsewhere are ignored)."""
    holds = np.ones(combinations.shape[0], dtype=bool)
    for position, mask in line.terms:
        if position in group:
            holds &= mask[combinations[:, list(group).index(position)]]
    return holds


def _additive(member: PartyUtility, group: Sequence[int], combinations: np.ndarray) -> np.ndarray:
    total = np.zeros(combinations.shape[0], dtype=np.float64)
    for column, position in enumerate(group):
        total += member.tables[position][combinations[:, column]]
    return total


def _combined(options: Sequence[np.ndarray], weights: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Every combination of ``options[i]`` (option indices per issue), and the outcomes each stands for."""
    indices = _all_combinations([len(choice) for choice in options])
    rows = np.stack([choice[indices[:, column]] for column, choice in enumerate(options)], axis=1)
    multiplicity = np.ones(rows.shape[0], dtype=np.int64)
    for column, weight in enumerate(weights):
        multiplicity *= weight[indices[:, column]]
    return rows, multiplicity


def _listed(
    compiled: ScenarioUtilities,
    group: tuple[int, ...],
    options: Sequence[np.ndarray],
    weights: Sequence[np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every combination of ``options`` (per issue of ``group``): rows, table, allowed, multiplicity."""
    rows, multiplicity = _combined(options, weights)
    table = np.zeros((rows.shape[0], len(compiled.members)), dtype=np.float64)
    ok = np.ones(rows.shape[0], dtype=bool)
    for party, member in enumerate(compiled.members):
        table[:, party] = _additive(member, group, rows)
        for combination, value in member.interactions:
            if combination.terms[0][0] in group:
                table[:, party] += value * _holds(combination, group, rows)
        for line in member.red_lines:
            if line.terms[0][0] in group:
                ok &= ~_holds(line, group, rows)
    return rows, table, ok, multiplicity


def _reduced(
    compiled: ScenarioUtilities,
    group: tuple[int, ...],
    options: Sequence[np.ndarray],
    weights: Sequence[np.ndarray],
    *,
    progress: Progress | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """The group's Pareto set among combinations crossing no red line, found in blocks.

    The group's issues are cut into two halves; a combination is a pair of half
    combinations, and each party's utility of a block of pairs is its additive parts
    plus one matrix product of "every term in this half holds" indicators per
    interaction. Returns the Pareto rows, their utilities, their multiplicities and
    the number of outcomes (multiplicities summed) that cross no red line and that every
    party values at or above its reservation value.
    """
    sizes = [len(choice) for choice in options]
    split = min(range(1, len(group)), key=lambda cut: abs(math.prod(sizes[:cut]) - math.prod(sizes[cut:])))
    halves = (group[:split], group[split:])
    parts = (_combined(options[:split], weights[:split]), _combined(options[split:], weights[split:]))
    rows, counts = [part[0] for part in parts], [part[1] for part in parts]
    members = compiled.members
    # Only the interactions and red lines inside this group (their terms all lie in it).
    inside = [
        [(line, value) for line, value in member.interactions if line.terms[0][0] in group]
        for member in members
    ]
    additive = [
        [_additive(member, half, part) for member in members] for half, part in zip(halves, rows, strict=True)
    ]
    interactions = [
        [
            np.stack([_holds(line, half, part) for line, _ in own], axis=1).astype(np.float64)
            if own
            else np.zeros((part.shape[0], 0))
            for own in inside
        ]
        for half, part in zip(halves, rows, strict=True)
    ]
    values = [np.array([value for _, value in own], dtype=np.float64) for own in inside]
    lines = [line for member in members for line in member.red_lines if line.terms[0][0] in group]
    crossing = [
        np.stack([_holds(line, half, part) for line in lines], axis=1).astype(np.float64)
        if lines
        else np.zeros((part.shape[0], 0))
        for half, part in zip(halves, rows, strict=True)
    ]
    threshold = compiled.reservations - PARETO_TOLERANCE
    width = rows[1].shape[0]
    step = max(1, _BLOCK_ELEMENTS // width)
    best_pairs = np.zeros((0, 2), dtype=np.int64)
    best_utilities = np.zeros((0, len(members)))
    rational = 0
    for start in range(0, rows[0].shape[0], step):
        stop = min(rows[0].shape[0], start + step)
        # party by party, (block rows, width): each party's utility of every pair in the block
        planes = []
        for party in range(len(members)):
            plane = additive[0][party][start:stop, None] + additive[1][party][None, :]
            if values[party].size:
                plane += (interactions[0][party][start:stop] * values[party]) @ interactions[1][party].T
            planes.append(plane)
        ok = (crossing[0][start:stop] @ crossing[1].T) < 0.5 if lines else np.ones(planes[0].shape, bool)
        reaching = ok.copy()
        for party, plane in enumerate(planes):
            reaching &= plane >= threshold[party]
        # outcomes the pairs stand for: left counts × (reaching pairs × right counts)
        rational += int(counts[0][start:stop] @ (reaching.astype(np.int64) @ counts[1]))
        flat = np.flatnonzero(ok.ravel())
        utilities = np.stack([plane.ravel()[flat] for plane in planes], axis=1)
        if best_utilities.shape[0] and (len(members) == 2 or best_utilities.shape[0] <= _PREFILTER_ROWS):
            # Most candidates are beaten by the Pareto set found so far: drop them before sorting.
            alive = ~dominated_by(utilities, best_utilities)
            flat, utilities = flat[alive], utilities[alive]
        local = pareto_mask(utilities)
        pairs = np.stack([flat[local] // width + start, flat[local] % width], axis=1)
        pooled_pairs = np.concatenate([best_pairs, pairs])
        pooled = np.concatenate([best_utilities, utilities[local]])
        kept = pareto_mask(pooled)
        best_pairs, best_utilities = pooled_pairs[kept], pooled[kept]
        if progress is not None:
            progress.advance(stop, rows[0].shape[0])
    combined = np.concatenate([rows[0][best_pairs[:, 0]], rows[1][best_pairs[:, 1]]], axis=1)
    multiplicity = counts[0][best_pairs[:, 0]] * counts[1][best_pairs[:, 1]]
    return combined, best_utilities, multiplicity, rational


@dataclass(frozen=True, slots=True)
class PlannedGroup:
    """How one group of linked issues will be handled: ``issues`` (positions), ``options[i]`` the
    option indices listed for its ``i``-th issue (class representatives when merged) and
    ``weights[i]`` how many options each stands for; ``blockwise`` when the combinations are
    too many to list and are reduced in blocks to their Pareto set."""

    issues: tuple[int, ...]
    options: tuple[np.ndarray, ...]
    weights: tuple[np.ndarray, ...]
    merged: bool
    blockwise: bool

    @property
    def rows(self) -> int:
        """Option combinations listed, or pairs of half combinations valued in blocks."""
        return math.prod(len(choice) for choice in self.options)


def planned_groups(
    compiled: ScenarioUtilities,
    *,
    limit: int = GROUP_LIMIT,
    enumeration_limit: int = ENUMERATION_LIMIT,
) -> tuple[PlannedGroup, ...] | None:
    """How :func:`group_issues` will handle each group, found without listing any; ``None`` when
    the grouped space cannot be had exactly (see :func:`group_issues`)."""
    if any(member.capped for member in compiled.members):
        return None
    sizes = compiled.agenda.sizes
    groups = linked_issue_groups(
        len(sizes),
        [
            tuple(position for position, _ in line.terms)
            for member in compiled.members
            for line in _links(member)
        ],
    )
    planned = []
    for group in groups:
        options = tuple(np.arange(sizes[position], dtype=np.int64) for position in group)
        weights = tuple(np.ones(sizes[position], dtype=np.int64) for position in group)
        merged = math.prod(len(choice) for choice in options) > limit
        if merged:
            classes = [interchangeable_options(compiled, position) for position in group]
            options, weights = tuple(first for first, _ in classes), tuple(count for _, count in classes)
        count = math.prod(len(choice) for choice in options)
        if count > limit and (count > enumeration_limit or len(group) == 1):
            return None
        planned.append(PlannedGroup(group, options, weights, merged, blockwise=count > limit))
    return tuple(planned)


def group_issues(
    compiled: ScenarioUtilities,
    *,
    limit: int = GROUP_LIMIT,
    enumeration_limit: int = ENUMERATION_LIMIT,
    progress: Progress | None = None,
    planned: Sequence[PlannedGroup] | None = None,
) -> GroupedSpace | None:
    """The grouped space of ``compiled``, or ``None`` when it cannot be had exactly.

    ``None`` when some party's utility is capped (weights summing above 1: then no
    part of the space is additive) or when a group's classes of interchangeable options
    combine into more than ``enumeration_limit`` rows. ``progress`` hears of the blockwise pass;
    ``planned`` is :func:`planned_groups`'s answer when the caller has it already.
    """
    if planned is None:
        planned = planned_groups(compiled, limit=limit, enumeration_limit=enumeration_limit)
    if planned is None:
        return None
    combinations, tables, allowed, multiplicities = [], [], [], []
    zone = None
    for plan in planned:
        group, options, weights = plan.issues, plan.options, plan.weights
        if not plan.blockwise:
            rows, table, ok, multiplicity = _listed(compiled, group, options, weights)
        else:
            rows, table, multiplicity, rational = _reduced(
                compiled, group, options, weights, progress=progress
            )
            ok = np.ones(rows.shape[0], dtype=bool)
            zone = (
                ZoneSize(rational, "counted in blocks over classes of interchangeable options")
                if len(planned) == 1
                else ZoneSize(None, "a group of linked issues was reduced to its Pareto set")
            )
        combinations.append(rows)
        tables.append(table)
        allowed.append(ok)
        multiplicities.append(multiplicity)
    return GroupedSpace(
        tuple(plan.issues for plan in planned),
        tuple(combinations),
        tuple(tables),
        tuple(allowed),
        tuple(multiplicities),
        merged=any(plan.merged for plan in planned),
        complete=zone is None,
        zone=zone,
    )
