"""Running a tournament on a Ray cluster, with records identical to the local runner's.

Sessions go out in shares (one Ray task plays many sessions, so scheduling
costs little next to the talks themselves; see :func:`~accord.tournament.runner.shares`).
A task carries only the tournament's small :class:`~accord.tournament.config.SessionPlan`,
the bounds of its share and the texts of the scenario files (so a worker on another
machine needs no shared disk); the worker derives its sessions and their seeds itself.
The records come back in session order. Ray is imported only when this runs.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from accord.errors import InputError
from accord.tournament.config import SessionPlan, TournamentConfig
from accord.tournament.runner import Progress, Record, run_range, shares

__all__ = ["run_ray"]


def _texts(plan: SessionPlan) -> dict[str, str]:
    texts: dict[str, str] = {}
    for path, _ in plan.scenarios:
        try:
            texts[path] = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(path, "", f"cannot be read ({error})") from None
    return texts


@contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Standard error (the file descriptor) goes nowhere for the duration: Ray's core writes to it in
    C++ whatever Python's logging says, and while a Ray this run started shuts down with shares still
    playing (an interrupted run) it writes lines such as "Failed to push error to driver" under the
    command's own one line."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as sink:
            os.dup2(sink.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _start(ray: Any, *, address: str | None, jobs: int) -> bool:
    """Connect to ``address`` or start a local Ray; ``True`` when this call initialised Ray.

    Ray's core installs its own SIGTERM handler, which ends the process at once (exit code 1,
    a stack dump on stderr, records half-written); the handler the caller had is put back, so
    SIGTERM ends a run as the caller decided (the command line: as Ctrl-C does)."""
    if ray.is_initialized():
        return False
    options: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    previous = signal.getsignal(signal.SIGTERM)
    try:
        if address:
            ray.init(address=address, **options)
        else:
            ray.init(num_cpus=jobs, include_dashboard=False, **options)
    finally:
        if previous is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)
    return True


def run_ray(
    config: TournamentConfig,
    *,
    address: str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    plan: SessionPlan | None = None,
    done: Collection[int] = (),
    on_records: Callable[[list[Record]], None] | None = None,
) -> list[Record]:
    """Play the sessions of ``config`` as Ray tasks; records of the sessions played, in session order.

    Uses the Ray already initialised in this process if any, else connects to
    ``address``, else starts a local Ray with ``jobs`` CPUs (default
    ``config.jobs``). Shuts down only a Ray it initialised itself. ``plan``
    defaults to ``config.plan()`` (pass it when already made); sessions whose index
    is in ``done`` are skipped, and ``on_records`` hears of each share as it finishes.
    Interrupted, it ends the shares still playing (and the Ray it started) before it returns.
    """
    import ray as ray_module

    ray: Any = ray_module
    plan = config.plan() if plan is None else plan
    jobs = config.jobs if jobs is None else jobs
    total = len(plan)
    started = _start(ray, address=address, jobs=jobs)
    waiting: dict[Any, int] = {}
    try:
        workers = max(1, int(ray.cluster_resources().get("CPU", jobs)))
        sources = ray.put(_texts(plan))
        reference = ray.put(plan)
        play = ray.remote(num_cpus=1, max_retries=2)(run_range)
        cut = shares(total, workers, done=done)
        waiting = {
            play.remote(reference, start, stop, sources): number for number, (start, stop) in enumerate(cut)
        }
        parts: dict[int, list[Record]] = {}
        finished = total - sum(stop - start for start, stop in cut)
        if progress is not None:
            progress.advance(finished, total)
        while waiting:
            ready, _ = ray.wait(list(waiting), num_returns=1)
            for finished_reference in ready:
                number = waiting.pop(finished_reference)
                parts[number] = ray.get(finished_reference)
                if on_records is not None:
                    on_records(parts[number])
                finished += len(parts[number])
                if progress is not None:
                    progress.advance(finished, total)
        return [record for number in range(len(cut)) for record in parts[number]]
    finally:
        # interrupted (Ctrl-C, SIGTERM) or failed: the shares still playing are ended. A Ray this
        # call started is shut down, which ends its workers; cancelling there as well is not only
        # needless but unsafe, since a cancel racing a share's reply aborts Ray's core (ray-project/ray
        # PR 54798: "Tried to complete task that was not pending", exit code 1). On a cluster this
        # process does not shut down, the shares are cancelled so none is left running.
        if started:
            with _stderr_silenced():
                ray.shutdown()
        else:
            for unfinished in waiting:
                ray.cancel(unfinished, force=True)
