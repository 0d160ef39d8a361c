"""Process files: the example loads, and every mistake is one located line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from accord.cli.process import load_process_file
from accord.errors import ScenarioError
from process_files import write_process

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_geneva_astana_example_loads_with_its_links_rounds_and_condition() -> None:
    process = load_process_file(str(EXAMPLES / "geneva-astana-2017.yaml"))
    assert [track.name for track in process.tracks] == ["Geneva", "Astana"]
    assert [track.protocol for track in process.tracks] == ["shuttle-v1", "alternating-offers-v1"]
    factions = next(party for party in process.parties if party.name == "Armed factions")
    assert factions.seats == (("Geneva", "High Negotiations Committee"), ("Astana", "Armed opposition"))
    assert factions.weight("Astana") == 0.6
    march = process.track("Astana").rounds[2]
    assert (march.label, march.absent, str(march.start)) == (
        "Astana III",
        ("Armed opposition",),
        "2017-03-14",
    )
    (condition,) = process.conditions
    assert (condition.track, condition.issue, condition.requires_track, condition.requires_issue) == (
        "Geneva",
        "counter-terrorism",
        "Astana",
        "ceasefire-monitoring",
    )
    assert [str(deadline.by) for deadline in process.deadlines] == ["2016-06-18", "2017-06-18"]
    # Rounds held in calendar order: Astana I and II, Geneva IV, Astana III, Geneva V.
    assert [round_.label for _, round_ in process.order()] == [
        "Astana I",
        "Astana II",
        "Geneva IV",
        "Astana III",
        "Geneva V",
    ]


def test_the_examples_own_linked_parties_name_a_source_or_say_they_are_assumed() -> None:
    process = load_process_file(str(EXAMPLES / "geneva-astana-2017.yaml"))
    for party in process.linked:
        assert party.source or party.assumption, party.name
    for condition in process.conditions:
        assert condition.source or condition.assumption
    for track in process.tracks:
        for round_ in track.rounds:
            assert round_.source, round_.label


def _line_of(path: Path, text: str) -> int:
    return next(
        number
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if text in line and not line.rstrip().endswith(text + "s")
    )


@pytest.mark.parametrize(
    ("replace", "by", "field", "reason", "line_text"),
    [
        (
            "issue: monitoring",
            "issue: monitors",
            "conditions[0].requires",
            "no issue named 'monitors'",
            "requires:",
        ),
        (
            "track: Politics\n    issue",
            "track: Politic\n    issue",
            "conditions[0].track",
            "no track named",
            "track: Politic",
        ),
        (
            "protocol: alternating-offers\n    rounds:\n      - {label: Politics I",
            "protocol: haggling\n    rounds:\n      - {label: Politics I",
            "tracks[0].protocol",
            "unknown protocol 'haggling'",
            "haggling",
        ),
        (
            "Ceasefire: Opposition}",
            "Ceasefire: Rebels}",
            "parties[0].seats.Ceasefire",
            "no delegation named 'Rebels'",
            "seats:",
        ),
        (
            "Ceasefire: 0.75}",
            "Ceasefir: 0.75}",
            "parties[0].weights.Ceasefir",
            "no seat in track",
            "weights:",
        ),
        (
            "scenario: politics.yaml",
            "scenario: missing.yaml",
            "tracks[0].scenario",
            "no scenario file",
            "missing.yaml",
        ),
        (
            "start: 2017-02-01, end: 2017-02-03",
            "start: 2017-02-05, end: 2017-02-03",
            "tracks[0].rounds[0].end",
            "ends",
            "Politics I",
        ),
        (
            "start: 2017-02-01, end: 2017-02-03",
            "end: 2017-02-03",
            "tracks[0].rounds[0].start",
            "both start and end",
            "Politics I",
        ),
        (
            "{label: Politics II, start: 2017-04-01, end: 2017-04-03}",
            "{label: Politics II}",
            "tracks[0].rounds[1].start",
            "date every round, or none",
            "Politics II",
        ),
        (
            "format: accord-process/1",
            "format: accord-process/1\ncolour: red",
            "colour",
            "unknown field",
            "colour",
        ),
        (
            "assumption: true\nconditions",
            "assumption: true\n    source: AFP\nconditions",
            "parties[0]",
            "not both",
            "name: Rebels",
        ),
    ],
)
def test_a_mistake_is_reported_at_its_line_and_field(
    tmp_path: Path, replace: str, by: str, field: str, reason: str, line_text: str
) -> None:
    path = write_process(tmp_path)
    text = path.read_text()
    assert replace in text
    path.write_text(text.replace(replace, by, 1))
    with pytest.raises(ScenarioError) as caught:
        load_process_file(str(path))
    error = caught.value
    assert error.source == str(path)
    assert field in error.location and reason in error.reason
    line = int(re.match(r"line (\d+)", error.location).group(1))  # type: ignore[union-attr]
    assert line == _line_of(path, line_text)


def test_an_absent_delegation_must_sit_in_the_track(tmp_path: Path) -> None:
    path = write_process(tmp_path, absent_round=True)
    path.write_text(path.read_text().replace("absent: [Opposition]", "absent: [Guerrillas]"))
    with pytest.raises(
        ScenarioError, match=r"tracks\[1\]\.rounds\[0\]\.absent\[0\]: no delegation named 'Guerrillas'"
    ):
        load_process_file(str(path))


def test_a_bad_scenario_file_is_reported_in_its_own_file(tmp_path: Path) -> None:
    path = write_process(tmp_path)
    (tmp_path / "politics.yaml").write_text("format: accord-scenario/1\nname: x\nissues: []\nparties: []\n")
    with pytest.raises(ScenarioError) as caught:
        load_process_file(str(path))
    assert caught.value.source.endswith("politics.yaml")


def test_conditions_that_wait_on_each_other_are_refused_at_the_one_closing_the_cycle(tmp_path: Path) -> None:
    cycle = """  - track: Ceasefire
    issue: access
    requires: {track: Politics, issue: governance}
    reason: access waits for governance
  - track: Politics
    issue: governance
    requires: {track: Ceasefire, issue: monitoring}
    reason: governance waits for monitoring
  - track: Ceasefire
    issue: monitoring
    requires: {track: Politics, issue: counter-terrorism}
    reason: monitoring waits for counter-terrorism, which waits for it
"""
    path = write_process(tmp_path, extra=cycle)  # after conditions[0]: counter-terrorism waits for monitoring
    with pytest.raises(ScenarioError) as caught:
        load_process_file(str(path))
    error = caught.value
    assert error.location == f"line {_line_of(path, 'monitoring waits for') - 1}: conditions[3].requires"
    assert error.reason == (
        "waits on what waits on it (monitoring in track 'Ceasefire' → counter-terrorism in track "
        "'Politics' → monitoring in track 'Ceasefire'): none of them could ever be agreed"
    )
