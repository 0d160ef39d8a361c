"""Every failure is one line, ``accord: error: WHERE: reason``, with one WHERE convention.

WHERE is a file's path (then ``line N`` and the field), or the option the user typed; the
Python API names its parameter instead, never ``<command line>``. A closed pipe ends a
command quietly; nothing leaves a blank line on stderr.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import accord
from accord.cli import main
from accord.errors import AgentError, ArgumentError, ScenarioError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from shared_data import shared_path

ROOT = Path(__file__).resolve().parents[1]
GENEVA = str(ROOT / "examples" / "geneva-2017.yaml")


def _error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith("\n") and captured.err.count("\n") == 1, captured.err
    return captured.err.rstrip("\n")


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        (
            ["run", GENEVA, "--rounds", "0"],
            "accord: error: --rounds: must be at least 1, got 0",
        ),
        (
            ["tournament", GENEVA, "--protocol", "one-text", "--agents", "boulware", "--rounds", "0"],
            "accord: error: --rounds: must be at least 1, got 0",
        ),
        (
            ["room", "create", GENEVA, "--protocol", "one-text", "--rounds", "0"],
            "accord: error: --rounds: must be at least 1, got 0",
        ),
        (
            ["tournament", GENEVA, "--protocol", "one-text", "--agents", "boulware", "--repetitions", "0"],
            "accord: error: --repetitions: must be at least 1, got 0",
        ),
        (
            ["forecast", GENEVA, "--model", "median", "--preset", "published"],
            "accord: error: --preset: the median model has no presets",
        ),
        (  # the samples' array asked for terabytes (a numpy traceback)
            ["forecast", GENEVA, "--model", "median", "--samples", "1000000000000"],
            "accord: error: --samples: must be at most 1,000,000, got 1,000,000,000,000",
        ),
        (
            ["forecast", GENEVA, "--samples", "2", "--capability-uncertainty", "1.5"],
            "accord: error: --capability-uncertainty: must lie in [0, 1), got 1.5",
        ),
        (
            ["run", GENEVA, "--protocol", "one-txt"],
            "accord: error: --protocol: unknown protocol 'one-txt'; did you mean 'one-text'? (known: "
            "alternating-offers, blind-bidding, one-text, post-settlement, shuttle, single-text)",
        ),
        (["run", GENEVA, "--seed", "x"], "accord: error: --seed: 'x' is not a whole number"),
        (["run"], "accord: error: SCENARIO: required (see `accord run --help`)"),
        (
            ["import", "genius", "d.xml", "-o", "x.yaml"],
            "accord: error: PROFILE: required (see `accord import genius --help`)",
        ),
        (["run", "absent.yaml"], "accord: error: absent.yaml: no such file"),
    ],
)
def test_errors_are_one_line_naming_the_option_or_the_file(
    argv: list[str],
    line: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _error(argv, capsys) == line


def test_a_file_error_names_the_path_and_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scenario = tmp_path / "talks.yaml"
    original = Path(GENEVA).read_text(encoding="utf-8")
    scenario.write_text(original.replace("role: delegation", "role: chair", 1))
    number = original.splitlines().index("    role: delegation") + 1
    line = _error(["analyze", str(scenario)], capsys)
    assert line.startswith(f"accord: error: {scenario}: line {number}: parties[1].role: ")


def test_a_name_with_a_newline_stays_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    line = _error(["run", GENEVA, "--agents", "Gov\nernment=boulware"], capsys)
    assert line.startswith("accord: error: --agents: no delegation 'Gov\\nernment'")


def test_the_python_api_names_its_parameters_not_the_command_line() -> None:
    scenario = accord.load_scenario(GENEVA)
    with pytest.raises(AgentError) as unknown:
        accord.run_session(scenario, "one-txt", {}, seed=0)
    assert unknown.value.argument == "protocol"
    assert str(unknown.value).startswith("protocol: unknown protocol 'one-txt'; did you mean 'one-text'?")
    with pytest.raises(AgentError) as seat:
        accord.run_session(scenario, "one-text", {"Nobody": "boulware"}, seed=0)
    assert str(seat.value).startswith("agents: no seat 'Nobody' at this table")
    from accord.forecast.models import run_model
    from accord.forecast.readers import actor_table_from_scenario

    with pytest.raises(ArgumentError, match=r"^preset: unknown preset 'x'"):
        run_model("expected-utility", actor_table_from_scenario(scenario), preset="x")
    from accord.io import parse_scenario

    with pytest.raises(ScenarioError) as parsed:
        parse_scenario("name: x\nissues: [\n")
    assert str(parsed.value).startswith("line 3, column 1: not valid YAML")


def _accord(*argv: str, **options: object) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "100"}
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-c", "import sys; from accord.cli import main; sys.exit(main())", *argv],
        env=environment,
        **options,
    )


def test_a_closed_pipe_ends_the_command_quietly() -> None:
    process = _accord("analyze", GENEVA, "--json", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # like `| head` that has read enough before the command writes
    with process.stderr:
        error = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert error == b""


def test_stderr_holds_the_error_line_and_nothing_else() -> None:
    # The error is raised while the progress bar is up (the seat check runs inside the session).
    process = _accord(
        "run", GENEVA, "--protocol", "one-text", "--agents", "Government=drafter", stderr=subprocess.PIPE
    )
    _, error = process.communicate(timeout=120)
    assert process.returncode == 2
    assert error.decode() == (
        "accord: error: --agents: seat 'Government': agent 'drafter-v1' cannot take a delegation's seat: "
        "it is a mediator's agent\n"
    )


def test_the_version_is_the_installed_one(capsys: pytest.CaptureFixture[str]) -> None:
    assert accord.__version__ == importlib.metadata.version("accord")
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"accord {accord.__version__}\n"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("actors.xlsx", b"PK\x03\x04\x14\x00\x06\x00", "a spreadsheet or other zip archive (.xlsx, .ods)"),
        ("actors.csv", b"PK\x03\x04\x14\x00\x06\x00", "a spreadsheet or other zip archive (.xlsx, .ods)"),
        ("actors.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "an Excel 97–2003 spreadsheet (.xls)"),
    ],
)
def test_a_spreadsheet_given_for_a_csv_file_says_so(
    name: str, content: bytes, kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    expected = f"accord: error: {path}: this is {kind}, not a CSV file: "
    expected += "save it as CSV (comma-separated values) first"
    assert _error(["forecast", str(path)], capsys) == expected
    assert _error(["forecast", "backtest", str(path)], capsys) == expected


def test_a_binary_file_given_for_a_csv_file_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "actors.csv"
    path.write_bytes(b"actor,capability\x00\x01\x02")
    assert (
        _error(["forecast", str(path)], capsys)
        == f"accord: error: {path}: this is a binary file, not a CSV file (text)"
    )


def test_a_reservation_value_or_utility_outside_0_1_names_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scenario = tmp_path / "talks.yaml"
    original = Path(GENEVA).read_text(encoding="utf-8")
    scenario.write_text(original.replace("reservation: 0.42", "reservation: 1.5", 1))
    number = original.splitlines().index("      reservation: 0.42") + 1
    line = _error(["analyze", str(scenario)], capsys)
    where = f"{scenario}: line {number}: parties[1].preferences.reservation"
    assert line == f"accord: error: {where}: must lie in [0, 1], got 1.5"
    genius = shared_path("domains", "genius", "Laptop")
    buyer = tmp_path / "buyer.xml"
    text = (genius / "laptop_buyer_utility.xml").read_text(encoding="utf-8")
    start = text.index("<reservation")
    buyer.write_text(text[:start] + '<reservation value="-0.2"/>' + text[text.index("/>", start) + 2 :])
    argv = ["import", "genius", str(genius / "laptop_domain.xml"), str(buyer), "-o", str(tmp_path / "x.yaml")]
    line = _error(argv, capsys)
    assert line.startswith(f"accord: error: {buyer}: line ") and line.endswith(
        ": must lie in [0, 1], got -0.2"
    )
    assert "<reservation" in line and not (tmp_path / "x.yaml").exists()


def test_one_session_is_one_session_and_the_leaderboard_counts_sessions_not_seats(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scenarios import TWO_PARTY

    scenario = tmp_path / "harbour.yaml"
    scenario.write_text(TWO_PARTY, encoding="utf-8")
    argv = [
        "tournament",
        str(scenario),
        "--protocol",
        "alternating-offers",
        "--agents",
        "boulware",
        "--rounds",
        "5",
    ]
    assert main(argv) == 0
    output = capsys.readouterr().out
    assert "alternating-offers-v1: 1 session in " in output and " sessions in " not in output
    assert main([*argv, "--json"]) == 0
    standing = json.loads(capsys.readouterr().out)["leaderboard"][0]
    assert standing["agent"] == "boulware-v1" and standing["sessions"] == 1 and standing["seats"] == 2


def test_an_unreachable_ray_address_fails_at_once_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket
    import time

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "out"
    argv = ["tournament", GENEVA, "--protocol", "alternating-offers", "--agents", "boulware"]
    started = time.monotonic()
    line = _error([*argv, "--backend", "ray", "--address", f"127.0.0.1:{port}", "--out", str(out)], capsys)
    assert time.monotonic() - started < 10
    assert line.startswith(f"accord: error: --address: cannot reach a Ray cluster at 127.0.0.1:{port}: ")
    assert not out.exists()
