"""The registry of agents: versioned ids → agent classes, imported lazily.

Each target is an agent class built with no arguments. Third-party agents join
through the ``accord.agents`` entry-point group (name: the versioned id, value:
``"module:Class"``). An agent class may say which seats it can take with a
``roles`` class attribute (a tuple of :class:`~accord.domain.Role`); without one
it is taken to be a delegation's agent.

>>> agent_by_id("boulware").id
'boulware-v1'
>>> default_agent_for("one-text-v1", Role.MEDIATOR)
'drafter-v1'
"""

from __future__ import annotations

from accord.agents.base import Agent
from accord.domain import Role
from accord.errors import AgentError
from accord.registry import Registry, split_id

__all__ = ["AGENTS", "agent_by_id", "agent_roles", "default_agent_for"]

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
)

#: The mediator each mediated protocol gets when none is named (bare protocol names).
DEFAULT_MEDIATORS = {
    "single-text": "hill-climbing-v1",
    "one-text": "drafter-v1",
    "shuttle": "nash-mediator-v1",
    "post-settlement": "nash-mediator-v1",
    "blind-bidding": "nash-mediator-v1",
}

#: The delegations' default: Genius's standard time-based strategy.
DEFAULT_DELEGATION = "boulware-v1"


def agent_by_id(name: str) -> Agent:
    """A new agent for a versioned id or bare name; :class:`~accord.errors.AgentError` when unknown."""
    target = AGENTS.resolve(name)
    try:
        agent: Agent = target()
    except Exception as error:
        raise AgentError("<registry>", name, f"could not build the agent: {error}") from error
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
        return DEFAULT_MEDIATORS.get(bare, "nash-mediator-v1")
    return DEFAULT_DELEGATION
