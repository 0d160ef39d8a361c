"""Negotiating strategies for delegations and mediators, and their registry.

>>> sorted(AGENTS.ids())[:3]
['boulware-v1', 'conceder-v1', 'drafter-v1']
"""

from accord.agents.base import Agent, SeatContext
from accord.agents.concession import (
    BoulwareAgent,
    ConcederAgent,
    ConcessionCurve,
    LinearAgent,
    TimeBasedAgent,
)
from accord.agents.frequency import FrequencyAgent
from accord.agents.mediators import DrafterMediator, HillClimbingMediator, NashMediator
from accord.agents.random_agent import RandomAgent
from accord.agents.registry import AGENTS, agent_by_id, agent_roles, check_seat, default_agent_for
from accord.agents.tit_for_tat import TitForTatAgent

__all__ = [
    "AGENTS",
    "Agent",
    "BoulwareAgent",
    "ConcederAgent",
    "ConcessionCurve",
    "DrafterMediator",
    "FrequencyAgent",
    "HillClimbingMediator",
    "LinearAgent",
    "NashMediator",
    "RandomAgent",
    "SeatContext",
    "TimeBasedAgent",
    "TitForTatAgent",
    "agent_by_id",
    "agent_roles",
    "check_seat",
    "default_agent_for",
]
