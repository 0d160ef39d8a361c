"""Utility functions: the one bridge from domain objects to arrays."""

from accord.preferences.utility import (
    PartyUtility,
    ScenarioUtilities,
    party_utility,
    scenario_utilities,
)

__all__ = ["PartyUtility", "ScenarioUtilities", "party_utility", "scenario_utilities"]
