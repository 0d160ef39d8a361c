"""Helpers of the web layer's tests: a room's seats and tokens, and a client of the app in process."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from accord.room.service import CreatedRoom, RoomService
from accord.server import ServerSettings, create_app

BASE = "http://room.test"


@dataclass(frozen=True)
class Room:
    """A one-text room held by people: the envoy mediates, north and south negotiate, one observer."""

    service: RoomService
    created: CreatedRoom

    @property
    def id(self) -> str:
        return self.created.room

    def token(self, seat: str) -> str:
        if seat == "observer":
            return self.created.observers[0]
        token = self.created.seats[seat].token
        assert token is not None
        return token

    def records(self) -> int:
        return self.service.store.last_seq(self.id)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def in_process(
    service: RoomService,
    test: Callable[[httpx.AsyncClient], Awaitable[Any]],
    *,
    base_url: str = BASE,
    **settings: Any,
) -> Any:
    """Run ``test`` with an httpx client on the app in process (``httpx.ASGITransport``)."""
    app = create_app(service, settings=ServerSettings(**settings))

    async def main() -> Any:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url) as client:
            return await test(client)

    return asyncio.run(main())
