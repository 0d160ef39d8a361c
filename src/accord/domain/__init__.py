"""Domain objects: frozen, no I/O, no arrays beyond outcome enumeration."""

from accord.domain.coalitions import join_delegations, joint_preferences
from accord.domain.issues import (
    Agenda,
    DiscreteIssue,
    IntegerIssue,
    Issue,
    Option,
    Outcome,
    RealIssue,
    Value,
)
from accord.domain.parties import (
    Condition,
    Interaction,
    Party,
    Preferences,
    RedLine,
    Role,
    ValueFunction,
)
from accord.domain.scenario import Dimension, Scenario, check_preferences

__all__ = [
    "Agenda",
    "Condition",
    "Dimension",
    "DiscreteIssue",
    "IntegerIssue",
    "Interaction",
    "Issue",
    "Option",
    "Outcome",
    "Party",
    "Preferences",
    "RealIssue",
    "RedLine",
    "Role",
    "Scenario",
    "Value",
    "ValueFunction",
    "check_preferences",
    "join_delegations",
    "joint_preferences",
]
