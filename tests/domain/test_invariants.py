"""Domain objects keep their own invariants: a broken one raises DomainError naming the field."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from accord.domain import (
    Agenda,
    Condition,
    Dimension,
    DiscreteIssue,
    IntegerIssue,
    Interaction,
    Option,
    Party,
    Preferences,
    RealIssue,
    RedLine,
    Role,
    Scenario,
    ValueFunction,
)
from accord.domain.invariants import MAX_ISSUE_SIZE
from accord.errors import AccordError, DomainError

VENUE = DiscreteIssue("venue", (Option("geneva"), Option("astana")))
AGENDA = Agenda((VENUE, IntegerIssue("rounds", 1, 3)))
PREFERENCES = Preferences({"venue": 1.0}, {"venue": {"geneva": 1.0, "astana": 0.0}})

BROKEN: list[tuple[str, Callable[[], object], tuple[str | int, ...], str]] = [
    ("option without a name", lambda: Option(""), ("name",), "needs a non-empty name"),
    ("issue without a name", lambda: DiscreteIssue("", (Option("a"),)), ("name",), "non-empty name"),
    ("discrete issue without options", lambda: DiscreteIssue("d", ()), ("options",), "at least one option"),
    (
        "repeated option",
        lambda: DiscreteIssue("d", (Option("a"), Option("b"), Option("a"))),
        ("options", 2, "name"),
        "option name 'a' is used twice",
    ),
    ("integer bounds reversed", lambda: IntegerIssue("n", 3, 1), ("high",), "high 1 is below low 3"),
    ("integer bound not whole", lambda: IntegerIssue("n", 1.5, 3), ("low",), "whole number"),  # type: ignore[arg-type]
    (
        "integer issue too large",
        lambda: IntegerIssue("n", 0, MAX_ISSUE_SIZE),
        ("high",),
        "at most 10,000,000 values",
    ),
    ("real step zero", lambda: RealIssue("r", 0.0, 1.0, 0.0), ("step",), "must be positive"),
    ("real step negative", lambda: RealIssue("r", 0.0, 1.0, -0.5), ("step",), "must be positive"),
    ("real bounds reversed", lambda: RealIssue("r", 1.0, 0.0, 0.1), ("high",), "below low"),
    ("real bound infinite", lambda: RealIssue("r", 0.0, math.inf, 0.1), ("high",), "finite"),
    ("real bound nan", lambda: RealIssue("r", math.nan, 1.0, 0.1), ("low",), "finite"),
    ("real issue too large", lambda: RealIssue("r", 0.0, 1.0, 1e-8), ("step",), "at most 10,000,000"),
    ("empty agenda", lambda: Agenda(()), ("issues",), "at least one issue"),
    (
        "repeated issue",
        lambda: Agenda((VENUE, IntegerIssue("rounds", 1, 2), IntegerIssue("venue", 1, 2))),
        ("issues", 2, "name"),
        "issue name 'venue' is used twice",
    ),
    ("value function without points", lambda: ValueFunction(()), ("points",), "at least one point"),
    (
        "value function with repeated x",
        lambda: ValueFunction(((0.0, 0.0), (1.0, 0.5), (1.0, 1.0))),
        ("points", 2),
        "strictly increasing x",
    ),
    (
        "value function with unsorted x",
        lambda: ValueFunction(((1.0, 0.0), (0.0, 1.0))),
        ("points", 1),
        "strictly increasing x",
    ),
    ("value function not finite", lambda: ValueFunction(((0.0, math.nan),)), ("points", 0, 1), "finite"),
    ("condition on nothing", lambda: Condition("venue"), (), "needs options, at_least or at_most"),
    ("condition without an issue", lambda: Condition("", ("geneva",)), ("issue",), "non-empty name"),
    ("condition bound nan", lambda: Condition("rounds", at_least=math.nan), ("at_least",), "nan"),
    ("red line without conditions", lambda: RedLine(()), ("conditions",), "at least one condition"),
    ("interaction without conditions", lambda: Interaction((), 0.1), ("conditions",), "at least one"),
    (
        "interaction value infinite",
        lambda: Interaction((Condition("venue", ("geneva",)),), math.inf),
        ("value",),
        "finite",
    ),
    ("negative weight", lambda: Preferences({"venue": -0.1, "rounds": 1.0}), ("weights", "venue"), "≥ 0"),
    ("weight nan", lambda: Preferences({"venue": math.nan}), ("weights", "venue"), "finite"),
    ("weights summing to zero", lambda: Preferences({"venue": 0.0}), ("weights",), "sum to a positive"),
    ("no weights", lambda: Preferences({}), ("weights",), "sum to a positive"),
    (
        "option value above one",
        lambda: Preferences({"venue": 1.0}, {"venue": {"geneva": 1.5}}),
        ("option_values", "venue", "geneva"),
        "must lie in [0, 1], got 1.5",
    ),
    (
        "option value negative",
        lambda: Preferences({"venue": 1.0}, {"venue": {"geneva": -0.5}}),
        ("option_values", "venue", "geneva"),
        "[0, 1]",
    ),
    (
        "reservation above one",
        lambda: Preferences({"venue": 1.0}, reservation=1.5),
        ("reservation",),
        "[0, 1]",
    ),
    (
        "reservation negative",
        lambda: Preferences({"venue": 1.0}, reservation=-0.1),
        ("reservation",),
        "[0, 1]",
    ),
    ("discount zero", lambda: Preferences({"venue": 1.0}, discount=0.0), ("discount",), "(0, 1]"),
    ("discount above one", lambda: Preferences({"venue": 1.0}, discount=1.1), ("discount",), "(0, 1]"),
    ("party without a name", lambda: Party(""), ("name",), "non-empty name"),
    ("party role as text", lambda: Party("a", role="mediator"), ("role",), "expected a Role"),  # type: ignore[arg-type]
    ("negative capability", lambda: Party("a", capability=-1.0), ("capability",), "≥ 0"),
    ("position infinite", lambda: Party("a", positions={"d": math.inf}), ("positions", "d"), "finite"),
    ("salience above 100", lambda: Party("a", salience={"d": 120.0}), ("salience", "d"), "[0, 100]"),
    ("dimension without a name", lambda: Dimension(""), ("name",), "non-empty name"),
    ("dimension empty", lambda: Dimension("d", low=5.0, high=5.0), ("high",), "not above low"),
    (
        "scenario without a name",
        lambda: Scenario("", AGENDA, (Party("a", preferences=PREFERENCES),)),
        ("name",),
        "",
    ),
    (
        "repeated party",
        lambda: Scenario("s", AGENDA, (Party("a"), Party("b"), Party("a"))),
        ("parties", 2, "name"),
        "party name 'a' is used twice",
    ),
    (
        "two mediators",
        lambda: Scenario("s", AGENDA, (Party("m", role=Role.MEDIATOR), Party("n", role=Role.MEDIATOR))),
        ("parties", 1, "role"),
        "at most one party may be the mediator",
    ),
    (
        "weight on no issue",
        lambda: Scenario("s", AGENDA, (Party("a", preferences=Preferences({"venu": 1.0})),)),
        ("parties", 0, "preferences", "weights", "venu"),
        "no issue named 'venu'",
    ),
    (
        "value of no option",
        lambda: Scenario(
            "s", AGENDA, (Party("a", preferences=Preferences({"venue": 1.0}, {"venue": {"paris": 1.0}})),)
        ),
        ("parties", 0, "preferences", "option_values", "venue", "paris"),
        "no option 'paris' in issue 'venue'",
    ),
    (
        "option values on a numeric issue",
        lambda: Scenario(
            "s", AGENDA, (Party("a", preferences=Preferences({"rounds": 1.0}, {"rounds": {"1": 1.0}})),)
        ),
        ("parties", 0, "preferences", "option_values", "rounds"),
        "a numeric issue needs a value function",
    ),
    (
        "value function on a discrete issue",
        lambda: Scenario(
            "s",
            AGENDA,
            (
                Party(
                    "a",
                    preferences=Preferences(
                        {"venue": 1.0}, value_functions={"venue": ValueFunction(((0, 1),))}
                    ),
                ),
            ),
        ),
        ("parties", 0, "preferences", "value_functions", "venue"),
        "a value function needs a numeric issue",
    ),
    (
        "red line on no issue",
        lambda: Scenario(
            "s",
            AGENDA,
            (
                Party(
                    "a",
                    preferences=Preferences(
                        {"venue": 1.0}, red_lines=(RedLine((Condition("seat", ("x",)),)),)
                    ),
                ),
            ),
        ),
        ("parties", 0, "preferences", "red_lines", 0, "conditions", "seat"),
        "no issue named 'seat'",
    ),
    (
        "interaction on no value",
        lambda: Scenario(
            "s",
            AGENDA,
            (
                Party("a", preferences=PREFERENCES),
                Party(
                    "b",
                    preferences=Preferences(
                        {"venue": 1.0}, interactions=(Interaction((Condition("rounds", (7,)),), 0.1),)
                    ),
                ),
            ),
        ),
        ("parties", 1, "preferences", "interactions", 0, "conditions", "rounds"),
        "7 is not a value of issue 'rounds'",
    ),
    (
        "position on no dimension",
        lambda: Scenario("s", AGENDA, (Party("a", positions={"scale": 1.0}),)),
        ("parties", 0, "positions", "scale"),
        "no dimension named 'scale'",
    ),
    (
        "repeated dimension",
        lambda: Scenario("s", AGENDA, (Party("a"),), dimensions=(Dimension("d"), Dimension("d"))),
        ("dimensions", 1, "name"),
        "dimension name 'd' is used twice",
    ),
]


@pytest.mark.parametrize(
    ("build", "field", "reason"), [case[1:] for case in BROKEN], ids=[c[0] for c in BROKEN]
)
def test_each_invariant_is_kept_by_the_constructor(
    build: Callable[[], object], field: tuple[str | int, ...], reason: str
) -> None:
    with pytest.raises(DomainError) as caught:
        build()
    assert caught.value.field == field
    assert reason in caught.value.reason
    assert "\n" not in str(caught.value)


def test_domain_errors_are_accord_errors_and_value_errors() -> None:
    with pytest.raises(ValueError, match=r"^IntegerIssue 'n': high: high 1 is below low 3$"):
        IntegerIssue("n", 3, 1)
    assert issubclass(DomainError, AccordError) and DomainError.exit_code == 2


def test_edges_of_each_invariant_are_allowed() -> None:
    assert IntegerIssue("n", 2, 2).size == 1
    assert IntegerIssue("n", 0, MAX_ISSUE_SIZE - 1).size == MAX_ISSUE_SIZE
    assert RealIssue("r", 2.0, 2.0, 1.0).values == (2.0,)
    assert ValueFunction(((0.0, 2.0),)).value_at(5.0) == 1.0  # one point; values are clamped, not refused
    preferences = Preferences({"venue": 0.0, "rounds": 1.0}, reservation=1.0, discount=1.0)
    assert preferences.reservation == 1.0
    assert Party("a", capability=0.0, salience={"d": 100.0}).capability == 0.0
    assert Condition("rounds", at_most=math.inf).holds(3)
