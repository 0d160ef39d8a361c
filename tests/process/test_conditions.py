"""Cross-track conditions: the one pure check, against a plain reading of the rule."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from accord.domain.process import TrackCondition, new_violations, violations

TRACKS = {"geneva": ("ct", "governance", "elections"), "astana": ("monitoring", "access")}


def _conditions() -> st.SearchStrategy[tuple[TrackCondition, ...]]:
    def one(track: str) -> st.SearchStrategy[TrackCondition]:
        other = "astana" if track == "geneva" else "geneva"
        return st.builds(
            TrackCondition,
            st.just(track),
            st.sampled_from(TRACKS[track]),
            st.just(other),
            st.sampled_from(TRACKS[other]),
        )

    return st.lists(st.sampled_from(tuple(TRACKS)).flatmap(one), max_size=4).map(tuple)


def _agreed() -> st.SearchStrategy[dict[str, frozenset[str]]]:
    return st.fixed_dictionaries(
        {track: st.frozensets(st.sampled_from(issues)) for track, issues in TRACKS.items()}
    )


@given(_conditions(), _agreed())
def test_a_condition_is_broken_exactly_when_its_issue_is_agreed_before_the_one_it_requires(
    conditions: tuple[TrackCondition, ...], agreed: dict[str, frozenset[str]]
) -> None:
    broken = {violation.index for violation in violations(conditions, agreed)}
    for index, condition in enumerate(conditions):
        expected = (
            condition.issue in agreed[condition.track]
            and condition.requires_issue not in agreed[condition.requires_track]
        )
        assert (index in broken) is expected


@given(_conditions(), _agreed(), _agreed())
def test_a_change_is_refused_for_what_it_breaks_and_only_that(
    conditions: tuple[TrackCondition, ...],
    before: dict[str, frozenset[str]],
    after: dict[str, frozenset[str]],
) -> None:
    was = {violation.index for violation in violations(conditions, before)}
    now = {violation.index for violation in violations(conditions, after)}
    assert {violation.index for violation in new_violations(conditions, before, after)} == now - was


def test_the_reason_names_both_tracks_both_issues_and_the_condition() -> None:
    condition = TrackCondition("Geneva", "counter-terrorism", "Astana", "ceasefire-monitoring")
    (violation,) = violations((condition,), {"Geneva": {"counter-terrorism"}})
    assert violation.reason == (
        "condition 1: counter-terrorism in track 'Geneva' cannot be agreed before "
        "ceasefire-monitoring in track 'Astana' is"
    )


def test_reopening_the_required_issue_breaks_the_condition_in_the_other_track() -> None:
    condition = TrackCondition("Geneva", "ct", "Astana", "monitoring")
    before = {"Geneva": {"ct"}, "Astana": {"monitoring"}}
    after = {"Geneva": {"ct"}, "Astana": set()}
    assert [item.condition for item in new_violations((condition,), before, after)] == [condition]
    assert new_violations((condition,), after, before) == ()
