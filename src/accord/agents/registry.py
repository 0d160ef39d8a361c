"""The registry of agents: versioned ids → agent classes, imported lazily.

Each target is an agent class built with no arguments. Third-party agents join
through the ``accord.agents`` entry-point group (name: the versioned id, value:
``"module:Class"``). An agent class may say which seats it can take with a
``roles`` class attribute (a tuple of :class:`~accord.domain.Role`); without one
it is taken to be a delegation's agent. It may also name the protocols it plays
with a ``protocols`` class attribute (bare names or versioned ids); without one
it plays every protocol. :func:`check_seat` is the one check of both, used by
:func:`~accord.session.run_session` (and so by the command line and tournaments).

>>> agent_by_id("boulware").id
'boulware-v1'
>>> default_agent_for("one-text-v1", Role.MEDIATOR)
'drafter-v1'
>>> try:
...     check_seat("drafter", seat="Port", role=Role.DELEGATION, protocol="alternating-offers-v1")
... except AgentError as error:
...     print(error)
agents: seat 'Port': agent 'drafter-v1' cannot take a delegation's seat: it is a mediator's agent
"""

from __future__ import annotations

from typing import Any

from accord.agents.base import Agent
from accord.domain import Role
from accord.errors import AgentError
from accord.registry import Registry, split_id

__all__ = ["AGENTS", "agent_by_id", "agent_protocols", "agent_roles", "check_seat", "default_agent_for"]

AGENTS = Registry(
    "accord.agents",
    {
        "boulware-v1": "accord.agents.concession:BoulwareAgent",
        "conceder-v1": "accord.agents.concession:ConcederAgent",
        "drafter-v1": "accord.agents.mediators:DrafterMediator",
        "frequency-v1": "accord.agents.frequency:FrequencyAgent",
        "hill-climbing-v1": "accord.agents.mediators:HillClimbingMediator",
        "linear-v1": "accord.agents.concession:LinearAgent",
        "nash-mediator-v1": "accord.agents.mediators:NashMediator",
        "random-v1": "accord.agents.random_agent:RandomAgent",
        "tit-for-tat-v1": "accord.agents.tit_for_tat:TitForTatAgent",
    },
    noun="agent",
    argument="agents",
)

#: The mediator's agent where a protocol gives a mediator a seat and none is named (bare protocol
#: names; others get the Nash-seeking envoy). Whether a protocol has that seat is its own
#: ``needs_mediator``.
DEFAULT_MEDIATORS = {
    "single-text": "hill-climbing-v1",
    "one-text": "drafter-v1",
}
DEFAULT_MEDIATOR = "nash-mediator-v1"

#: The delegations' default: Genius's standard time-based strategy.
DEFAULT_DELEGATION = "boulware-v1"


def agent_by_id(name: str) -> Agent:
    """A new agent for a versioned id or bare name; :class:`~accord.errors.AgentError` when unknown."""
    target = AGENTS.resolve(name)
    try:
        agent: Agent = target()
    except Exception as error:
        raise AgentError("agents", f"{name!r}: could not build the agent: {error}") from error
    return agent


def agent_roles(agent: Agent | type[Agent]) -> tuple[Role, ...]:
    """The seats an agent can take (its ``roles`` attribute; a delegation's by default)."""
    roles: tuple[Role, ...] = getattr(agent, "roles", (Role.DELEGATION,))
    return roles


def default_agent_for(protocol_id: str, role: Role) -> str:
    """The versioned id of the agent a seat gets when none is named."""
    if role is Role.MEDIATOR:
        try:
            bare = split_id(protocol_id)[0]
        except ValueError:
            bare = protocol_id
        return DEFAULT_MEDIATORS.get(bare, DEFAULT_MEDIATOR)
    return DEFAULT_DELEGATION


def _bare(identifier: str) -> str:
    try:
        return split_id(identifier)[0]
    except ValueError:
        return identifier


def check_seat(agent: Agent | type[Any] | str, *, seat: str, role: Role, protocol: str) -> None:
    """Refuse ``agent`` (an agent, agent class or id) for ``seat`` if it cannot take ``role`` there.

    Checks the agent's ``roles`` and, if it declares them, its ``protocols`` against
    ``protocol`` (a versioned id). :class:`~accord.errors.AgentError` names the seat,
    the agent and the reason (an unknown id is one too).
    """
    target = AGENTS.resolve(agent) if isinstance(agent, str) else agent
    name = AGENTS.canonical(agent) if isinstance(agent, str) else str(getattr(agent, "id", agent))
    roles = agent_roles(target)
    if role not in roles:
        takes = " or ".join(f"a {other.value}'s" for other in roles) or "no"
        raise AgentError(
            "agents", f"seat {seat!r}: agent {name!r} cannot take a {role.value}'s seat: it is {takes} agent"
        )
    plays = getattr(target, "protocols", None)
    if plays is not None and _bare(protocol) not in {_bare(str(item)) for item in plays}:
        played = ", ".join(map(str, plays))
        raise AgentError(
            "agents", f"seat {seat!r}: agent {name!r} cannot play {protocol}: it plays only {played}"
        )


def agent_protocols(name: str) -> dict[Role, tuple[str, ...]]:
    """For each seat the agent ``name`` can take, the registered protocols where it can take it.

    A mediator's agent fits the protocols that seat a mediator (their ``needs_mediator``);
    an agent that names its ``protocols`` fits only those; :func:`check_seat` decides the rest.

    >>> agent_protocols("drafter")[Role.MEDIATOR][:2]
    ('one-text-v1', 'post-settlement-v1')
    """
    from accord.protocols.registry import PROTOCOLS

    target = AGENTS.resolve(name)
    fits: dict[Role, tuple[str, ...]] = {}
    for role in agent_roles(target):
        playable = []
        for protocol in PROTOCOLS.ids():
            if role is Role.MEDIATOR and not PROTOCOLS.resolve(protocol).needs_mediator:
                continue
            try:
                check_seat(target, seat=role.value, role=role, protocol=protocol)
            except AgentError:
                continue
            playable.append(protocol)
        fits[role] = tuple(playable)
    return fits
