"""``run_session``: the only loop that calls agents.

It seats an agent in every seat (a default one where none is given), gives each a
generator spawned from the session's seed in seat order
(:class:`numpy.random.SeedSequence`), then asks the protocol who is awaited, shows
each awaited seat its observation, and steps the protocol with their actions until
the talks end. The same seed gives the same session, event for event.

The session never crashes because of an agent: one that raises, overruns its time
limit or acts illegally (the protocol names the seat: ``ProtocolError.seat``) is
recorded in :attr:`SessionResult.walk_outs` and its move replaced by a
:class:`~accord.protocols.WalkAway`, which every protocol accepts from every
awaited seat; the protocol then ends the talks with its own event. Every event
comes from the protocol, and :attr:`SessionResult.steps` replays the session.

A time limit is a limit: the loop runs on a worker thread (one per calling thread,
reused) while the caller keeps watch, and a call past the limit is abandoned at the
limit, the session going on without it (:mod:`accord.session.watchdog`); a call
that returns late is discarded too (measured with :func:`time.perf_counter`).
:func:`within` gives the same limit to a single agent call (the room's agents).

:mod:`accord.session.loop` holds the loop, :mod:`accord.session.watchdog` the
time limits, :mod:`accord.session.result` what a session returns, and
:mod:`accord.session.seating` who sits where (the room seats its tables by it too).

>>> from accord.io import parse_scenario
>>> scenario = parse_scenario('''
... format: accord-scenario/1
... name: Two rooms
... issues: [{name: room, options: [north, south]}]
... parties:
...   - {name: A, role: delegation, preferences: {weights: {room: 1}, values: {room: {north: 1, south: 0.4}}}}
...   - {name: B, role: delegation, preferences: {weights: {room: 1}, values: {room: {north: 0.4, south: 1}}}}
... ''')
>>> agents = {"A": "conceder", "B": "conceder"}
>>> result = run_session(scenario, "alternating-offers", agents, seed=1, rounds=10)
>>> result.reason, result.to_dict()["agreement"] is not None
('agreement', True)
"""

from accord.session.loop import DEFAULT_TIME_LIMIT, EventSink, run_session
from accord.session.result import Package, SessionResult, TrajectoryPoint, agreement_utilities
from accord.session.seating import MEDIATOR, Seating, seating
from accord.session.watchdog import within

__all__ = [
    "DEFAULT_TIME_LIMIT",
    "MEDIATOR",
    "EventSink",
    "Package",
    "Seating",
    "SessionResult",
    "TrajectoryPoint",
    "agreement_utilities",
    "run_session",
    "seating",
    "within",
]
