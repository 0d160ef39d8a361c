"""A whole Geneva one-text session over HTTP: two delegations held by scripted people, the rest by agents."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from accord.room.service import RoomService
from server.people import next_action
from server.support import bearer, in_process

GENEVA = Path(__file__).parents[2] / "examples" / "geneva-2017.yaml"
PEOPLE = ("Government", "High Negotiations Committee")
AGENTS = {"UN Special Envoy": "drafter", "Moscow platform": "boulware", "Cairo platform": "boulware"}


@pytest.mark.slow
def test_people_and_agents_reach_agreement_over_http(service: RoomService) -> None:
    created = service.create_room(GENEVA, "one-text", agents=AGENTS, observers=1, rounds=60)
    tokens: dict[str, str] = {seat: created.seats[seat].token or "" for seat in PEOPLE}
    tokens["observer"] = created.observers[0]
    path = f"/api/v1/rooms/{created.room}"

    async def session(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
        acted = {seat: 0 for seat in PEOPLE}
        for _ in range(1000):
            views = {
                seat: (await client.get(f"{path}/view", headers=bearer(tokens[seat]))).json()
                for seat in PEOPLE
            }
            if any(view["result"] for view in views.values()):
                break
            for seat, view in views.items():
                if view["turn"]["must_act"]:
                    response = await client.post(
                        f"{path}/actions",
                        json=next_action(view),
                        headers={**bearer(tokens[seat]), "Idempotency-Key": f"{seat}-{acted[seat]}"},
                    )
                    assert response.status_code == 201, response.text
                    acted[seat] += 1
        assert all(count > 0 for count in acted.values())
        return {
            seat: (await client.get(f"{path}/view", headers=bearer(token))).json()
            for seat, token in tokens.items()
        }

    views = in_process(service, session)
    result = views["Government"]["result"]
    assert result is not None and result["reason"] == "agreement", result
    assert all(view["result"] == result for view in views.values())
    # The agreement is on the table for everyone and crosses none of the people's red lines.
    for seat in PEOPLE:
        preferences = views[seat]["preferences"]["delegations"]
        assert list(preferences) == [seat]
        for red_line in preferences[seat]["red_lines"]:
            assert not all(
                result["agreement"][issue] in options for issue, options in red_line["when"].items()
            )
    observer = views["observer"]
    assert observer["role"] == "observer"
    assert "delegations" not in observer["preferences"] or not observer["preferences"]["delegations"]
    # Every event the observer sees is public.
    assert all(event["visible_to"] is None for event in observer["events"])
