"""A time limit is a limit: a call past it is abandoned at the limit and the session goes on without it."""

from __future__ import annotations

import threading
import time
from typing import Any, ClassVar

import numpy as np
import pytest

from accord.agents import agent_by_id
from accord.agents.base import SeatContext
from accord.domain import Role
from accord.protocols import Action, Event, Observation
from accord.protocols.registry import protocol_by_id
from accord.protocols.replay import check_replay
from accord.session import run_session, watchdog
from scenarios import three_party, two_party

LIMIT = 0.2
#: run_session must return within this long of an overrun (the limit, then the watchdog's reaction).
PROMPTLY = 1.0


class _Stuck:
    """A delegation that plays Boulware, except that ``stuck`` replaces one of its calls."""

    id: ClassVar[str] = "stuck-v1"

    def __init__(self, how: str, *, when: str = "act") -> None:
        self.how, self.when = how, when
        self.threads: list[threading.Thread] = []
        self.inner = agent_by_id("boulware")

    def stuck(self) -> None:
        self.threads.append(threading.current_thread())
        if self.how == "sleeps":
            time.sleep(3600)
        while True:  # pure Python, never returns
            pass

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        if self.when == "reset":
            self.stuck()
        self.inner.reset(context, rng)

    def act(self, observation: Observation) -> Action:
        if self.when == "act" and observation.round >= 2:
            self.stuck()
        return self.inner.act(observation)


def _timed(*args: Any, **options: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = run_session(*args, **options)
    return result, time.perf_counter() - started


@pytest.mark.parametrize("when", ["act", "reset"])
@pytest.mark.parametrize("how", ["sleeps", "loops"])
def test_an_agent_past_its_limit_is_abandoned_at_the_limit(how: str, when: str) -> None:
    agent = _Stuck(how, when=when)
    result, seconds = _timed(two_party(), "alternating-offers", {"Fleet": agent}, seed=1, time_limit=LIMIT)
    assert seconds < PROMPTLY
    expected = "took longer than the time limit of 0.2 s" + (" to start" if when == "reset" else "")
    assert result.walk_outs == {"Fleet": expected}
    assert result.reason == "walk-out" and result.events[-1].actor == "Fleet"
    assert expected in result.events[-1].data["explanation"]
    check_replay(protocol_by_id("alternating-offers"), result.setup, result.steps, expected=result.events)
    (thread,) = agent.threads
    assert thread is not threading.current_thread()
    if how == "loops":  # the endless loop was stopped, not left to burn a core
        thread.join(timeout=2.0)
        assert not thread.is_alive()


def test_a_stuck_seat_in_a_simultaneous_step_walks_away_and_the_others_moves_stand() -> None:
    scenario = three_party()
    agents = {"Upper": "conceder", "Middle": _Stuck("sleeps"), "Lower": "linear"}
    result, seconds = _timed(scenario, "single-text", agents, seed=4, rounds=6, time_limit=LIMIT)
    assert seconds < PROMPTLY
    assert set(result.walk_outs) == {"Middle"} and result.reason == "walk-out"
    last = result.step_actions[-1]
    assert last["Middle"].__class__.__name__ == "WalkAway" and set(last) == {"Upper", "Middle", "Lower"}
    recorded = [event.actor for event in result.events if event.kind == "response"]
    assert recorded[-2:] == ["Upper", "Lower"]  # the others answered the last change; the walk-out follows
    check_replay(protocol_by_id("single-text"), result.setup, result.steps, expected=result.events)


def test_sessions_after_an_abandoned_call_are_unchanged() -> None:
    scenario = two_party()
    before = run_session(scenario, "one-text", {}, seed=8, rounds=12)
    run_session(scenario, "one-text", {"Port": _Stuck("loops")}, seed=8, rounds=12, time_limit=LIMIT)
    run_session(scenario, "one-text", {"Port": _Stuck("sleeps")}, seed=8, rounds=12, time_limit=LIMIT)
    after = run_session(scenario, "one-text", {}, seed=8, rounds=12)
    assert [event.to_data() for event in after.events] == [event.to_data() for event in before.events]
    assert after.to_dict() == before.to_dict()


def test_one_worker_serves_a_thread_from_session_to_session() -> None:
    seen: set[threading.Thread] = set()

    class Where:
        id: ClassVar[str] = "where-v1"

        def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
            self.inner = agent_by_id("conceder")
            self.inner.reset(context, rng)

        def act(self, observation: Observation) -> Action:
            seen.add(threading.current_thread())
            return self.inner.act(observation)

    for seed in range(3):
        run_session(two_party(), "alternating-offers", {"Port": Where()}, seed=seed)
    assert len(seen) == 1 and threading.current_thread() not in seen
    seen.clear()
    run_session(two_party(), "alternating-offers", {"Port": Where()}, seed=0, time_limit=None)
    assert seen == {threading.current_thread()}  # no limit: played on the calling thread


def test_what_the_loop_raises_is_raised_to_the_caller_and_the_worker_serves_on() -> None:
    class Full:
        def receive(self, event: Event) -> None:
            if event.kind == "offer":
                raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        run_session(two_party(), "alternating-offers", {}, seed=0, sink=Full())
    assert run_session(two_party(), "alternating-offers", {}, seed=0).reason == "agreement"


def test_the_worker_is_stopped_when_the_caller_is_interrupted() -> None:
    """Ctrl-C in the waiting caller reaches the caller; the worker it leaves is stopped, not left playing."""

    class Interrupts:
        id: ClassVar[str] = "interrupts-v1"
        roles: ClassVar[tuple[Role, ...]] = (Role.DELEGATION,)

        def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
            self.worker = threading.current_thread()

        def act(self, observation: Observation) -> Action:
            import _thread

            _thread.interrupt_main()  # as Ctrl-C would, while this seat holds the worker
            time.sleep(3600)
            raise AssertionError("never reached")

    agent = Interrupts()
    with pytest.raises(KeyboardInterrupt):
        run_session(two_party(), "alternating-offers", {"Fleet": agent}, seed=0)
    assert watchdog._worker().thread is not agent.worker  # the next session gets a fresh worker


def test_a_limit_is_a_positive_number_of_seconds_or_none() -> None:
    for limit in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="positive number of seconds"):
            run_session(two_party(), "alternating-offers", {}, seed=0, time_limit=limit)
    assert run_session(two_party(), "alternating-offers", {}, seed=0, time_limit=float("inf")).reason


