"""Hostile agents: whatever they try on what they were given fails in the agent, and nothing leaks.

Each behaviour gets its own agent. Every attempt must raise inside the agent, so
the session records that seat as walking away (``walk_outs`` names the reason);
and a session played afterwards in the same process must give, to the byte, what
the same session gives in a fresh process: nothing shared was changed.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest

import accord
from accord.agents import agent_by_id
from accord.agents.base import SeatContext
from accord.domain import Role
from accord.protocols import Action, Observation, Vote
from accord.session import SessionResult, run_session
from accord.trace import write_trace
from scenarios import three_party, two_party

#: One scenario object for the whole module: sessions on it share the compiled memo, as in a tournament.
SCENARIO = two_party()
#: The session replayed in a fresh process; it reads the scenario's compiled utilities and the discount.
AFTER = "run_session(two_party(), 'alternating-offers', {}, seed=5, rounds=30, options={'discount': 0.9})"


def _fingerprint(result: SessionResult) -> str:
    stream = io.StringIO()
    write_trace(result.events, stream)
    return stream.getvalue() + json.dumps(result.to_dict(), sort_keys=True)


@pytest.fixture(scope="module")
def fresh_process() -> str:
    """The fingerprint of :data:`AFTER` played in a process of its own."""
    program = (
        "import io, json\n"
        "from accord.session import run_session\n"
        "from accord.trace import write_trace\n"
        "from scenarios import two_party\n"
        f"result = {AFTER}\n"
        "stream = io.StringIO()\n"
        "write_trace(result.events, stream)\n"
        "print(stream.getvalue() + json.dumps(result.to_dict(), sort_keys=True), end='')\n"
    )
    paths = [str(Path(accord.__file__).resolve().parents[1]), str(Path(__file__).resolve().parents[1])]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    completed = subprocess.run(
        [sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def _after_in_this_process() -> str:
    result = run_session(SCENARIO, "alternating-offers", {}, seed=5, rounds=30, options={"discount": 0.9})
    return _fingerprint(result)


Attempt = Callable[[SeatContext, Observation | None], object]


class _Hostile:
    """A delegation (or mediator) that tries ``attempt`` when asked to act (or, if ``at_reset``, to start)."""

    id: ClassVar[str] = "hostile-v1"
    roles: ClassVar[tuple[Role, ...]] = (Role.DELEGATION, Role.MEDIATOR)

    def __init__(self, attempt: Attempt, *, at_reset: bool = False) -> None:
        self.attempt = attempt
        self.at_reset = at_reset
        self.inner = agent_by_id("boulware")

    def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
        self.context = context
        if self.at_reset:
            self.attempt(context, None)
        if context.role is Role.DELEGATION:
            self.inner.reset(context, rng)

    def act(self, observation: Observation) -> Action:
        if len(observation.history) > 1:  # once something has happened, so that there is history to edit
            self.attempt(self.context, observation)
        if self.context.role is Role.MEDIATOR:
            return Vote(True)  # never reached in these tests: the attempt raises first
        return self.inner.act(observation)


def _write_tables(context: SeatContext, observation: Observation | None) -> None:
    assert context.utility is not None
    context.utility.tables[0][:] = 5.0


def _write_red_lines(context: SeatContext, observation: Observation | None) -> None:
    assert context.utility is not None
    for _, forbidden in context.utility.red_lines[0].terms:
        forbidden[:] = False


def _write_confidential(context: SeatContext, observation: Observation | None) -> None:
    context.confidential["Port"] = context.confidential["Fleet"]  # type: ignore[index]


def _write_confidential_arrays(context: SeatContext, observation: Observation | None) -> None:
    for member in context.confidential.values():
        member.tables[-1][:] = 0.0


def _write_options(context: SeatContext, observation: Observation | None) -> None:
    context.options.discount = 0.01  # type: ignore[misc]


def _write_option_extras(context: SeatContext, observation: Observation | None) -> None:
    context.options.extra["discount"] = 0.01  # type: ignore[index]


def _write_observation(context: SeatContext, observation: Observation | None) -> None:
    assert observation is not None
    observation.round = observation.rounds  # type: ignore[misc]


def _write_event_data(context: SeatContext, observation: Observation | None) -> None:
    assert observation is not None
    offer = next(event for event in observation.history if event.kind == "offer")
    offer.data["outcome"] = ("high", 4, "north")  # type: ignore[index]


def _write_event_outcome(context: SeatContext, observation: Observation | None) -> None:
    assert observation is not None
    offer = next(event for event in observation.history if event.kind == "offer")
    offer.data["outcome"][0] = "high"


def _write_event(context: SeatContext, observation: Observation | None) -> None:
    assert observation is not None
    observation.history[-1].actor = "Port"  # type: ignore[misc]


def _edit_history(context: SeatContext, observation: Observation | None) -> None:
    assert observation is not None
    observation.history[0] = observation.history[-1]  # type: ignore[index]


def _delete_history(context: SeatContext, observation: Observation | None) -> None:
    assert observation is not None
    del observation.history[0]  # type: ignore[attr-defined]


def _raise(context: SeatContext, observation: Observation | None) -> None:
    raise RuntimeError("hostile")


def _sleep(context: SeatContext, observation: Observation | None) -> None:
    time.sleep(3600)


def _loop(context: SeatContext, observation: Observation | None) -> None:
    while True:
        pass


#: Every write above, in one agent: each must raise, and then it sleeps past its limit.
WRITES = (
    _write_tables,
    _write_red_lines,
    _write_options,
    _write_option_extras,
    _write_observation,
    _write_event_data,
    _write_event_outcome,
    _write_event,
    _edit_history,
    _delete_history,
)


def _everything(context: SeatContext, observation: Observation | None) -> None:
    for write in WRITES:
        try:
            write(context, observation)
        except (TypeError, ValueError, AttributeError) as error:
            REFUSED.append(f"{write.__name__}: {type(error).__name__}")
        else:
            raise AssertionError(f"{write.__name__} was allowed")
    _loop(context, observation)


REFUSED: list[str] = []
LIMIT = 0.3


ATTEMPTS: dict[str, tuple[Callable[[SeatContext, Observation | None], object], str]] = {
    "utility tables": (_write_tables, "read-only"),
    "red-line masks": (_write_red_lines, "read-only"),
    "observation field": (_write_observation, "AttributeError"),
    "event data": (_write_event_data, "does not support item assignment"),
    "event outcome": (_write_event_outcome, "does not support item assignment"),
    "event field": (_write_event, "AttributeError"),
    "history item": (_edit_history, "does not support item assignment"),
    "history deletion": (_delete_history, "doesn't support item deletion"),
    "options": (_write_options, "FrozenInstanceError"),
    "option extras": (_write_option_extras, "does not support item assignment"),
    "raising": (_raise, "RuntimeError: hostile"),
    "sleeping": (_sleep, "took longer than the time limit of 0.3 s"),
    "looping": (_loop, "took longer than the time limit of 0.3 s"),
}


NEEDS_AN_OBSERVATION = {
    "observation field",
    "event data",
    "event outcome",
    "event field",
    "history item",
    "history deletion",
}


@pytest.mark.parametrize("at_reset", [False, True], ids=["act", "reset"])
@pytest.mark.parametrize("name", sorted(ATTEMPTS))
def test_a_delegation_cannot_change_what_it_was_given(name: str, at_reset: bool, fresh_process: str) -> None:
    attempt, why = ATTEMPTS[name]
    if at_reset and name in NEEDS_AN_OBSERVATION:
        pytest.skip("no observation before the first move")
    started = time.perf_counter()
    result = run_session(
        SCENARIO,
        "alternating-offers",
        {"Fleet": _Hostile(attempt, at_reset=at_reset)},
        seed=1,
        rounds=30,
        options={"discount": 0.9, "tempo": "slow"},
        time_limit=LIMIT,
    )
    assert time.perf_counter() - started < 2.0
    assert set(result.walk_outs) == {"Fleet"} and why in result.walk_outs["Fleet"], result.walk_outs
    assert result.reason == "walk-out" and result.events[-1].actor == "Fleet"
    assert result.events[0].data["discount"] == 0.9
    assert _after_in_this_process() == fresh_process


@pytest.mark.parametrize(
    "attempt", [_write_confidential, _write_confidential_arrays], ids=["mapping", "arrays"]
)
def test_a_mediator_cannot_change_the_confidential_preferences(
    attempt: Callable[[SeatContext, Observation | None], object], fresh_process: str
) -> None:
    result = run_session(SCENARIO, "single-text", {"Envoy": _Hostile(attempt, at_reset=True)}, seed=2)
    assert set(result.walk_outs) == {"Envoy"} and "failed to start" in result.walk_outs["Envoy"]
    assert result.reason == "walk-out"
    assert _after_in_this_process() == fresh_process


def test_an_agent_trying_everything_is_refused_each_time_and_abandoned_at_its_limit(
    fresh_process: str,
) -> None:
    REFUSED.clear()
    started = time.perf_counter()
    result = run_session(
        SCENARIO, "alternating-offers", {"Fleet": _Hostile(_everything)}, seed=1, time_limit=LIMIT
    )
    assert time.perf_counter() - started < 2.0
    assert len(REFUSED) == len(WRITES), REFUSED
    assert result.walk_outs == {"Fleet": "took longer than the time limit of 0.3 s"}
    assert result.reason == "walk-out" and result.events[-1].actor == "Fleet"
    assert _after_in_this_process() == fresh_process


def test_what_every_protocol_hands_a_seat_is_read_only() -> None:
    """Every event and observation of sessions under every protocol holds only immutable data."""
    from accord.protocols.registry import PROTOCOLS, protocol_by_id

    def immutable(value: Any) -> bool:
        if isinstance(value, str | int | float | bool | type(None) | frozenset):
            return True
        if isinstance(value, tuple):
            return all(immutable(item) for item in value)
        if type(value).__name__ == "mappingproxy":
            return all(immutable(item) for item in value.values())
        return False

    class Inspector:
        id: ClassVar[str] = "inspector-v1"
        roles: ClassVar[tuple[Role, ...]] = (Role.DELEGATION, Role.MEDIATOR)
        seen: ClassVar[list[Observation]] = []

        def reset(self, context: SeatContext, rng: np.random.Generator) -> None:
            self.inner = agent_by_id("linear" if context.role is Role.DELEGATION else "nash-mediator")
            self.inner.reset(context, rng)

        def act(self, observation: Observation) -> Action:
            Inspector.seen.append(observation)
            return self.inner.act(observation)

    scenario = three_party()
    for protocol in PROTOCOLS.ids():
        seats = {party.name: Inspector() for party in scenario.delegations}
        if protocol_by_id(protocol).needs_mediator:
            seats["Mediator"] = Inspector()
        result = run_session(scenario, protocol, seats, seed=3, rounds=8)  # type: ignore[arg-type]
        assert not result.walk_outs
        for event in result.events:
            assert immutable(event.data), (protocol, event)
    assert Inspector.seen
    for observation in Inspector.seen:
        for name, value in zip(observation._fields, observation, strict=True):
            if name != "history":
                assert immutable(value), (observation.protocol, name, value)
