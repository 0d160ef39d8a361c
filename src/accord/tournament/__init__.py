"""Tournaments: a frozen config, seeded sessions, local and Ray runners writing flat records,
and a result set that reads them (the leaderboard, Parquet and CSV files).

The Ray backend lives in :mod:`accord.tournament.ray_backend`, imported only when used.
"""

from accord.tournament.config import SessionPlan, SessionSpec, TournamentConfig, assignments, session_specs
from accord.tournament.results import TIMING_COLUMNS, ResultSet, Standing
from accord.tournament.runner import Progress, Record, run_batch, run_local, run_range, run_spec

__all__ = [
    "TIMING_COLUMNS",
    "Progress",
    "Record",
    "ResultSet",
    "SessionPlan",
    "SessionSpec",
    "Standing",
    "TournamentConfig",
    "assignments",
    "run_batch",
    "run_local",
    "run_range",
    "run_spec",
    "session_specs",
]
