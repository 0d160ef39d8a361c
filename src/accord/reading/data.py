"""YAML and JSON data from a user's file, within bounds, with every place locatable.

:func:`load_data` refuses, each as one error naming the place: more than
:data:`MAX_DATA_NODES` values (YAML aliases counted as what they expand to, so an
alias bomb is refused before anything walks it); nesting deeper than
:data:`MAX_DATA_DEPTH`; a key repeated in one mapping (never "the last one wins");
NaN, infinities, and numbers too large for a float (``1e400``, integers of
hundreds of digits). JSON is read by the ``json`` module (fast), YAML by PyYAML's
LibYAML parser when it is installed.

>>> load_data('{"a": 1, "a": 2}', "talks.json").data
Traceback (most recent call last):
...
accord.errors.InputError: talks.json: line 1: a: the key 'a' is repeated
>>> load_data("weights:\\n  price: .nan\\n", "talks.yaml").data
Traceback (most recent call last):
...
accord.errors.InputError: talks.yaml: line 2: weights.price: must be a finite number, got nan
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from accord.errors import InputError
from accord.reading.text import quoted

__all__ = ["MAX_DATA_DEPTH", "MAX_DATA_NODES", "Document", "field_path", "load_data"]

#: Most values (mappings, lists and scalars, YAML aliases expanded) in one file.
MAX_DATA_NODES = 2_000_000
#: Deepest nesting of mappings and lists.
MAX_DATA_DEPTH = 100
#: Longest integer accepted, in digits (a float holds at most 309).
MAX_INTEGER_DIGITS = 309
#: JSON files up to this size get line numbers in errors (found by composing them as YAML).
_LOCATE_JSON_BYTES = 4 * 1024 * 1024

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Oversized:
    """A number too large for a float, kept as its text until its place is known."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        digits = sum(character.isdigit() for character in self.text)
        return f"a number of {digits:,} digits" if digits > 60 else self.text


class _Repeated(dict[str, Any]):
    """A JSON object in which ``key`` was repeated."""

    key: str = ""


class _Loader(_BaseLoader):  # type: ignore[misc]
    """PyYAML's safe loader whose integers are checked for size before conversion."""


def _construct_integer(loader: Any, node: yaml.ScalarNode) -> object:
    text = str(node.value)
    if sum(character.isdigit() for character in text) > MAX_INTEGER_DIGITS:
        return _Oversized(text)
    return yaml.SafeLoader.construct_yaml_int(loader, node)


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_integer)


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> object:
    """A date or time; one that only looks like one (month 13) is an error at its node."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as failure:
        problem = f"{node.value!r} is not a date: {failure}"
        raise yaml.constructor.ConstructorError(None, None, problem, node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def field_path(location: Sequence[int | str]) -> str:
    """``parties[1].preferences.weights`` for ``("parties", 1, "preferences", "weights")``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


