"""``accord run`` (one session of talks) and ``accord list`` (the registered protocols and agents).

``accord run SCENARIO --protocol ID --agents PARTY=AGENT[,PARTY=AGENT...] [--mediator AGENT]
[--seed N] [--rounds R] [--json] [--trace FILE.jsonl] [--report FILE.html [--parties A,B]]``
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table

from accord.agents.registry import AGENTS, agent_protocols
from accord.cli.analyze import _parties
from accord.cli.arguments import rounds, seed
from accord.cli.coalitions import add_join_argument, compare_sessions
from accord.cli.outputs import add_force, refuse_to_overwrite
from accord.cli.progress import ProgressBar
from accord.cli.shown import json_text, shown
from accord.domain import Scenario
from accord.domain.names import resolve_name
from accord.errors import AgentError, ArgumentError, InputError
from accord.io import load_scenario
from accord.io.process_file import is_process_file
from accord.protocols import Event
from accord.protocols.registry import PROTOCOLS, protocol_by_id
from accord.session import SessionResult, run_session

__all__ = ["register"]


def register(subcommands: Any) -> None:
    run = subcommands.add_parser("run", help="run one session of talks between agents")
    run.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="an Accord scenario file, or a process file of linked tracks (YAML or JSON)",
    )
    run.add_argument(
        "--protocol",
        default="alternating-offers",
        help="protocol id (see `accord list protocols`; default %(default)s)",
    )
    run.add_argument(
        "--agents", metavar="PARTY=AGENT[,...]", default="", help="agents for delegations (others: a default)"
    )
    run.add_argument("--mediator", metavar="AGENT", help="the mediator's agent (mediated protocols)")
    run.add_argument("--seed", type=seed, default=0, help="seed of the session (default %(default)s)")
    run.add_argument("--rounds", type=rounds, default=100, help="deadline in rounds (default %(default)s)")
    run.add_argument("--json", action="store_true", help="print the result as JSON")
    run.add_argument("--trace", metavar="FILE.jsonl", help="write every event, in order, as JSON lines")
    run.add_argument("--report", metavar="FILE.html", help="write the HTML report")
    add_force(run)
    run.add_argument(
        "--parties",
        metavar="A,B",
        help="the two delegations of the report's utility-space plot (default: the two furthest apart)",
    )
    add_join_argument(run)
    run.set_defaults(handler=run_command)
    listing = subcommands.add_parser("list", help="list the registered protocols or agents")
    listing.add_argument("what", metavar="WHAT", choices=("protocols", "agents"), help="what to list")
    listing.add_argument(
        "--json",
        action="store_true",
        help="print JSON: each id with its description, and whether a protocol needs a mediator "
        "or which seats and protocols an agent fits",
    )
    listing.set_defaults(handler=list_command)


def _assignments(scenario: Scenario, given: str, mediator: str | None, mediated: bool) -> dict[str, str]:
    delegations = [party.name for party in scenario.delegations]
    agents: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in given.split(","))):
        typed, equals, agent = item.partition("=")
        typed, agent = typed.strip(), agent.strip()
        if not equals or not typed or not agent:
            raise ArgumentError("--agents", f"expected PARTY=AGENT, e.g. Government=boulware, got {item!r}")
        party = resolve_name(typed, delegations, what="delegation", argument="--agents")
        if party in agents:
            raise ArgumentError("--agents", f"the delegation {party!r} is named twice")
        agents[party] = AGENTS.canonical(agent)
    if mediator:
        if not mediated:
            raise ArgumentError("--mediator", "this protocol has no mediator's seat")
        seat = scenario.mediator.name if scenario.mediator is not None else "Mediator"
        try:
            agents[seat] = AGENTS.canonical(mediator)
        except AgentError as error:
            raise ArgumentError("--mediator", error.reason) from None
    return agents


class _ProgressSink:
    """Advances the progress bar with the rounds of the events."""

    def __init__(self, progress: ProgressBar, rounds: int, trace: Any) -> None:
        self.progress = progress
        self.rounds = rounds
        self.trace = trace

    def receive(self, event: Event) -> None:
        if self.trace is not None:
            self.trace.receive(event)
        self.progress.advance(min(event.round, self.rounds), self.rounds)


def run_command(arguments: argparse.Namespace) -> int:
    if is_process_file(arguments.scenario):
        from accord.cli.process import run_process_command

        return run_process_command(arguments)
    scenario = load_scenario(arguments.scenario)
    if len(scenario.delegations) < 2:
        raise InputError(
            arguments.scenario, "parties", "talks need at least two delegations with preferences"
        )
    for path, suffix in ((arguments.trace, ".jsonl"), (arguments.report, ".html")):
        if path and not str(path).endswith(suffix):
            raise InputError(str(path), "", f"the file name must end in {suffix}")
    refuse_to_overwrite([arguments.trace, arguments.report], force=arguments.force)
    pair = _parties(scenario, arguments.parties)
    if pair is not None and len(pair) != 2:
        raise ArgumentError(
            "--parties", f"name two delegations, e.g. --parties A,B, got {arguments.parties!r}"
        )
    if pair is not None and not arguments.report:
        raise ArgumentError("--parties", "chooses the pair of the report's plot: give --report too")
    protocol = protocol_by_id(arguments.protocol)
    # Whether each agent fits its seat is checked by run_session (accord.agents.registry.check_seat).
    agents = _assignments(scenario, arguments.agents, arguments.mediator, protocol.needs_mediator)
    if arguments.join:
        return compare_sessions(scenario, protocol, agents, arguments)
    from accord.trace import TraceWriter

    trace_file = open(arguments.trace, "w", encoding="utf-8") if arguments.trace else None  # noqa: SIM115
    try:
        writer = TraceWriter(trace_file) if trace_file is not None else None
        with ProgressBar(f"{scenario.name}: {protocol.id}", enabled=not arguments.json) as progress:
            sink = _ProgressSink(progress, arguments.rounds, writer)
            result = run_session(
                scenario, protocol, agents, seed=arguments.seed, rounds=arguments.rounds, sink=sink
            )
    except OSError as error:
        raise InputError(str(arguments.trace), "", f"cannot write the trace: {error.strerror}") from None
    finally:
        if trace_file is not None:
            trace_file.close()
    if arguments.report:
        from accord.reports.session_report import write_session_report

        try:
            write_session_report(result, scenario, arguments.report, pair=pair)
        except OSError as error:
            raise InputError(
                str(arguments.report), "", f"cannot write the report: {error.strerror}"
            ) from None
    if arguments.json:
        sys.stdout.write(json_text(result.to_dict()) + "\n")
    else:
        _print_result(result, arguments)
    return 0


def _print_result(result: SessionResult, arguments: argparse.Namespace) -> None:
    console = Console()
    console.print(
        f"[bold]{shown(result.scenario)}[/bold] under {shown(result.protocol)} (seed {result.seed}): "
        f"[bold]{shown(result.reason)}[/bold] after {result.rounds} of {result.deadline} rounds"
    )
    table = Table(show_lines=False)
    table.add_column("Seat", no_wrap=True, overflow="fold")
    table.add_column("Agent", no_wrap=True, overflow="fold")
    table.add_column("Utility", justify="right")
    for seat, agent in result.agents.items():
        value = result.utilities.get(seat)
        table.add_row(shown(seat), shown(agent), "" if value is None else f"{value:.3f}")
    console.print(table)
    agreement = result.agreement_mapping()
    if agreement:
        for issue, value in agreement.items():
            console.print(f"  {shown(issue)}: {shown(str(value))}")
        optimal = {True: "yes", False: "no", None: "not checked"}[result.pareto_optimal]
        console.print(f"Pareto optimal: {optimal}")
    for seat, reason in result.walk_outs.items():
        console.print(f"[yellow]{shown(seat)}[/yellow] walked out: {shown(reason)}")
    for path, what in ((arguments.trace, "Trace"), (arguments.report, "Report")):
        if path:
            console.print(f"{what} written to {shown(str(path))}")


def catalogue(what: str) -> list[dict[str, Any]]:
    """The registered protocols or agents, each with its description: what ``accord list`` shows.

    Protocols: ``id``, ``description``, ``needs_mediator``. Agents: ``id``, ``description``,
    ``roles`` and ``protocols`` (for each role the agent can take, the protocols where it fits).
    """
    if what == "protocols":
        return [
            {
                "id": identifier,
                "description": PROTOCOLS.description(identifier),
                "needs_mediator": bool(PROTOCOLS.resolve(identifier).needs_mediator),
            }
            for identifier in PROTOCOLS.ids()
        ]
    entries = []
    for identifier in AGENTS.ids():
        fits = agent_protocols(identifier)
        entries.append(
            {
                "id": identifier,
                "description": AGENTS.description(identifier),
                "roles": [role.value for role in fits],
                "protocols": {role.value: list(protocols) for role, protocols in fits.items()},
            }
        )
    return entries


def list_command(arguments: argparse.Namespace) -> int:
    entries = catalogue(arguments.what)
    if arguments.json:
        sys.stdout.write(json.dumps(entries, indent=2, ensure_ascii=False) + "\n")
        return 0
    table = Table(show_lines=True)
    table.add_column("id", no_wrap=True, overflow="fold")
    if arguments.what == "protocols":
        table.add_column("mediator")
        table.add_column("description")
        for entry in entries:
            mediator = "needs one" if entry["needs_mediator"] else "none"
            table.add_row(shown(entry["id"]), mediator, shown(entry["description"]))
    else:
        table.add_column("seats: protocols")
        table.add_column("description")
        every = set(PROTOCOLS.ids())
        for entry in entries:
            seats = []
            for role, protocols in entry["protocols"].items():
                which = "every protocol" if set(protocols) == every else ", ".join(protocols) or "none"
                seats.append(f"{role}: {which}")
            table.add_row(
                shown(entry["id"]), "\n".join(shown(seat) for seat in seats), shown(entry["description"])
            )
    Console().print(table)
    return 0
