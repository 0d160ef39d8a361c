"""KTAB's scenario files: valid ones load, bad ones raise one ForecastDataError naming the place."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accord.errors import ForecastDataError
from accord.forecast.ktab_csv import ktab_model_parameters, read_ktab_csv, read_ktab_xml
from accord.forecast.spatial_settings import SpatialSettings
from shared_data import shared_path

GOOD = """\
Water; scen 1,Sharing the river,3,2,
Actor,Description,Power,Share Position,Share Salience,Dam Position,Dam Salience,
UP,Upstream state, 100.0,20,40.0,90,50.0,
DOWN,"Downstream state, delta", 60.5,70,70.0,10,30.0,
BANK,Lender, 25,50,20.0,50,10.0,
"""


def example_file(name: str) -> Path:
    return shared_path("forecast-data", "ktab-smp-examples", name)


def written(folder: Path, text: str, name: str = "scenario.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_reads_into_a_table(tmp_path: Path) -> None:
    table = read_ktab_csv(written(tmp_path, GOOD))
    assert table.actors == ("UP", "DOWN", "BANK")
    assert table.dimensions == ("Share Position", "Dam Position")
    assert table.description == "Sharing the river"
    assert table.source == str(tmp_path / "scenario.csv")
    np.testing.assert_array_equal(table.capability, [100.0, 60.5, 25.0])
    np.testing.assert_array_equal(table.positions, [[20, 90], [70, 10], [50, 50]])
    np.testing.assert_array_equal(table.salience, [[0.4, 0.5], [0.7, 0.3], [0.2, 0.1]])


def test_windows_line_endings_and_blank_lines_are_fine(tmp_path: Path) -> None:
    text = GOOD.replace("\n", "\r\n") + "\r\n\r\n"
    assert read_ktab_csv(written(tmp_path, text)).actors == ("UP", "DOWN", "BANK")


@pytest.mark.parametrize(
    "name",
    [
        "SOE-Pol-Comp.csv",
        "SOE-Policy.csv",
        "SOE-Competitive.csv",
        "dummyData_3Dim.csv",
        "dummyData_6Dim.csv",
        "dummyData-a040.csv",
        "dummyData-a080.csv",
        "dummyData-a160.csv",
    ],
)
def test_every_ktab_example_csv_reads(name: str) -> None:
    table = read_ktab_csv(example_file(name))
    assert table.positions.shape == table.salience.shape == (len(table.actors), len(table.dimensions))
    assert np.all(table.salience.sum(axis=1) <= 1.0 + 1e-12)


def test_the_policy_and_competition_example_reads_as_ktab_does() -> None:
    table = read_ktab_csv(example_file("SOE-Pol-Comp.csv"))
    assert len(table.actors) == 13 and table.actors[:2] == ("XJ", "LK")
    assert table.dimensions == ("Policy Position", "Competitive Position")
    assert table.capability[1] == 60.2
    assert table.salience[0].tolist() == [24.0 / 100.0, 48.0 / 100.0]
    assert table.positions[-1].tolist() == [15.0, 60.0]


def test_the_xml_version_of_an_example_matches_its_csv() -> None:
    from_xml = read_ktab_xml(example_file("dummyData_3Dim.xml"))
    from_csv = read_ktab_csv(example_file("dummyData_3Dim.csv"))
    assert from_xml.actors == from_csv.actors
    np.testing.assert_array_equal(from_xml.capability, from_csv.capability)
    np.testing.assert_array_equal(from_xml.positions, from_csv.positions)
    np.testing.assert_array_equal(from_xml.salience, from_csv.salience)


def test_the_xml_example_names_its_empty_coordinate() -> None:
    # smpExample.xml lost Alice's first coordinate after KTAB's 2017 reference run
    path = example_file("smpExample.xml")
    with pytest.raises(ForecastDataError) as raised:
        read_ktab_xml(path)
    assert raised.value.location == "Scenario/Actors/Actor[1]/Position/dCoord[1]"
    assert raised.value.reason == "is empty"
    parameters = ktab_model_parameters(path)
    assert parameters["PCEModel"] == "MarkovIncentive"
    assert SpatialSettings.from_ktab_names(parameters).state_transitions == "stochastic"


def test_a_good_xml_file_reads(tmp_path: Path) -> None:
    text = (
        "<Scenario><name>S</name><desc>Two dims</desc><Dimensions><dName>A</dName><dName>B</dName>"
        "</Dimensions><Actors>"
        + "".join(
            f"<Actor><name>{name}</name><description/><capability>{power}</capability>"
            f"<Position><dCoord>{x}</dCoord><dCoord>{y}</dCoord></Position>"
            "<Salience><dSal>30</dSal><dSal>20</dSal></Salience></Actor>"
            for name, power, x, y in (("P", 10, 0, 100), ("Q", 20, 50, 50), ("R", 5, 100, 0))
        )
        + "</Actors></Scenario>"
    )
    table = read_ktab_xml(written(tmp_path, text, "scenario.xml"))
    assert table.actors == ("P", "Q", "R") and table.dimensions == ("A", "B")
    assert table.description == "Two dims"
    np.testing.assert_array_equal(table.salience, [[0.3, 0.2]] * 3)
    assert ktab_model_parameters(tmp_path / "scenario.xml") == {}


BAD_CSV = [
    ("", "line 1", "the file is empty"),
    ("Water,River,3\n", "line 1", "expected scenario name"),
    ("Water,River,three,2,\n", "line 1, column 3 (number of actors)", "expected a whole number"),
    ("Water,River,3,0,\n", "line 1, column 4 (number of dimensions)", "must be at least 1"),
    (GOOD.replace("Dam Salience,", ""), "line 2", "expected 7 column names"),
    (GOOD.replace(" 100.0,", " lots,"), "line 3, column 3 (Power)", "expected a number, got 'lots'"),
    (GOOD.replace(" 100.0,", " -4,"), "line 3, column 3 (Power)", "must not be negative"),
    (
        GOOD.replace("UP,Upstream state, 100.0,20,", "UP,Upstream state, 100.0,120,"),
        "line 3, column 4 (Share Position)",
        "must lie in 0–100, got 120",
    ),
    (GOOD.replace("70,70.0,10,30.0", "70,70.0,10,nan"), "line 4, column 7 (Dam Salience)", "finite"),
    (GOOD.replace("70,70.0,10,30.0", "70,70.0,10,60.0"), "line 4", "add up to 130, more than 100"),
    (GOOD.replace("BANK,Lender", "UP,Lender"), "line 5, column 1 (Actor)", "appears twice"),
    (GOOD.replace("BANK,Lender, 25,50,20.0,50,10.0,\n", ""), "line 5", "expected 3 actor lines"),
    (GOOD + "EXTRA,More,1,1,1,1,1,\n", "line 6", "more actor lines than the 3"),
    (GOOD.replace(",50,10.0,\n", ",\n"), "line 5", "expected 7 columns, got 5"),
]


@pytest.mark.parametrize(("text", "location", "reason"), BAD_CSV)
def test_bad_csv_names_the_line_and_column(tmp_path: Path, text: str, location: str, reason: str) -> None:
    path = written(tmp_path, text)
    with pytest.raises(ForecastDataError) as raised:
        read_ktab_csv(path)
    assert raised.value.source == str(path)
    assert raised.value.location == location
    assert reason in raised.value.reason
    assert str(raised.value).startswith(f"{path}: {location}: ")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ForecastDataError, match="no such file"):
        read_ktab_csv(tmp_path / "absent.csv")
    with pytest.raises(ForecastDataError, match="no such file"):
        read_ktab_xml(tmp_path / "absent.xml")


def test_a_file_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x81 not utf-8")
    with pytest.raises(ForecastDataError, match="not UTF-8 text"):
        read_ktab_csv(path)


BAD_XML = [
    ("<Scenario><name>S</name>", "line 1, column 25", "not well-formed XML"),
    ("<Other/>", "Other", "root element must be <Scenario>"),
    ("<Scenario><Actors/></Scenario>", "Scenario/Dimensions", "at least one <dName>"),
    (
        "<Scenario><Dimensions><dName>A</dName></Dimensions><Actors><Actor><name>P</name>"
        "<capability>x</capability></Actor><Actor/></Actors></Scenario>",
        "Scenario/Actors/Actor[1]/capability",
        "expected a number, got 'x'",
    ),
    (
        "<Scenario><Dimensions><dName>A</dName></Dimensions><Actors><Actor><name>P</name>"
        "<capability>3</capability><Position/><Salience><dSal>5</dSal></Salience></Actor><Actor/>"
        "</Actors></Scenario>",
        "Scenario/Actors/Actor[1]/Position",
        "expected 1 <dCoord>, got 0",
    ),
]


@pytest.mark.parametrize(("text", "location", "reason"), BAD_XML)
def test_bad_xml_names_the_element(tmp_path: Path, text: str, location: str, reason: str) -> None:
    path = written(tmp_path, text, "scenario.xml")
    with pytest.raises(ForecastDataError) as raised:
        read_ktab_xml(path)
    assert raised.value.location == location
    assert reason in raised.value.reason


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(",\n\"' 0123456789.-eAxn%")), max_size=200))
@example(GOOD)
@example(GOOD.replace("3,2,", "2,2,"))
def test_any_text_gives_a_table_or_a_forecast_data_error(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "scenario.csv"
    path.write_text(text, encoding="utf-8")
    try:
        table = read_ktab_csv(path)
    except ForecastDataError as error:
        assert error.source == str(path) and error.reason
    else:
        assert len(table.actors) >= 2 and np.all((table.salience >= 0) & (table.salience <= 1))


@settings(max_examples=100, deadline=None)
@given(st.integers(0, len(GOOD) - 1), st.sampled_from(["", ",", "\n", "x", "-1", '"', "999"]))
def test_mutated_good_files_never_raise_anything_else(
    tmp_path_factory: pytest.TempPathFactory, offset: int, insert: str
) -> None:
    path = tmp_path_factory.mktemp("mutated") / "scenario.csv"
    path.write_text(GOOD[:offset] + insert + GOOD[offset + 1 :], encoding="utf-8")
    try:
        read_ktab_csv(path)
    except ForecastDataError as error:
        assert error.location.startswith(("line", "column"))
