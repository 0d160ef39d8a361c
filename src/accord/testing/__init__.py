"""Tools for testing Accord and plugins: random legal actions, conformance checks for agents and protocols."""

from accord.testing.conformance import check_agent, check_protocol, conformance_scenarios, conformance_setups
from accord.testing.failures import ConformanceError, Where
from accord.testing.protocol_checks import (
    RandomRun,
    check_observations,
    check_random_run,
    check_refusals,
    check_walk_away,
)
from accord.testing.random_actions import random_action, random_outcome, random_session
from accord.testing.record_checks import check_ending, check_new_events, check_replayable
from accord.testing.seal_checks import Probing, check_sealed_observations, writable_parts

__all__ = [
    "ConformanceError",
    "Probing",
    "RandomRun",
    "Where",
    "check_agent",
    "check_ending",
    "check_new_events",
    "check_observations",
    "check_protocol",
    "check_random_run",
    "check_refusals",
    "check_replayable",
    "check_sealed_observations",
    "check_walk_away",
    "conformance_scenarios",
    "conformance_setups",
    "random_action",
    "random_outcome",
    "random_session",
    "writable_parts",
]