@dataclass(frozen=True, slots=True)
class Document:
    """Data read from a file, and the YAML node tree that locates its values by line (if any)."""

    data: Any
    source: str
    tree: yaml.Node | None

    def line_of(self, location: Sequence[int | str]) -> int | None:
        """The 1-based line of the value at ``location`` (the deepest part found)."""
        node = self.tree
        line = None if node is None else node.start_mark.line + 1
        for part in location:
            if isinstance(node, yaml.MappingNode):
                node = next((value for key, value in node.value if key.value == part), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                node = node.value[part]
            else:
                node = None
            if node is None:
                break
            line = node.start_mark.line + 1
        return line

    def where(self, location: Sequence[int | str]) -> str:
        """``line N: path`` for error messages (``path`` alone when the line is unknown)."""
        line = self.line_of(location)
        path = field_path(location)
        return ": ".join(part for part in (f"line {line}" if line is not None else "", path) if part)


def load_data(
    text: str, source: str, *, error: type[InputError] = InputError, json_only: bool = False
) -> Document:
    """Parse YAML or JSON text (JSON when it starts with ``{`` or ``[`` and parses as JSON);
    with ``json_only``, JSON alone."""
    stripped = text.lstrip()
    if json_only or stripped[:1] in ("{", "["):
        try:
            data = json.loads(
                text,
                object_pairs_hook=_json_object,
                parse_int=_json_integer,
                parse_float=_json_float,
                parse_constant=float,
            )
        except json.JSONDecodeError as failure:
            if json_only:
                where = f"line {failure.lineno}, column {failure.colno}"
                raise error(source, where, f"not valid JSON: {failure.msg}") from None
            # YAML's flow style, or broken: YAML says which
        except RecursionError:
            raise error(source, "", f"nested more than {MAX_DATA_DEPTH} deep") from None
        else:
            tree = _compose(text, source, error) if len(text) <= _LOCATE_JSON_BYTES else None
            document = Document(data, source, tree)
            _check_values(document, error)
            return document
    tree = _compose(text, source, error)
    _check_tree(tree, source, error)
    try:
        data = _Loader("").construct_document(tree) if tree is not None else None
    except yaml.YAMLError as failure:
        raise _syntax_error(source, failure, error) from None
    except (RecursionError, ValueError, OverflowError) as failure:
        raise error(source, "", f"not valid YAML or JSON: {failure}") from None
    document = Document(data, source, tree)
    _check_values(document, error)
    return document


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            repeated = _Repeated(result)
            repeated.key = key
            return repeated
        result[key] = value
    return result


def _json_integer(text: str) -> object:
    return _Oversized(text) if len(text.lstrip("-")) > MAX_INTEGER_DIGITS else int(text)


def _json_float(text: str) -> object:
    value = float(text)
    return value if math.isfinite(value) else _Oversized(text)


def _syntax_error(source: str, failure: yaml.YAMLError, error: type[InputError]) -> InputError:
    mark = getattr(failure, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    problem = getattr(failure, "problem", None) or failure
    return error(source, where, f"not valid YAML or JSON: {problem}")


def _compose(text: str, source: str, error: type[InputError]) -> yaml.Node | None:
    """The YAML node tree, after a streaming pass has bounded its size and depth."""
    try:
        depth = 0
        for events, event in enumerate(yaml.parse(text, Loader=_Loader), start=1):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DATA_DEPTH:
                    where = f"line {event.start_mark.line + 1}" if event.start_mark else ""
                    raise error(source, where, f"nested more than {MAX_DATA_DEPTH} deep")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if events > 2 * MAX_DATA_NODES:
                raise error(source, "", f"holds more than {MAX_DATA_NODES:,} values")
        tree: yaml.Node | None = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as failure:
        raise _syntax_error(source, failure, error) from None
    except (RecursionError, ValueError) as failure:
        raise error(source, "", f"not valid YAML or JSON: {failure}") from None
    return tree


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield key
            yield value
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


def _check_tree(tree: yaml.Node | None, source: str, error: type[InputError]) -> None:
    """Repeated keys, and the size the tree expands to with its aliases (each node once)."""
    if tree is None:
        return
    sizes: dict[int, int] = {}
    entered: set[int] = set()
    pending: list[tuple[yaml.Node, bool]] = [(tree, False)]
    while pending:
        node, expanded = pending.pop()
        if id(node) in sizes:
            continue
        if not expanded:
            if id(node) in entered:
                where = f"line {node.start_mark.line + 1}"
                raise error(source, where, "a YAML alias refers to a value that contains it")
            entered.add(id(node))
            pending.append((node, True))
            pending.extend((child, False) for child in _children(node) if id(child) not in sizes)
            if isinstance(node, yaml.MappingNode):
                _check_keys(node, source, error)
            continue
        size = 1 + sum(sizes.get(id(child), 1) for child in _children(node))
        if size > MAX_DATA_NODES:
            where = f"line {node.start_mark.line + 1}"
            raise error(source, where, f"expands to more than {MAX_DATA_NODES:,} values (YAML aliases)")
        sizes[id(node)] = size


def _check_keys(node: yaml.MappingNode, source: str, error: type[InputError]) -> None:
    seen: set[object] = set()
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode):
            continue
        if key.value in seen:
            where = f"line {key.start_mark.line + 1}"
            raise error(source, where, f"the key {quoted(key.value)} is repeated")
        seen.add(key.value)


def _check_values(document: Document, error: type[InputError]) -> None:
    """Every number finite and float-sized, no key repeated; the error names the value's place."""
    pending: list[tuple[Any, tuple[int | str, ...]]] = [(document.data, ())]
    seen: set[int] = set()
    while pending:
        value, location = pending.pop()
        if isinstance(value, dict | list):
            if id(value) in seen:
                continue
            seen.add(id(value))
        if isinstance(value, _Repeated):
            place = (*location, value.key)
            raise error(document.source, document.where(place), f"the key {quoted(value.key)} is repeated")
        if isinstance(value, dict):
            pending.extend((item, (*location, str(key))) for key, item in value.items())
        elif isinstance(value, list):
            pending.extend((item, (*location, index)) for index, item in enumerate(value))
        elif isinstance(value, _Oversized) or (isinstance(value, float) and not math.isfinite(value)):
            raise error(document.source, document.where(location), f"must be a finite number, got {value!r}")
