"""Running tournament sessions and turning each into one flat record.

:func:`run_spec` plays one :class:`~accord.tournament.config.SessionSpec` and
returns a record of plain values (str, int, float, bool, ``None``):

``index, scenario, protocol, repetition, seed, mediator`` — what was played (``mediator``:
the agent id that played the mediator's seat — the spec's ``mediator`` if it names one, else
the protocol's default — ``None`` in a protocol without one);
``seat_i, agent_i`` — delegation ``i`` (from 1, seating order) and the agent id in it;
``reason, rounds, agreement`` — how it ended (``agreement`` as a JSON object, or ``None``);
``utility_i`` — delegation ``i``'s utility of the end; ``welfare`` their sum;
``pareto_optimal`` — whether the agreement is Pareto optimal (``None`` without one);
``nash_distance`` — the Euclidean distance in utility space from the agreement to the Nash
point of :func:`accord.analysis.analyze` (``None`` without an agreement, without a rational
outcome, or in a scenario too large to analyse — the same scenarios whose ``pareto_optimal``
is ``None``);
``seconds`` — wall time of the session, the only column that differs between runs
(see :data:`~accord.tournament.results.TIMING_COLUMNS`).

:func:`run_local` plays a whole tournament in this process or in a pool of
processes; records come back in session order whatever ``jobs`` is, and a seeded
tournament gives identical records (timing aside) on one process or many.
"""

from __future__ import annotations

import functools
import json
import math
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Protocol

import numpy as np

from accord.domain import Scenario
from accord.tournament.config import SessionPlan, SessionSpec, TournamentConfig

__all__ = ["Progress", "Record", "run_batch", "run_local", "run_range", "run_spec", "shares"]

Record = dict[str, Any]


class Progress(Protocol):
    """Told how many sessions are done out of how many (e.g. a progress bar)."""

    def advance(self, done: int, total: int) -> None: ...


@functools.lru_cache(maxsize=64)
def _scenario(path: str, text: str | None) -> Scenario:
    """The scenario of ``path``, parsed from ``text`` when given (a worker without the file).

    Memoised so that every session on a scenario shares one (frozen) scenario object, and so
    the session memo of :mod:`accord.compiled`. ``functools.lru_cache`` is safe under threads
    (two threads may both parse a new file; both scenarios are equal, and the memo keeps one).
    """
    from accord.io import load_scenario, parse_scenario

    return load_scenario(path) if text is None else parse_scenario(text, source=path)


def _nash_distance(scenario: Scenario, reached: Mapping[str, float]) -> float | None:
    """The distance from the delegations' utilities ``reached`` to the Nash point (the session memo's)."""
    from accord.analysis import distance_to_point
    from accord.compiled import compiled_scenario

    compiled = compiled_scenario(scenario)
    nash = compiled.nash_utilities()
    if nash is None:
        return None
    return distance_to_point([float(reached[party]) for party in compiled.utilities.parties], nash)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) else number


def run_spec(spec: SessionSpec, *, source: str | None = None) -> Record:
    """Play one session and return its flat record (``source``: the scenario file's text, if shipped)."""
    from accord.session import run_session

    scenario = _scenario(spec.scenario, source)
    started = time.perf_counter()
    result = run_session(scenario, spec.protocol, _seated(spec, scenario), seed=spec.seed, rounds=spec.rounds)
    return _record(spec, scenario, result, time.perf_counter() - started)


def _seated(spec: SessionSpec, scenario: Scenario) -> dict[str, str]:
    """Seat → agent id of ``spec``: its delegations' agents, and its mediator's when it names one
    (a seat left out gets the protocol's default agent)."""
    seated = dict(zip(spec.seats, spec.agents, strict=True))
    if spec.mediator is not None:
        from accord.session import seating

        seated[seating(scenario, spec.protocol).mediator] = spec.mediator
    return seated


