"""Random legal actions for any protocol, read off the observation: the engine of the conformance checks.

:func:`random_action` picks one of ``observation.allowed`` and fills it in so
that it is legal: outcomes on the agenda, critiques naming real options,
blind bids within the public candidates (``observation.candidates``), pass-ons
of shareable messages (``observation.shareable``) to someone other than their
author. :func:`random_session` plays a whole session with it. All randomness
comes from the ``numpy.random.Generator`` passed in.

>>> import numpy as np
>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> from accord.protocols.alternating_offers import AlternatingOffers
>>> agenda = Agenda((DiscreteIssue("venue", (Option("geneva"), Option("oslo"))),))
>>> setup = Setup(agenda=agenda, delegations=("north", "south"), rounds=4)
>>> steps, transition = random_session(AlternatingOffers(), setup, np.random.default_rng(7))
>>> AlternatingOffers().result(transition.state).reason in ("agreement", "deadline", "walk-out")
True
>>> steps == random_session(AlternatingOffers(), setup, np.random.default_rng(7))[0]
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from accord.domain import Agenda, Outcome
from accord.protocols.actions import (
    Accept,
    AcceptPackages,
    Action,
    CallVote,
    Critique,
    Message,
    Offer,
    PassOn,
    Propose,
    Reject,
    Vote,
    Wait,
    WalkAway,
)
from accord.protocols.base import Observation, Protocol, Setup, Transition

__all__ = ["random_action", "random_outcome", "random_session"]

_WEIGHTS = {"walk-away": 0.03, "call-vote": 0.15, "wait": 0.3, "reject": 0.6, "pass-on": 1.5, "accept": 2.0}


def random_outcome(agenda: Agenda, rng: np.random.Generator) -> Outcome:
    """A uniformly random package on the agenda."""
    return tuple(issue.values[int(rng.integers(issue.size))] for issue in agenda.issues)


def random_action(
    observation: Observation,
    rng: np.random.Generator,
    *,
    agenda: Agenda,
    delegations: Sequence[str],
) -> Action:
    """A random action among ``observation.allowed``, legal in the protocol's current state.

    ``ValueError`` if nothing is allowed (the seat is not awaited).
    """
    allowed = observation.allowed
    if not allowed:
        raise ValueError(f"seat {observation.seat!r} is not awaited: nothing is allowed")
    weights = np.array([_WEIGHTS.get(kind, 1.0) for kind in allowed])
    kind = allowed[int(rng.choice(len(allowed), p=weights / weights.sum()))]
    return _fill(kind, observation, rng, agenda=agenda, delegations=delegations)


def _package(observation: Observation, agenda: Agenda, rng: np.random.Generator) -> Outcome:
    if observation.on_table is not None and rng.random() < 0.4:
        return observation.on_table
    return random_outcome(agenda, rng)


def _fill(
    kind: str,
    observation: Observation,
    rng: np.random.Generator,
    *,
    agenda: Agenda,
    delegations: Sequence[str],
) -> Action:
    simple: dict[str, Action] = {
        "accept": Accept(),
        "reject": Reject(),
        "wait": Wait(),
        "call-vote": CallVote(),
        "walk-away": WalkAway("random"),
    }
    if kind in simple:
        return simple[kind]
    if kind == "offer":
        return Offer(_package(observation, agenda, rng))
    if kind == "propose":
        return Propose(_package(observation, agenda, rng))
    if kind == "vote":
        return Vote(bool(rng.random() < 0.7))
    if kind == "critique":
        return Critique(_critique_requests(agenda, rng))
    if kind == "accept-packages":
        return AcceptPackages(_bid(observation.candidates, agenda, rng))
    others = [seat for seat in delegations if seat != observation.seat]
    if kind == "message":
        offer = random_outcome(agenda, rng) if rng.random() < 0.5 else None
        to = "" if observation.seat in delegations else others[int(rng.integers(len(others)))]
        return Message(
            f"note {int(rng.integers(1000))}", offer=offer, shareable=bool(rng.random() < 0.6), to=to
        )
    if kind == "pass-on":
        shareable = observation.shareable
        number, author = shareable[int(rng.integers(len(shareable)))]
        addressees = [seat for seat in delegations if seat != author]
        return PassOn(int(number), to=addressees[int(rng.integers(len(addressees)))])
    raise ValueError(f"no random filling for action kind {kind!r}")


def _critique_requests(agenda: Agenda, rng: np.random.Generator) -> tuple[tuple[str, Any, float], ...]:
    requests = []
    for issue in agenda.issues:
        if rng.random() < 0.5:
            value = issue.values[int(rng.integers(issue.size))]
            requests.append((issue.name, value, round(float(rng.random()), 3)))
    return tuple(requests)


def _bid(
    candidates: Sequence[Outcome] | None, agenda: Agenda, rng: np.random.Generator
) -> tuple[Outcome, ...]:
    if candidates:
        return tuple(outcome for outcome in candidates if rng.random() < 0.5)
    return tuple(random_outcome(agenda, rng) for _ in range(int(rng.integers(4))))


def random_session(
    protocol: Protocol[Any],
    setup: Setup,
    rng: np.random.Generator,
    *,
    max_steps: int = 10_000,
) -> tuple[list[dict[str, Action]], Transition[Any]]:
    """Play a session with random legal actions: the steps taken, and the final state with every event.

    Stops when the talks end or after ``max_steps`` steps.
    """
    transition = protocol.start(setup)
    state, events = transition.state, list(transition.events)
    steps: list[dict[str, Action]] = []
    for _ in range(max_steps):
        pending = protocol.pending(state)
        if not pending:
            break
        actions = {
            seat: random_action(
                protocol.observe(state, seat), rng, agenda=setup.agenda, delegations=setup.delegations
            )
            for seat in pending
        }
        transition = protocol.step(state, actions)
        state = transition.state
        events.extend(transition.events)
        steps.append(actions)
    return steps, Transition(state, tuple(events))
