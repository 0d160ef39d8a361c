"""The joint analysis of a process: each party's worth across tracks, the joint frontier, cross-track trades.

A party of a process (:attr:`accord.domain.process.Process.parties`) is worth, for a choice
of one outcome per track, the weighted sum of its seats' utilities there. The joint Pareto
frontier lies within the product of the tracks' own frontiers (an outcome dominated in its
track stays dominated jointly: every party's share from that track gets no worse), so it
is merged one track at a time from :func:`accord.analysis.exact_frontier`'s frontiers,
pruned by :func:`accord.analysis.pareto_mask` after each merge (exact, as the issue-wise
merge is: a dominated partial combination stays dominated whatever the next track adds).

A cross-track trade is a joint frontier point that makes no party worse off and one better
off than the tracks' separate Nash points (each track's :func:`accord.analysis.nash_point`):
what linking the tracks can give that agreeing each on its own cannot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.cost import TIME_LIMIT, Work, duration, seconds
from accord.analysis.pareto import PARETO_TOLERANCE, pareto_mask
from accord.analysis.summary import Analysis, analyze
from accord.domain.process import Process
from accord.errors import AnalysisError

__all__ = ["JOINT_LIMIT", "JointAnalysis", "analyze_process", "joint_frontier", "seat_weights"]

#: Most combinations of frontier points merged at once (rows × columns of one merge).
JOINT_LIMIT = 5_000_000


def seat_weights(process: Process, track_index: int, delegations: Sequence[str]) -> np.ndarray:
    """``(n_delegations, n_parties)``: the weight of each delegation's utility of the track in each
    process party's worth (one non-zero entry per row)."""
    track = process.tracks[track_index]
    parties = process.parties
    weights = np.zeros((len(delegations), len(parties)))
    for column, party in enumerate(parties):
        seat = party.seat(track.name)
        if seat is not None and seat in delegations:
            weights[list(delegations).index(seat), column] = party.weight(track.name)
    return weights


def joint_frontier(
    contributions: Sequence[np.ndarray], *, limit: int = JOINT_LIMIT, time_limit: float | None = TIME_LIMIT
) -> tuple[np.ndarray, np.ndarray]:
    """The Pareto frontier of every combination of one row per track.

    ``contributions[t]: (m_t, n_parties)`` is what each frontier point of track ``t`` adds
    to each party's worth. Returns ``rows: (m, n_tracks)`` (the row chosen in each track)
    and ``utilities: (m, n_parties)``, rows sorted by utilities (first party first, highest
    first). Raises :class:`AnalysisError` when a merge would exceed ``limit`` combinations, or
    the merges so far and the next would take more than ``time_limit`` seconds (estimated before
    each merge as the issue-wise merge estimates its steps, :mod:`accord.analysis.cost`).

    >>> first = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    >>> second = np.array([[0.0, 0.0, 1.0], [0.5, 0.0, 0.5]])
    >>> rows, utilities = joint_frontier([first, second])
    >>> rows.tolist(), utilities.tolist()
    ([[0, 1], [0, 0], [1, 1], [1, 0]], [[1.5, 0.0, 0.5], [1.0, 0.0, 1.0], [0.5, 1.0, 0.5], [0.0, 1.0, 1.0]])
    """
    n_parties = contributions[0].shape[1]
    rows = np.zeros((1, 0), dtype=np.int64)
    utilities = np.zeros((1, n_parties))
    spent, kept_share = 0.0, 1.0
    for track, table in enumerate(contributions):
        size = len(rows) * len(table)
        if size > limit:
            raise AnalysisError(
                f"the joint frontier would merge {size:,} combinations at track {track + 1}, "
                f"more than {limit:,}"
            )
        # the new Pareto set: about as large a share of the combinations as the last merge kept
        spent += seconds(Work("merge", size, max(len(rows), size * kept_share)), n_parties=n_parties)
        if time_limit is not None and spent > time_limit:
            raise AnalysisError(
                f"the joint frontier grows to {len(rows):,} combinations by track {track}; merging "
                f"track {track + 1} of {len(contributions)} would take about {duration(spent)} or more, "
                f"more than the {time_limit:.0f} s allowed"
            )
        merged = (utilities[:, None, :] + table[None, :, :]).reshape(-1, n_parties)
        chosen = np.concatenate(
            [np.repeat(rows, len(table), axis=0), np.tile(np.arange(len(table)), len(rows))[:, None]], axis=1
        )
        keep = pareto_mask(merged) if len(merged) else np.zeros(0, dtype=bool)
        kept_share = int(keep.sum()) / max(1, size)
        rows, utilities = chosen[keep], merged[keep]
    order = np.lexsort((*rows.T[::-1], *(-utilities.T[::-1])))
    return rows[order], utilities[order]


