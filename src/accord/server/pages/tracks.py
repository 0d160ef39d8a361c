"""The "Linked tracks" section of a process's room: what the seat's process view gives, and nothing else.

Every seat of a room that belongs to a process (``RoomService.process_view``) sees the tracks and
the cross-track conditions with their state: *met* once the required issue is agreed in its track,
*blocking* until then (the conditioned issue cannot be agreed before). A delegation also sees its
own party's seats in the other tracks side by side — the package on each table, whose move is
awaited, the result — read only from that seat's view inside the process view; the other room
opens from that seat's own link (a room's cookie is its own: no page carries another room's
token). The mediator also sees the other tracks' agendas and the joint analysis.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from accord.server.pages.reading import clause_rows

__all__ = ["linked_context"]


def _conditions(process: Mapping[str, Any]) -> list[dict[str, Any]]:
    tracks = process["tracks"]
    rows = []
    for condition in process["conditions"]:
        required = tracks.get(condition["requires_track"], {})
        met = condition["requires_issue"] in required.get("agreed", ())
        rows.append({**condition, "met": met})
    return rows


def _own_seat(track: str, view: Mapping[str, Any], room: str) -> dict[str, Any]:
    """A delegation's seat in another track, from that seat's view (read only)."""
    table = view["protocol"].get("on_table")
    result = view.get("result")
    agreement = None if not result else result.get("agreement")
    return {
        "track": track,
        "seat": view["seat"],
        "path": f"/rooms/{quote(room, safe='')}",
        "agenda": view["agenda"]["name"],
        "must_act": bool(view["turn"].get("must_act")),
        "allowed": list(view["turn"].get("allowed") or ()),
        "table": None if table is None else clause_rows(view, list(table)),
        "ended": None if not result else result.get("reason"),
        "agreement": None
        if not agreement
        else clause_rows(view, [agreement[issue["name"]] for issue in view["agenda"]["issues"]]),
        "round": (view.get("rounds") or {}).get("current"),
    }


def _analysis(analysis: Mapping[str, Any]) -> dict[str, Any]:
    if "error" in analysis:
        return {"error": analysis["error"]}
    nash = analysis.get("separate_nash") or {}
    worth = nash.get("worth") or {}
    return {
        "error": None,
        "tracks": [{"name": name, **data} for name, data in analysis["tracks"].items()],
        "parties": [{**party, "separate": worth.get(party["name"])} for party in analysis["parties"]],
        "joint_pareto_size": analysis["joint_pareto_size"],
        "trades": [
            {
                "outcomes": [
                    {"track": track, "choices": list(choices.items())}
                    for track, choices in trade["outcomes"].items()
                ],
                "gains": list(trade["gains"].items()),
                "everyone_gains": trade["everyone_gains"],
            }
            for trade in analysis["trades"]
        ],
    }


def linked_context(process: Mapping[str, Any] | None, role: str) -> dict[str, Any] | None:
    """The section's data from the seat's process view (``None`` outside a process)."""
    if process is None:
        return None
    tracks = process["tracks"]
    context: dict[str, Any] = {
        "name": process["name"],
        "track": process["track"],
        "tracks": [
            {
                "name": name,
                "here": name == process["track"],
                "protocol": data["protocol"],
                "round": (data.get("rounds") or {}).get("current"),
                "ended": data.get("ended"),
                "agreed": list(data.get("agreed", ())),
            }
            for name, data in tracks.items()
        ],
        "conditions": _conditions(process),
        "party": None,
        "seats": [],
        "texts": [],
        "analysis": None,
    }
    if role == "delegation":
        context["party"] = process.get("party")
        context["seats"] = [
            _own_seat(track, view, tracks[track]["room"]) for track, view in process.get("seats", {}).items()
        ]
    elif role == "mediator":
        context["texts"] = [
            {"track": track, "agenda": agenda} for track, agenda in process.get("texts", {}).items()
        ]
        if process.get("analysis") is not None:
            context["analysis"] = _analysis(process["analysis"])
    return context
