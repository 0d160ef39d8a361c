"""Party and seat names as people type them: any case, slug, initials or an unambiguous start.

One resolver (:func:`accord.domain.names.resolve_name`) serves ``--parties`` and ``--agents`` of
every command and the room's seats; anything else gets "did you mean".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.cli import main
from accord.domain.names import initials, resolve_name, resolve_names, slug
from accord.errors import ArgumentError

GENEVA = str(Path(__file__).resolve().parents[1] / "examples" / "geneva-2017.yaml")
DELEGATIONS = ("Government", "High Negotiations Committee", "Moscow platform", "Cairo platform")


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Government", "Government"),
        ("GOVERNMENT", "Government"),
        ("high-negotiations-committee", "High Negotiations Committee"),
        ("hnc", "High Negotiations Committee"),
        ("HNC", "High Negotiations Committee"),
        ("gov", "Government"),
        ("mosc", "Moscow platform"),
        ("cairo-pl", "Cairo platform"),
        ("  cairo platform ", "Cairo platform"),
    ],
)
def test_typed_names_find_their_delegation(typed: str, name: str) -> None:
    assert resolve_name(typed, DELEGATIONS, what="delegation", argument="parties") == name


def test_an_exact_name_wins_over_a_longer_one_it_starts() -> None:
    assert resolve_name("North", ("North", "North Sea"), what="seat", argument="agents") == "North"


def test_an_ambiguous_start_names_the_candidates() -> None:
    with pytest.raises(ArgumentError) as refused:
        resolve_name("North", ("North Sea", "North Shore"), what="seat", argument="agents")
    assert refused.value.argument == "agents"
    assert (
        refused.value.reason
        == "'North' could be the seat 'North Sea' or 'North Shore': write more of the name"
    )


def test_an_unknown_name_suggests_the_closest() -> None:
    with pytest.raises(ArgumentError) as refused:
        resolve_name("Goverment", DELEGATIONS, what="delegation", argument="parties")
    assert refused.value.reason == (
        "no delegation 'Goverment'; did you mean 'Government'? "
        "(known: Government, High Negotiations Committee, Moscow platform, Cairo platform)"
    )
    with pytest.raises(ArgumentError, match=r"^parties: no delegation 'xyz' \(known: "):
        resolve_name("xyz", DELEGATIONS, what="delegation", argument="parties")


def test_naming_one_delegation_twice_is_refused() -> None:
    with pytest.raises(ArgumentError, match="the delegation 'Government' is named twice"):
        resolve_names(["gov", "Government"], DELEGATIONS, what="delegation", argument="parties")


@given(
    st.lists(
        st.text(min_size=1, max_size=12).filter(lambda name: name == name.strip()),
        min_size=1,
        max_size=6,
        unique=True,
    ),
    st.text(max_size=12),
)
def test_every_name_finds_itself_and_anything_typed_finds_a_name_or_is_refused(
    names: list[str], typed: str
) -> None:
    for name in names:
        assert resolve_name(name, names, what="seat", argument="agents") == name
    try:
        found = resolve_name(typed, names, what="seat", argument="agents")
    except ArgumentError as refused:
        assert refused.argument == "agents"
        return
    assert found in names
    assert (
        found == typed.strip()
        or typed.strip().casefold() in (found.casefold(), slug(found), initials(found))
        or found.casefold().startswith(typed.strip().casefold())
        or slug(found).startswith(slug(typed))
        or f"-{slug(typed)}" in f"-{slug(found)}"  # words of it, from the start of one
    )


def test_analyze_takes_government_and_hnc(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", GENEVA, "--parties", "government,hnc", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["parties"] == ["Government", "High Negotiations Committee"]


def test_analyze_refuses_an_unknown_party_with_a_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", GENEVA, "--parties", "government,hcn"]) == 2
    assert capsys.readouterr().err.startswith(
        "accord: error: --parties: no delegation 'hcn'; did you mean 'High Negotiations Committee'?"
    )


def test_run_takes_seat_names_as_typed(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["run", GENEVA, "--protocol", "one-text", "--rounds", "3", "--json"]
    assert main([*argv, "--agents", "government=boulware,hnc=conceder,cairo=linear"]) == 0
    agents = json.loads(capsys.readouterr().out)["agents"]
    assert agents["Government"] == "boulware-v1" and agents["High Negotiations Committee"] == "conceder-v1"
    assert agents["Cairo platform"] == "linear-v1"


def test_the_room_takes_seat_names_as_typed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["room", "create", GENEVA, "--protocol", "one-text", "--json", "--agents"]
    assert main([*argv, "un=drafter,cairo-platform=boulware"]) == 0
    seats = json.loads(capsys.readouterr().out)["seats"]
    assert (
        seats["UN Special Envoy"]["agent"] == "drafter-v1"
        and seats["Cairo platform"]["agent"] == "boulware-v1"
    )
    assert main([*argv, "cairo=boulware,Cairo platform=linear"]) == 2
    assert capsys.readouterr().err == "accord: error: --agents: the seat 'Cairo platform' is named twice\n"
    assert main([*argv, "platform=boulware"]) == 2
    assert capsys.readouterr().err == (
        "accord: error: --agents: 'platform' could be the seat 'Moscow platform' or 'Cairo platform': "
        "write more of the name\n"
    )
    assert main([*argv, "latform=boulware"]) == 2
    assert capsys.readouterr().err.startswith("accord: error: --agents: no seat 'latform'")


def test_a_word_inside_a_name_finds_it_when_only_one_name_has_it() -> None:
    seats = ("UN Special Envoy", *DELEGATIONS)
    assert resolve_name("envoy", seats, what="seat", argument="seat") == "UN Special Envoy"
    assert resolve_name("special envoy", seats, what="seat", argument="seat") == "UN Special Envoy"
    assert resolve_name("committee", seats, what="seat", argument="seat") == "High Negotiations Committee"
    with pytest.raises(ArgumentError) as refused:
        resolve_name("platform", seats, what="seat", argument="seat")
    assert "could be the seat 'Moscow platform' or 'Cairo platform'" in refused.value.reason
    with pytest.raises(ArgumentError):  # inside a word is not the start of one
        resolve_name("voy", seats, what="seat", argument="seat")
