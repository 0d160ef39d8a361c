"""Exact analysis of a scenario, as pure numpy functions over plain arrays plus one facade.

:func:`analyze` gives an :class:`Analysis` (its ``to_dict()`` is ``accord analyze --json``).
The pieces: the Pareto mask and its tolerance (:mod:`.pareto`), the issue-wise and
enumerated frontier (:mod:`.frontier`), bargaining points (:mod:`.bargaining`) and
the agreement zone, opposition and blocking (:mod:`.zone`).
"""

from accord.analysis.bargaining import (
    egalitarian_point,
    kalai_smorodinsky_point,
    max_welfare_point,
    nash_point,
    rational_mask,
)
from accord.analysis.frontier import Census, Progress, additive_pareto_frontier, outcome_census
from accord.analysis.pareto import PARETO_TOLERANCE, Frontier, dominated_by, pareto_mask
from accord.analysis.summary import ENUMERATION_LIMIT, Analysis, analyze, exact_frontier
from accord.analysis.zone import ZoneSize, additive_zone_size, blocking_masks, opposition

__all__ = [
    "ENUMERATION_LIMIT",
    "PARETO_TOLERANCE",
    "Analysis",
    "Census",
    "Frontier",
    "Progress",
    "ZoneSize",
    "additive_pareto_frontier",
    "additive_zone_size",
    "analyze",
    "blocking_masks",
    "dominated_by",
    "egalitarian_point",
    "exact_frontier",
    "kalai_smorodinsky_point",
    "max_welfare_point",
    "nash_point",
    "opposition",
    "outcome_census",
    "pareto_mask",
    "rational_mask",
]