@dataclass(frozen=True, slots=True)
class JointAnalysis:
    """What :func:`analyze_process` found; :meth:`to_dict` is ``accord analyze PROCESS --json``.

    ``tracks``: each track's own :class:`Analysis`. ``rows: (m, n_tracks)`` the frontier row of
    each track in each joint frontier point, ``utilities: (m, n_parties)`` every party's worth
    there. ``nash_rows``: each track's Nash row (``None`` when a track has none);
    ``trades``: the joint frontier points that Pareto-improve on the Nash points together.
    """

    process: Process
    tracks: tuple[Analysis, ...]
    parties: tuple[str, ...]
    reservations: np.ndarray
    rows: np.ndarray
    utilities: np.ndarray
    nash_rows: tuple[int, ...] | None
    nash_utilities: np.ndarray | None
    trades: np.ndarray

    def _choice(self, rows: Sequence[int]) -> dict[str, Any]:
        return {
            track.name: analysis.point(int(row))["outcome"]  # type: ignore[index]
            for track, analysis, row in zip(self.process.tracks, self.tracks, rows, strict=True)
        }

    def _worth(self, values: np.ndarray) -> dict[str, float]:
        return {party: float(value) for party, value in zip(self.parties, values, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready summary: tracks, parties and their seats, the joint frontier and the trades."""
        nash = None
        if self.nash_rows is not None and self.nash_utilities is not None:
            nash = {"outcomes": self._choice(self.nash_rows), "worth": self._worth(self.nash_utilities)}
        trades = []
        for index in self.trades:
            worth = self.utilities[index]
            assert self.nash_utilities is not None
            gains = worth - self.nash_utilities
            trades.append(
                {
                    "outcomes": self._choice(self.rows[index].tolist()),
                    "worth": self._worth(worth),
                    "gains": self._worth(gains),
                    "everyone_gains": bool(np.all(gains > PARETO_TOLERANCE)),
                }
            )
        return {
            "process": self.process.name,
            "tracks": {
                track.name: {
                    "protocol": track.protocol,
                    "parties": list(analysis.parties),
                    "pareto_size": len(analysis.frontier),
                    "agreement_zone_size": analysis.agreement_zone.count,
                    "nash": analysis.point(analysis.nash),
                }
                for track, analysis in zip(self.process.tracks, self.tracks, strict=True)
            },
            "parties": [
                {
                    "name": party.name,
                    "seats": dict(party.seats),
                    "weights": {track: party.weight(track) for track, _ in party.seats},
                    "reservation": float(reservation),
                }
                for party, reservation in zip(self.process.parties, self.reservations, strict=True)
            ],
            "joint_pareto_size": len(self.rows),
            "separate_nash": nash,
            "trades": trades,
        }


def analyze_process(process: Process) -> JointAnalysis:
    """Analyse every track (:func:`accord.analysis.analyze`) and the tracks together."""
    analyses = tuple(analyze(track.scenario) for track in process.tracks)
    contributions = []
    reservations = np.zeros(len(process.parties))
    for index, analysis in enumerate(analyses):
        weights = seat_weights(process, index, analysis.parties)
        contributions.append(analysis.frontier.utilities @ weights)
        reservations += analysis.reservations @ weights
    if any(len(analysis.frontier) == 0 for analysis in analyses):
        rows, utilities = np.zeros((0, len(analyses)), dtype=np.int64), np.zeros((0, len(process.parties)))
    else:
        rows, utilities = joint_frontier(contributions)
    nash_rows: tuple[int, ...] | None = None
    nash_utilities = None
    trades = np.zeros(0, dtype=np.int64)
    if all(analysis.nash is not None for analysis in analyses):
        nash_rows = tuple(int(analysis.nash) for analysis in analyses if analysis.nash is not None)
        nash_utilities = sum(
            (table[row] for table, row in zip(contributions, nash_rows, strict=True)),
            np.zeros(len(reservations)),
        )
        no_worse = np.all(utilities >= nash_utilities - PARETO_TOLERANCE, axis=1)
        better = np.any(utilities > nash_utilities + PARETO_TOLERANCE, axis=1)
        trades = np.flatnonzero(no_worse & better)
        # The largest least gain first: the trades that share their gains most evenly.
        least = (utilities[trades] - nash_utilities).min(axis=1) if len(trades) else np.zeros(0)
        trades = trades[np.argsort(-least, kind="stable")]
    return JointAnalysis(
        process=process,
        tracks=analyses,
        parties=tuple(party.name for party in process.parties),
        reservations=reservations,
        rows=rows,
        utilities=utilities,
        nash_rows=nash_rows,
        nash_utilities=nash_utilities,
        trades=trades,
    )
