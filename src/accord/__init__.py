"""Accord: an engine for mediated multi-party negotiation.

>>> from accord import analyze, load_scenario
"""

from accord.analysis import Analysis, analyze
from accord.io import load_scenario

__all__ = ["Analysis", "analyze", "load_scenario"]
