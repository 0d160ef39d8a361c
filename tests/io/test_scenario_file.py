"""The scenario file format: valid files load, bad ones give one clear error, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.cli import main
from accord.domain import DiscreteIssue, IntegerIssue, RealIssue, Role
from accord.errors import ScenarioError
from accord.io import load_scenario, parse_scenario, save_scenario, scenario_json_schema
from accord.preferences import scenario_utilities

VALID = """\
name: Two-party test
issues:
  - name: venue
    options:
      - {name: geneva, text: "Talks are held in Geneva."}
      - astana
  - {name: rounds, type: integer, low: 1, high: 3}
  - {name: share, type: real, low: 0, high: 1, step: 0.5}
parties:
  - {name: envoy, role: mediator}
  - name: north
    preferences:
      weights: {venue: 0.5, rounds: 0.25, share: 0.25}
      values:
        venue: {geneva: 1.0, astana: 0.2}
        rounds: {kind: linear, slope: 0.5, offset: -0.5}
        share: {kind: piecewise-linear, points: [[0, 0], [0.5, 0.9], [1, 1]]}
      reservation: 0.3
      red_lines:
        - when: {venue: [astana], rounds: {at_least: 3}}
          reason: no long talks in Astana
  - name: south
    preferences:
      weights: {venue: 0.6, share: 0.4}
      values:
        venue: {astana: 1.0}
        share: {kind: linear, slope: -1, offset: 1}
  - {name: observer, role: observer, capability: 40, positions: {scale: 30}, salience: {scale: 80}}
dimensions:
  - {name: scale}
