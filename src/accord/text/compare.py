"""Two revisions of a text compared paragraph by paragraph, word by word.

A paragraph reads as its agreed language, or while bracketed as each alternative in
brackets (:func:`paragraph_reading`); :func:`compare` marks the words one revision inserted
and deleted relative to another (brackets count as words of their own).

>>> from accord.text.model import Alternative, Paragraph, Part, Text, Wording
>>> def text(words): return Text("T", "Envoy", ("North",), (Paragraph("p", Part.OPERATIVE,
...     (Alternative("a", Wording.of(words), "Envoy"),), status=Status.AGREED, chosen="a"),))
>>> changes = compare(text("talks in Geneva"), text("talks in Astana"))
>>> [(piece.kind, piece.text) for piece in changes[0].pieces]
[('same', 'talks in'), ('deleted', 'Geneva'), ('inserted', 'Astana')]
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from accord.text.model import Paragraph, Status, Text

__all__ = ["ParagraphComparison", "Piece", "compare", "paragraph_reading", "words"]

_WORD = re.compile(r"\n|\[|\]|[^\s\[\]]+")


def words(reading: str) -> list[str]:
    """The words of a reading, brackets and line breaks as words of their own."""
    return _WORD.findall(reading)


def paragraph_reading(paragraph: Paragraph, language: str | None = None) -> str:
    """The paragraph's reading: its agreed language, or each alternative in brackets on a line of its own."""
    agreed = paragraph.agreed_language
    if agreed is not None:
        return agreed.wording.in_language(language)[0]
    return "\n".join(
        f"[{alternative.wording.in_language(language)[0]}]" for alternative in paragraph.alternatives
    )


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of words: ``kind`` is ``"same"``, ``"inserted"`` or ``"deleted"``."""

    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class ParagraphComparison:
    """One paragraph in two revisions (``None`` where it does not exist) and the word-level changes."""

    key: str
    number: str
    status_before: Status | None
    status_after: Status | None
    pieces: tuple[Piece, ...]

    @property
    def changed(self) -> bool:
        return self.status_before != self.status_after or any(piece.kind != "same" for piece in self.pieces)


def _joined(tokens: list[str]) -> str:
    return " ".join(tokens).replace(" \n ", "\n").replace("[ ", "[").replace(" ]", "]")


#: The most pairs of words (words before × words after) compared word by word: difflib's matching
#: takes time growing with their product, and faster still with few distinct words (a paragraph of
#: 30,000 words took 90 s). Past it, the words between the common start and end count as deleted
#: and inserted whole.
MAX_WORD_PAIRS = 4_000_000


def _opcodes(before: list[str], after: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes, the common start and end set apart first, within :data:`MAX_WORD_PAIRS`."""
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    first_end, second_end = len(before) - end, len(after) - end
    middle: list[tuple[str, int, int, int, int]] = []
    if (first_end - start) * (second_end - start) > MAX_WORD_PAIRS:
        middle = [("replace", start, first_end, start, second_end)]
    elif first_end > start or second_end > start:
        first, second = before[start:first_end], after[start:second_end]
        matcher = difflib.SequenceMatcher(a=first, b=second, autojunk=False)
        middle = [
            (tag, start + a, start + b, start + c, start + d) for tag, a, b, c, d in matcher.get_opcodes()
        ]
    head = [("equal", 0, start, 0, start)] if start else []
    tail = [("equal", first_end, len(before), second_end, len(after))] if end else []
    return head + middle + tail


def _pieces(before: list[str], after: list[str]) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    for tag, first_start, first_end, second_start, second_end in _opcodes(before, after):
        if tag == "equal":
            pieces.append(Piece("same", _joined(before[first_start:first_end])))
            continue
        if first_end > first_start:
            pieces.append(Piece("deleted", _joined(before[first_start:first_end])))
        if second_end > second_start:
            pieces.append(Piece("inserted", _joined(after[second_start:second_end])))
    return tuple(pieces)


def compare(older: Text, newer: Text, *, language: str | None = None) -> tuple[ParagraphComparison, ...]:
    """Every paragraph of ``newer`` in its order, then those ``older`` had and ``newer`` lost."""
    old = {paragraph.key: paragraph for paragraph in older.paragraphs}
    result = []
    for paragraph in newer.paragraphs:
        previous = old.get(paragraph.key)
        before = words(paragraph_reading(previous, language)) if previous is not None else []
        after = words(paragraph_reading(paragraph, language))
        result.append(
            ParagraphComparison(
                paragraph.key,
                newer.number(paragraph.key),
                None if previous is None else previous.status,
                paragraph.status,
                _pieces(before, after),
            )
        )
    kept = {paragraph.key for paragraph in newer.paragraphs}
    for paragraph in older.paragraphs:
        if paragraph.key not in kept:
            pieces = _pieces(words(paragraph_reading(paragraph, language)), [])
            result.append(
                ParagraphComparison(
                    paragraph.key, older.number(paragraph.key), paragraph.status, None, pieces
                )
            )
    return tuple(result)
