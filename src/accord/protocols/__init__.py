"""Negotiation procedures as pure state machines, and their registry."""

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
    action_from_data,
    action_kind,
    action_to_data,
    register_action,
)
from accord.protocols.base import Event, Observation, Protocol, ProtocolResult, Setup, Transition
from accord.protocols.data import plain_data, read_only
from accord.protocols.journal import EventLog, Journal, SeatView, visible_events
from accord.protocols.options import Options

__all__ = [
    "Accept",
    "AcceptPackages",
    "Action",
    "CallVote",
    "Critique",
    "Event",
    "EventLog",
    "Journal",
    "Message",
    "Observation",
    "Offer",
    "Options",
    "PassOn",
    "Propose",
    "Protocol",
    "ProtocolResult",
    "Reject",
    "SeatView",
    "Setup",
    "Transition",
    "Vote",
    "Wait",
    "WalkAway",
    "action_from_data",
    "action_kind",
    "action_to_data",
    "plain_data",
    "read_only",
    "register_action",
    "visible_events",
]
