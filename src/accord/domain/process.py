"""A process: linked tracks of talks, their rounds, the parties they share and the conditions tying them.

A :class:`Process` groups :class:`Track`\\ s (each a scenario and the protocol its talks follow,
in :class:`Round`\\ s of talks), :class:`LinkedParty` entries saying which delegations of
different tracks are one party (a delegation sitting in two tracks, or a faction inside two
delegations) and how much each track weighs for it, :class:`TrackCondition`\\ s ("Geneva's
security issue cannot be agreed before Astana's ceasefire-monitoring issue is") and
dated :class:`Deadline`\\ s. Constructors keep the invariants and raise
:class:`~accord.errors.DomainError` with the field path of the process file.

:func:`violations` is the one check of the conditions, pure: given the issues each track has
agreed, which conditions are broken and why; :func:`new_violations` is what a change of the
agreed issues would break (the engine and the rooms refuse such a change with its reason).

>>> from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario
>>> def talks(name, issue):
...     agenda = Agenda((DiscreteIssue(issue, (Option("yes"), Option("no"))),))
...     wants = Preferences({issue: 1.0}, {issue: {"yes": 1.0}})
...     return Scenario(name, agenda, (Party("A", preferences=wants), Party("B", preferences=wants)))
>>> condition = TrackCondition("political", "security", "ceasefire", "monitoring")
>>> process = Process("linked", (Track("political", talks("p", "security"), "shuttle"),
...                              Track("ceasefire", talks("c", "monitoring"), "alternating-offers")),
...                   conditions=(condition,))
>>> (broken,) = violations(process.conditions, {"political": {"security"}})
>>> broken.reason
"condition 1: security in track 'political' cannot be agreed before monitoring in track 'ceasefire' is"
>>> violations(process.conditions, {"political": {"security"}, "ceasefire": {"monitoring"}})
()
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from accord.domain.invariants import require_in_range, require_name, require_unique
from accord.domain.scenario import Scenario
from accord.errors import DomainError

__all__ = [
    "Deadline",
    "LinkedParty",
    "Process",
    "Round",
    "Track",
    "TrackCondition",
    "Violation",
    "new_violations",
    "violations",
]

#: Agreed issues per track: track name → the names of the issues agreed there.
Agreed = Mapping[str, Collection[str]]


@dataclass(frozen=True, slots=True)
class Round:
    """A round of talks of one track ("Geneva IV"): its dates, if known, and who stayed away."""

    label: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    absent: tuple[str, ...] = ()
    #: Where the round's dates and attendance are on record (or why they are assumed).
    source: str = ""

    def __post_init__(self) -> None:
        subject = f"Round {self.label!r}"
        require_name(subject, ("label",), self.label, "a round")
        if (self.start is None) != (self.end is None):
            raise DomainError(
                subject, ("end" if self.end is None else "start",), "give both start and end, or neither"
            )
        if self.start is not None and self.end is not None and self.end < self.start:
            raise DomainError(
                subject, ("end",), f"the round ends ({self.end}) before it starts ({self.start})"
            )
        require_unique(subject, "absent", self.absent, "absent delegation")


@dataclass(frozen=True, slots=True)
class Track:
    """One track of the process: its scenario, the protocol its talks follow, and its rounds in order.

    A track without rounds is talks of one round named after the track (:attr:`sessions`).
    """

    name: str
    scenario: Scenario
    protocol: str
    rounds: tuple[Round, ...] = ()

    def __post_init__(self) -> None:
        subject = f"Track {self.name!r}"
        require_name(subject, ("name",), self.name, "a track")
        require_name(subject, ("protocol",), self.protocol, "a protocol")
        delegations = {party.name for party in self.scenario.delegations}
        if len(delegations) < 2:
            raise DomainError(
                subject, ("scenario",), "a track needs at least two delegations with preferences"
            )
        labels: set[str] = set()
        for index, round_ in enumerate(self.rounds):
            if round_.label in labels:
                raise DomainError(
                    subject, ("rounds", index, "label"), f"the round {round_.label!r} is listed twice"
                )
            labels.add(round_.label)
            for position, name in enumerate(round_.absent):
                if name not in delegations:
                    raise DomainError(
                        subject,
                        ("rounds", index, "absent", position),
                        f"no delegation named {name!r} in this track",
                    )

    @property
    def sessions(self) -> tuple[Round, ...]:
        """The rounds of talks, or one round named after the track when none are listed."""
        return self.rounds or (Round(self.name),)

    @property
    def delegations(self) -> tuple[str, ...]:
        return tuple(party.name for party in self.scenario.delegations)

    @property
    def issues(self) -> tuple[str, ...]:
        return self.scenario.agenda.names


@dataclass(frozen=True, slots=True)
class LinkedParty:
    """One party of the process and its seats: ``seats`` as (track, delegation) pairs, ``weights`` as
    (track, weight) pairs in the same order; its worth across the tracks is the weighted sum of its
    seats' utilities (weight 1 each unless stated)."""

    name: str
    seats: tuple[tuple[str, str], ...]
    weights: tuple[float, ...] = ()
    #: Where the link (or the weights) is on public record; empty with ``assumption``.
    source: str = ""
    assumption: bool = False

    def __post_init__(self) -> None:
        subject = f"Linked party {self.name!r}"
        require_name(subject, ("name",), self.name, "a party")
        if not self.seats:
            raise DomainError(subject, ("seats",), "name at least one seat")
        require_unique(subject, "seats", (track for track, _ in self.seats), "track")
        if self.weights and len(self.weights) != len(self.seats):
            raise DomainError(subject, ("weights",), "give a weight for every seat, or none")
        for (track, _), weight in zip(self.seats, self.weights, strict=False):
            require_in_range(subject, ("weights", track), weight, low=0.0, high=1e6, open_low=True)

    def weight(self, track: str) -> float:
        """The weight of ``track`` in this party's worth (0 where it has no seat)."""
        for position, (name, _) in enumerate(self.seats):
            if name == track:
                return self.weights[position] if self.weights else 1.0
        return 0.0

    def seat(self, track: str) -> str | None:
        return next((delegation for name, delegation in self.seats if name == track), None)


