"""The worker threads on which a room's agents take their turns, so that a command's acknowledgement
does not wait for them.

At most one run is waiting per room: a room asked for again while a run waits for its lock is not
queued twice; once the run holds the room's lock (:meth:`AgentWorkers.started`), the room may be
asked for again, so no command's news is missed. :meth:`AgentWorkers.settle` waits until no run is
waiting or running.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

__all__ = ["AgentWorkers"]

_log = logging.getLogger(__name__)


class AgentWorkers:
    """Runs ``drive(room)`` (every awaited agent of the room acts) on two worker threads. Thread-safe."""

    def __init__(self, drive: Callable[[str], object]) -> None:
        self._drive = drive
        self._executor: ThreadPoolExecutor | None = None
        self._waiting: set[str] = set()  # rooms with a run asked for that does not hold the room's lock yet
        self._idle = threading.Condition()
        self._busy = 0

    def schedule(self, room: str) -> None:
        """Let the room's agents act on a worker thread (unless a run of the room is already waiting)."""
        with self._idle:
            if room in self._waiting:
                return
            self._waiting.add(room)
            self._busy += 1
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="accord-room-agents")
            executor = self._executor
        executor.submit(self._run, room)

    def started(self, room: str) -> None:
        """A run of the room holds its lock now: what is committed from here on asks for another."""
        with self._idle:
            self._waiting.discard(room)

    def _run(self, room: str) -> None:
        try:
            self._drive(room)
        except Exception:  # a worker has no caller to tell: log it and keep serving
            _log.exception("room %s: the agents' turns failed", room)
            self.started(room)
        finally:
            with self._idle:
                self._busy -= 1
                self._idle.notify_all()

    def settle(self, timeout: float = 60.0) -> bool:
        """Wait until no agent is acting in any room; ``False`` if ``timeout`` passed first."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def close(self) -> None:
        """Stop the worker threads (after their current runs)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)
