"""Import classic Genius XML scenarios: a domain template and one utility space per party.

Utilities equal what Genius computes:

* a discrete issue's value is the item's ``evaluation`` divided by the issue's
  highest evaluation; weights are kept as written and the total is capped at 1;
* an integer issue's value is ``offset + slope × (x − lowerbound)``, a real
  issue's ``parameter0 + parameter1 × x`` (``ftype="linear"``) or ``parameter0``
  (``"constant"``), clamped to [0, 1];
* a discount factor ≤ 0 or > 1 means no discount; a missing reservation value means 0;
* a ``nonlinear`` space of hyper-rectangles (``<INCLUDES index min max>``) becomes
  :attr:`~accord.domain.Preferences.interactions`: each rectangle adds
  ``ufun weight × utility / maxutility`` when the outcome lies inside it. The
  additive part is empty (each issue weighs ``1/n`` and is worth nothing, since
  the scenario format asks for positive weights).

A real issue becomes a :class:`~accord.domain.RealIssue` of ``real_values``
evenly spaced values, both bounds included (21 by default: Genius's own
discretisation for analysis). An ``UNCERTAIN`` profile is read as the utility
space it holds (the true preferences Genius derives an agent's uncertain view from).

Genius matches a profile's issues and weights to the domain by their ``index``
attribute; so does this importer. Every problem becomes one
:class:`~accord.errors.ScenarioError` naming the file, the line and element, and
what was expected. XML with a document type declaration (entities) is refused.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from accord.domain import (
    Agenda,
    Condition,
    DiscreteIssue,
    IntegerIssue,
    Interaction,
    Issue,
    Option,
    Party,
    Preferences,
    RealIssue,
    Scenario,
    ValueFunction,
)
from accord.errors import ArgumentError, DomainError, ScenarioError
from accord.io.genius_xml import XmlElement, parse_genius_xml, party_names, read_file_bytes

__all__ = ["import_genius"]


def _number(source: str, element: XmlElement, attribute: str, default: float | None = None) -> float:
    text = element.attributes.get(attribute)
    if text is None:
        if default is not None:
            return default
        raise ScenarioError(source, element.where, f"expected a {attribute!r} attribute")
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ScenarioError(source, element.where, f"{attribute}={text!r}: expected a finite number")
    return value


def _integer(source: str, element: XmlElement, attribute: str) -> int:
    value = _number(source, element, attribute)
    if value != int(value):
        raise ScenarioError(source, element.where, f"{attribute}={value!r}: expected an integer")
    return int(value)


def _bounds(source: str, element: XmlElement) -> tuple[float, float] | None:
    """``lowerbound``/``upperbound`` from the element or its ``<range>`` child, if given."""
    holder = element if "lowerbound" in element.attributes else next(iter(element.named("range")), None)
    if holder is None:
        return None
    return _number(source, holder, "lowerbound"), _number(source, holder, "upperbound")


def _issue_type(element: XmlElement) -> str:
    for attribute in ("type", "vtype", "etype"):
        if attribute in element.attributes:
            return element.attributes[attribute].lower()
    return "discrete"


def _objective(source: str, root: XmlElement) -> XmlElement:
    objective = root.first("objective")
    if objective is None:
        raise ScenarioError(source, root.where, "expected an <objective> element holding the issues")
    return objective


@contextmanager
def _reported_at(source: str, element: XmlElement, parts: Sequence[XmlElement] = ()) -> Iterator[None]:
    """Report a :class:`DomainError` raised inside at ``element``, or at ``parts[i]`` when its
    field is ``(name, i, …)`` (an issue's ``options[i]`` is its ``i``-th ``<item>``)."""
    try:
        yield
    except DomainError as error:
        position = error.field[1] if len(error.field) > 1 else None
        place = parts[position] if isinstance(position, int) and position < len(parts) else element
        raise ScenarioError(source, place.where, error.reason) from None


def _domain_issue(source: str, element: XmlElement, real_values: int) -> Issue:
    name = element.attributes.get("name", "")
    kind = _issue_type(element)
    if kind == "discrete":
        items = element.named("item")
        options = []
        for item in items:
            with _reported_at(source, item):
                options.append(Option(item.attributes.get("value", "")))
        with _reported_at(source, element, items):
            return DiscreteIssue(name, tuple(options))
    if kind not in ("integer", "real"):
        raise ScenarioError(source, element.where, f"issue type {kind!r}: expected discrete, integer or real")
    bounds = _bounds(source, element)
    if bounds is None:
        raise ScenarioError(source, element.where, f"a {kind} issue needs lowerbound and upperbound")
    low, high = bounds
    if kind == "integer" and (low != int(low) or high != int(high)):
        raise ScenarioError(source, element.where, "an integer issue needs integer bounds")
    with _reported_at(source, element):
        if kind == "integer":
            return IntegerIssue(name, int(low), int(high))
        return RealIssue(name, low, high, (high - low) / (real_values - 1) if high > low else 1.0)


def _preference_marks(root: XmlElement) -> XmlElement | None:
    """The first element that only a linear profile holds (a weight, an evaluator, an item's
    evaluation), or ``None`` for a domain."""
    for tag in ("weight", "evaluator"):
        found = next(root.descendants(tag), None)
        if found is not None:
            return found
    return next((item for item in root.descendants("item") if "evaluation" in item.attributes), None)


def _domain(source: str, root: XmlElement, real_values: int) -> dict[int, Issue]:
    """Issues by their Genius ``index``, in file order."""
    mark = _preference_marks(root)
    if mark is not None:
        raise ScenarioError(
            source,
            "",
            "this is a party's profile (it holds weights or evaluations), not the domain: "
            "give the domain file first, then one profile per party",
        )
    issues: dict[int, Issue] = {}
    elements = list(_objective(source, root).descendants("issue"))
    for position, element in enumerate(elements, start=1):
        index = _integer(source, element, "index") if "index" in element.attributes else position
        if index in issues:
            raise ScenarioError(source, element.where, f"issue index {index} is repeated")
        issues[index] = _domain_issue(source, element, real_values)
    with _reported_at(source, root, elements):
        Agenda(tuple(issues.values()))  # the agenda's invariants: some issue, names unique
    return issues


def _profile_issue(source: str, element: XmlElement, issues: dict[int, Issue], position: int) -> Issue:
    """The domain issue a profile's ``<issue>`` element describes (by index, else by name)."""
    name = element.attributes.get("name", "")
    if "index" in element.attributes:
        index = _integer(source, element, "index")
        if index not in issues:
            raise ScenarioError(source, element.where, f"index {index}: the domain has no issue with it")
        issue = issues[index]
        if name and name != issue.name:
            raise ScenarioError(
                source, element.where, f"index {index} is issue {issue.name!r} in the domain, not {name!r}"
            )
        return issue
    for issue in issues.values():
        if issue.name == name:
            return issue
    raise ScenarioError(source, element.where, f"the domain has no issue {name!r} (position {position})")


def _discrete_values(source: str, element: XmlElement, issue: DiscreteIssue) -> dict[str, float]:
    evaluations: dict[str, float] = {}
    known = set(issue.values)
    for item in element.named("item"):
        value = item.attributes.get("value", "")
        if value not in known:
            raise ScenarioError(source, item.where, f"{value!r} is not an item of issue {issue.name!r}")
        if "evaluation" not in item.attributes:
            raise ScenarioError(
                source,
                item.where,
                f"item {value!r} of issue {issue.name!r} has no evaluation (expected a number ≥ 0)",
            )
        evaluation = _number(source, item, "evaluation")
        if evaluation < 0:
            raise ScenarioError(source, item.where, f"evaluation {evaluation}: expected a number ≥ 0")
        evaluations[value] = evaluation
    highest = max(evaluations.values(), default=0.0)
    return {
        value: (evaluation / highest if highest > 0 else 0.0) for value, evaluation in evaluations.items()
    }


def _value_function(source: str, element: XmlElement, issue: IntegerIssue | RealIssue) -> ValueFunction:
    evaluator = next(iter(element.named("evaluator")), None)
    low, high = float(issue.low), float(issue.high)
    if isinstance(issue, IntegerIssue):
        given = _bounds(source, element)
        origin = given[0] if given is not None else low
        slope = 0.0 if evaluator is None else _number(source, evaluator, "slope")
        offset = 0.0 if evaluator is None else _number(source, evaluator, "offset")
        at_low, at_high = offset + slope * (low - origin), offset + slope * (high - origin)
    else:
        if evaluator is None:
            raise ScenarioError(source, element.where, "a real issue needs an <evaluator>")
        kind = evaluator.attributes.get("ftype", "linear").lower()
        offset = _number(source, evaluator, "parameter0")
        if kind == "linear":
            slope = _number(source, evaluator, "parameter1")
            at_low, at_high = offset + slope * low, offset + slope * high
        elif kind == "constant":
            at_low = at_high = offset
        else:
            raise ScenarioError(source, evaluator.where, f"ftype {kind!r}: expected linear or constant")
    if high <= low:
        return ValueFunction(((low, at_low), (low + 1.0, at_low)))
    return ValueFunction(((low, at_low), (high, at_high)))


def _weights(
    source: str,
    objective: XmlElement,
    issues: dict[int, Issue],
    places: dict[tuple[str | int, ...], XmlElement],
) -> dict[str, float]:
    """Each issue's weight (0 when not given); ``places`` learns each weight's element."""
    weights = {issue.name: 0.0 for issue in issues.values()}
    for element in objective.descendants("weight"):
        index = _integer(source, element, "index")
        if index not in issues:
            raise ScenarioError(source, element.where, f"index {index}: the domain has no issue with it")
        places["weights", issues[index].name] = element
        weights[issues[index].name] = _number(source, element, "value")
    return weights


def _interactions(source: str, space: XmlElement, issues: dict[int, Issue]) -> tuple[Interaction, ...]:
    utility = space.first("utility")
    if utility is None:
        raise ScenarioError(source, space.where, "a nonlinear profile needs a <utility> element")
    highest = _number(source, utility, "maxutility")
    if highest <= 0:
        raise ScenarioError(source, utility.where, "maxutility: expected a number > 0")
    interactions: list[Interaction] = []
    for function in utility.children:
        if function.tag != "ufun" or function.attributes.get("aggregation", "sum") != "sum":
            raise ScenarioError(
                source, function.where, "nonlinear profiles are supported only as <ufun aggregation='sum'>"
            )
        scale = _number(source, function, "weight", default=1.0) / highest
        for rectangle in function.children:
            if rectangle.tag != "hyperRectangle" or not rectangle.children:
                raise ScenarioError(source, rectangle.where, "expected a <hyperRectangle> with <INCLUDES>")
            conditions: list[Condition] = []
            for bound in rectangle.children:
                if bound.tag != "INCLUDES":
                    raise ScenarioError(source, bound.where, "only <INCLUDES> constraints are supported")
                index = _integer(source, bound, "index")
                issue = issues.get(index)
                if not isinstance(issue, IntegerIssue | RealIssue):
                    raise ScenarioError(source, bound.where, f"index {index}: expected a numeric issue")
                low, high = _number(source, bound, "min"), _number(source, bound, "max")
                conditions.append(Condition(issue.name, at_least=low, at_most=high))
            interactions.append(Interaction(tuple(conditions), scale * _number(source, rectangle, "utility")))
    return tuple(interactions)


def _profile(source: str, root: XmlElement, issues: dict[int, Issue]) -> Preferences:
    space = root.first("utility_space")
    if space is None:
        raise ScenarioError(source, root.where, "expected a <utility_space> element")
    reservation_element = next(space.descendants("reservation"), None)
    reservation = 0.0 if reservation_element is None else _number(source, reservation_element, "value")
    discount_element = next(space.descendants("discount_factor"), None)
    discount = None if discount_element is None else _number(source, discount_element, "value")
    if discount is not None and not 0 < discount <= 1:
        discount = None
    # Where a Preferences field came from, to report its DomainError there.
    places: dict[tuple[str | int, ...], XmlElement] = {}
    if reservation_element is not None:
        places["reservation",] = reservation_element
    try:
        if space.attributes.get("type", "").lower() == "nonlinear":
            return Preferences(
                weights={issue.name: 1.0 / len(issues) for issue in issues.values()},
                reservation=reservation,
                discount=discount,
                interactions=_interactions(source, space, issues),
            )
        objective = _objective(source, space)
        if _preference_marks(space) is None:
            raise ScenarioError(
                source,
                "",
                "this is a domain (it holds no weights and no evaluations), not a party's profile: "
                "give the domain file first, then one profile per party",
            )
        places["weights",] = objective
        option_values: dict[str, dict[str, float]] = {}
        value_functions: dict[str, ValueFunction] = {}
        for position, element in enumerate(objective.descendants("issue"), start=1):
            issue = _profile_issue(source, element, issues, position)
            if isinstance(issue, DiscreteIssue):
                option_values[issue.name] = _discrete_values(source, element, issue)
            else:
                value_functions[issue.name] = _value_function(source, element, issue)
        weights = _weights(source, objective, issues, places)
        return Preferences(
            weights=weights,
            option_values=option_values,
            value_functions=value_functions,
            reservation=reservation,
            discount=discount,
        )
    except DomainError as error:
        raise ScenarioError(source, places.get(error.field, space).where, error.reason) from None


def import_genius(
    domain_path: str | Path, profile_paths: Sequence[str | Path], *, real_values: int = 21
) -> Scenario:
    """Build a scenario from a Genius domain file and one profile per party.

    Parties are named after the profile files' stems and keep the order given.
    Raises :class:`~accord.errors.ScenarioError` naming the file and line of any problem.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "domain.xml").write_text(
    ...     '<utility_space><objective name="d"><issue index="1" name="fee" type="discrete">'
    ...     '<item value="low"/><item value="high"/></issue></objective></utility_space>')
    >>> _ = (folder / "buyer.xml").write_text(
    ...     '<utility_space><objective><issue index="1" name="fee"><item value="low" evaluation="4"/>'
    ...     '<item value="high" evaluation="1"/></issue><weight index="1" value="1"/></objective>'
    ...     '<reservation value="0.3"/></utility_space>')
    >>> scenario = import_genius(folder / "domain.xml", [folder / "buyer.xml"])
    >>> preferences = scenario.preferences_of("buyer")
    >>> dict(preferences.option_values["fee"]), preferences.reservation
    ({'low': 1.0, 'high': 0.25}, 0.3)
    """
    if real_values < 2:
        raise ArgumentError("real_values", f"must be at least 2, got {real_values}")
    domain_path = Path(domain_path)
    paths = [Path(path) for path in profile_paths]
    if not paths:
        raise ArgumentError("profiles", "expected at least one profile file")
    domain_source = str(domain_path)
    issues = _domain(
        domain_source, parse_genius_xml(read_file_bytes(domain_path), domain_source), real_values
    )
    parties = []
    for name, path in zip(party_names(paths), paths, strict=True):
        source = str(path)
        preferences = _profile(source, parse_genius_xml(read_file_bytes(path), source), issues)
        parties.append(Party(name, preferences=preferences))
    return Scenario(domain_path.stem, Agenda(tuple(issues.values())), tuple(parties))
