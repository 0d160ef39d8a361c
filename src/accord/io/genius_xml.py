"""Reading Genius XML files: the bytes within :mod:`accord.reading`'s bounds, and its element tree.

Genius's own parser accepts a comment before the XML declaration; so does this one.
A ``<!DOCTYPE>`` is refused, which rules out entity expansion attacks; nesting and
size are bounded (:func:`accord.reading.parse_xml`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from accord.errors import ScenarioError
from accord.reading import MAX_FILE_BYTES, XmlElement, parse_xml, read_bytes

__all__ = ["MAX_FILE_BYTES", "XmlElement", "parse_genius_xml", "party_names", "read_file_bytes"]


def read_file_bytes(path: Path) -> bytes:
    """The bytes of an input file; a missing, oversized or unreadable file is a :class:`ScenarioError`."""
    return read_bytes(path, error=ScenarioError)


def party_names(paths: Sequence[Path]) -> tuple[str, ...]:
    """Party names from profile file stems, in order; a repeated stem gets ``-2``, ``-3``, …

    >>> party_names([Path("a/buyer.xml"), Path("b/buyer.xml"), Path("seller.xml")])
    ('buyer', 'buyer-2', 'seller')
    """
    names: list[str] = []
    taken: set[str] = set()
    for path in paths:
        name, count = path.stem, 1
        while name in taken:
            count += 1
            name = f"{path.stem}-{count}"
        names.append(name)
        taken.add(name)
    return tuple(names)


def parse_genius_xml(raw: bytes, source: str) -> XmlElement:
    """Parse Genius XML into an :class:`XmlElement` tree, refusing DTDs and entities.

    >>> root = parse_genius_xml(b"<!-- a comment -->\\n<?xml version='1.0'?><a><b x='1'/></a>", "demo.xml")
    >>> root.tag, root.children[0].attributes, root.children[0].line
    ('a', {'x': '1'}, 2)
    """
    return parse_xml(raw, source, error=ScenarioError)