def test_a_single_call_within_a_limit_shares_the_sessions_worker_and_is_abandoned_at_the_limit() -> None:
    """``within`` (the room's agent calls) runs on the worker a session uses, and stops an endless loop."""
    threads: list[threading.Thread] = []

    def where() -> None:
        threads.append(threading.current_thread())

    assert watchdog.within(1.0, where) == (None, "")
    run_session(two_party(), "alternating-offers", {}, seed=0)
    assert watchdog.within(1.0, where) == (None, "")
    assert threads[0] is threads[1] and threads[0] is not threading.current_thread()

    stopped = threading.Event()

    def spin() -> None:
        try:
            while True:
                pass
        finally:
            stopped.set()

    started = time.perf_counter()
    assert watchdog.within(LIMIT, spin) == (None, f"took longer than the time limit of {LIMIT:g} s")
    assert time.perf_counter() - started < LIMIT + 1.0
    assert stopped.wait(2.0)  # the endless loop was stopped, not left spinning
    assert watchdog.within(1.0, lambda: 7) == (7, "")  # a fresh worker serves on


def test_accords_own_agents_play_on_the_calling_thread_under_a_limit() -> None:
    """Built-in agents are trusted not to block: no hand-off to the worker (watchdog.run_inline)."""
    seen: set[threading.Thread] = set()
    boulware = type(agent_by_id("boulware"))
    original = boulware.act

    def act(self: Any, observation: Observation) -> Action:
        seen.add(threading.current_thread())
        return original(self, observation)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(boulware, "act", act)
        result = run_session(two_party(), "alternating-offers", {"Fleet": "boulware"}, seed=3)
    assert seen == {threading.current_thread()}
    assert result == run_session(two_party(), "alternating-offers", {"Fleet": "boulware"}, seed=3)


@pytest.mark.parametrize("when", ["act", "reset"])
def test_a_built_in_agent_past_its_limit_walks_away_and_the_session_plays_on_in_the_same_thread(
    when: str,
) -> None:
    """A built-in agent caught in an endless loop is stopped by the sentry at the limit."""
    boulware = type(agent_by_id("boulware"))
    original = getattr(boulware, when)
    stopped = threading.Event()

    def stuck(self: Any, *args: Any) -> Any:
        if when == "reset" or args[0].round >= 2:
            try:
                while True:
                    pass
            finally:
                stopped.set()
        return original(self, *args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(boulware, when, stuck)
        result, seconds = _timed(
            two_party(),
            "alternating-offers",
            {"Fleet": "boulware", "Port": "conceder"},
            seed=1,
            time_limit=LIMIT,
        )
    assert stopped.is_set() and seconds < PROMPTLY
    expected = "took longer than the time limit of 0.2 s" + (" to start" if when == "reset" else "")
    assert result.walk_outs == {"Fleet": expected}
    assert result.reason == "walk-out" and result.events[-1].actor == "Fleet"
    check_replay(protocol_by_id("alternating-offers"), result.setup, result.steps, expected=result.events)
    # The thread plays on unharmed: the next session is the same as in a fresh start.
    again = run_session(two_party(), "alternating-offers", {}, seed=1)
    assert again.to_dict() == run_session(two_party(), "alternating-offers", {}, seed=1).to_dict()
