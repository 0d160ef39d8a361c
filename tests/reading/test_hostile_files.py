"""Hostile files never hang, crash or exhaust the machine: each is one line naming the file and place.

Every test here drives the loaders (or the command line) as a user would, with the kind of
file someone who uploads a scenario to the room might send.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.cli import main
from accord.errors import ForecastDataError, InputError, ScenarioError
from accord.forecast import load_actor_table
from accord.io import import_genius, import_geniusweb, load_scenario, parse_scenario
from accord.reading import MAX_DATA_NODES, load_data, read_bytes

SCENARIO: dict[str, object] = {
    "name": "two",
    "issues": [{"name": "price", "options": ["low", "high"]}],
    "parties": [
        {
            "name": "buyer",
            "preferences": {"weights": {"price": 1}, "values": {"price": {"low": 1, "high": 0}}},
        },
        {
            "name": "seller",
            "preferences": {"weights": {"price": 1}, "values": {"price": {"low": 0, "high": 1}}},
        },
    ],
}


def finishes(call: Callable[[], object], seconds: float = 20.0) -> BaseException | object:
    """Run ``call`` on a thread; fail if it has not returned within ``seconds``."""
    outcome: list[BaseException | object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # the test inspects what was raised
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return outcome[0]


# ---------------------------------------------------------------- files that are not files


@pytest.mark.parametrize(
    "load",
    [
        load_scenario,
        load_actor_table,
        lambda path: import_genius(path, [path, path]),
        lambda path: import_geniusweb([path, path]),
    ],
    ids=["scenario", "forecast", "genius", "geniusweb"],
)
def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path: Path, load: Callable[[Path], object]) -> None:
    fifo = tmp_path / "talks.yaml"
    os.mkfifo(fifo)
    error = finishes(lambda: load(fifo), seconds=10)
    assert isinstance(error, InputError) and "not a regular file" in str(error)


@pytest.mark.parametrize("command", [["analyze"], ["forecast"], ["import", "genius"]])
def test_dev_zero_is_one_line_and_exit_2(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    arguments = [*command, "/dev/zero"] + (["/dev/zero", "--output", "x.yaml"] if "import" in command else [])
    code = finishes(lambda: main(arguments))
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("accord: error: /dev/zero: ") and "not a regular file" in err


def test_a_file_that_grows_while_read_is_cut_off_at_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"x" * 1000)
    real_fstat = os.fstat

    def stale(descriptor: int) -> os.stat_result:  # the size when opened, before it grew
        status = list(real_fstat(descriptor))
        status[6] = 10
        return os.stat_result(status)

    monkeypatch.setattr(os, "fstat", stale)
    with pytest.raises(InputError, match="grew while being read"):
        read_bytes(path, limit=100)


# ---------------------------------------------------------------- XML


def test_forty_empty_comments_before_the_root_parse_at_once(tmp_path: Path) -> None:
    """The old reader's regular expression backtracked exponentially on this 284-byte file."""
    path = tmp_path / "domain.xml"
    path.write_bytes(b"<!---->" * 40 + b"<utility_space/>")
    error = finishes(lambda: import_genius(path, [path, path]), seconds=10)
    assert isinstance(error, ScenarioError) and "<objective>" in str(error)


def test_genius_comments_before_the_declaration_still_work(tmp_path: Path) -> None:
    path = tmp_path / "domain.xml"
    path.write_bytes(b"<!-- a -->\n<!-- b -->\n<?xml version='1.0'?>\n<utility_space>\n<x/></utility_space>")
    with pytest.raises(ScenarioError, match=r"domain.xml: line 4: <utility_space>: expected an <objective>"):
        import_genius(path, [path, path])


def test_xml_nested_a_hundred_thousand_deep_is_one_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "deep.xml"
    path.write_text("<?xml version='1.0'?>" + "<a>" * 100_000 + "</a>" * 100_000)
    code = main(["import", "genius", str(path), str(path), str(path), "--output", str(tmp_path / "o.yaml")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "nested more than" in err and "Traceback" not in err


# ---------------------------------------------------------------- YAML and JSON


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"name": "a", "name": "b"}', "line 1: name: the key 'name' is repeated"),
        ("name: a\nissues: []\nname: b\n", "line 3: the key 'name' is repeated"),
        (
            "parties:\n  - preferences:\n      weights: {price: 1, price: 2}\n",
            "line 3: the key 'price' is repeated",
        ),
    ],
)
def test_a_repeated_key_is_an_error_not_last_one_wins(text: str, where: str) -> None:
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text, source="talks.yaml")
    assert str(raised.value) == f"talks.yaml: {where}"


