"""Exact analysis beyond additivity: group the issues that red lines and interactions link.

A red line or an interaction ties together the issues it names; utilities remain
additive *across* the groups that such links leave apart. Each group becomes one
"super-issue" whose options are the group's option combinations, with a table of
utilities (additive parts plus the interactions inside the group) and an
allowed mask (the red lines inside the group). The issue-wise exact frontier and
the exact zone count then run over the groups unchanged. Only a group whose
combinations are too many to list falls back to enumerating the whole space.

>>> groups = linked_issue_groups(4, [(0, 2), (2, 3)])
>>> groups
((0, 2, 3), (1,))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from accord.preferences import ScenarioUtilities
from accord.preferences.utility import CompiledRedLine

__all__ = ["GroupedSpace", "group_issues", "linked_issue_groups"]

#: A group may have at most this many option combinations to be listed as one super-issue.
GROUP_LIMIT = 2_000_000


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
    ``allowed[g]: (n_g,)`` combinations that cross no red line.
    """

    groups: tuple[tuple[int, ...], ...]
    combinations: tuple[np.ndarray, ...]
    tables: tuple[np.ndarray, ...]
    allowed: tuple[np.ndarray, ...]

    def expand(self, group_choices: np.ndarray) -> np.ndarray:
        """Per-issue ``choices: (m, n_issues)`` from per-group ``group_choices: (m, n_groups)``."""
        n_issues = sum(len(group) for group in self.groups)
        choices = np.empty((group_choices.shape[0], n_issues), dtype=np.int64)
        for index, group in enumerate(self.groups):
            choices[:, list(group)] = self.combinations[index][group_choices[:, index]]
        return choices


def _all_combinations(sizes: Sequence[int]) -> np.ndarray:
    grids = np.meshgrid(*[np.arange(size) for size in sizes], indexing="ij")
    return np.stack([grid.ravel() for grid in grids], axis=1).astype(np.int64)


def _holds(line: CompiledRedLine, group: tuple[int, ...], combinations: np.ndarray) -> np.ndarray:
    holds = np.ones(combinations.shape[0], dtype=bool)
    for position, mask in line.terms:
        holds &= mask[combinations[:, group.index(position)]]
    return holds


def group_issues(compiled: ScenarioUtilities, *, limit: int = GROUP_LIMIT) -> GroupedSpace | None:
    """The grouped space of ``compiled``, or ``None`` when it cannot be had exactly.

    ``None`` when some party's utility is capped (weights summing above 1: then no
    part of the space is additive) or when a group has more than ``limit`` combinations.
    """
    if any(member.capped for member in compiled.members):
        return None
    links = [
        tuple(position for position, _ in line.terms)
        for member in compiled.members
        for line in (*member.red_lines, *(combination for combination, _ in member.interactions))
    ]
    sizes = compiled.agenda.sizes
    groups = linked_issue_groups(len(sizes), links)
    if any(math.prod(sizes[position] for position in group) > limit for group in groups):
        return None
    combinations, tables, allowed = [], [], []
    for group in groups:
        rows = _all_combinations([sizes[position] for position in group])
        table = np.zeros((rows.shape[0], len(compiled.members)), dtype=np.float64)
        ok = np.ones(rows.shape[0], dtype=bool)
        for party, member in enumerate(compiled.members):
            for column, position in enumerate(group):
                table[:, party] += member.tables[position][rows[:, column]]
            for combination, value in member.interactions:
                if combination.terms[0][0] in group:
                    table[:, party] += value * _holds(combination, group, rows)
            for line in member.red_lines:
                if line.terms[0][0] in group:
                    ok &= ~_holds(line, group, rows)
        combinations.append(rows)
        tables.append(table)
        allowed.append(ok)
    return GroupedSpace(groups, tuple(combinations), tuple(tables), tuple(allowed))
