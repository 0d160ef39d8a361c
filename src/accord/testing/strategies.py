"""Hypothesis strategies for analysis tests: small additive domains with ties, and small scenarios.

Option values are multiples of 0.25 and weights a few decimals, so equal utility
vectors (ties) and sums that differ only in the last bits are common — the cases
a Pareto tolerance must get right.

>>> from hypothesis import given
>>> @given(additive_tables())
... def check(tables):
...     assert all(table.shape[1] == tables[0].shape[1] for table in tables)
>>> check()
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st

from accord.domain import (
    Agenda,
    Condition,
    DiscreteIssue,
    Interaction,
    Option,
    Party,
    Preferences,
    RedLine,
    Scenario,
)

__all__ = ["additive_tables", "small_scenarios", "utility_matrices"]

_VALUES = (0.0, 0.25, 0.5, 0.75, 1.0)
_WEIGHTS = (0.1, 0.2, 0.25, 0.3, 0.5)


@st.composite
def utility_matrices(
    draw: st.DrawFn, *, max_rows: int = 40, min_parties: int = 1, max_parties: int = 5
) -> np.ndarray:
    """``(n, n_parties)`` utilities, either from a coarse grid (many ties) or arbitrary floats in [0, 1]."""
    n_parties = draw(st.integers(min_parties, max_parties))
    n_rows = draw(st.integers(0, max_rows))
    if draw(st.booleans()):
        cells = st.sampled_from(_VALUES)
    else:
        cells = st.floats(0.0, 1.0, allow_nan=False, allow_subnormal=False)
    values = draw(st.lists(cells, min_size=n_rows * n_parties, max_size=n_rows * n_parties))
    return np.array(values, dtype=np.float64).reshape(n_rows, n_parties)


@st.composite
def additive_tables(
    draw: st.DrawFn,
    *,
    min_parties: int = 2,
    max_parties: int = 4,
    max_issues: int = 4,
    max_options: int = 4,
) -> tuple[np.ndarray, ...]:
    """Issue tables ``(n_options_i, n_parties)`` of weight × value, values multiples of 0.25."""
    n_parties = draw(st.integers(min_parties, max_parties))
    n_issues = draw(st.integers(1, max_issues))
    tables = []
    for _ in range(n_issues):
        n_options = draw(st.integers(1, max_options))
        weights = np.array(draw(st.lists(st.sampled_from(_WEIGHTS), min_size=n_parties, max_size=n_parties)))
        cells = draw(
            st.lists(st.sampled_from(_VALUES), min_size=n_options * n_parties, max_size=n_options * n_parties)
        )
        tables.append(np.array(cells).reshape(n_options, n_parties) * weights)
    return tuple(tables)


@st.composite
def small_scenarios(
    draw: st.DrawFn,
    *,
    max_parties: int = 4,
    max_issues: int = 4,
    max_options: int = 4,
    red_lines: bool = True,
    interactions: bool = False,
    capped: bool = False,
) -> Scenario:
    """A scenario of discrete issues and two or more delegations, small enough to enumerate.

    Reservation values come from a coarse grid; with ``red_lines`` some parties forbid
    options of one issue or combinations across two; with ``interactions`` some
    parties' utilities are not additive; with ``capped`` weights may sum past 1
    (utility capped at 1, not additive either).
    """
    n_issues = draw(st.integers(1, max_issues))
    issues = tuple(
        DiscreteIssue(
            f"issue{index}", tuple(Option(f"o{j}") for j in range(draw(st.integers(1, max_options))))
        )
        for index in range(n_issues)
    )
    agenda = Agenda(issues)
    parties = []
    for number in range(draw(st.integers(2, max_parties))):
        scale = 1.0 if capped else 1.0 / n_issues
        weights = {issue.name: draw(st.sampled_from(_WEIGHTS)) * scale for issue in issues}
        values = {
            issue.name: {option: draw(st.sampled_from(_VALUES)) for option in issue.values}
            for issue in issues
        }
        lines: list[RedLine] = []
        if red_lines and draw(st.integers(0, 3)) == 0:
            first = draw(st.sampled_from(issues))
            conditions = [Condition(first.name, (draw(st.sampled_from(first.values)),))]
            if n_issues > 1 and draw(st.booleans()):
                second = draw(st.sampled_from([issue for issue in issues if issue is not first]))
                conditions.append(Condition(second.name, (draw(st.sampled_from(second.values)),)))
            lines.append(RedLine(tuple(conditions)))
        extras: list[Interaction] = []
        if interactions and draw(st.booleans()):
            first = draw(st.sampled_from(issues))
            condition = Condition(first.name, (draw(st.sampled_from(first.values)),))
            extras.append(Interaction((condition,), draw(st.sampled_from((-0.25, 0.25, 0.5)))))
        preferences = Preferences(
            weights,
            values,
            reservation=draw(st.sampled_from((0.0, 0.0, 0.1, 0.25, 0.4))),
            red_lines=tuple(lines),
            interactions=tuple(extras),
        )
        parties.append(Party(f"party{number}", preferences=preferences))
    return Scenario("generated", agenda, tuple(parties))