"""


def write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_builds_frozen_domain_objects(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, VALID))
    assert scenario.agenda.names == ("venue", "rounds", "share")
    assert isinstance(scenario.agenda.issues[0], DiscreteIssue)
    assert isinstance(scenario.agenda.issues[1], IntegerIssue)
    assert isinstance(scenario.agenda.issues[2], RealIssue)
    assert scenario.agenda.size == 2 * 3 * 3
    assert scenario.agenda.issues[0].clause("geneva") == "Talks are held in Geneva."
    assert [party.name for party in scenario.delegations] == ["north", "south"]
    assert scenario.mediator is not None and scenario.mediator.role is Role.MEDIATOR
    assert scenario.party("observer").positions["scale"] == 30
    with pytest.raises(AttributeError):
        scenario.name = "changed"  # type: ignore[misc]


def test_utilities_follow_weights_values_and_functions(tmp_path: Path) -> None:
    utilities = scenario_utilities(load_scenario(write(tmp_path, VALID)))
    # north: 0.5 * 1.0 (geneva) + 0.25 * (0.5*3 - 0.5 = 1.0) + 0.25 * 0.9 (share 0.5)
    assert utilities.utilities_of(("geneva", 3, 0.5))[0] == pytest.approx(0.5 + 0.25 + 0.225)
    # south: geneva unvalued (0), share 0 -> value 1
    assert utilities.utilities_of(("geneva", 1, 0.0))[1] == pytest.approx(0.4)
    choices = load_scenario(write(tmp_path, VALID)).agenda.all_choices()
    crossed = ~utilities.acceptable(choices)
    outcomes = {load_scenario(write(tmp_path, VALID)).agenda.outcome(row) for row in choices[crossed]}
    assert outcomes == {("astana", 3, share) for share in (0.0, 0.5, 1.0)}


def test_save_and_load_round_trip_preserves_utilities(tmp_path: Path) -> None:
    scenario = load_scenario(write(tmp_path, VALID))
    for name in ("copy.yaml", "copy.json"):
        save_scenario(scenario, tmp_path / name)
        again = load_scenario(tmp_path / name)
        choices = scenario.agenda.all_choices()
        assert again.agenda == scenario.agenda
        before, after = scenario_utilities(scenario), scenario_utilities(again)
        assert np.array_equal(after.evaluate(choices), before.evaluate(choices))
        assert np.array_equal(after.acceptable(choices), before.acceptable(choices))


BROKEN = [
    ("name: x\nissues: [\n", "line 3", "not valid YAML"),
    ("- just\n- a list\n", "", "expected a mapping"),
    ("name: x\nissues: []\nparties: [{name: a, role: mediator}]\n", "issues", "at least 1 item"),
    (
        VALID.replace("weights: {venue: 0.6, share: 0.4}", "weights: {venue: 0.6, shares: 0.4}"),
        "parties[2].preferences.weights.shares",
        "no issue named 'shares'",
    ),
    (
        VALID.replace("venue: {astana: 1.0}", "venue: {astana: 1.5}"),
        "parties[2].preferences.values.venue.astana",
        "less than or equal to 1",
    ),
    (
        VALID.replace("venue: {astana: 1.0}", "venue: {paris: 1.0}"),
        "parties[2].preferences.values.venue.paris",
        "no option 'paris'",
    ),
    (
        VALID.replace("slope: -1, offset: 1", "slope: -1"),
        "parties[2].preferences.values.share",
        "needs slope and offset",
    ),
    (
        VALID.replace("{name: envoy, role: mediator}", "{name: envoy, role: chair}"),
        "parties[0].role",
        "'mediator', 'delegation' or 'observer'",
    ),
    (
        VALID.replace("  - {name: envoy, role: mediator}\n", "  - {name: north, role: mediator}\n"),
        "parties[1].name",
        "used twice",
    ),
    (
        VALID.replace("positions: {scale: 30}", "positions: {scale2: 30}"),
        "parties[3].positions.scale2",
        "no dimension named",
    ),
    (
        VALID.replace("when: {venue: [astana], rounds: {at_least: 3}}", "when: {venue: [rome]}"),
        "parties[1].preferences.red_lines[0].when.venue",
        "'rome'",
    ),
    (
        VALID.replace("type: real, low: 0, high: 1, step: 0.5", "type: real, low: 0, high: 1"),
        "issues[2]",
        "needs a step",
    ),
    (
        VALID.replace("  - name: south\n    preferences:", "  - name: south\n    preference:"),
        "parties[2]",
        "",
    ),
    # The domain's own invariants, reported where the file gives the value.
    (
        VALID.replace("type: integer, low: 1, high: 3", "type: integer, low: 3, high: 1"),
        "line 7: issues[1].high",
        "high 1 is below low 3",
    ),
    (
        VALID.replace("      - astana\n", "      - geneva\n"),
        "line 6: issues[0].options[1]",
        "option name 'geneva' is used twice",
    ),
    (
        VALID.replace("{name: share, type: real", "{name: rounds, type: real"),
        "line 8: issues[2].name",
        "issue",
    ),
    (
        VALID.replace("type: integer, low: 1, high: 3", "type: integer, low: 1, high: 30000000"),
        "issues[1].high",
        "at most 10,000,000 values",
    ),
    (
        VALID.replace("low: 0, high: 1, step: 0.5", "low: 0, high: .inf, step: 0.5"),
        "issues[2].high",
        "finite",
    ),
    (VALID.replace("reservation: 0.3", "reservation: 1.3"), "parties[1].preferences.reservation", "[0, 1]"),
    (
        VALID.replace("weights: {venue: 0.6, share: 0.4}", "weights: {venue: 0, share: 0}"),
        "parties[2].preferences.weights",
        "weights must sum to a positive number",
    ),
    (
        VALID.replace("[[0, 0], [0.5, 0.9], [1, 1]]", "[[0, 0], [1, 0.9], [1, 1]]"),
        "parties[1].preferences.values.share.points[2]",
        "strictly increasing x",
    ),
    (
        VALID.replace("rounds: {at_least: 3}", "rounds: {}"),
        "parties[1].preferences.red_lines[0].when.rounds",
        "needs options, at_least or at_most",
    ),
    (
        VALID.replace("positions: {scale: 30}", "positions: {scale: .nan}"),
        "parties[3].positions.scale",
        "finite",
    ),
    (
        VALID.replace("{name: observer, role: observer", "{name: observer, role: mediator"),
        "line 28: parties[3].role",
        "at most one party may be the mediator",
    ),
    (
        VALID.replace("  - {name: scale}", "  - {name: scale, low: 10, high: 10}"),
        "dimensions[0].high",
        "above",
    ),
    (
        VALID.replace("name: Two-party test\n", "name: Two-party test\nlanguage: en_US\n"),
        "line 2: language",
        "'en_US' is not a language tag such as 'en', 'ar' or 'zh-Hant'",
    ),
]


@pytest.mark.parametrize(("text", "where", "reason"), BROKEN)
def test_bad_files_name_file_place_and_reason(tmp_path: Path, text: str, where: str, reason: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert message.startswith(str(path) + ": ")
    assert where in message
    assert reason in message
    assert "\n" not in message


def test_field_errors_carry_the_line(tmp_path: Path) -> None:
    text = VALID.replace("venue: {astana: 1.0}", "venue: {astana: 1.5}")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write(tmp_path, text))
    expected_line = text.splitlines().index("        venue: {astana: 1.5}") + 1
    assert f"line {expected_line}:" in str(caught.value)


def test_missing_unreadable_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "absent.yaml")
    with pytest.raises(ScenarioError, match="is a directory"):
        load_scenario(tmp_path)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00name")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(binary)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
@example(b"\x00")
@example(b"name: [")
@example(b"&a [*a]")
def test_any_bytes_give_a_scenario_or_a_clean_error(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return
    try:
        parse_scenario(text, source="fuzz.yaml")
    except ScenarioError as error:
        assert str(error).startswith("fuzz.yaml: ")


def _mutations() -> st.SearchStrategy[object]:
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=5)
    )
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
        ),
        max_leaves=8,
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10_000), _mutations()), min_size=1, max_size=3))
def test_mutated_valid_files_give_a_scenario_or_a_clean_error(mutations: list[tuple[int, object]]) -> None:
    """Replace random nodes of a valid file with random values: never anything but ScenarioError."""
    data = yaml.safe_load(VALID)
    for seed, replacement in mutations:
        node: object = data
        path: list[object] = []
        for depth in range(seed % 5 + 1):
            if isinstance(node, dict) and node:
                key = sorted(node, key=str)[(seed >> depth) % len(node)]
            elif isinstance(node, list) and node:
                key = (seed >> depth) % len(node)
            else:
                break
            path.append(key)
            node = node[key]  # type: ignore[index]
        if not path:
            continue
        parent: object = data
        for key in path[:-1]:
            parent = parent[key]  # type: ignore[index]
        parent[path[-1]] = replacement  # type: ignore[index]
    try:
        parse_scenario(json.dumps(data, allow_nan=True), source="mutated.json")
    except ScenarioError as error:
        assert str(error).startswith("mutated.json: ")


def test_schema_command_prints_the_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == scenario_json_schema()
    assert {"issues", "parties"} <= set(schema["properties"])


def test_the_schema_is_a_described_draft_2020_12_schema_the_examples_meet() -> None:
    import jsonschema
    import yaml

    schema = scenario_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:accord:schema:") and schema["title"] == "Accord scenario file"
    jsonschema.Draft202012Validator.check_schema(schema)
    undescribed = [
        f"{name}.{field}" if field else name
        for name, model in [("scenario", schema), *schema["$defs"].items()]
        for field, node in [("", model), *model.get("properties", {}).items()]
        if not node.get("description") or "``" in node["description"] or "\n" in node["description"]
    ]
    assert undescribed == []
    validator = jsonschema.Draft202012Validator(schema)
    examples = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))
    assert examples
    from accord.io.process_file import process_json_schema

    processes = jsonschema.Draft202012Validator(process_json_schema())
    for path in examples:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data["format"].startswith("accord-process/"):  # a process file: its own schema (dates as text)
            data = json.loads(json.dumps(data, default=str))
            assert list(processes.iter_errors(data)) == []
            continue
        assert list(validator.iter_errors(data)) == []


def test_cli_reports_bad_scenarios_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, VALID.replace("venue: {astana: 1.0}", "venue: {astana: 1.5}"))
    assert main(["analyze", str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0] and "astana" in lines[0]
    assert "Traceback" not in captured.err


def test_cli_reports_a_broken_domain_invariant_where_the_file_gives_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, VALID.replace("type: integer, low: 1, high: 3", "type: integer, low: 3, high: 1"))
    assert main(["analyze", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"accord: error: {path}: line 7: issues[1].high: high 1 is below low 3\n"
