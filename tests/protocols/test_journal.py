"""The journal: each seat's view is exactly what it may read, at every version, on every branch."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.protocols import Journal, visible_events

SEATS = ("envoy", "north", "south", "east")


def audience(rng: np.random.Generator) -> frozenset[str] | None:
    if rng.random() < 0.4:
        return None
    chosen = rng.choice(len(SEATS), size=int(rng.integers(1, 3)), replace=False)
    return frozenset(SEATS[int(number)] for number in chosen)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_views_match_the_events_at_every_version_and_branch(seed: int) -> None:
    rng = np.random.default_rng(seed)
    versions = [Journal(SEATS)]
    early_views = []
    for number in range(40):
        # mostly extend the newest version; sometimes branch from an older one
        base = versions[-1] if rng.random() < 0.8 else versions[int(rng.integers(len(versions)))]
        journal, event = base.record(round=number, kind="note", visible_to=audience(rng))
        assert event.index == len(base.events)
        versions.append(journal)
        if rng.random() < 0.3:  # a view taken now, read only after later events were recorded
            seat = SEATS[int(rng.integers(len(SEATS)))]
            early_views.append((journal.view(seat), visible_events(journal.events, seat)))
    for journal in versions:
        for seat in SEATS:
            assert list(journal.view(seat)) == list(visible_events(journal.events, seat))
    for view, expected in early_views:
        assert view == expected and len(view) == len(expected)


def test_a_private_event_reaches_only_its_audience() -> None:
    journal = Journal(SEATS)
    journal, public = journal.record(round=0, kind="opening")
    journal, private = journal.record(round=0, kind="response", visible_to=frozenset({"envoy", "north"}))
    assert list(journal.view("north")) == [public, private]
    assert list(journal.view("envoy")) == [public, private]
    assert list(journal.view("south")) == [public]
    assert list(journal.view("stranger")) == []
    assert journal.views["south"][-1] is public


def test_recording_on_an_older_version_leaves_the_newer_one_unchanged() -> None:
    journal, _ = Journal(SEATS).record(round=0, kind="opening")
    newer, kept = journal.record(round=1, kind="offer", actor="north")
    branch, other = journal.record(round=1, kind="offer", actor="south", visible_to=frozenset({"south"}))
    assert list(newer.events) == [journal.events[0], kept]
    assert list(branch.events) == [journal.events[0], other]
    assert list(newer.view("south")) == [journal.events[0], kept]
    assert list(branch.view("north")) == [journal.events[0]]
