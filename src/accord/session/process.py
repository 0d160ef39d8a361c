"""``run_process``: every track of a process played round by round, the cross-track conditions enforced.

Each round is one :func:`~accord.session.run_session` on its track's scenario with the
delegations present (a round with absentees seats only those who came), played in the
order :meth:`~accord.domain.process.Process.order` gives (by date; undated, round by round,
a track whose issues others require first). A session's package agrees every issue of its
track at once, so a track's agreement is checked as agreeing all its issues:

- agreed by every delegation of the track and breaking no condition: the track is settled
  (``agreed``) and plays no further round;
- breaking a condition (:func:`~accord.domain.process.new_violations` given what the other
  tracks have agreed so far): ``refused``, with the reason naming the condition, the other
  track and its issue; the agreement does not count and the track plays its next round;
- agreed with a delegation absent: ``agreed by those present``, theirs alone: an absent
  delegation is not bound, and the track plays on;
- otherwise the session's own ending (``deadline``, ``walk-out``, ``rejected``).

Seeds: one per round, spawned from the process's seed in the order played, so the same
seed gives the same process to the byte.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.domain.process import Process, Round, new_violations
from accord.session.loop import DEFAULT_TIME_LIMIT, run_session
from accord.session.result import SessionResult

__all__ = ["ProcessResult", "RoundResult", "run_process"]

AGREED = "agreed"
REFUSED = "refused"
AGREED_BY_THOSE_PRESENT = "agreed by those present"


@dataclass(frozen=True, slots=True)
class RoundResult:
    """One round of one track: who came, how it ended (``outcome``), and the session played.

    ``outcome``: ``agreed``, ``refused`` (``refusal`` says why), ``agreed by those present``,
    ``not held`` (fewer than two delegations came; ``session`` is ``None``), or the session's
    own ending.
    """

    track: str
    round: Round
    present: tuple[str, ...]
    outcome: str
    session: SessionResult | None
    refusal: str = ""

    def to_dict(self) -> dict[str, Any]:
        session = self.session
        return {
            "track": self.track,
            "round": self.round.label,
            "start": None if self.round.start is None else self.round.start.isoformat(),
            "end": None if self.round.end is None else self.round.end.isoformat(),
            "present": list(self.present),
            "absent": list(self.round.absent),
            "outcome": self.outcome,
            "refusal": self.refusal or None,
            "agreement": None if session is None else session.agreement_mapping(),
            "utilities": {} if session is None else dict(session.utilities),
            "session": None if session is None else session.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class ProcessResult:
    """Every round played, in order, and what each track and deadline came to."""

    process: Process
    seed: int
    rounds: tuple[RoundResult, ...]

    def settled(self, track: str) -> RoundResult | None:
        """The round that settled ``track``, or ``None``."""
        return next((item for item in self.rounds if item.track == track and item.outcome == AGREED), None)

    def deadlines(self) -> list[dict[str, Any]]:
        """Each deadline and how it stood (agreement dated by the end of the round that settled it)."""
        result = []
        for deadline in self.process.deadlines:
            track = self.process.track(deadline.track)
            settled = self.settled(deadline.track)
            agreed_on: datetime.date | None = None if settled is None else settled.round.end
            first = track.sessions[0].start
            result.append(
                {
                    "track": deadline.track,
                    "issue": deadline.issue,
                    "by": deadline.by.isoformat(),
                    "source": deadline.source,
                    "status": deadline.status(first, agreed_on),
                }
            )
        return result

    def to_dict(self) -> dict[str, Any]:
        tracks = {}
        for track in self.process.tracks:
            settled = self.settled(track.name)
            tracks[track.name] = {
                "protocol": track.protocol,
                "settled_in": None if settled is None else settled.round.label,
                "agreement": None
                if settled is None or settled.session is None
                else settled.session.agreement_mapping(),
                "utilities": None
                if settled is None or settled.session is None
                else dict(settled.session.utilities),
            }
        return {
            "process": self.process.name,
            "seed": self.seed,
            "tracks": tracks,
            "rounds": [item.to_dict() for item in self.rounds],
            "deadlines": self.deadlines(),
        }


def run_process(
    process: Process,
    *,
    seed: int,
    rounds: int = 100,
    agents: Mapping[str, Mapping[str, str]] | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
) -> ProcessResult:
    """Play every track of ``process`` round by round (``rounds``: each session's deadline).

    ``agents``: track → seat → agent id (seats left out get the protocol's default agent);
    ``time_limit`` is each agent call's, as :func:`~accord.session.run_session` takes it.
    """
    order = process.order()
    seeds = np.random.SeedSequence(seed).spawn(len(order))
    agreed: dict[str, frozenset[str]] = {track.name: frozenset() for track in process.tracks}
    played: list[RoundResult] = []
    for (track, round_), child in zip(order, seeds, strict=True):
        if agreed[track.name]:
            continue  # settled in an earlier round
        present = tuple(name for name in track.delegations if name not in round_.absent)
        if len(present) < 2:
            played.append(RoundResult(track.name, round_, present, "not held", None))
            continue
        scenario = track.scenario if not round_.absent else track.scenario.restricted_to(present)
        seated = {
            seat: agent
            for seat, agent in (agents or {}).get(track.name, {}).items()
            if seat not in round_.absent
        }
        round_seed = int(child.generate_state(1)[0])
        session = run_session(
            scenario, track.protocol, seated, seed=round_seed, rounds=rounds, time_limit=time_limit
        )
        if session.agreement is None:
            played.append(RoundResult(track.name, round_, present, session.reason, session))
            continue
        if round_.absent:
            played.append(RoundResult(track.name, round_, present, AGREED_BY_THOSE_PRESENT, session))
            continue
        after = {**agreed, track.name: frozenset(track.issues)}
        broken = new_violations(process.conditions, agreed, after)
        if broken:
            reason = "; ".join(violation.reason for violation in broken)
            played.append(RoundResult(track.name, round_, present, REFUSED, session, refusal=reason))
            continue
        agreed = after
        played.append(RoundResult(track.name, round_, present, AGREED, session))
    return ProcessResult(process, seed, tuple(played))
