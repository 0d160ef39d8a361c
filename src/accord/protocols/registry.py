"""The registry of protocols: versioned ids → protocol classes, imported lazily.

Each target is a protocol class constructed with no arguments. Plugins add
their own through the ``accord.protocols`` entry-point group.

>>> protocol_by_id("alternating-offers").id
'alternating-offers-v1'
>>> PROTOCOLS.ids()[:2]
('alternating-offers-v1', 'blind-bidding-v1')
"""

from __future__ import annotations

from typing import Any

from accord.protocols.base import Protocol
from accord.registry import Registry

__all__ = ["PROTOCOLS", "protocol_by_id"]

PROTOCOLS = Registry(
    "accord.protocols",
    {
        "alternating-offers-v1": "accord.protocols.alternating_offers:AlternatingOffers",
        "blind-bidding-v1": "accord.protocols.blind_bidding:BlindBidding",
        "one-text-v1": "accord.protocols.one_text:OneText",
        "post-settlement-v1": "accord.protocols.post_settlement:PostSettlement",
        "shuttle-v1": "accord.protocols.shuttle:Shuttle",
        "single-text-v1": "accord.protocols.single_text:SingleText",
    },
    noun="protocol",
    argument="protocol",
)


def protocol_by_id(name: str) -> Protocol[Any]:
    """A new protocol for a versioned id or bare name; :class:`~accord.errors.AgentError` when unknown."""
    protocol: Protocol[Any] = PROTOCOLS.resolve(name)()
    return protocol
