"""XML with line numbers, parsed by expat in linear time and bounded size.

A document type declaration is refused (no entities, so no entity expansion);
nesting deeper than :data:`MAX_XML_DEPTH` or more than :data:`MAX_XML_ELEMENTS`
elements is refused while parsing. Comments (and blank space) before the XML
declaration, which Genius writes and expat refuses, are skipped by a linear scan.

>>> root = parse_xml(b"<!-- a comment -->\\n<?xml version='1.0'?><a><b x='1'/></a>", "demo.xml")
>>> root.tag, root.children[0].attributes, root.children[0].line
('a', {'x': '1'}, 2)
>>> parse_xml(b"<!---->" * 40 + b"<a/>", "comments.xml").tag
'a'
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.parsers import expat

from accord.errors import InputError
from accord.reading.text import escaped

__all__ = ["MAX_XML_DEPTH", "MAX_XML_ELEMENTS", "XmlElement", "parse_xml"]

#: Deepest nesting of elements accepted (Genius and KTAB files nest a few levels).
MAX_XML_DEPTH = 100
#: Most elements in one document (a domain of 200,000 items and its profiles fit).
MAX_XML_ELEMENTS = 2_000_000


@dataclass(frozen=True, slots=True)
class XmlElement:
    """An XML element with the line it starts on (ElementTree does not keep lines)."""

    tag: str
    attributes: dict[str, str]
    line: int
    children: list[XmlElement] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def named(self, tag: str) -> list[XmlElement]:
        """Direct children with this tag."""
        return [child for child in self.children if child.tag == tag]

    def descendants(self, tag: str) -> Iterator[XmlElement]:
        """Every element below this one with this tag, in document order (no recursion)."""
        pending = list(reversed(self.children))
        while pending:
            element = pending.pop()
            if element.tag == tag:
                yield element
            pending.extend(reversed(element.children))

    def first(self, tag: str) -> XmlElement | None:
        """This element if it has the tag, else the first such descendant."""
        return self if self.tag == tag else next(self.descendants(tag), None)

    @property
    def content(self) -> str:
        """The element's own text (its character data outside child elements), stripped."""
        return "".join(self.text).strip()

    @property
    def where(self) -> str:
        """``line N: <tag name="…">`` for error messages (a long name shortened)."""
        name = self.attributes.get("name") or self.attributes.get("value")
        label = (
            f'<{escaped(self.tag)} name="{escaped(name, length=60)}">' if name else f"<{escaped(self.tag)}>"
        )
        return f"line {self.line}: {label}"


def _declaration_start(raw: bytes) -> int:
    """Where the XML declaration starts if only blank space and comments precede it, else 0."""
    position = 0
    if raw.startswith(b"\xef\xbb\xbf"):
        position = 3
    while True:
        while position < len(raw) and raw[position : position + 1].isspace():
            position += 1
        if raw.startswith(b"<!--", position):
            end = raw.find(b"-->", position + 4)
            if end < 0:
                return 0
            position = end + 3
            continue
        return position if position and raw.startswith(b"<?xml", position) else 0


def parse_xml(raw: bytes, source: str, *, error: type[InputError] = InputError) -> XmlElement:
    """Parse XML into an :class:`XmlElement` tree; any problem is ``error(source, where, reason)``."""
    start = _declaration_start(raw)
    skipped_lines = raw[:start].count(b"\n")
    parser = expat.ParserCreate()
    parser.buffer_text = True
    stack: list[XmlElement] = []
    roots: list[XmlElement] = []
    count = 0

    def line() -> str:
        return f"line {parser.CurrentLineNumber + skipped_lines}"

    def begin(tag: str, attributes: dict[str, str]) -> None:
        nonlocal count
        count += 1
        if count > MAX_XML_ELEMENTS:
            raise error(source, line(), f"more than {MAX_XML_ELEMENTS:,} elements")
        if len(stack) >= MAX_XML_DEPTH:
            raise error(source, line(), f"elements nested more than {MAX_XML_DEPTH} deep")
        element = XmlElement(tag, attributes, parser.CurrentLineNumber + skipped_lines)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(tag: str) -> None:
        stack.pop()

    def characters(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    def refuse(*arguments: object) -> None:
        raise error(source, line(), "document type declarations are refused")

    parser.StartElementHandler = begin
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(raw[start:], True)
    except expat.ExpatError as failure:
        where = f"line {failure.lineno + skipped_lines}, column {failure.offset + 1}"
        raise error(source, where, f"not well-formed XML: {expat.ErrorString(failure.code)}") from None
    return roots[0]
