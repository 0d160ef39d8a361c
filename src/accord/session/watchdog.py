"""Time limits that are limits: the session runs on a worker thread while the caller keeps watch.

A session's loop (:class:`Watched`) runs on a worker thread, one per calling thread
and reused from session to session (no thread is started per session, and no agent
call crosses threads). The calling thread is the watchdog: before each agent call
the loop publishes a *ticket* (a one-element list holding the call's start time;
``list.pop`` is atomic, so the worker and the watchdog can each try to take it and
exactly one succeeds) and the seat it is calling. The worker takes back its ticket
when the call returns. When a call outlives the time limit, the watchdog takes the
ticket instead: that worker is abandoned (an exception is also injected into it, so
that a pure-Python endless loop stops; a blocked call such as ``time.sleep`` stays
parked until it returns, then finds its ticket gone and stops without touching
anything), the seat is recorded as having walked away, and a fresh worker carries
the loop on from where it stood (protocol states are immutable, so nothing the
stuck call could do is visible). :func:`run_watched` therefore returns at the limit
however long an agent keeps the thread.

The same worker and the same abandonment serve a single agent call: :func:`within`
runs one call (an agent's ``reset`` or ``act``) on this thread's worker and gives
up on it at the limit. The room, which waits for people between agent moves and so
has no session loop, calls its agents through it.

An agent stuck in native code that holds the GIL cannot be abandoned in-process;
run untrusted agents in a process of their own.

Accord's own agents are trusted not to block: they compute and return. A session
whose every seat holds one of them (:func:`run_inline`) plays on the calling thread
itself, with no hand-off, and a process-wide *sentry* thread keeps watch: at the
limit it takes the call's ticket and raises :class:`Abandoned` in the calling thread,
which records the seat as having walked away and plays on. The sentry sleeps until
the earliest deadline it knows of (at most :data:`_POLL`), so it costs nothing per
call. Handing a session to another thread and back wakes the machine's other core
twice (a few hundred microseconds on a virtual machine, as long as a short session);
the inline path is why ``run_session`` with built-in agents is as fast as with no
limit at all. Any other agent (a plugin, a person's proxy) is played on the worker,
whose abandonment does not depend on the agent ever giving the thread back.

>>> class Counting:
...     call, calling, steps = [], "", 0
...     def play(self): self.steps += 1
...     def overran(self, seat): raise AssertionError("no call overran")
>>> loop = Counting()
>>> run_watched(loop, time_limit=1.0)
>>> loop.steps
1
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["Abandoned", "Watched", "absorb_abandonment", "run_inline", "run_watched", "within"]

#: Between calls, the watchdog looks again after at most this long (seconds).
_POLL = 0.05


class Abandoned(BaseException):
    """Raised in a worker the watchdog gave up on.

    A ``BaseException``, so that an agent's ``except Exception`` lets it through.
    """


class Watched(Protocol):
    """A loop the watchdog can keep: it publishes its current agent call and can go on after one overran.

    ``call``: the ticket of the latest agent call (``[start]`` while it runs, emptied
    by whoever takes it); ``calling``: the seat being called. :meth:`play` plays (or
    goes on playing) the session; :meth:`overran` records that ``seat`` overran and
    will be taken to walk away.
    """

    call: list[float]
    calling: str

    def play(self) -> None: ...

    def overran(self, seat: str) -> None: ...


class Worker:
    """A thread that plays sessions for one calling thread, one at a time, until it is abandoned."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self._job: Callable[[], None] | None = None
        self.error: BaseException | None = None
        self.abandoned = False
        self._go = threading.Lock()
        self._go.acquire()
        self.done = threading.Lock()
        self.done.acquire()
        self.thread = threading.Thread(target=self._serve, name="accord-session", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            self._go.acquire()
            job = self._job
            if job is None:
                return
            try:
                job()
            except Abandoned:
                return  # given up on: a fresh worker carries on, and this thread ends here
            except BaseException as error:  # handed to the caller, which raises it
                self.error = error
            if self.abandoned:
                return  # given up on while finishing: what it did is discarded
            self.done.release()

    def submit(self, job: Callable[[], None]) -> None:
        self._job, self.error = job, None
        self._go.release()

    def abandon(self) -> None:
        """Give up on this worker: stop it at once if it runs Python code, else as soon as it does."""
        self.abandoned = True
        _interrupt(self.thread)


def _interrupt(thread: threading.Thread) -> None:
    """Raise :class:`Abandoned` in ``thread`` at its next Python instruction (if it is still alive)."""
    import ctypes

    ident = thread.ident
    if ident is not None and thread.is_alive():
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(Abandoned))


_WORKERS = threading.local()


def _worker() -> Worker:
    """This thread's worker (a new one after a fork, or once the last was abandoned)."""
    worker: Worker | None = getattr(_WORKERS, "worker", None)
    if worker is None or worker.abandoned or worker.pid != os.getpid() or not worker.thread.is_alive():
        worker = _WORKERS.worker = Worker()
    return worker


