"""Shared fixtures for the protocol tests: a small agenda and a table of three delegations."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import pytest

from accord.domain import Agenda, DiscreteIssue, IntegerIssue, Option
from accord.errors import ProtocolError
from accord.protocols import Action, Setup

DELEGATIONS = ("north", "south", "east")
MEDIATOR = "envoy"


def small_agenda() -> Agenda:
    return Agenda(
        (
            DiscreteIssue("venue", (Option("geneva"), Option("oslo"), Option("astana"))),
            DiscreteIssue("sequence", (Option("security-first"), Option("politics-first"))),
            IntegerIssue("monitors", 0, 3),
        )
    )


@pytest.fixture
def agenda() -> Agenda:
    return small_agenda()


def make_setup(*, mediator: str = MEDIATOR, rounds: int = 5, **options: Any) -> Setup:
    return Setup(
        agenda=small_agenda(), delegations=DELEGATIONS, mediator=mediator, rounds=rounds, options=options
    )


def assert_illegal(protocol: Any, state: Any, actions: Mapping[str, Action], match: str) -> None:
    """The step raises ProtocolError matching ``match`` and the state is equal to a copy taken before."""
    before = copy.deepcopy(state)
    with pytest.raises(ProtocolError, match=match):
        protocol.step(state, actions)
    assert state == before
