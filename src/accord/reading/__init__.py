"""Reading what users hand Accord, within bounds: every reader of a user's file goes through here.

A file is read only if it is a regular file of at most :data:`MAX_FILE_BYTES` (a pipe,
``/dev/zero`` or a file that keeps growing is refused, never waited on); YAML and JSON
are parsed with a bound on their size and nesting, duplicate keys refused and every
number finite (:func:`load_data`); XML with expat, document type declarations refused,
in linear time and bounded depth (:func:`parse_xml`); CSV with cells of any size up to
the file's (:func:`csv_rows`). Each problem is an :class:`~accord.errors.InputError` of
the class the caller names (``ScenarioError``, ``ForecastDataError``) with the file,
the place and the reason; :func:`quoted` keeps a user's text in an error message short
and free of control characters.
"""

from __future__ import annotations

from accord.reading.data import MAX_DATA_NODES, Document, load_data
from accord.reading.files import MAX_FILE_BYTES, read_bytes, read_text
from accord.reading.tables import csv_rows
from accord.reading.text import escaped, quoted
from accord.reading.xml import MAX_XML_DEPTH, MAX_XML_ELEMENTS, XmlElement, parse_xml

__all__ = [
    "MAX_DATA_NODES",
    "MAX_FILE_BYTES",
    "MAX_XML_DEPTH",
    "MAX_XML_ELEMENTS",
    "Document",
    "XmlElement",
    "csv_rows",
    "escaped",
    "load_data",
    "parse_xml",
    "quoted",
    "read_bytes",
    "read_text",
]
