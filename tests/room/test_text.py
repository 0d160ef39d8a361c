"""The room's negotiating text: drafted when the room opens, changed by the text's own rule, recorded
with the record's time, folded back, and shown to each seat as the text's choke point allows."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import TextError
from accord.room.errors import ForbiddenError, RecordError, RefusedError
from accord.room.folding import fold
from accord.room.records import TextChanged, parse_data
from accord.room.state import OBSERVERS, RoomState
from accord.room.testing import EPOCH, StoredStandIn, stored
from accord.room.text_changes import MAX_WORDING, change_text
from accord.room.views import seat_document, seat_items, seat_view
from accord.text import Status, apply, change_from_data, text_from_scenario, view

from .conftest import ROOM, access, new_room, then


def _change(state: RoomState, seat: str, **change: Any) -> RoomState:
    return then(state, change_text(state, access(seat), change))


def _status(state: RoomState, paragraph: str) -> Status:
    assert state.text is not None
    return state.text.text.paragraph(paragraph).status


def _the_envoys_story(state: RoomState) -> RoomState:
    """The issue's story: the envoy brackets 'venue' with bridging wording, north proposes wording, the
    envoy enters it, agrees 'venue' ad referendum, links it with 'days', agrees and confirms both, and
    reopens 'days'."""
    state = _change(
        state, "envoy", kind="add-alternative", paragraph="venue", alternative="rotating",
        wording={"en": "The talks alternate between Geneva and Oslo."},
    )  # fmt: skip
    state = _change(
        state,
        "north",
        kind="propose",
        paragraph="venue",
        wording={"en": "The talks open in Oslo.", "ar": "أوسلو"},
    )
    state = _change(
        state, "envoy", kind="enter-proposal", proposer="north", proposal=1, alternative="oslo-first"
    )
    state = _change(state, "envoy", kind="agree-ad-referendum", paragraph="venue", alternative="oslo-first")
    state = _change(state, "envoy", kind="link", paragraph="venue", other="days")
    state = _change(state, "envoy", kind="agree-ad-referendum", paragraph="days", alternative="two")
    state = _change(state, "envoy", kind="confirm", paragraph="venue")
    state = _change(state, "envoy", kind="confirm", paragraph="days")
    return _change(state, "envoy", kind="reopen", paragraph="days")


def test_a_mediated_room_holds_the_text_drafted_from_its_scenario_and_others_none() -> None:
    room = new_room("one-text")
    assert room.text is not None
    assert room.text.base == text_from_scenario(room.scenario)
    assert [paragraph.key for paragraph in room.text.text.paragraphs] == ["venue", "days"]
    assert room.text.text.revision == 0
    for protocol in ("single-text", "shuttle"):
        assert new_room(protocol).text is not None
    alternating = new_room("alternating-offers")
    assert alternating.text is None and seat_view(alternating, "north")["text"] is None
    with pytest.raises(RefusedError, match="holds no text"):
        change_text(
            alternating, access("north"), {"kind": "support", "paragraph": "venue", "alternative": "oslo"}
        )


def test_the_story_of_the_issue_reverts_the_linked_paragraph_with_authors_and_record_times() -> None:
    state = _the_envoys_story(new_room("one-text"))
    assert _status(state, "days") is Status.BRACKETED
    assert _status(state, "venue") is Status.AGREED_AD_REFERENDUM  # linked: back to ad referendum
    assert state.text is not None
    text = state.text.text
    venue = text.paragraph("venue")
    assert [alternative.key for alternative in venue.alternatives] == [
        "geneva",
        "oslo",
        "rotating",
        "oslo-first",
    ]
    entered = venue.alternative("oslo-first")
    assert (entered.proposer, entered.bridging, entered.wording.languages) == ("north", False, ("en", "ar"))
    assert venue.alternative("rotating").bridging and venue.alternative("rotating").proposer == "envoy"
    # Each revision: its author, and the time of the record that made it (never a clock of the rules).
    times = {record.seq: record.created_at for record in state.records}
    notes = [(seq, note) for seq, note in state.text_notes.items() if note.revision is not None]
    assert [revision.number for revision in text.revisions] == list(range(1, 9))
    assert [note.revision for _, note in notes] == list(text.revisions)
    assert all(note.revision is not None and note.revision.time == times[seq] for seq, note in notes)
    assert {revision.author for revision in text.revisions} == {"envoy"}
    assert text.proposals[0].time == times[sorted(state.text_notes)[1]]  # the second change


def test_folding_the_record_again_rebuilds_the_same_text_and_history() -> None:
    state = _the_envoys_story(new_room("one-text"))
    again = fold(None, state.records, room=ROOM)
    assert again.text is not None and state.text is not None
    assert again.text.text == state.text.text
    assert again.text.at(3) == state.text.at(3)


def test_who_may_change_what_is_the_texts_rule_and_the_room_names_seat_change_and_reason() -> None:
    state = new_room("one-text")
    with pytest.raises(ForbiddenError, match="seat 'north' may not confirm: only the mediator"):
        change_text(state, access("north"), {"kind": "confirm", "paragraph": "venue"})
    with pytest.raises(ForbiddenError, match="seat 'envoy' may not propose: only a delegation"):
        change_text(state, access("envoy"), {"kind": "propose", "paragraph": "venue", "wording": {"en": "x"}})
    with pytest.raises(ForbiddenError, match="observers only watch"):
        change_text(
            state, access(OBSERVERS), {"kind": "support", "paragraph": "venue", "alternative": "oslo"}
        )
    with pytest.raises(RefusedError, match="seat 'north' may not accept: nothing is agreed until everything"):
        change_text(state, access("north"), {"kind": "accept"})
    with pytest.raises(RefusedError, match="has no paragraph 'nowhere'"):
        change_text(
            state, access("north"), {"kind": "support", "paragraph": "nowhere", "alternative": "oslo"}
        )
    with pytest.raises(RefusedError, match="malformed change"):
        change_text(state, access("north"), {"kind": "no-such-change"})
    with pytest.raises(RefusedError, match="malformed change"):
        change_text(state, access("north"), {"kind": "support", "paragraph": "venue"})
    with pytest.raises(RefusedError, match="they are the room's"):
        change_text(state, access("north"), {"kind": "accept", "seat": "south"})
    with pytest.raises(RefusedError, match=f"longer than {MAX_WORDING}"):
        change_text(
            state,
            access("north"),
            {"kind": "propose", "paragraph": "venue", "wording": {"en": "x" * (MAX_WORDING + 1)}},
        )
    # A refusal decides as the text's rule does, on the same text.
    assert state.text is not None
    with pytest.raises(TextError, match="nothing is agreed until everything is agreed"):
        apply(state.text.text, change_from_data({"kind": "accept", "seat": "north"}))


def test_nothing_is_agreed_until_everything_is_agreed_and_accepted_then_nothing_changes() -> None:
    state = new_room("one-text")
    for paragraph, alternative in (("venue", "geneva"), ("days", "two")):
        state = _change(
            state, "envoy", kind="agree-ad-referendum", paragraph=paragraph, alternative=alternative
        )
        state = _change(state, "envoy", kind="confirm", paragraph=paragraph)
    state = _change(state, "north", kind="accept")
    assert state.text is not None and not state.text.text.adopted
    state = _change(state, "south", kind="accept")
    assert state.text.text.adopted
    last = state.text_notes[state.last_seq]
    assert last.adopted and last.revision is None
    assert seat_view(state, OBSERVERS)["text"]["adopted"] is True
    with pytest.raises(RefusedError, match="the text is adopted"):
        change_text(state, access("envoy"), {"kind": "reopen", "paragraph": "venue"})


def _private_side(state: RoomState) -> tuple[RoomState, dict[str, tuple[str, ...]]]:
    """Each delegation plants a comment, a proposal the mediator declines, one it never rules on, and a
    score of an unscored wording; each marker is found nowhere else."""
    state = _change(
        state,
        "envoy",
        kind="add-alternative",
        paragraph="days",
        alternative="bridge",
        wording={"en": "As agreed."},
    )
    markers: dict[str, tuple[str, ...]] = {}
    for seat in ("north", "south"):
        comment, declined, pending = f"comment-{seat}-5521", f"declined-{seat}-7310", f"pending-{seat}-8846"
        state = _change(state, seat, kind="comment", paragraph="venue", text=comment)
        state = _change(state, seat, kind="propose", paragraph="venue", wording={"en": declined})
        state = _change(state, "envoy", kind="decline-proposal", proposer=seat, proposal=1)
        state = _change(state, seat, kind="propose", paragraph="days", wording={"en": pending})
        score = 0.4172 if seat == "north" else 0.3391
        state = _change(state, seat, kind="score", paragraph="days", alternative="bridge", value=score)
        markers[seat] = (comment, declined, pending, str(score))
    return state, markers


def _everything(state: RoomState, seat: str) -> str:
    """Everything a seat is ever given about the room: its view, its items, its exportable text."""
    document = seat_document(state, seat)
    return json.dumps([seat_view(state, seat), seat_items(state, seat), repr(document)], ensure_ascii=False)


def test_no_delegation_sees_anothers_comments_proposals_or_scores_and_observers_none() -> None:
    state, markers = _private_side(new_room("one-text"))
    for seat in ("envoy", "north", "south", OBSERVERS):
        seen = _everything(state, seat)
        for delegation, planted in markers.items():
            if seat in ("envoy", delegation):
                assert all(marker in seen for marker in planted), (seat, delegation)
            else:
                assert [marker for marker in planted if marker in seen] == [], f"{seat} sees {delegation}'s"
    # What each seat is shown of the text is the text's own view of it.
    assert state.text is not None
    for seat in ("north", "south"):
        assert seat_document(state, seat) == view(state.text.text, seat)
    assert seat_document(state, "envoy") == state.text.text


def test_a_declined_proposal_is_known_to_its_proposer_and_the_mediator_only() -> None:
    state, _ = _private_side(new_room("one-text"))
    declines = [
        seq for seq, note in state.text_notes.items() if note.change.__class__.__name__ == "DeclineProposal"
    ]
    for seat, expected in (("north", 1), ("south", 1), ("envoy", 2), (OBSERVERS, 0)):
        shown = [item for item in seat_items(state, seat) if item["seq"] in declines]
        assert len(shown) == expected, seat
    north = seat_view(state, "north")["text"]["proposals"]
    assert [(proposal["seat"], proposal["state"]) for proposal in north] == [
        ("north", "declined"),
        ("north", "pending"),
    ]


def test_an_entered_proposal_is_public_but_not_its_number_or_the_proposers_other_proposals() -> None:
    state = _change(new_room("one-text"), "north", kind="propose", paragraph="venue", wording={"en": "first"})
    state = _change(state, "north", kind="propose", paragraph="venue", wording={"en": "second"})
    state = _change(
        state, "envoy", kind="enter-proposal", proposer="north", proposal=2, alternative="north-2"
    )
    entered = [item for item in seat_items(state, "south") if item["kind"] == "text"]
    assert len(entered) == 1 and "change" not in entered[0]
    assert entered[0]["author"] == "envoy" and entered[0]["revision"] == 1
    south = seat_view(state, "south")["text"]
    assert south["proposals"] == []
    assert "first" not in json.dumps(south)
    assert [item["text"] for item in south["paragraphs"][0]["alternatives"][-1]["wording"]] == ["second"]
    assert [
        item["change"]["proposal"]
        for item in seat_items(state, "envoy")
        if item.get("change", {}).get("kind") == "enter-proposal"
    ] == [2]


def test_the_worth_of_each_alternative_to_the_delegations_the_seat_holds() -> None:
    state = new_room("one-text")
    north = seat_view(state, "north")["text"]["worth"]
    assert list(north) == ["north"]
    assert north["north"]["venue"]["geneva"]["value"] == pytest.approx(0.6 * 0.2)
    assert north["north"]["days"]["three"] == {"value": 0.0, "crosses_red_line": False}
    envoy = seat_view(state, "envoy")["text"]["worth"]
    assert sorted(envoy) == ["north", "south"]
    assert envoy["south"]["venue"]["oslo"]["value"] == pytest.approx(0.7 * 0.1)
    assert seat_view(state, OBSERVERS)["text"]["worth"] == {}
    hidden = new_room("one-text", preferences="disclosed")
    assert seat_view(hidden, "envoy")["text"]["worth"] == {}
    # An unscored wording is worth nothing known until the delegation scores it, to itself alone.
    state = _change(
        state, "envoy", kind="add-alternative", paragraph="days", alternative="bridge", wording={"en": "x"}
    )
    state = _change(state, "north", kind="score", paragraph="days", alternative="bridge", value=0.5)
    assert seat_view(state, "north")["text"]["worth"]["north"]["days"]["bridge"]["value"] == pytest.approx(
        0.4 * 0.5
    )
    assert seat_view(state, "envoy")["text"]["worth"]["south"]["days"]["bridge"]["value"] is None


def test_a_text_change_the_text_refuses_is_a_damaged_record_named_by_its_seq() -> None:
    state = new_room("one-text")
    change = TextChanged(seat="north", member="m-north", change={"kind": "accept"})
    bad = StoredStandIn(ROOM, state.last_seq + 1, change.kind, change.to_data(), "north", EPOCH.isoformat())
    with pytest.raises(RecordError, match=f"record {state.last_seq + 1}: .*nothing is agreed"):
        fold(state, [bad])
    with pytest.raises(ValueError, match="text-change"):
        parse_data("text-change", {"seat": "north", "change": {"kind": "support"}})


def test_wording_keeps_its_languages_in_order_through_the_record() -> None:
    state = _change(
        new_room("one-text"),
        "north",
        kind="propose",
        paragraph="venue",
        wording={"fr": "à Genève", "en": "in Geneva"},
    )
    record = state.records[-1]
    assert record.data["change"]["wording"] == [["fr", "à Genève"], ["en", "in Geneva"]]
    again = stored(ROOM, [], state=state)
    assert again.text is not None and again.text.text.proposals[0].wording.languages == ("fr", "en")
    assert replace(again.text.text.proposals[0]).wording.original == "à Genève"


_MEDIATORS = (
    "add-alternative",
    "enter-proposal",
    "decline-proposal",
    "agree-ad-referendum",
    "confirm",
    "link",
)
_KINDS = (*_MEDIATORS, "reopen", "propose", "support", "comment", "score", "accept")
_step = st.tuples(
    st.sampled_from(
        ("envoy", "north", "south", OBSERVERS)
    ),  # who asks, one time in ten; else its role's seat
    st.integers(0, 9),
    st.sampled_from(_KINDS),
    st.sampled_from(("venue", "days")),
    st.sampled_from(("geneva", "oslo", "one", "two", "three", "new-1", "new-2")),
    st.sampled_from(("north", "south")),
    st.integers(1, 3),
)


def _attempt(step: tuple[str, int, str, str, str, str, int], number: int) -> tuple[str, dict[str, Any]]:
    """Who asks, and the change: the seat of the kind's role (a delegation: ``proposer``), or one time in
    ten any seat."""
    anyone, chance, kind, paragraph, alternative, proposer, proposal = step
    seat = anyone if chance == 0 else ("envoy" if kind in _MEDIATORS else proposer)
    marker = f"marker-{seat}-{number}"
    return seat, {
        "add-alternative": {"paragraph": paragraph, "alternative": alternative, "wording": {"en": marker}},
        "propose": {"paragraph": paragraph, "wording": {"en": marker}},
        "enter-proposal": {"proposer": proposer, "proposal": proposal, "alternative": alternative},
        "decline-proposal": {"proposer": proposer, "proposal": proposal},
        "support": {"paragraph": paragraph, "alternative": alternative},
        "agree-ad-referendum": {"paragraph": paragraph, "alternative": alternative},
        "confirm": {"paragraph": paragraph},
        "reopen": {"paragraph": paragraph},
        "link": {"paragraph": "venue", "other": "days"},
        "comment": {"paragraph": paragraph, "text": marker},
        "score": {"paragraph": paragraph, "alternative": alternative, "value": 0.5},
        "accept": {},
    }[kind] | {"kind": kind}


@settings(max_examples=40, deadline=None)
@given(steps=st.lists(_step, min_size=1, max_size=60))
def test_random_changes_keep_the_rules_and_the_secrets_and_replay(steps: list[Any]) -> None:
    """Random changes by every seat: a refused one records nothing; nothing is adopted unless every
    paragraph is agreed and every delegation accepts; no delegation or observer ever sees another's
    comment or a proposal the mediator has not entered; the record folds back to the same text."""
    state = new_room("one-text")
    private: dict[str, set[str]] = {"north": set(), "south": set()}  # markers only the author may see
    for number, step in enumerate(steps):
        seat, change = _attempt(step, number)
        try:
            records = change_text(state, access(seat), change)
        except (ForbiddenError, RefusedError):
            continue
        state = then(state, records)
        assert state.text is not None
        text = state.text.text
        if change["kind"] in ("propose", "comment"):
            private[seat].add(change["wording"]["en"] if "wording" in change else change["text"])
        entered = {
            alternative.wording.original
            for paragraph in text.paragraphs
            for alternative in paragraph.alternatives
        }
        if text.adopted:
            assert text.everything_agreed and text.acceptances == frozenset(text.delegations)
        for seat in ("north", "south", OBSERVERS):
            seen = _everything(state, seat)
            for author, markers in private.items():
                if author != seat:
                    leaked = [
                        marker
                        for marker in markers - entered
                        if f'"{marker}"' in seen or f"'{marker}'" in seen
                    ]
                    assert not leaked, f"{seat} sees {author}'s {leaked}"
    again = fold(None, state.records, room=ROOM)
    assert again.text is not None and state.text is not None
    assert again.text.text == state.text.text
    assert [again.text.at(revision) for revision in range(state.text.text.revision + 1)] == [
        state.text.at(revision) for revision in range(state.text.text.revision + 1)
    ]
