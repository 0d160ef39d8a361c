"""The single negotiating text as frozen values: wordings, alternatives, paragraphs, the text.

A :class:`Text` is an ordered list of :class:`Paragraph` s, preamble first, then operative.
Each paragraph holds one or more :class:`Alternative` wordings; while it is ``bracketed``
they all stand in brackets, and once it is ``agreed ad referendum`` or ``agreed`` one of
them (``chosen``) is its agreed language. Changes (:mod:`accord.text.changes`) build new
texts; nothing here is ever modified.

>>> wording = Wording((("en", "The parties meet in Geneva."), ("ar", "تجتمع الأطراف في جنيف.")))
>>> wording.in_language("ar")[1], direction("ar"), direction("en")
('ar', 'rtl', 'ltr')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from accord.domain.invariants import require_language
from accord.errors import DomainError

__all__ = [
    "Alternative",
    "Comment",
    "Paragraph",
    "Part",
    "Proposal",
    "Revision",
    "Status",
    "Text",
    "Wording",
    "direction",
]

#: Languages written right to left (ISO 639-1 codes); every other language is left to right.
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur", "ps", "yi", "dv", "ku-arab", "sd", "ug"})


def direction(language: str) -> str:
    """``"rtl"`` for a language written right to left, else ``"ltr"`` (as HTML's ``dir`` takes it)."""
    return "rtl" if language.lower() in RIGHT_TO_LEFT or language.lower().startswith("ar-") else "ltr"


class Status(StrEnum):
    """Where a paragraph stands: bracketed → agreed ad referendum (subject to capitals) → agreed."""

    BRACKETED = "bracketed"
    AGREED_AD_REFERENDUM = "agreed ad referendum"
    AGREED = "agreed"


class Part(StrEnum):
    """The part of the document a paragraph belongs to."""

    PREAMBLE = "preamble"
    OPERATIVE = "operative"


@dataclass(frozen=True, slots=True)
class Wording:
    """A clause in one or more languages: ``versions`` are ``(language, text)`` pairs, the original first."""

    versions: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        if not self.versions:
            raise DomainError("Wording", ("versions",), "a wording needs at least one language")
        languages = [language for language, _ in self.versions]
        if len(set(languages)) != len(languages):
            raise DomainError("Wording", ("versions",), "a language is given twice")
        for language, text in self.versions:
            if not language.strip() or not text.strip():
                raise DomainError("Wording", ("versions", language), "a language code and a text are needed")
            require_language("Wording", ("versions", language), language)

    @classmethod
    def of(cls, text: str, language: str = "en") -> Wording:
        return cls(((language, text),))

    @property
    def original(self) -> str:
        return self.versions[0][1]

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(language for language, _ in self.versions)

    def in_language(self, language: str | None) -> tuple[str, str]:
        """``(text, language)`` in ``language`` if the wording has it, else in its original language."""
        for code, text in self.versions:
            if code == language:
                return text, code
        return self.versions[0][1], self.versions[0][0]

    def with_version(self, language: str, text: str) -> Wording:
        kept = tuple(version for version in self.versions if version[0] != language)
        return Wording((*kept, (language, text)))


@dataclass(frozen=True, slots=True)
class Alternative:
    """One wording of a paragraph, who proposed it and which delegations support it.

    ``key`` is unique within the paragraph (an option's name for texts made from a scenario).
    ``option`` is the scenario option the wording stands for, or ``None`` when it matches none
    (unscored until a delegation scores it). ``bridging`` marks the mediator's language.
    """

    key: str
    wording: Wording
    proposer: str
    supporters: tuple[str, ...] = ()
    option: str | None = None
    bridging: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: its alternatives, status and, unless bracketed, the ``chosen`` alternative's key.

    ``issue`` names the scenario issue the paragraph settles (``None`` for a paragraph that
    settles none, such as a preambular reference to a resolution).
    """

    key: str
    part: Part
    alternatives: tuple[Alternative, ...]
    status: Status = Status.BRACKETED
    chosen: str | None = None
    issue: str | None = None
    title: str = ""

    def alternative(self, key: str) -> Alternative:
        for alternative in self.alternatives:
            if alternative.key == key:
                return alternative
        raise KeyError(key)

    @property
    def agreed_language(self) -> Alternative | None:
        """The chosen alternative once agreed (ad referendum or finally), else ``None``."""
        return None if self.chosen is None else self.alternative(self.chosen)


@dataclass(frozen=True, slots=True)
class Revision:
    """A revision of the text: its number (Rev.1, Rev.2, …), author, time and what changed."""

    number: int
    author: str
    time: str
    summary: str


@dataclass(frozen=True, slots=True)
class Comment:
    """A private comment on a paragraph, from a delegation to the mediator only."""

    seat: str
    paragraph: str
    text: str
    time: str


@dataclass(frozen=True, slots=True)
class Proposal:
    """Wording a delegation proposed for a paragraph; the mediator decides whether it enters the text.

    ``state`` is ``"pending"``, ``"entered"`` or ``"declined"``; until it enters the text only
    the proposer and the mediator know of it.
    """

    number: int
    seat: str
    paragraph: str
    wording: Wording
    option: str | None
    time: str
    state: str = "pending"


def _frozen(mapping: Mapping[tuple[str, str, str], float]) -> Mapping[tuple[str, str, str], float]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True, slots=True)
class Text:
    """A single negotiating text at one revision, with its private side (comments, proposals, scores).

    ``links``: pairs of paragraph keys the mediator declared linked; ``implied_links``:
    ``(paragraph, paragraph, delegation)`` triples implied by a delegation's red lines and
    interactions across the issues the paragraphs carry (known to the mediator and to that
    delegation only). ``acceptances``: delegations that accept the whole as it stands.
    ``scores``: ``(delegation, paragraph, alternative) → value in [0, 1]`` a delegation gave
    an unscored wording in its own preferences (private to it and the mediator).
    """

    title: str
    mediator: str
    delegations: tuple[str, ...]
    paragraphs: tuple[Paragraph, ...]
    scenario: str = ""
    links: frozenset[tuple[str, str]] = frozenset()
    implied_links: frozenset[tuple[str, str, str]] = frozenset()
    acceptances: frozenset[str] = frozenset()
    adopted: bool = False
    revisions: tuple[Revision, ...] = ()
    comments: tuple[Comment, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    scores: Mapping[tuple[str, str, str], float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "scores", _frozen(self.scores))
        keys = [paragraph.key for paragraph in self.paragraphs]
        if len(set(keys)) != len(keys):
            raise DomainError("Text", ("paragraphs",), "two paragraphs share a key")
        parts = [paragraph.part for paragraph in self.paragraphs]
        if parts != sorted(parts, key=lambda part: part is Part.OPERATIVE):
            raise DomainError("Text", ("paragraphs",), "preambular paragraphs come before operative ones")
        if self.mediator in self.delegations:
            raise DomainError("Text", ("mediator",), "the mediator is not a delegation")
        if len(set(self.delegations)) != len(self.delegations):
            twice = next(name for name in self.delegations if self.delegations.count(name) > 1)
            raise DomainError("Text", ("delegations",), f"{twice!r} is named twice")
        for index, paragraph in enumerate(self.paragraphs):
            alternatives = [alternative.key for alternative in paragraph.alternatives]
            if len(set(alternatives)) != len(alternatives):
                twice = next(key for key in alternatives if alternatives.count(key) > 1)
                raise DomainError(
                    "Text",
                    ("paragraphs", index, "alternatives"),
                    f"two alternatives of paragraph {paragraph.key!r} share the key {twice!r}",
                )
        known = set(keys)
        for field_name, links in (("links", self.links), ("implied_links", self.implied_links)):
            for link in sorted(links):
                stray = next((key for key in link[:2] if key not in known), None)
                if stray is not None:
                    raise DomainError("Text", (field_name,), f"no paragraph {stray!r}")
        for _, _, delegation in sorted(self.implied_links):
            if delegation not in self.delegations:
                raise DomainError("Text", ("implied_links",), f"no delegation {delegation!r}")

    @property
    def revision(self) -> int:
        """The current revision number (0: the text as first issued)."""
        return self.revisions[-1].number if self.revisions else 0

    def paragraph(self, key: str) -> Paragraph:
        for paragraph in self.paragraphs:
            if paragraph.key == key:
                return paragraph
        raise KeyError(key)

    def number(self, key: str) -> str:
        """The paragraph's number as the document shows it: ``PP1``, ``PP2`` … then ``1``, ``2`` …"""
        counts = {Part.PREAMBLE: 0, Part.OPERATIVE: 0}
        for paragraph in self.paragraphs:
            counts[paragraph.part] += 1
            if paragraph.key == key:
                count = counts[paragraph.part]
                return f"PP{count}" if paragraph.part is Part.PREAMBLE else str(count)
        raise KeyError(key)

    def linked_to(self, key: str) -> frozenset[str]:
        """Paragraphs linked to ``key``, declared or implied (never ``key`` itself)."""
        pairs = set(self.links) | {(first, second) for first, second, _ in self.implied_links}
        linked = {second for first, second in pairs if first == key}
        linked |= {first for first, second in pairs if second == key}
        linked.discard(key)
        return frozenset(linked)

    @property
    def everything_agreed(self) -> bool:
        return all(paragraph.status is Status.AGREED for paragraph in self.paragraphs)

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language some wording of the text is given in, the most common first."""
        seen: dict[str, int] = {}
        for paragraph in self.paragraphs:
            for alternative in paragraph.alternatives:
                for language in alternative.wording.languages:
                    seen[language] = seen.get(language, 0) + 1
        return tuple(sorted(seen, key=lambda language: -seen[language]))
