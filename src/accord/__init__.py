"""Accord: an engine for mediated multi-party negotiation.

The three entry points most scripts need: load a scenario, analyse it, run talks on it.

>>> from accord import analyze, load_scenario, run_session
"""

from accord.analysis import Analysis, analyze
from accord.io import load_scenario
from accord.session import SessionResult, run_session

__all__ = ["Analysis", "SessionResult", "analyze", "load_scenario", "run_session"]
