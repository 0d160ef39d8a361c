"""The batch's moves, whatever they are, end each session as the protocol's own ``step`` ends it.

The seats' decisions here are random tables, not agents: every sequence of offers,
acceptances and walk-aways the arrays can produce is replayed through
:class:`~accord.protocols.AlternatingOffers`, whose ending must be the batch's
(:func:`accord.batch.replay.replay` raises otherwise). This holds the batch's statement of
the rules (acceptances counted, offers resetting them, walk-outs, the deadline) to the
protocol's.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.batch import alternating
from accord.batch.alternating import ACCEPT, OVER, REASONS, WALK_AWAY, play
from accord.batch.plans import PlanTables, outcome_of
from accord.batch.replay import Move, move_action, replay
from accord.domain import Agenda, DiscreteIssue, Option
from accord.protocols import ProtocolResult, Setup
from accord.protocols.alternating_offers import AlternatingOffers, expired, settled

AGENDA = Agenda(
    (
        DiscreteIssue("venue", (Option("geneva"), Option("oslo"), Option("vienna"))),
        DiscreteIssue("agenda", (Option("narrow"), Option("broad"))),
    )
)


@settings(max_examples=300)
@given(
    parties=st.integers(2, 4),
    count=st.integers(1, 12),
    longest=st.integers(1, 6),
    seed=st.integers(0, 2**32 - 1),
    walking=st.sampled_from((0.0, 0.05, 0.3)),
    lookahead=st.sampled_from((1, 5, 16, alternating.LOOKAHEAD)),
)
def test_random_moves_end_as_the_protocol_ends_them(
    parties: int, count: int, longest: int, seed: int, walking: float, lookahead: int
) -> None:
    """Bilateral tables are decided many turns at a time (chunks of ``lookahead`` turns × sessions):
    chunk edges anywhere end sessions as the protocol does."""
    default, alternating.LOOKAHEAD = alternating.LOOKAHEAD, lookahead
    try:
        check_random_moves(parties, count, longest, seed, walking)
    finally:
        alternating.LOOKAHEAD = default


def check_random_moves(parties: int, count: int, longest: int, seed: int, walking: float) -> None:
    rng = np.random.default_rng(seed)
    size = AGENDA.size
    plans_count = parties * 2
    offers = rng.integers(0, size, (plans_count, longest))
    offers[rng.random((plans_count, longest)) < walking] = -1
    tables = PlanTables(
        targets=rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], (plans_count, longest)),
        offers=offers,
        value_offsets=np.zeros(plans_count, dtype=np.int64),
        values=rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size),
        rational=rng.random(size) < 0.8,
    )
    plans = rng.integers(0, plans_count, (count, parties))
    deadlines = rng.integers(1, longest + 1, count)
    played = play(tables, plans, deadlines, trace=True)
    assert played.moves is not None
    protocol = AlternatingOffers()
    delegations = tuple(f"seat{number}" for number in range(parties))
    for session in range(count):
        moves: list[Move] = []
        for step, move in enumerate(played.moves[:, session].tolist()):
            if move == OVER:
                break
            turn, round_ = step % parties, step // parties
            if move == ACCEPT:
                moves.append((delegations[turn], True))
            elif move == WALK_AWAY:
                moves.append((delegations[turn], None))
            else:
                assert move == offers[plans[session, turn], round_]  # the plan's offer for the round
                moves.append((delegations[turn], outcome_of(AGENDA, move)))
        flat = int(played.agreements[session])
        expected = ProtocolResult(
            reason=REASONS[int(played.reasons[session])],
            agreement=None if flat < 0 else outcome_of(AGENDA, flat),
            rounds=int(played.rounds[session]),
        )
        setup = Setup(agenda=AGENDA, delegations=delegations, rounds=int(deadlines[session]))
        replayed = replay(
            protocol, setup, [{seat: move_action(move)} for seat, move in moves], expected=expected
        )
        assert replayed.result == expected


def test_the_shared_rules_read_the_same_on_numbers_and_arrays() -> None:
    acceptances = np.arange(5)
    assert settled(acceptances, 3).tolist() == [settled(int(value), 3) for value in acceptances]
    assert [settled(value, 2) for value in range(3)] == [False, True, False]
    deadlines = np.array([1, 2, 3])
    assert (
        expired(2, deadlines).tolist()
        == [expired(2, int(value)) for value in deadlines]
        == [True, True, False]
    )
