"""A stand-in room service for the web layer's own checks (authentication, headers, streams, idempotency).

It keeps the planned service's shape and nothing of the room's rules: one room
``r1`` with a mediator ``Envoy``, delegations ``North`` and ``South`` and an
observer; every action of kind ``offer`` is appended as an item every seat sees,
any other kind is refused. The real service is tested in the other modules.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from accord.room.errors import Forbidden, NotFound, Refused

TOKENS = {
    "t-envoy-0123456789abcdef": ("Envoy", "mediator"),
    "t-north-0123456789abcdef": ("North", "delegation"),
    "t-south-0123456789abcdef": ("South", "delegation"),
    "t-observer-0123456789abc": ("observer-1", "observer"),
}


@dataclass(frozen=True)
class Access:
    room: str
    seat: str
    member: str
    role: str


@dataclass(frozen=True)
class Notice:
    room: str
    seq: int


class Subscription:
    def __init__(self, store: StandInStore, callback: Callable[[tuple[Notice, ...]], None]) -> None:
        self.store, self.callback = store, callback

    def close(self) -> None:
        self.store.subscriptions.remove(self)


class StandInStore:
    """Calls its subscribers with each new record, as the store's fan-out does."""

    def __init__(self) -> None:
        self.subscriptions: list[Subscription] = []

    def subscribe(self, callback: Callable[[tuple[Notice, ...]], None]) -> Subscription:
        subscription = Subscription(self, callback)
        self.subscriptions.append(subscription)
        return subscription

    def committed(self, room: str, seq: int) -> None:
        for subscription in list(self.subscriptions):
            subscription.callback((Notice(room, seq),))


class StandInService:
    def __init__(self) -> None:
        self.store = StandInStore()
        self.items_by_seq: list[dict[str, Any]] = []
        self.keys: dict[tuple[str, str], Any] = {}
        self.revoked: set[str] = set()
        self.calls = 0
        self._lock = threading.Lock()

    def authenticate(self, token: str) -> Access | None:
        if token in self.revoked or token not in TOKENS:
            return None
        seat, role = TOKENS[token]
        return Access("r1", seat, f"{seat}-member", role)

    def view(self, access: Access) -> dict[str, Any]:
        return {"seat": access.seat, "role": access.role, "events": self.items(access, 0)}

    def items(self, access: Access, after: int) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(item) for item in self.items_by_seq if item["seq"] > after]

    def _append(self, access: Access, key: str | None, item: dict[str, Any]) -> int:
        with self._lock:
            if key is not None and (access.seat, key) in self.keys:
                seq: int = self.keys[access.seat, key]
                return seq
            self.calls += 1
            seq = len(self.items_by_seq) + 1
            self.items_by_seq.append({"seq": seq, **item})
            if key is not None:
                self.keys[access.seat, key] = seq
        self.store.committed(access.room, seq)
        return seq

    def act(self, access: Access, action: dict[str, Any], *, idempotency_key: str | None) -> int:
        if access.role == "observer":
            raise Forbidden(access.seat, "act", "observers do not act")
        if action["kind"] != "offer":
            raise Refused(access.seat, action["kind"], "only offers in this stand-in")
        return self._append(access, idempotency_key, {"kind": "event", "seat": access.seat, "action": action})

    def message(
        self, access: Access, text: str, *, disclosure: str | None, to: str, idempotency_key: str | None
    ) -> tuple[str, int]:
        seq = self._append(access, idempotency_key, {"kind": "message", "text": text})
        return f"m{seq}", seq

    def forward(
        self,
        access: Access,
        message_id: str,
        to: list[str],
        *,
        paraphrase: str | None,
        idempotency_key: str | None,
    ) -> tuple[str, int]:
        if access.role != "mediator":
            raise Forbidden(access.seat, "forward", "only the mediator forwards")
        raise NotFound(access.seat, "forward", f"no message {message_id!r}")