def mapping_keys(value: object, path: tuple[object, ...] = ()) -> list[tuple[tuple[object, ...], str]]:
    """Every (path to a mapping, key in it) of ``value``."""
    found: list[tuple[tuple[object, ...], str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            found.append((path, key))
            found += mapping_keys(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += mapping_keys(item, (*path, index))
    return found


def dumped(value: object, repeat: tuple[tuple[object, ...], str], path: tuple[object, ...] = ()) -> str:
    """JSON of ``value`` with the key ``repeat[1]`` of the mapping at ``repeat[0]`` written twice."""
    if isinstance(value, dict):
        items = [f"{json.dumps(key)}: {dumped(item, repeat, (*path, key))}" for key, item in value.items()]
        if path == repeat[0]:
            items.append(f"{json.dumps(repeat[1])}: {json.dumps(value[repeat[1]])}")
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(dumped(item, repeat, (*path, index)) for index, item in enumerate(value)) + "]"
    return json.dumps(value)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(mapping_keys(SCENARIO)), st.booleans())
def test_any_key_repeated_anywhere_is_refused(repeat: tuple[tuple[object, ...], str], as_yaml: bool) -> None:
    text = dumped(SCENARIO, repeat)
    if as_yaml:  # YAML's flow style (a comment first, so it is not read as JSON)
        text = "# talks\n" + text
    with pytest.raises(ScenarioError, match=f"the key {repeat[1]!r} is repeated"):
        parse_scenario(text, source="talks.json")


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("NaN", "nan"),
        ("Infinity", "inf"),
        ("-Infinity", "-inf"),
        ("1e400", "1e400"),
        ("9" * 5000, "5,000 digits"),
    ],
)
def test_non_finite_and_absurd_numbers_in_json_name_the_field(number: str, shown: str) -> None:
    text = json.dumps(SCENARIO).replace('"weights": {"price": 1}', f'"weights": {{"price": {number}}}', 1)
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(text, source="talks.json")
    message = str(raised.value)
    assert message.startswith(
        "talks.json: line 1: parties[0].preferences.weights.price: must be a finite number"
    )
    assert shown in message and len(message) < 200


@pytest.mark.parametrize("number", [".nan", ".inf", "-.inf", "1.0e400", "1.0e+400", "9" * 5000])
def test_non_finite_and_absurd_numbers_in_yaml_name_the_field_and_line(number: str) -> None:
    text = "name: t\nissues:\n  - name: price\n    options: [low, high]\nparties:\n  - name: a\n"
    text += f"    role: observer\n    capability: {number}\n"
    with pytest.raises(
        ScenarioError, match=r"talks.yaml: line 8: parties\[0\].capability: (must|input should) be a finite"
    ):
        parse_scenario(text, source="talks.yaml")


def test_a_yaml_alias_bomb_is_refused_before_anything_walks_it() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 10)}]" for level in range(1, 9)]
    started = time.perf_counter()
    with pytest.raises(ScenarioError, match=f"expands to more than {MAX_DATA_NODES:,} values"):
        parse_scenario("\n".join(lines), source="bomb.yaml")
    assert time.perf_counter() - started < 5


def test_a_yaml_alias_that_contains_itself_is_refused() -> None:
    with pytest.raises(ScenarioError, match="refers to a value that contains it"):
        parse_scenario("&a [*a]", source="loop.yaml")


@pytest.mark.parametrize(
    "text", ["[" * 100_000 + "]" * 100_000, "a:\n" + "".join(" " * i + "- \n" for i in range(300))]
)
def test_deep_nesting_is_one_error(text: str) -> None:
    with pytest.raises(ScenarioError, match=r"nested more than 100 deep|not valid YAML"):
        parse_scenario(text, source="deep.yaml")


def test_json_data_are_read_by_the_json_module_with_lines() -> None:
    document = load_data('{\n  "a": [1, 2.5],\n  "b": {"c": true}\n}', "x.json")
    assert document.data == {"a": [1, 2.5], "b": {"c": True}}
    assert document.where(("b", "c")) == "line 3: b.c"


# ---------------------------------------------------------------- CSV


def test_a_csv_cell_over_the_csv_modules_limit_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "actors.csv"
    path.write_text("Actor,Capability,Position,Salience\nA,1," + "1" * 200_000 + ",50\nB,1,2,3\n")
    assert main(["forecast", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "line 2: a cell is longer than 131,072 characters" in err
    with pytest.raises(ForecastDataError):
        load_actor_table(path)


@pytest.mark.parametrize("date", ["2016-13-18", "2016-02-30", "2016-06-18 25:00:00"])
def test_a_date_that_is_no_date_names_its_line(date: str) -> None:
    text = f"name: t\ndescription: x\nby: {date}\n"
    with pytest.raises(InputError) as caught:
        load_data(text, "talks.yaml")
    assert caught.value.location == "line 3, column 5"
    assert caught.value.reason.startswith(f"not valid YAML or JSON: {date!r} is not a date: ")