@dataclass(frozen=True, slots=True)
class TrackCondition:
    """``issue`` in ``track`` cannot be agreed before ``requires_issue`` in ``requires_track`` is."""

    track: str
    issue: str
    requires_track: str
    requires_issue: str
    reason: str = ""
    source: str = ""
    assumption: bool = False

    def describe(self) -> str:
        return (
            f"{self.issue} in track {self.track!r} cannot be agreed before "
            f"{self.requires_issue} in track {self.requires_track!r} is"
        )


def _refuse_cycles(subject: str, conditions: tuple[TrackCondition, ...]) -> None:
    """:class:`DomainError` at the first condition that closes a cycle of issues each waiting for the next:
    none of them could ever be agreed."""
    waits: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for index, condition in enumerate(conditions):
        waiting = (condition.track, condition.issue)
        required = (condition.requires_track, condition.requires_issue)
        waits.setdefault(waiting, []).append(required)
        path = _path(waits, required, waiting)
        if path is not None:
            shown = " → ".join(f"{issue} in track {track!r}" for track, issue in [waiting, *path])
            raise DomainError(
                subject,
                ("conditions", index, "requires"),
                f"waits on what waits on it ({shown}): none of them could ever be agreed",
            )


def _path(
    waits: dict[tuple[str, str], list[tuple[str, str]]], start: tuple[str, str], goal: tuple[str, str]
) -> list[tuple[str, str]] | None:
    """The issues from ``start`` to ``goal`` following what each waits for (breadth first), or ``None``."""
    came_from: dict[tuple[str, str], tuple[str, str] | None] = {start: None}
    queue = [start]
    for node in queue:
        if node == goal:
            path = [node]
            while (previous := came_from[path[-1]]) is not None:
                path.append(previous)
            return path[::-1]
        for following in waits.get(node, ()):
            if following not in came_from:
                came_from[following] = node
                queue.append(following)
    return None


