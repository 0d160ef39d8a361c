"""Folding a room's records into its state, in order (pure: no store, no clock, no agents).

:func:`fold` takes the state so far (or ``None``) and the records that follow it
and returns the new state; the previous state is never changed, so readers may
keep a reference while a writer folds. The protocol's state is not stored: it is
replayed from the recorded actions through the protocol's own ``start`` and
``step``, and every stored ``protocol-event`` must equal the event the replay
gives at that point — a record that was altered, dropped or invented is a
:class:`~accord.room.errors.RecordError` naming its ``seq``.

Actions of seats that the protocol awaits together (every delegation's critique,
every vote) are held in :attr:`RoomState.submitted` until the last of them
arrives; that action's record carries the step, and the step's events follow it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from accord.errors import AccordError, ProtocolError
from accord.frozen import freeze
from accord.io import parse_scenario, scenario_to_data
from accord.io.preferences_form import parse_preferences, preferences_to_data
from accord.protocols import Protocol, Setup, action_from_data
from accord.protocols.registry import protocol_by_id
from accord.room.errors import RecordError
from accord.room.records import (
    ActionTaken,
    LinkIssued,
    LinkRequested,
    LinkRevoked,
    MessageForwarded,
    MessageSent,
    PreferencesDisclosed,
    PreferencesSet,
    ProtocolEvent,
    RecordData,
    RoomCreated,
    SeatHanded,
    Stored,
    TextChanged,
    parse_data,
)
from accord.room.state import (
    IDLE,
    OBSERVERS,
    Forwarded,
    Link,
    RoomMessage,
    RoomState,
    Submitted,
    TextNote,
    Turn,
)
from accord.text import History, text_from_scenario, witnesses

__all__ = ["fold"]


class _Fold:
    """The mutable copy a fold works on; frozen into a new :class:`RoomState` at the end."""

    def __init__(self, state: RoomState) -> None:
        self.state = state
        self.records = list(state.records)
        self.parsed = list(state.parsed)
        self.events = list(state.events)
        self.steps = list(state.steps)
        self.submitted = dict(state.submitted)
        self.holders = dict(state.holders)
        self.links = dict(state.links)
        self.messages = dict(state.messages)
        self.forwards = dict(state.forwards)
        self.disclosed = set(state.disclosed)
        self.turns = dict(state.turns)
        self.turn_started = state.turn_started
        self.unconfirmed = list(state.unconfirmed)
        self.protocol_state = state.protocol_state
        #: The turns a step gave, recorded with the step's last event.
        self.step_turns: dict[str, Turn] = dict(state.step_turns)
        self.handed = dict(state.handed)
        self.scenario = state.scenario
        self.preferences = dict(state.preferences)
        self.preferences_set = dict(state.preferences_set)
        self.shared_preferences = set(state.shared_preferences)
        self.started = state.started
        self.link_requests = dict(state.link_requests)
        self.text = state.text
        self.text_notes = dict(state.text_notes)

    def frozen(self) -> RoomState:
        state = self.state
        return RoomState(
            room=state.room,
            created=state.created,
            scenario=self.scenario,
            protocol=state.protocol,
            setup=state.setup,
            protocol_state=self.protocol_state,
            records=tuple(self.records),
            parsed=tuple(self.parsed),
            events=tuple(self.events),
            steps=tuple(self.steps),
            submitted=MappingProxyType(self.submitted),
            holders=MappingProxyType(self.holders),
            links=MappingProxyType(self.links),
            messages=MappingProxyType(self.messages),
            forwards=MappingProxyType(self.forwards),
            disclosed=frozenset(self.disclosed),
            turns=MappingProxyType(self.turns),
            turn_started=self.turn_started,
            unconfirmed=tuple(self.unconfirmed),
            step_turns=MappingProxyType(dict(self.step_turns)),
            handed=MappingProxyType(self.handed),
            preferences=MappingProxyType(self.preferences),
            preferences_set=MappingProxyType(self.preferences_set),
            shared_preferences=frozenset(self.shared_preferences),
            started=self.started,
            link_requests=MappingProxyType(self.link_requests),
            text=self.text,
            text_notes=MappingProxyType(self.text_notes),
        )

    def apply(self, record: Stored, data: RecordData) -> None:
        if self.unconfirmed and not isinstance(data, ProtocolEvent):
            raise ValueError(
                f"the replay gives {len(self.unconfirmed)} more protocol event(s) before any other record"
            )
        if isinstance(data, ProtocolEvent):
            self._event(record, data)
        elif isinstance(data, ActionTaken):
            self._action(record, data)
        elif isinstance(data, LinkIssued):
            self._seat_exists(data.seat, observers=True)
            self.links[data.member] = Link(data.seat, data.member, data.token_hash, True)
            self.link_requests.pop(data.seat, None)
        elif isinstance(data, LinkRevoked):
            link = self.links.get(data.member)
            if link is None or link.seat != data.seat:
                raise ValueError(f"no member {data.member!r} of seat {data.seat!r}")
            self.links[data.member] = Link(link.seat, link.member, link.token_hash, False)
        elif isinstance(data, MessageSent):
            self._seat_exists(data.seat, observers=False)
            self.messages[data.id] = RoomMessage(
                data.id,
                record.seq,
                record.created_at,
                data.seat,
                data.member,
                data.to,
                data.text,
                data.disclosure,
            )
        elif isinstance(data, MessageForwarded):
            self._forward(record, data)
        elif isinstance(data, SeatHanded):
            self._seat_exists(data.seat, observers=False)
            self.holders[data.seat] = data.holder
            self.handed[data.seat] = record.seq
        elif isinstance(data, PreferencesDisclosed):
            self._seat_exists(data.seat, observers=False)
            (self.disclosed.add if data.disclosed else self.disclosed.discard)(data.seat)
        elif isinstance(data, PreferencesSet):
            self._preferences(record, data)
        elif isinstance(data, LinkRequested):
            self._seat_exists(data.seat, observers=False)
            self.link_requests[data.seat] = record.seq
        elif isinstance(data, TextChanged):
            self._text_change(record, data)
        else:
            raise ValueError(f"a {data.kind} record can only open a room")
        self.records.append(record)
        self.parsed.append(data)

    def _seat_exists(self, seat: str, *, observers: bool) -> None:
        if seat not in self.state.setup.seats and not (observers and seat == OBSERVERS):
            raise ValueError(f"no seat {seat!r} in this room")

    def _preferences(self, record: Stored, data: PreferencesSet) -> None:
        """A delegation's new preferences: checked against the agenda, then in the scenario and the views."""
        if data.seat not in self.state.setup.delegations:
            raise ValueError(f"no delegation {data.seat!r} in this room")
        built = parse_preferences(data.preferences, self.state.setup.agenda, source="preferences")
        self.scenario = replace(
            self.scenario,
            parties=tuple(
                replace(party, preferences=built) if party.name == data.seat else party
                for party in self.scenario.parties
            ),
        )
        self.preferences[data.seat] = freeze(preferences_to_data(built))
        self.preferences_set[data.seat] = record.seq
        if self.state.created.settings.preferences == "all" or data.seat in self.disclosed:
            self.shared_preferences.add(record.seq)

    def _text_change(self, record: Stored, data: TextChanged) -> None:
        """The change applied by the text's own rule, at the record's time (a refused one: a bad record)."""
        if self.text is None:
            raise ValueError("this room holds no text (its protocol seats no mediator)")
        self._seat_exists(data.seat, observers=False)
        change = data.text_change(record.created_at)
        before = self.text.text
        self.text = self.text.then(change)
        after = self.text.text
        revision = after.revisions[-1] if after.revision > before.revision else None
        self.text_notes[record.seq] = TextNote(
            change, revision, witnesses(before, change), after.adopted and not before.adopted
        )

    def _event(self, record: Stored, data: ProtocolEvent) -> None:
        if not self.unconfirmed:
            raise ValueError("a protocol event that no action produced")
        expected = self.unconfirmed.pop(0)
        if expected.to_data() != data.event:
            raise ValueError(f"the stored event {data.event} differs from the replayed {expected.to_data()}")
        self.events.append((record.seq, expected))
        if not self.unconfirmed:
            self._turns_at(record.seq, self.step_turns)

    def _action(self, record: Stored, data: ActionTaken) -> None:
        state = self.state
        pending = tuple(state.protocol.pending(self.protocol_state))
        if data.seat not in pending or data.seat in self.submitted:
            raise ValueError(f"seat {data.seat!r} is not awaited")
        try:
            action = action_from_data(data.action)
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"malformed action {data.action!r}: {error}") from None
        self.submitted[data.seat] = Submitted(record.seq, action, data.action)
        self.started = True
        changes = {data.seat: IDLE}
        if all(seat in self.submitted for seat in pending):
            actions = {seat: self.submitted[seat].action for seat in pending}
            try:
                transition = state.protocol.step(self.protocol_state, actions)
            except ProtocolError as error:
                raise ValueError(f"the protocol refuses the recorded step: {error}") from None
            self.steps.append(MappingProxyType({seat: self.submitted[seat].data for seat in pending}))
            self.submitted.clear()
            self.protocol_state = transition.state
            self.unconfirmed.extend(transition.events)
            self.turn_started = record.created_at
            self.step_turns = _turns(state.protocol, self.protocol_state)
        self._turns_at(record.seq, changes)
        if not self.unconfirmed:
            self._turns_at(record.seq, self.step_turns)

    def _turns_at(self, seq: int, changes: Mapping[str, Turn]) -> None:
        """Record turn changes at ``seq`` (the last record of a step carries the turns it gives)."""
        if changes:
            self.turns[seq] = MappingProxyType({**self.turns.get(seq, {}), **changes})
            if changes is self.step_turns:
                self.step_turns = {}

    def _forward(self, record: Stored, data: MessageForwarded) -> None:
        source = self.messages.get(data.source)
        if source is None or source.to != "mediator":
            raise ValueError(f"no message {data.source!r} to the mediator")
        author = source.seat if data.verbatim and source.disclosure == "attributed" else None
        self.forwards[data.id] = Forwarded(
            data.id,
            record.seq,
            record.created_at,
            data.source,
            data.seat,
            data.member,
            tuple(data.to),
            data.text,
            data.verbatim,
            author,
        )


