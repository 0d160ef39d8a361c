"""Running a tournament on a Ray cluster, with records identical to the local runner's.

Sessions go out in batches (one Ray task plays many sessions, so scheduling
costs little next to the talks themselves), each with the texts of the
scenario files, so a worker on another machine needs no shared disk. The
records come back in session order. Ray is imported only when this runs.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from accord.errors import InputError
from accord.tournament.config import SessionSpec, TournamentConfig
from accord.tournament.runner import Progress, Record, batches, run_batch

__all__ = ["run_ray"]


def _texts(specs: Sequence[SessionSpec]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for spec in specs:
        if spec.scenario not in texts:
            try:
                texts[spec.scenario] = Path(spec.scenario).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise InputError(spec.scenario, "(file)", f"cannot be read ({error})") from None
    return texts


def _start(ray: Any, *, address: str | None, jobs: int) -> bool:
    """Connect to ``address`` or start a local Ray; ``True`` when this call initialised Ray."""
    if ray.is_initialized():
        return False
    options: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.ERROR}
    if address:
        ray.init(address=address, **options)
    else:
        ray.init(num_cpus=jobs, include_dashboard=False, **options)
    return True


def run_ray(
    config: TournamentConfig,
    *,
    address: str | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    specs: Sequence[SessionSpec] | None = None,
) -> list[Record]:
    """Play every session of ``config`` as Ray tasks; records in session order.

    Uses the Ray already initialised in this process if any, else connects to
    ``address``, else starts a local Ray with ``jobs`` CPUs (default
    ``config.jobs``). Shuts down only a Ray it initialised itself.
    """
    import ray as ray_module

    ray: Any = ray_module
    specs = config.sessions() if specs is None else specs
    jobs = config.jobs if jobs is None else jobs
    total = len(specs)
    started = _start(ray, address=address, jobs=jobs)
    try:
        workers = max(1, int(ray.cluster_resources().get("CPU", jobs)))
        sources = ray.put(_texts(specs))
        play = ray.remote(num_cpus=1, max_retries=2)(run_batch)
        chunks = batches(specs, workers)
        waiting = {play.remote(chunk, sources): number for number, chunk in enumerate(chunks)}
        parts: dict[int, list[Record]] = {}
        if progress is not None:
            progress.advance(0, total)
        done = 0
        while waiting:
            finished, _ = ray.wait(list(waiting), num_returns=1)
            for reference in finished:
                number = waiting.pop(reference)
                parts[number] = ray.get(reference)
                done += len(parts[number])
                if progress is not None:
                    progress.advance(done, total)
        return [record for number in range(len(chunks)) for record in parts[number]]
    finally:
        if started:
            ray.shutdown()
