"""What a new room is made from and what its creator gets back.

:meth:`RoomService.create_room <accord.room.service.RoomService.create_room>` reads the
scenario (:func:`scenario_text`), checks the settings (:func:`room_settings`), lets the rules
open the room with :class:`NewLinks` making each member's id and token, and answers with the
:class:`CreatedRoom` that :meth:`NewLinks.created` builds: the only time a token is shown.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from accord.errors import ArgumentError, ScenarioError
from accord.room.records import Settings, token_hash
from accord.room.service.links import new_member_id, new_token
from accord.room.state import OBSERVERS, RoomState

__all__ = ["CreatedRoom", "NewLinks", "SeatLink", "new_room_id", "room_settings", "scenario_text"]


@dataclass(frozen=True, slots=True)
class SeatLink:
    """A seat of a new room: who holds it and, for a person's seat, its first member's secret link."""

    holder: str
    agent: str | None
    token: str | None


@dataclass(frozen=True, slots=True)
class CreatedRoom:
    """A new room: its id, each seat's holder and link token, and the observers' tokens."""

    room: str
    seats: Mapping[str, SeatLink]
    observers: tuple[str, ...]

    def to_data(self) -> dict[str, Any]:
        """``{"room": ID, "seats": {SEAT: {"holder", "agent", "token"}}, "observers": [TOKEN, ...]}``."""
        return {
            "room": self.room,
            "seats": {
                seat: {"holder": link.holder, "agent": link.agent, "token": link.token}
                for seat, link in self.seats.items()
            },
            "observers": list(self.observers),
        }


class NewLinks:
    """The links of a new room: :meth:`credentials` makes a member's id and token for the rules
    (``rules.create_room(credentials=...)``), and keeps the token to show once in :meth:`created`."""

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}  # member → token, for the answer only

    def credentials(self, seat: str) -> tuple[str, str]:
        """A new member of ``seat``: its id and its token's hash."""
        member = new_member_id()
        self._tokens[member] = new_token()
        return member, token_hash(self._tokens[member])

    def created(self, state: RoomState) -> CreatedRoom:
        """The answer for the room ``state`` opened: each seat's holder and first link, the observers'."""
        tokens = self._tokens
        first = {link.seat: tokens[member] for member, link in reversed(list(state.links.items()))}
        holders = state.holders
        seats = {
            seat: SeatLink(holders[seat].holder, holders[seat].agent, first.get(seat)) for seat in state.seats
        }
        observer_tokens = [tokens[link.member] for link in state.links.values() if link.seat == OBSERVERS]
        return CreatedRoom(state.room, seats, tuple(observer_tokens))


def new_room_id() -> str:
    """A room's id: 48 random bits in hex (not a secret: links are).

    >>> len(new_room_id())
    12
    """
    return secrets.token_hex(6)


def room_settings(**values: Any) -> Settings:
    """The room's settings; :class:`~accord.errors.ArgumentError` naming the setting (``rounds``) and why."""
    try:
        return Settings.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "settings"
        raise ArgumentError(name, f"{first['msg']}, got {values.get(name)!r}") from None


def scenario_text(scenario: Path | str) -> tuple[str, str]:
    """``(source, text)``: a path is read (UTF-8), a string is the text itself.

    >>> scenario_text("name: talks")
    ('', 'name: talks')
    """
    if isinstance(scenario, str):
        return "", scenario
    source = str(scenario)
    try:
        return source, scenario.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ScenarioError(source, "", "no such file") from None
    except IsADirectoryError:
        raise ScenarioError(source, "", "is a directory, expected a scenario file") from None
    except UnicodeDecodeError as error:
        raise ScenarioError(source, f"byte {error.start}", "not UTF-8 text") from None
    except OSError as error:
        raise ScenarioError(source, "", f"cannot be read: {error.strerror}") from None