class _Ended(Protocol):
    """How a session ended: a :class:`~accord.session.SessionResult` or a batch's
    :class:`~accord.batch.SessionSummary` (the same values)."""

    @property
    def protocol(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def rounds(self) -> int: ...
    @property
    def utilities(self) -> Mapping[str, float]: ...
    @property
    def pareto_optimal(self) -> bool | None: ...
    @property
    def agents(self) -> Mapping[str, str]: ...
    def agreement_mapping(self) -> dict[str, Any] | None: ...


def _record(spec: SessionSpec, scenario: Scenario, result: _Ended, seconds: float) -> Record:
    """The flat record of ``spec``, which ended as ``result`` after ``seconds``."""
    seating = dict(zip(spec.seats, spec.agents, strict=True))
    mediators = [agent for seat, agent in result.agents.items() if seat not in seating]
    record: Record = {
        "index": spec.index,
        "scenario": spec.scenario,
        "protocol": result.protocol,
        "repetition": spec.repetition,
        "seed": spec.seed,
        "mediator": mediators[0] if mediators else None,
    }
    for number, (seat, agent) in enumerate(seating.items(), start=1):
        record[f"seat_{number}"] = seat
        record[f"agent_{number}"] = agent
    agreement = result.agreement_mapping()
    record["reason"] = result.reason
    record["rounds"] = result.rounds
    record["agreement"] = None if agreement is None else json.dumps(agreement)
    total = 0.0
    for number, seat in enumerate(spec.seats, start=1):
        utility = _number(result.utilities.get(seat))
        record[f"utility_{number}"] = utility
        total += utility or 0.0
    record["welfare"] = total
    record["pareto_optimal"] = result.pareto_optimal
    record["nash_distance"] = None if agreement is None else _nash_distance(scenario, result.utilities)
    record["seconds"] = seconds
    return record


def run_batch(specs: Sequence[SessionSpec], sources: Mapping[str, str] | None = None) -> list[Record]:
    """Play ``specs`` and return their records in order (one task for a worker process or a Ray worker).

    The sessions the batch engine covers (:func:`accord.batch.covers`: every seat's agent can be
    played over arrays) are played together by it, the others one by one with ``run_session``;
    the records are the same either way. A batch session's ``seconds`` is its share of the
    batch's time.
    """
    from accord.batch import BatchSession, play_batch

    records: list[Record | None] = [None] * len(specs)
    batches: dict[str, tuple[list[tuple[int, SessionSpec, Scenario]], list[BatchSession]]] = {}
    for position, spec in enumerate(specs):
        source = None if sources is None else sources.get(spec.scenario)
        scenario = _scenario(spec.scenario, source)
        session = BatchSession(
            scenario=scenario,
            agents=_seated(spec, scenario),
            seed=spec.seed,
            rounds=spec.rounds,
        )
        if covers(session, spec.protocol):
            batched, sessions = batches.setdefault(spec.protocol, ([], []))
            batched.append((position, spec, scenario))
            sessions.append(session)
        else:
            records[position] = run_spec(spec, source=source)
    for protocol, (batched, sessions) in batches.items():
        started = time.perf_counter()
        played = play_batch(sessions, protocol)
        summaries = played.summaries()
        seconds = (time.perf_counter() - started) / len(sessions)
        for (position, spec, scenario), summary in zip(batched, summaries, strict=True):
            records[position] = _record(spec, scenario, summary, seconds)
    return [record for record in records if record is not None]


def covers(session: Any, protocol: str) -> bool:
    """Whether the batch engine plays ``session`` (:func:`accord.batch.covers`; a seam for tests)."""
    from accord.batch import covers as batch_covers

    return batch_covers(session, protocol)


def run_range(
    plan: SessionPlan, start: int, stop: int, sources: Mapping[str, str] | None = None
) -> list[Record]:
    """Play the sessions ``start ≤ index < stop`` of ``plan``, deriving them (and their seeds) here.

    A worker's task: it receives the small plan rather than a list of sessions, so the
    process handing out the work spends nothing per session.
    """
    return run_batch(plan.specs(start, stop), sources)


def shares(total: int, workers: int, *, most: int = 256, done: Collection[int] = ()) -> list[tuple[int, int]]:
    """The sessions ``range(total)`` not in ``done``, cut into ``(start, stop)`` shares that shrink
    as the work runs out.

    Guided scheduling: each share takes ``1 / (2 × workers)`` of the sessions still to
    hand out (at most ``most``, at least one). Early shares are long, so scheduling costs
    little next to the talks; the last ones are short, so no worker is left with a long
    share while the others have finished.

    >>> [stop - start for start, stop in shares(20, 2)]
    [5, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1]
    >>> shares(6, 1, done={0, 3})
    [(1, 3), (4, 5), (5, 6)]
    """
    share = 2 * max(1, workers)
    missing = np.ones(total, dtype=bool)
    missing[[index for index in done if 0 <= index < total]] = False
    # runs of missing sessions: where the mask turns on (starts) and off (stops)
    edges = np.flatnonzero(np.diff(np.concatenate([[False], missing, [False]]).astype(np.int8)))
    remaining = int(missing.sum())
    cut: list[tuple[int, int]] = []
    for start, stop in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        while start < stop:
            size = max(1, min(most, remaining // share, stop - start))
            cut.append((start, start + size))
            start += size
            remaining -= size
    return cut


def _ordered(parts: Mapping[int, list[Record]], count: int) -> list[Record]:
    return [record for index in range(count) for record in parts[index]]


def run_local(
    config: TournamentConfig,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
    plan: SessionPlan | None = None,
    done: Collection[int] = (),
    on_records: Callable[[list[Record]], None] | None = None,
) -> list[Record]:
    """Play the sessions of ``config`` here (``jobs`` 1) or in a pool of ``jobs`` processes.

    ``jobs`` defaults to ``config.jobs``; ``plan`` to ``config.plan()`` (pass it when
    already made). Sessions whose index is in ``done`` are skipped (a resumed tournament);
    ``on_records`` hears of each share's records as soon as it is finished. Returns the
    records of the sessions played, in session order.
    """
    jobs = config.jobs if jobs is None else jobs
    plan = config.plan() if plan is None else plan
    total = len(plan)
    cut = shares(total, jobs, done=done)
    finished = total - sum(stop - start for start, stop in cut)
    if progress is not None:
        progress.advance(finished, total)
    parts: dict[int, list[Record]] = {}

    def collect(number: int, records: list[Record]) -> None:
        nonlocal finished
        parts[number] = records
        if on_records is not None:
            on_records(records)
        finished += len(records)
        if progress is not None:
            progress.advance(finished, total)

    if jobs <= 1 or len(cut) <= 1:
        for number, (start, stop) in enumerate(cut):
            collect(number, run_range(plan, start, stop))
        return _ordered(parts, len(cut))
    import multiprocessing
    import signal

    # "spawn": a forked child would inherit the parent's threads (progress bar, Ray) half-way.
    context = multiprocessing.get_context("spawn")
    shares_to_play = [(number, plan, start, stop) for number, (start, stop) in enumerate(cut)]
    # Workers ignore Ctrl-C (the terminal sends it to them too): the parent decides. Leaving the
    # block any way but the end (Ctrl-C, SIGTERM turned into an exception, a failed share)
    # terminates every worker at once instead of waiting for their shares to finish.
    with context.Pool(
        min(jobs, len(cut)), initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)
    ) as pool:
        for number, records in pool.imap_unordered(_play_share, shares_to_play):
            collect(number, records)
    return _ordered(parts, len(cut))


def _play_share(share: tuple[int, SessionPlan, int, int]) -> tuple[int, list[Record]]:
    """A worker's task: share ``number`` of the plan, with its number."""
    number, plan, start, stop = share
    return number, run_range(plan, start, stop)
