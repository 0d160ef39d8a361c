"""Who sits at a table: the mediator's seat and the delegations, the same for a session and a room.

>>> from accord.io import parse_scenario
>>> scenario = parse_scenario('''
... format: accord-scenario/1
... name: Two rooms
... issues: [{name: room, options: [north, south]}]
... parties:
...   - {name: A, role: delegation, preferences: {weights: {room: 1}, values: {room: {north: 1, south: 0.4}}}}
...   - {name: B, role: delegation, preferences: {weights: {room: 1}, values: {room: {north: 0.4, south: 1}}}}
... ''')
>>> seating(scenario, "one-text")
Seating(mediator='Mediator', delegations=('A', 'B'))
>>> seating(scenario, "alternating-offers").mediator
''
"""

from __future__ import annotations

from typing import Any, NamedTuple

from accord.domain import Scenario
from accord.protocols import Protocol
from accord.protocols.registry import protocol_by_id

__all__ = ["MEDIATOR", "Seating", "seating"]

#: The mediator's seat when a mediated protocol runs on a scenario that names no mediator.
MEDIATOR = "Mediator"


class Seating(NamedTuple):
    """The seats of a table: ``mediator`` (``""`` when the protocol has none) and the ``delegations`` in
    seating order (the order of turns), ready for :class:`~accord.protocols.Setup`."""

    mediator: str
    delegations: tuple[str, ...]


def seating(scenario: Scenario, protocol: Protocol[Any] | str) -> Seating:
    """The seats ``protocol`` (an instance or a registered id) opens on ``scenario``.

    The mediator's seat is the scenario's mediator's name, or :data:`MEDIATOR` if it names
    none, and only if the protocol needs a mediator; the delegations are the scenario's, in
    its order.
    """
    if isinstance(protocol, str):
        protocol = protocol_by_id(protocol)
    delegations = tuple(party.name for party in scenario.delegations)
    if not protocol.needs_mediator:
        return Seating("", delegations)
    mediator = scenario.mediator
    return Seating(mediator.name if mediator is not None else MEDIATOR, delegations)
