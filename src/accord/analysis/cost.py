"""What an analysis will cost, estimated before the work starts, so that none runs past a minute.

Every path of the exact analysis works through rows, each valued for every party: the
outcomes enumerated, the option combinations a group of linked issues lists, the pairs of
half combinations its blockwise pass values, the candidates of an issue-wise merge step.
Keeping the Pareto-optimal rows is a sort for two parties; for more, each row is compared
with the Pareto set found so far, so a row costs more the larger that set is. The estimate
is therefore ``rows × parties × (seconds per row + seconds per comparison × Pareto set)``;
the Pareto set's size is read from a seeded sample of the outcomes and scaled to the rows
at hand as random points' sets grow (with ``(ln rows)^(parties − 1)``). The constants were
measured on a 2-core machine shared with other work (``tests/analysis/test_analysis_cost.py``
holds the cases).

>>> seconds(Work("enumeration", 10**6), n_parties=2) < 10 < seconds(Work("enumeration", 10**8), n_parties=2)
True
>>> seconds(Work("enumeration", 10**6), n_parties=5, frontier=1000.0)
16.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from accord.analysis.pareto import pareto_mask
from accord.preferences import ScenarioUtilities

__all__ = ["TIME_LIMIT", "Work", "duration", "expected_frontier", "seconds"]

#: The longest an analysis may be expected to take, in seconds; a longer one is refused before it starts.
TIME_LIMIT = 60.0

#: Seconds to value one row for one party and keep it or not (two parties: by sorting), per kind of work.
ROW_SECONDS = {
    "enumeration": 1.8e-6,  # unravel, value and test red lines of each outcome
    "listing": 3e-6,  # list a group's combinations with their tables, sort them all
    "blocks": 1.3e-6,  # a group's pairs of half combinations, valued and sorted block by block
    "blocks ruled out": 2.5e-7,  # the same, most rows ruled out before sorting (two parties)
    "merge": 5e-7,  # add one issue's options to the partial packages
}

#: Seconds to compare one row with one row of the Pareto set found so far, for one party (three
#: parties or more); less where most rows are ruled out first by the strongest few.
COMPARISON_SECONDS = {"enumeration": 1.5e-9, "listing": 1.5e-9, "blocks": 4e-10, "merge": 1.5e-9}

#: Outcomes drawn to read the size of the Pareto set (three parties or more).
SAMPLE_ROWS = 4096


@dataclass(frozen=True, slots=True)
class Work:
    """``rows`` of one ``kind`` of work (a key of :data:`ROW_SECONDS`), each compared with a
    Pareto set of ``frontier`` rows (three parties or more)."""

    kind: str
    rows: int
    frontier: float = 0.0


def seconds(work: Work, *, n_parties: int, frontier: float | None = None) -> float:
    """The estimated seconds ``work`` takes for ``n_parties`` (``frontier`` overrides ``work.frontier``)."""
    pareto = work.frontier if frontier is None else frontier
    comparisons = COMPARISON_SECONDS.get(work.kind, 0.0) * pareto if n_parties > 2 else 0.0
    per_row = ROW_SECONDS[work.kind] + comparisons
    return work.rows * n_parties * per_row


def expected_frontier(compiled: ScenarioUtilities, rows: int) -> float:
    """The expected size of the Pareto set of ``rows`` outcomes of ``compiled``'s space, read
    from :data:`SAMPLE_ROWS` seeded outcomes (``0`` for two parties or fewer: not needed)."""
    n_parties = len(compiled.parties)
    if n_parties <= 2 or rows <= 1:
        return 0.0
    sizes = compiled.agenda.sizes
    generator = np.random.default_rng(0)
    sample = np.stack([generator.integers(0, size, SAMPLE_ROWS) for size in sizes], axis=1)
    if compiled.has_red_lines:
        sample = sample[compiled.acceptable(sample)]
    if sample.shape[0] < 2:
        return 0.0
    found = int(pareto_mask(compiled.evaluate(sample)).sum())
    growth = (math.log(max(rows, 2)) / math.log(sample.shape[0])) ** (n_parties - 1)
    return float(min(rows, found * max(1.0, growth)))


def duration(estimate: float) -> str:
    """An estimated time in words, rounded as estimates deserve.

    >>> duration(0.4), duration(42.0), duration(185.0), duration(2e5)
    ('under a second', '40 s', '3 min', '56 h')
    """
    if estimate < 1:
        return "under a second"
    if estimate < 100:
        return f"{max(1, round(estimate, -1 if estimate >= 10 else 0)):.0f} s"
    if estimate < 6000:
        return f"{estimate / 60:.0f} min"
    return f"{estimate / 3600:.0f} h"
