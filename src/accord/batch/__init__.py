"""The batch engine: many sessions of one protocol advanced together, round by round, over arrays.

``run_session`` calls each seat's agent once per turn; for research-scale tournaments
(millions of sessions) that costs microseconds per decision. Where every seat holds an
agent whose decisions can be computed for many sessions at once, the batch engine plays
those sessions together with numpy and gives exactly what ``run_session`` gives: the same
agreements, rounds, reasons, utilities and Pareto verdicts (:meth:`BatchRun.summary`), and
on request the same events, step actions and packages (:meth:`BatchRun.result`, which
replays the session's moves through the protocol's own ``step``).

Covered (:func:`covers`): stacked alternating offers for any number of delegations, every
delegation a time-based agent (``boulware-v1``, ``linear-v1``, ``conceder-v1``), a relative
tit-for-tat (``tit-for-tat-v1``) or a frequency opponent model (``frequency-v1``); the mediated
single text with the hill-climbing mediator (``hill-climbing-v1``, its draws taken from each
session's own generator) or the Nash-seeking one (``nash-mediator-v1``, asked once per distinct
text in force) and time-based delegations. Both on agendas the agents rank in full (at most
:data:`accord.agents.outcomes.MAX_RANKED` outcomes). Other sessions keep the per-session path;
the tournament runner chooses, session by session.

>>> from accord.io import parse_scenario
>>> scenario = parse_scenario('''
... name: Two rooms
... issues: [{name: room, options: [north, south, east]}]
... parties:
...   - {name: A, preferences: {weights: {room: 1}, values: {room: {north: 1, south: 0.2, east: 0.6}}}}
...   - {name: B, preferences: {weights: {room: 1}, values: {room: {north: 0.2, south: 1, east: 0.7}}}}
... ''')
>>> seating = {"A": "boulware", "B": "conceder"}
>>> sessions = [BatchSession(scenario=scenario, agents=seating, seed=seed, rounds=10) for seed in range(3)]
>>> run = play_batch(sessions)
>>> summary = run.summary(0)
>>> summary.reason, summary.agreement, summary.rounds
('agreement', ('east',), 8)
>>> run.result(0).events[-1].kind
'agreement'
"""

from accord.batch.replay import BatchMismatchError
from accord.batch.sessions import BatchRun, BatchSession, SessionSummary, covers, play_batch

__all__ = ["BatchMismatchError", "BatchRun", "BatchSession", "SessionSummary", "covers", "play_batch"]
