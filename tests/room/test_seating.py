"""A room seats its table as a session does: one ``seating`` for both, mediator's default name included."""

from __future__ import annotations

import pytest

from accord.io import parse_scenario
from accord.protocols.registry import PROTOCOLS
from accord.room.records import Settings
from accord.room.rules import create_room
from accord.room.testing import ROOM_SCENARIO, stored
from accord.session import MEDIATOR, run_session, seating

#: The room's test scenario without its mediator: a mediated protocol seats :data:`MEDIATOR`.
UNMEDIATED = ROOM_SCENARIO.replace("  - name: envoy\n    role: mediator\n", "")


@pytest.mark.parametrize("text", [ROOM_SCENARIO, UNMEDIATED], ids=["named-mediator", "no-mediator"])
@pytest.mark.parametrize("protocol", PROTOCOLS.ids())
def test_a_room_and_a_session_open_the_same_seats(protocol: str, text: str) -> None:
    scenario = parse_scenario(text)
    seats = seating(scenario, protocol)
    room = stored("r1", create_room(scenario_text=text, protocol=protocol, agents={}, settings=Settings()))
    session = run_session(scenario, protocol, {}, seed=0, rounds=2)
    assert room.setup.mediator == session.setup.mediator == seats.mediator
    assert room.setup.delegations == session.setup.delegations == seats.delegations == ("north", "south")
    if seats.mediator:
        assert seats.mediator == ("envoy" if text == ROOM_SCENARIO else MEDIATOR)