@dataclass(frozen=True, slots=True)
class Deadline:
    """``issue`` in ``track`` is to be agreed by ``by`` (e.g. resolution 2254's six and eighteen months)."""

    track: str
    issue: str
    by: datetime.date
    source: str = ""

    def status(self, first_round: datetime.date | None, agreed_on: datetime.date | None) -> str:
        """How the deadline stood: met, missed, or already past when the track's first round opened."""
        if agreed_on is not None:
            return f"met: agreed on {agreed_on}" if agreed_on <= self.by else f"missed: agreed on {agreed_on}"
        if first_round is not None and first_round > self.by:
            return f"already past when the first round opened ({first_round})"
        return "not agreed"


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken condition: its position in :attr:`Process.conditions` (0-based) and why."""

    index: int
    condition: TrackCondition

    @property
    def reason(self) -> str:
        return f"condition {self.index + 1}: {self.condition.describe()}"


def violations(conditions: tuple[TrackCondition, ...], agreed: Agreed) -> tuple[Violation, ...]:
    """The conditions broken when each track has agreed the issues ``agreed`` names (track → issues).

    A condition is broken when its issue is agreed and the issue it requires is not.
    """
    return tuple(
        Violation(index, condition)
        for index, condition in enumerate(conditions)
        if condition.issue in agreed.get(condition.track, ())
        and condition.requires_issue not in agreed.get(condition.requires_track, ())
    )


def new_violations(
    conditions: tuple[TrackCondition, ...], before: Agreed, after: Agreed
) -> tuple[Violation, ...]:
    """The conditions a change from ``before`` to ``after`` would break that were not broken before.

    Agreeing an issue before the one it requires, and reopening a required issue once the
    issue depending on it is agreed, both break a condition.

    >>> condition = TrackCondition("geneva", "ct", "astana", "monitoring")
    >>> both = {"geneva": {"ct"}, "astana": {"monitoring"}}
    >>> [item.index for item in new_violations((condition,), both, {"geneva": {"ct"}, "astana": set()})]
    [0]
    """
    already = {violation.index for violation in violations(conditions, before)}
    return tuple(violation for violation in violations(conditions, after) if violation.index not in already)


@dataclass(frozen=True, slots=True)
class Process:
    """Tracks of talks run side by side, with the parties they share and the conditions tying them."""

    name: str
    tracks: tuple[Track, ...]
    linked: tuple[LinkedParty, ...] = ()
    conditions: tuple[TrackCondition, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        subject = f"Process {self.name!r}"
        require_name(subject, ("name",), self.name, "a process")
        if not self.tracks:
            raise DomainError(subject, ("tracks",), "a process needs at least one track")
        require_unique(subject, "tracks", (track.name for track in self.tracks), "track")
        tracks = {track.name: track for track in self.tracks}
        require_unique(subject, "parties", (party.name for party in self.linked), "party")
        taken: dict[tuple[str, str], str] = {}
        for index, party in enumerate(self.linked):
            for track_name, delegation in party.seats:
                where: tuple[str | int, ...] = ("parties", index, "seats", track_name)
                track = tracks.get(track_name)
                if track is None:
                    raise DomainError(subject, where, f"no track named {track_name!r}")
                if delegation not in track.delegations:
                    raise DomainError(
                        subject, where, f"no delegation named {delegation!r} in track {track_name!r}"
                    )
                if (track_name, delegation) in taken:
                    other = taken[(track_name, delegation)]
                    raise DomainError(subject, where, f"{delegation!r} is already a seat of {other!r}")
                taken[(track_name, delegation)] = party.name
        for index, condition in enumerate(self.conditions):
            for field, track_name, issue in (
                ("track", condition.track, condition.issue),
                ("requires", condition.requires_track, condition.requires_issue),
            ):
                track = tracks.get(track_name)
                if track is None:
                    raise DomainError(subject, ("conditions", index, field), f"no track named {track_name!r}")
                if issue not in track.issues:
                    where = (
                        "conditions",
                        index,
                        "issue" if field == "track" else field,
                    )
                    raise DomainError(subject, where, f"no issue named {issue!r} in track {track_name!r}")
            if condition.track == condition.requires_track:
                raise DomainError(
                    subject, ("conditions", index, "requires"), "a condition ties two different tracks"
                )
        _refuse_cycles(subject, self.conditions)
        for index, deadline in enumerate(self.deadlines):
            track = tracks.get(deadline.track)
            if track is None:
                raise DomainError(
                    subject, ("deadlines", index, "track"), f"no track named {deadline.track!r}"
                )
            if deadline.issue not in track.issues:
                where = ("deadlines", index, "issue")
                raise DomainError(
                    subject, where, f"no issue named {deadline.issue!r} in track {deadline.track!r}"
                )
        dated = [round_.start is not None for track in self.tracks for round_ in track.rounds]
        if any(dated) and not all(dated):
            position = next(
                (track_index, index)
                for track_index, track in enumerate(self.tracks)
                for index, round_ in enumerate(track.rounds)
                if round_.start is None
            )
            raise DomainError(
                subject, ("tracks", position[0], "rounds", position[1], "start"), "date every round, or none"
            )

    def track(self, name: str) -> Track:
        for track in self.tracks:
            if track.name == name:
                return track
        raise KeyError(f"no track named {name!r}")

    @property
    def parties(self) -> tuple[LinkedParty, ...]:
        """Every party of the process: the linked parties as stated, then each delegation not seated by
        one, delegations of the same name in several tracks being one party (weight 1 each)."""
        seated = {seat for party in self.linked for seat in party.seats}
        names = {party.name for party in self.linked}
        found: dict[str, list[tuple[str, str]]] = {}
        for track in self.tracks:
            for delegation in track.delegations:
                if (track.name, delegation) not in seated:
                    found.setdefault(delegation, []).append((track.name, delegation))
        extra = []
        for delegation, seats in found.items():
            name = (
                delegation if delegation not in names else f"{delegation} ({', '.join(t for t, _ in seats)})"
            )
            extra.append(LinkedParty(name, tuple(seats)))
        return self.linked + tuple(extra)

    def order(self) -> tuple[tuple[Track, Round], ...]:
        """The rounds of every track in the order they are held.

        Dated rounds: by start date (then end date). Undated: the first round of every track, then
        the second, and so on. Ties go first to a track whose issues another track's conditions
        require (so the required agreement can come first), then to the file's order.
        """
        rank = _dependency_rank(self)
        played = [
            (track, position, round_)
            for track in self.tracks
            for position, round_ in enumerate(track.sessions)
        ]

        def key(item: tuple[Track, int, Round]) -> tuple[object, ...]:
            track, position, round_ = item
            when = (round_.start, round_.end) if round_.start is not None else (position,)
            return (*when, rank[track.name])

        return tuple((track, round_) for track, _, round_ in sorted(played, key=key))


def _dependency_rank(process: Process) -> dict[str, int]:
    """Each track's place when tied: tracks required by others' conditions first, then file order
    (a cycle of conditions keeps the file's order among its tracks)."""
    requires: dict[str, set[str]] = {track.name: set() for track in process.tracks}
    for condition in process.conditions:
        requires[condition.track].add(condition.requires_track)
    ranked: list[str] = []
    remaining = [track.name for track in process.tracks]
    while remaining:
        ready = [name for name in remaining if not (requires[name] - set(ranked))] or remaining[:1]
        ranked.append(ready[0])
        remaining.remove(ready[0])
    return {name: position for position, name in enumerate(ranked)}
