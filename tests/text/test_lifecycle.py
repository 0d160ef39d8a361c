"""The text's life over random sequences of edits, proposals, status changes and reopenings."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import TextError
from accord.io.text_file import history_from_data, history_to_data
from accord.text import (
    Accept,
    AddAlternative,
    AddParagraph,
    AgreeAdReferendum,
    Alternative,
    Change,
    CommentOn,
    Confirm,
    DeclineProposal,
    EnterProposal,
    History,
    Link,
    Paragraph,
    Part,
    Propose,
    Reopen,
    Score,
    Status,
    Support,
    Text,
    Translate,
    Wording,
    apply,
    view,
)

MEDIATOR = "Envoy"
DELEGATIONS = ("North", "South", "East")
SEATS = (MEDIATOR, *DELEGATIONS, "Observer")
KEYS = ("p1", "p2", "p3", "p4", "new")
ALTERNATIVES = ("a", "b", "c", "x")


@st.composite
def texts(draw: st.DrawFn) -> Text:
    count = draw(st.integers(2, 4))
    paragraphs = []
    for index in range(count):
        n_alternatives = draw(st.integers(1, 3))
        alternatives = tuple(
            Alternative(
                ALTERNATIVES[position],
                Wording.of(f"wording {index} {position}"),
                draw(st.sampled_from((MEDIATOR, *DELEGATIONS))),
                option=draw(st.sampled_from((ALTERNATIVES[position], None))),
            )
            for position in range(n_alternatives)
        )
        part = Part.PREAMBLE if index == 0 and draw(st.booleans()) else Part.OPERATIVE
        paragraphs.append(Paragraph(KEYS[index], part, alternatives))
    keys = [paragraph.key for paragraph in paragraphs]
    pairs = st.tuples(st.sampled_from(keys), st.sampled_from(keys)).filter(lambda pair: pair[0] < pair[1])
    links = draw(st.frozensets(pairs, max_size=3))
    implied = draw(
        st.frozensets(
            st.tuples(pairs, st.sampled_from(DELEGATIONS)).map(lambda item: (*item[0], item[1])), max_size=3
        )
    )
    return Text("Draft", MEDIATOR, DELEGATIONS, tuple(paragraphs), links=links, implied_links=implied)


def _changes(seat: str, time: str) -> st.SearchStrategy[Change]:
    keys = st.sampled_from(KEYS)
    alternatives = st.sampled_from(ALTERNATIVES)
    words = st.sampled_from(("a new wording", "bridging language", "نص جديد"))
    wording = words.map(Wording.of)
    common = {"seat": st.just(seat), "time": st.just(time)}
    return st.one_of(
        st.builds(AddParagraph, paragraph=keys, part=st.sampled_from(tuple(Part)), wording=wording, **common),
        st.builds(AddAlternative, paragraph=keys, alternative=alternatives, wording=wording, **common),
        st.builds(Propose, paragraph=keys, wording=wording, option=st.none(), **common),
        st.builds(
            EnterProposal,
            proposer=st.sampled_from(DELEGATIONS),
            proposal=st.integers(1, 3),
            alternative=alternatives,
            **common,
        ),
        st.builds(
            DeclineProposal, proposer=st.sampled_from(DELEGATIONS), proposal=st.integers(1, 3), **common
        ),
        st.builds(Support, paragraph=keys, alternative=alternatives, **common),
        st.builds(AgreeAdReferendum, paragraph=keys, alternative=alternatives, **common),
        st.builds(Confirm, paragraph=keys, **common),
        st.builds(Confirm, paragraph=keys, **common),
        st.builds(Reopen, paragraph=keys, **common),
        st.builds(Link, paragraph=keys, other=keys, **common),
        st.builds(
            Translate, paragraph=keys, alternative=alternatives, language=st.just("ar"), text=words, **common
        ),
        st.builds(CommentOn, paragraph=keys, text=words, **common),
        st.builds(
            Score, paragraph=keys, alternative=alternatives, value=st.sampled_from((0.0, 0.5, 1.0)), **common
        ),
        st.builds(Accept, **common),
    )


@st.composite
def sessions(draw: st.DrawFn) -> tuple[Text, list[tuple[Text, Change, Text]]]:
    """A text and the legal changes applied to it, each with the text before and after it."""
    text = base = draw(texts())
    steps: list[tuple[Text, Change, Text]] = []
    for step in range(draw(st.integers(5, 60))):
        # Agreeing is most of what happens at the end of talks: weight it so adoption is reached.
        seat = draw(st.sampled_from(SEATS))
        change = draw(_changes(seat, f"2017-03-01T10:{step:02d}"))
        try:
            after = apply(text, change)
        except TextError as error:
            assert error.seat == seat and error.reason
            continue
        steps.append((text, change, after))
        text = after
    return base, steps


def _drive_to_adoption(text: Text) -> tuple[Text, list[Change]]:
    """Agree every paragraph and have every delegation accept: the one path to adoption."""
    changes: list[Change] = []
    for paragraph in text.paragraphs:
        if paragraph.status is Status.BRACKETED:
            changes.append(
                AgreeAdReferendum(
                    seat=MEDIATOR, paragraph=paragraph.key, alternative=paragraph.alternatives[0].key
                )
            )
        if paragraph.status is not Status.AGREED:
            changes.append(Confirm(seat=MEDIATOR, paragraph=paragraph.key))
    changes += [Accept(seat=delegation) for delegation in text.delegations]
    for change in changes:
        text = apply(text, change)
    return text, changes


@settings(max_examples=150, deadline=None)
@given(sessions())
def test_nothing_is_agreed_until_everything_is_agreed(
    session: tuple[Text, list[tuple[Text, Change, Text]]],
) -> None:
    _, steps = session
    for before, change, after in steps:
        if after.acceptances:
            assert after.everything_agreed
        if after.adopted:
            assert after.everything_agreed and after.acceptances == frozenset(DELEGATIONS)
            assert isinstance(change, Accept)
        if after.revision > before.revision:
            assert not after.acceptances  # a new revision withdraws every acceptance
    final = steps[-1][2] if steps else session[0]
    if not final.adopted:
        adopted, _ = _drive_to_adoption(final)
        assert adopted.adopted
        try:
            apply(adopted, Reopen(seat=MEDIATOR, paragraph=adopted.paragraphs[0].key))
        except TextError as error:
            assert "adopted" in error.reason
        else:
            raise AssertionError("an adopted text was reopened")


@settings(max_examples=150, deadline=None)
@given(sessions())
def test_reopening_reverts_exactly_the_linked_paragraphs(
    session: tuple[Text, list[tuple[Text, Change, Text]]],
) -> None:
    _, steps = session
    for before, change, after in steps:
        if not isinstance(change, Reopen):
            continue
        linked = before.linked_to(change.paragraph)
        for old, new in zip(before.paragraphs, after.paragraphs, strict=True):
            if old.key == change.paragraph:
                assert new.status is Status.BRACKETED and new.chosen is None
            elif old.key in linked and old.status is Status.AGREED:
                assert new == replace(old, status=Status.AGREED_AD_REFERENDUM)
            else:
                assert new == old


@settings(max_examples=100, deadline=None)
@given(sessions())
def test_revisions_replay_to_the_same_text(session: tuple[Text, list[tuple[Text, Change, Text]]]) -> None:
    base, steps = session
    changes = tuple(change for _, change, _ in steps)
    history = History(base, changes)
    final = steps[-1][2] if steps else base
    assert history.text == final
    again, _ = history_from_data(history_to_data(history))
    assert again.text == final
    for before, _, after in steps:
        if after.revision > before.revision:
            assert history.at(after.revision).paragraphs == after.paragraphs
    numbers = [revision.number for revision in final.revisions]
    assert numbers == list(range(1, len(numbers) + 1))


@settings(max_examples=100, deadline=None)
@given(sessions())
def test_a_delegations_view_holds_nothing_private_of_another(
    session: tuple[Text, list[tuple[Text, Change, Text]]],
) -> None:
    base, steps = session
    final = steps[-1][2] if steps else base
    assert view(final, MEDIATOR) == final
    for seat in (*DELEGATIONS, "Observer"):
        seen = view(final, seat)
        assert all(comment.seat == seat for comment in seen.comments)
        assert all(proposal.seat == seat for proposal in seen.proposals)
        assert all(key[0] == seat for key in seen.scores)
        assert all(link[2] == seat for link in seen.implied_links)
        # What others say to the mediator in private does not change what this seat sees.
        own_only = [
            change
            for _, change, _ in steps
            if not isinstance(change, CommentOn | Score) or change.seat == seat
        ]
        assert view(History(base, tuple(own_only)).text, seat) == seen