def run_watched(loop: Watched, *, time_limit: float) -> None:
    """Play ``loop`` on this thread's worker, abandoning any agent call that outlives ``time_limit`` seconds.

    Whatever the loop raises is raised here. If this thread is interrupted while it
    waits (Ctrl-C), the worker is stopped and the interruption raised.
    """
    worker = _worker()
    worker.submit(loop.play)
    try:
        while True:
            ticket = loop.call
            try:
                started = ticket[0]
            except IndexError:  # no call in progress: look again soon
                wait = min(time_limit, _POLL)
            else:
                wait = started + time_limit - time.perf_counter()
                if wait <= 0:
                    try:
                        ticket.pop()  # take the call from the worker, unless it has just taken it back
                    except IndexError:
                        continue
                    loop.overran(loop.calling)
                    worker.abandon()
                    worker = _worker()
                    worker.submit(loop.play)
                    continue
            if worker.done.acquire(timeout=min(wait, threading.TIMEOUT_MAX)):
                break
            if not worker.thread.is_alive():
                raise RuntimeError("the session's worker thread ended without finishing the session")
    except BaseException:
        if not worker.done.acquire(blocking=False):
            worker.abandon()  # interrupted while the worker plays: stop it
        raise
    if worker.error is not None:
        raise worker.error


def within(limit: float, call: Callable[[], Any]) -> tuple[Any, str]:
    """Call ``call`` (an agent's ``reset`` or ``act``) on this thread's worker, given up on at ``limit`` s.

    Returns ``(what it returned, "")``, or ``(None, why it failed)``: it raised (any
    ``Exception``; anything else, such as ``KeyboardInterrupt``, is raised here), or it
    was still running at the limit, when it is abandoned as :func:`run_watched` abandons
    an overrunning call (stopped at once if it runs Python code; a blocked call finds,
    when it returns, that it was given up on, and its result is discarded). An agent
    whose call was abandoned should not be called again.

    >>> within(1.0, lambda: 42)
    (42, '')
    >>> within(1.0, lambda: 1 / 0)
    (None, 'raised ZeroDivisionError: division by zero')
    >>> within(0.05, lambda: time.sleep(1))
    (None, 'took longer than the time limit of 0.05 s')
    """
    ticket = [0.0]  # taken by the worker when the call returns, or by this thread at the limit
    outcome: list[tuple[Any, str]] = []

    def job() -> None:
        try:
            answer: tuple[Any, str] = (call(), "")
        except Exception as error:  # an agent's failure is reported, never propagated
            answer = (None, f"raised {type(error).__name__}: {error}")
        try:
            ticket.pop()
        except IndexError:
            raise Abandoned from None  # given up on: the answer is discarded
        outcome.append(answer)

    worker = _worker()
    worker.submit(job)
    try:
        finished = worker.done.acquire(timeout=min(limit, threading.TIMEOUT_MAX))
        if not finished:
            try:
                ticket.pop()  # take the call from the worker, unless it has just taken it back
            except IndexError:
                worker.done.acquire()  # it has: its answer is a moment away
            else:
                worker.abandon()
                return None, f"took longer than the time limit of {limit:g} s"
    except BaseException:
        if not worker.done.acquire(blocking=False):
            worker.abandon()  # interrupted while the worker calls: stop it
        raise
    if worker.error is not None:
        raise worker.error
    return outcome[0]


class _Sentry:
    """The process's watch over the sessions played inline (on their caller's thread)."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        #: Calling thread's id → the loop it plays and that loop's time limit.
        self.watched: dict[int, tuple[Watched, float]] = {}
        self.awake = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="accord-sentry", daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        while True:
            self.awake.wait()
            wait = _POLL
            now = time.perf_counter()
            for ident, (loop, limit) in list(self.watched.items()):
                ticket = loop.call
                try:
                    remaining = ticket[0] + limit - now
                except IndexError:  # between calls
                    continue
                if remaining > 0:
                    wait = min(wait, remaining)
                    continue
                try:
                    ticket.pop()  # take the call from its thread, unless it has just taken it back
                except IndexError:
                    continue
                _raise_abandoned(ident)
            if not self.watched:
                self.awake.clear()
                if self.watched:  # a session began while the flag was being cleared
                    self.awake.set()
                continue
            time.sleep(wait)


_SENTRY: list[_Sentry] = []
_SENTRY_LOCK = threading.Lock()


def _sentry() -> _Sentry:
    """The process's sentry (a new one after a fork)."""
    if _SENTRY and _SENTRY[0].pid == os.getpid():
        return _SENTRY[0]
    with _SENTRY_LOCK:
        if not _SENTRY or _SENTRY[0].pid != os.getpid():
            _SENTRY[:] = [_Sentry()]
        return _SENTRY[0]


def _raise_abandoned(ident: int) -> None:
    import ctypes

    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(ident), ctypes.py_object(Abandoned))


def run_inline(loop: Watched, *, time_limit: float) -> None:
    """Play ``loop`` on this thread; the sentry raises :class:`Abandoned` in it when a call overruns.

    For loops whose agents are all trusted not to block (see the module's docstring):
    the loop catches :class:`Abandoned` around each agent call (see
    :func:`absorb_abandonment`), records the seat as overrunning and plays on.
    """
    sentry = _sentry()
    ident = threading.get_ident()
    sentry.watched[ident] = (loop, time_limit)
    if not sentry.awake.is_set():
        sentry.awake.set()
    try:
        loop.play()
    finally:
        del sentry.watched[ident]


def absorb_abandonment() -> None:
    """Wait for the :class:`Abandoned` the sentry is raising in this thread (it took this call's ticket).

    Called by an inline loop that found its ticket gone: the exception is on its way
    (the sentry takes the ticket, then raises), and must land here rather than in the
    loop's own bookkeeping. Raises it; gives up waiting after a second (an agent that
    swallowed it), raising it directly.
    """
    until = time.perf_counter() + 1.0
    while time.perf_counter() < until:
        time.sleep(0.0005)
    raise Abandoned
