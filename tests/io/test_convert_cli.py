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
        ("genius", DOMAIN.replace("<issue", "<weight index='9' value='1'/><issue", 1), "no issue with it"),
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
    assert main(["import", "genius", str(tmp_path / "absent.xml"), str(buyer), "-o", str(scenario_file)]) == 2
    assert capsys.readouterr().err.strip().endswith("absent.xml: no such file")
    assert main(["import", "genius", str(domain), "--output", str(scenario_file)]) == 2
    assert capsys.readouterr().err == "accord: error: PROFILE: required (see `accord import genius --help`)\n"
