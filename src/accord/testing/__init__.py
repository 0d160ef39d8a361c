"""Tools for testing Accord and plugins: random legal actions, conformance checks for agents and protocols."""

from accord.testing.conformance import ConformanceError, check_agent, check_protocol, conformance_scenarios
from accord.testing.random_actions import random_action, random_outcome, random_session

__all__ = [
    "ConformanceError",
    "check_agent",
    "check_protocol",
    "conformance_scenarios",
    "random_action",
    "random_outcome",
    "random_session",
]
