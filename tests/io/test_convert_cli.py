"""``accord import`` / ``accord export``: exit codes, files written, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from accord.cli import main
from accord.io import import_genius, load_scenario
from accord.preferences import scenario_utilities

DOMAIN = """\
<utility_space><objective index="0" name="Deal">
  <issue index="1" name="fee" type="discrete"><item value="low"/><item value="high"/></issue>
  <issue index="2" name="days" type="integer" lowerbound="1" upperbound="3"/>
</objective></utility_space>
"""


def profile(low: int, high: int, slope: float) -> str:
    return f"""\
<utility_space><objective index="0" name="Deal">
  <issue index="1" name="fee" type="discrete">
    <item value="low" evaluation="{low}"/><item value="high" evaluation="{high}"/>
  </issue>
  <issue index="2" name="days" type="integer" lowerbound="1" upperbound="3">
    <evaluator ftype="linear" slope="{slope}" offset="{0.0 if slope > 0 else 1.0}"/>
  </issue>
  <weight index="1" value="0.6"/><weight index="2" value="0.4"/>
</objective><reservation value="0.2"/></utility_space>
"""


@pytest.fixture
def genius_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    domain = tmp_path / "deal.xml"
    domain.write_text(DOMAIN)
    buyer, seller = tmp_path / "buyer.xml", tmp_path / "seller.xml"
    buyer.write_text(profile(3, 1, -0.5))
    seller.write_text(profile(1, 4, 0.5))
    return domain, buyer, seller


def test_import_genius_writes_a_scenario_and_one_summary_line(
    genius_files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    domain, buyer, seller = genius_files
    output = tmp_path / "deal.yaml"
    assert main(["import", "genius", str(domain), str(seller), str(buyer), "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "2 parties (seller, buyer)" in out and "6 outcomes" in out
    scenario = load_scenario(output)
    assert [party.name for party in scenario.parties] == ["seller", "buyer"]
    original = import_genius(domain, [seller, buyer])
    choices = original.agenda.all_choices()
    np.testing.assert_allclose(
        scenario_utilities(scenario).evaluate(choices), scenario_utilities(original).evaluate(choices)
    )


def test_export_then_import_geniusweb(
    genius_files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    domain, buyer, seller = genius_files
    scenario_file = tmp_path / "deal.yaml"
    assert main(["import", "genius", str(domain), str(buyer), str(seller), "-o", str(scenario_file)]) == 0
    folder = tmp_path / "web"
    assert main(["export", "geniusweb", str(scenario_file), "--output", str(folder)]) == 0
    assert sorted(path.name for path in folder.iterdir()) == ["buyer.json", "domain.json", "seller.json"]
    again = tmp_path / "again.yaml"
    arguments = ["import", "geniusweb", str(folder / "buyer.json"), str(folder / "seller.json")]
    assert main([*arguments, "--domain", str(folder / "domain.json"), "--output", str(again)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[1].startswith("Exported deal: 2 issues")
    first, second = load_scenario(scenario_file), load_scenario(again)
    choices = first.agenda.all_choices()
    np.testing.assert_allclose(
        scenario_utilities(second).evaluate(choices), scenario_utilities(first).evaluate(choices), atol=1e-12
    )
    assert json.loads((folder / "domain.json").read_text())["name"] == "deal"


@pytest.mark.parametrize(
    ("command", "broken", "expected"),
    [
        ("genius", "<utility_space><objective>", "buyer.xml: line 1, column 27: not well-formed XML"),
        (
            "genius",
            profile(3, 1, -0.5).replace("<issue", "<weight index='9' value='1'/><issue", 1),
            "no issue with it",
        ),
        (
            "genius",
            DOMAIN,
            "buyer.xml: this is a domain (it holds no weights and no evaluations), not a party's",
        ),
        (
            "genius",
            profile(3, 1, -0.5).replace(' evaluation="1"', ""),
            "buyer.xml: line 3: <item name=\"high\">: item 'high' of issue 'fee' has no evaluation",
        ),
        (
            "geniusweb",
            '{"LinearAdditiveUtilitySpace": [1]}',
            "buyer.json: $.LinearAdditiveUtilitySpace: expected",
        ),
        ("geniusweb", "{nope", "buyer.json: line 1, column 2: not valid JSON"),
        # Invariants the domain keeps, reported where the file gives the value.
        (
            "genius",
            profile(3, 1, -0.5).replace('value="0.6"', 'value="-0.6"'),
            'buyer.xml: line 8: <weight name="-0.6">: must be ≥ 0, got -0.6',
        ),
        (
            "geniusweb",
            json.dumps(
                {
                    "LinearAdditiveUtilitySpace": {
                        "domain": {
                            "name": "d",
                            "issuesValues": {"days": {"range": {"low": 3, "high": 1, "step": 1}}},
                        }
                    }
                }
            ),
            "buyer.json: $.LinearAdditiveUtilitySpace.domain.issuesValues.days.range.high: "
            "high 1 is below low 3",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_exit_code_2(
    genius_files: tuple[Path, Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    broken: str,
    expected: str,
) -> None:
    domain = genius_files[0]
    output = tmp_path / "out.yaml"
    if command == "genius":
        bad = tmp_path / "buyer.xml"
        bad.write_text(broken)
        code = main(["import", "genius", str(domain), str(bad), "--output", str(output)])
    else:
        bad = tmp_path / "buyer.json"
        bad.write_text(broken)
        code = main(["import", "geniusweb", str(bad), "--output", str(output)])
    captured = capsys.readouterr()
    assert code == 2 and not output.exists() and captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("accord: error: ")
    assert expected in captured.err and "Traceback" not in captured.err


def test_export_refusals_and_missing_files_exit_2(
    genius_files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    domain, buyer, _ = genius_files
    heavy = tmp_path / "heavy.xml"
    heavy.write_text(profile(3, 1, -0.5).replace('value="0.4"', 'value="0.5"'))
    scenario_file = tmp_path / "heavy.yaml"
    assert main(["import", "genius", str(domain), str(heavy), "-o", str(scenario_file)]) == 0
    capsys.readouterr()
    assert main(["export", "geniusweb", str(scenario_file), "-o", str(tmp_path / "web")]) == 2
    assert "caps the utility at 1" in capsys.readouterr().err
    assert main(["export", "geniusweb", str(scenario_file), "-o", str(tmp_path / "web"), "--normalize"]) == 0
    capsys.readouterr()
    assert (
        main(["import", "genius", str(tmp_path / "absent.xml"), str(buyer), "-o", str(tmp_path / "new.yaml")])
        == 2
    )
    assert capsys.readouterr().err.strip().endswith("absent.xml: no such file")
    assert main(["import", "genius", str(domain), "--output", str(scenario_file)]) == 2
    assert capsys.readouterr().err == "accord: error: PROFILE: required (see `accord import genius --help`)\n"


def test_a_profile_given_as_the_domain_is_named_and_nothing_is_written(
    genius_files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    domain, buyer, seller = genius_files
    output = tmp_path / "swapped.yaml"
    assert main(["import", "genius", str(buyer), str(domain), str(seller), "--output", str(output)]) == 2
    assert capsys.readouterr().err == (
        f"accord: error: {buyer}: this is a party's profile (it holds weights or evaluations), not the "
        "domain: give the domain file first, then one profile per party\n"
    )
    assert not output.exists()


def test_no_command_overwrites_a_file_or_folder_without_force(
    genius_files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    domain, buyer, seller = genius_files
    scenario_file = tmp_path / "deal.yaml"
    scenario_file.write_text("kept\n")
    assert main(["import", "genius", str(domain), str(buyer), str(seller), "-o", str(scenario_file)]) == 2
    assert (
        capsys.readouterr().err
        == f"accord: error: {scenario_file}: the file exists; give --force to overwrite it\n"
    )
    assert scenario_file.read_text() == "kept\n"
    assert (
        main(["import", "genius", str(domain), str(buyer), str(seller), "-o", str(scenario_file), "--force"])
        == 0
    )
    assert scenario_file.read_text() != "kept\n"
    folder = tmp_path / "web"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    assert main(["export", "geniusweb", str(scenario_file), "-o", str(folder)]) == 2
    assert capsys.readouterr().err.endswith(
        f"{folder}: the folder exists and is not empty; give --force to write into it\n"
    )
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]
    geneva = str(Path(__file__).resolve().parents[2] / "examples" / "geneva-2017.yaml")
    plot, trace = tmp_path / "space.png", tmp_path / "talks.jsonl"
    for argv, existing in (
        (["analyze", str(scenario_file), "--plot", str(plot)], plot),
        (["forecast", geneva, "--plot", str(plot)], plot),
        (["run", str(scenario_file), "--report", str(tmp_path / "new.html"), "--trace", str(trace)], trace),
        (["room", "export", "r1", "--output", str(trace)], trace),
    ):
        existing.write_bytes(b"old")
        assert main(argv) == 2, argv
        assert (
            capsys.readouterr().err
            == f"accord: error: {existing}: the file exists; give --force to overwrite it\n"
        )
        assert existing.read_bytes() == b"old" and not (tmp_path / "new.html").exists()


def test_export_errors_name_scenario_and_party_and_say_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    geneva = Path(__file__).resolve().parents[2] / "examples" / "geneva-2017.yaml"
    assert main(["export", "geniusweb", str(geneva), "-o", str(tmp_path / "web")]) == 2
    assert capsys.readouterr().err == (
        f"accord: error: {geneva}: party 'Government': red lines cannot be written to a GeniusWeb profile; "
        "--drop-red-lines exports without them (the outcomes they rule out then count as acceptable)\n"
    )
    assert not (tmp_path / "web").exists()
    assert main(["export", "geniusweb", str(geneva), "-o", str(tmp_path / "web"), "--drop-red-lines"]) == 0
    warnings = capsys.readouterr().err.splitlines()
    assert warnings[0] == (
        "accord: warning: party 'Government': its 2 red lines are not written; "
        "the outcomes ruled out count as acceptable"
    )
    assert len(warnings) == 4 and (tmp_path / "web" / "Government.json").exists()


def test_export_warns_that_the_discount_factor_is_not_written(
    genius_files: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    domain, buyer, seller = genius_files
    discounted = tmp_path / "discounted.xml"
    discounted.write_text(
        buyer.read_text().replace("</utility_space>", '<discount_factor value="0.8"/></utility_space>')
    )
    scenario_file = tmp_path / "deal.yaml"
    assert (
        main(["import", "genius", str(domain), str(discounted), str(seller), "-o", str(scenario_file)]) == 0
    )
    capsys.readouterr()
    assert main(["export", "geniusweb", str(scenario_file), "-o", str(tmp_path / "web"), "--normalize"]) == 0
    assert capsys.readouterr().err == (
        "accord: warning: party 'discounted': its discount factor 0.8 is not written "
        "(GeniusWeb profiles have none)\n"
    )