def _turns(protocol: Protocol[Any], protocol_state: Any) -> dict[str, Turn]:
    """The turns of the seats awaited after a step (every other seat went idle when it acted)."""
    return {
        seat: Turn(True, tuple(protocol.observe(protocol_state, seat).allowed))
        for seat in protocol.pending(protocol_state)
    }


def _opened(room: str, record: Stored, data: RoomCreated) -> RoomState:
    """The state right after ``room-created``: the protocol started, its opening events still to confirm."""
    scenario = parse_scenario(data.scenario.text, source=f"room {room}")
    protocol = protocol_by_id(data.protocol)
    setup = Setup(
        agenda=scenario.agenda,
        delegations=tuple(data.delegations),
        mediator=data.mediator,
        rounds=data.settings.rounds,
    )
    if sorted(data.holders) != sorted(setup.seats):
        raise ValueError(f"holders name {sorted(data.holders)}, the seats are {list(setup.seats)}")
    transition = protocol.start(setup)
    turns = _turns(protocol, transition.state)
    text = None
    if setup.mediator:  # the mediated procedures work on a text; it is drafted from the scenario
        text = History(text_from_scenario(scenario))
        if (text.base.mediator, text.base.delegations) != (setup.mediator, setup.delegations):
            raise ValueError("the text drafted from the scenario seats others than the room")
    return RoomState(
        room=room,
        created=data,
        scenario=scenario,
        protocol=protocol,
        setup=setup,
        protocol_state=transition.state,
        records=(record,),
        parsed=(data,),
        events=(),
        steps=(),
        submitted=MappingProxyType({}),
        holders=MappingProxyType({seat: data.holders[seat] for seat in setup.seats}),
        links=MappingProxyType({}),
        messages=MappingProxyType({}),
        forwards=MappingProxyType({}),
        disclosed=frozenset(),
        turns=MappingProxyType({}),
        turn_started=record.created_at,
        unconfirmed=tuple(transition.events),
        step_turns=MappingProxyType(turns),
        preferences=MappingProxyType(
            {
                party["name"]: freeze(party["preferences"])
                for party in scenario_to_data(scenario)["parties"]
                if party["name"] in setup.delegations
            }
        ),
        text=text,
    )


def fold(state: RoomState | None, records: Iterable[Stored], *, room: str = "") -> RoomState:
    """The state after ``records`` (which follow ``state``, or open the room when it is ``None``).

    :class:`~accord.room.errors.RecordError` names the first record that cannot follow.
    """
    work: _Fold | None = None if state is None else _Fold(state)
    name = room if state is None else state.room
    expected_seq = 1 if state is None else state.last_seq + 1
    for record in records:
        if record.seq != expected_seq:
            raise RecordError(name, record.seq, f"expected record {expected_seq} here")
        expected_seq += 1
        try:
            data = parse_data(record.kind, record.data)
            if work is None:
                if not isinstance(data, RoomCreated):
                    raise ValueError("a room's first record must be room-created")
                work = _Fold(_opened(name, record, data))
            elif isinstance(data, RoomCreated):
                raise ValueError("the room was already created")
            else:
                work.apply(record, data)
        except RecordError:
            raise
        except (ValueError, AccordError) as error:
            raise RecordError(name, record.seq, str(error)) from None
    if work is None:
        raise RecordError(name, 0, "the room has no records")
    return work.frozen()
