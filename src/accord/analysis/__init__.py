"""Exact analysis of a scenario, as pure numpy functions over plain arrays plus one facade.

:func:`analyze` gives an :class:`Analysis` (its ``to_dict()`` is ``accord analyze --json``).
The pieces: the Pareto mask and its tolerance (:mod:`.pareto`), the issue-wise and
enumerated frontier and the one limit on enumeration (:mod:`.frontier`), bargaining
points (:mod:`.bargaining`) and the agreement zone, opposition and blocking (:mod:`.zone`).
Every other part of Accord (sessions, tournaments, agents, reports) asks these
functions rather than computing a frontier or a bargaining point of its own.
"""

from accord.analysis.bargaining import (
    distance_to_point,
    egalitarian_point,
    kalai_smorodinsky_point,
    max_welfare_point,
    nash_point,
    rational_mask,
)
from accord.analysis.frontier import (
    ENUMERATION_LIMIT,
    Census,
    Progress,
    additive_pareto_frontier,
    outcome_census,
)
from accord.analysis.pareto import PARETO_TOLERANCE, Frontier, dominated_by, pareto_mask
from accord.analysis.summary import Analysis, analyze, exact_frontier
from accord.analysis.zone import (
    ZoneSize,
    additive_zone_size,
    blocking_masks,
    furthest_apart,
    opposition,
)

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
    "distance_to_point",
    "dominated_by",
    "egalitarian_point",
    "exact_frontier",
    "furthest_apart",
    "kalai_smorodinsky_point",
    "max_welfare_point",
    "nash_point",
    "opposition",
    "outcome_census",
    "pareto_mask",
    "rational_mask",
]
