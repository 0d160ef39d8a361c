"""Reading Genius XML files: bytes with a size limit, and a small element tree that keeps line numbers.

Genius's own parser accepts a comment before the XML declaration; so does this one.
A ``<!DOCTYPE>`` is refused, which rules out entity expansion attacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from accord.errors import ScenarioError

__all__ = ["MAX_FILE_BYTES", "XmlElement", "parse_genius_xml", "party_names", "read_file_bytes"]

MAX_FILE_BYTES = 64 * 1024 * 1024

#: Comments (and blank space) before the XML declaration, which Genius accepts and expat does not.
_LEADING_COMMENTS = re.compile(rb"\A(?:\s|<!--.*?-->)+(?=<\?xml)", re.DOTALL)


def read_file_bytes(path: Path) -> bytes:
    """The bytes of an input file; a missing, oversized or unreadable file is a :class:`ScenarioError`."""
    source = str(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ScenarioError(source, "", f"larger than {MAX_FILE_BYTES} bytes")
        return path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(source, "", "no such file") from None
    except IsADirectoryError:
        raise ScenarioError(source, "", "is a directory, expected a file") from None
    except OSError as error:
        raise ScenarioError(source, "", f"cannot be read: {error.strerror}") from None


def party_names(paths: Sequence[Path]) -> tuple[str, ...]:
    """Party names from profile file stems, in order; a repeated stem gets ``-2``, ``-3``, …

    >>> party_names([Path("a/buyer.xml"), Path("b/buyer.xml"), Path("seller.xml")])
    ('buyer', 'buyer-2', 'seller')
    """
    names: list[str] = []
    for path in paths:
        name, count = path.stem, 1
        while name in names:
            count += 1
            name = f"{path.stem}-{count}"
        names.append(name)
    return tuple(names)


@dataclass(frozen=True, slots=True)
class XmlElement:
    """An XML element with the line it starts on (ElementTree does not keep lines)."""

    tag: str
    attributes: dict[str, str]
    line: int
    children: list[XmlElement] = field(default_factory=list)

    def named(self, tag: str) -> list[XmlElement]:
        """Direct children with this tag."""
        return [child for child in self.children if child.tag == tag]

    def descendants(self, tag: str) -> Iterator[XmlElement]:
        """Every element below this one with this tag, in document order."""
        for child in self.children:
            if child.tag == tag:
                yield child
            yield from child.descendants(tag)

    def first(self, tag: str) -> XmlElement | None:
        """This element if it has the tag, else the first such descendant."""
        return self if self.tag == tag else next(self.descendants(tag), None)

    @property
    def where(self) -> str:
        """``line N: <tag name="…">`` for error messages."""
        name = self.attributes.get("name") or self.attributes.get("value")
        label = f'<{self.tag} name="{name}">' if name else f"<{self.tag}>"
        return f"line {self.line}: {label}"


def parse_genius_xml(raw: bytes, source: str) -> XmlElement:
    """Parse Genius XML into an :class:`XmlElement` tree, refusing DTDs and entities.

    >>> root = parse_genius_xml(b"<!-- a comment -->\\n<?xml version='1.0'?><a><b x='1'/></a>", "demo.xml")
    >>> root.tag, root.children[0].attributes, root.children[0].line
    ('a', {'x': '1'}, 2)
    """
    match = _LEADING_COMMENTS.match(raw)
    skipped_lines = raw[: match.end()].count(b"\n") if match else 0
    if match:
        raw = raw[match.end() :]
    parser = expat.ParserCreate()
    stack: list[XmlElement] = []
    roots: list[XmlElement] = []

    def start(tag: str, attributes: dict[str, str]) -> None:
        element = XmlElement(tag, attributes, parser.CurrentLineNumber + skipped_lines)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def refuse(*arguments: object) -> None:
        raise ScenarioError(
            source,
            f"line {parser.CurrentLineNumber + skipped_lines}",
            "document type declarations are refused",
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(raw, True)
    except expat.ExpatError as error:
        where = f"line {error.lineno + skipped_lines}, column {error.offset + 1}"
        raise ScenarioError(source, where, f"not well-formed XML: {expat.ErrorString(error.code)}") from None
    return roots[0]
