"""Reading actor files: BDM CSV, scenarios, DEU III tables; clear errors for bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from accord.errors import ForecastDataError
from accord.forecast import load_actor_table, read_backtest_issues, read_bdm_csv

BDM = "Actor,Capability,Position,Salience\nNorth,0.5,10,0.8\nSouth,0.25,70,0.4\nEast,0.25,40,1.0\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bdm_csv(tmp_path: Path) -> None:
    table = load_actor_table(write(tmp_path, "talks.csv", BDM))
    assert table.actors == ("North", "South", "East")
    assert table.dimensions == ("position",)
    assert table.positions[:, 0].tolist() == [10.0, 70.0, 40.0]
    assert table.salience[:, 0].tolist() == [0.8, 0.4, 1.0]


KTAB = """\
Water; scen 1,Sharing the river,2,1,
Actor,Description,Power,Share Position,Share Salience,
UP,Upstream state,100.0,20,40.0,
DOWN,Downstream state,60.5,70,70.0,
"""


def test_ktab_csv_is_recognised_by_its_content(tmp_path: Path) -> None:
    table = load_actor_table(write(tmp_path, "water.csv", KTAB))
    assert table.actors == ("UP", "DOWN")
    assert table.capability.tolist() == [100.0, 60.5]
    broken = write(tmp_path, "broken.csv", KTAB.replace("60.5", "lots"))
    with pytest.raises(ForecastDataError, match="lots"):  # the KTAB reader's own error, not a fallback
        load_actor_table(broken)


def test_bdm_csv_aliases_and_percent_salience(tmp_path: Path) -> None:
    text = "Stakeholder,Resources,Position,Salience\r\nA,80,25,50\r\nB,90,15,80\r\n"
    table = read_bdm_csv(write(tmp_path, "china.csv", text))
    assert table.capability.tolist() == [80.0, 90.0]
    assert table.salience[:, 0].tolist() == [0.5, 0.8]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("Actor,Capability,Position\nA,1,2\n", "line 1: missing a column 'salience'"),
        ("Actor,Capability,Position,Salience\nA,1,2,0.5\nB,x,3,0.5\n", "line 3, capability"),
        ("Actor,Capability,Position,Salience\nA,1,2,0.5\nA,1,3,0.5\n", "line 3, actor"),
        ("Actor,Capability,Position,Salience\nA,-1,2,0.5\n", "A, capability"),
        ("Actor,Capability,Position,Salience\nA,1,2,150\n", "A, salience position"),
        ("", "the file is empty"),
    ],
)
def test_bad_bdm_csv_names_file_and_field(tmp_path: Path, text: str, where: str) -> None:
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(ForecastDataError) as caught:
        load_actor_table(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert where in message
    assert "\n" not in message


SCENARIO = """\
name: small talks
issues:
  - name: deal
    options:
      - {name: accept}
      - {name: reject}
dimensions:
  - {name: transition, description: how far power moves}
parties:
  - name: Chair
    role: mediator
    capability: 10
    positions: {transition: 50}
    salience: {transition: 40}
  - name: Observer
    role: observer
  - name: Hawk
    role: observer
    capability: 30
    positions: {transition: 0}
    salience: {transition: 100}
"""


def test_scenario_parties_become_actors(tmp_path: Path) -> None:
    table = load_actor_table(write(tmp_path, "talks.yaml", SCENARIO))
    assert table.actors == ("Chair", "Hawk")
    assert table.dimensions == ("transition",)
    assert table.salience[:, 0].tolist() == [0.4, 1.0]
    assert table.capability.tolist() == [10.0, 30.0]


def test_scenario_party_missing_salience(tmp_path: Path) -> None:
    text = SCENARIO.replace("    salience: {transition: 100}\n", "")
    path = write(tmp_path, "talks.yaml", text)
    with pytest.raises(ForecastDataError, match=r"talks\.yaml: parties\[2\]\.salience\.transition: missing"):
        load_actor_table(path)


def test_scenario_without_dimensions(tmp_path: Path) -> None:
    text = SCENARIO.split("dimensions:")[0] + "parties:\n  - name: Observer\n    role: observer\n"
    with pytest.raises(ForecastDataError, match="dimensions"):
        load_actor_table(write(tmp_path, "talks.yaml", text))


def deu_text(rows: list[list[str]]) -> str:
    header = ["isnr", "pcom", "pat", "pbe", "scom", "sat", "sbe", "rp", "out"]
    capability = ["", "4", "1", "2", "", "", "", "", ""]
    lines = [header, capability, *rows]
    return "\n".join("\t".join(f'"{cell}"' if cell else "" for cell in line) for line in lines) + "\n"


DEU = deu_text(
    [
        ["i1", "100", "0", "50", "50", "100", "", "", "60"],
        ["i2", "0", "", "100", "100", "", "50", "", ""],
        ["i3", "20", "", "80", "100", "", "100", "", "30"],
    ]
)


def test_backtest_table(tmp_path: Path) -> None:
    issues = read_backtest_issues(write(tmp_path, "deu.csv", DEU))
    assert [issue.name for issue in issues] == ["i1", "i3"]
    first = issues[0]
    assert first.table.actors == ("com", "at", "be")
    assert first.table.salience[:, 0].tolist() == [0.5, 1.0, 0.0]
    assert first.outcome == 60.0
    assert issues[1].table.actors == ("com", "be")
    assert np.allclose(issues[1].table.capability, [4.0, 2.0])


def test_backtest_table_is_not_one_forecast(tmp_path: Path) -> None:
    with pytest.raises(ForecastDataError, match="backtest"):
        load_actor_table(write(tmp_path, "deu.csv", DEU))


def test_bad_backtest_value(tmp_path: Path) -> None:
    text = deu_text([["i1", "100", "zero", "50", "50", "100", "", "", "60"]])
    with pytest.raises(ForecastDataError, match=r"deu\.csv: line 3, pat: expected a number"):
        read_backtest_issues(write(tmp_path, "deu.csv", text))
