"""A text's history: the text as first issued and every change since; any revision rebuilt by replay.

>>> from accord.text.model import Alternative, Paragraph, Part, Text, Wording
>>> from accord.text.changes import AgreeAdReferendum
>>> geneva = Alternative("geneva", Wording.of("In Geneva."), "Envoy")
>>> base = Text("Draft", "Envoy", ("North", "South"), (Paragraph("venue", Part.OPERATIVE, (geneva,)),))
>>> change = AgreeAdReferendum(seat="Envoy", time="t1", paragraph="venue", alternative="geneva")
>>> history = History(base).then(change)
>>> history.text.revision, str(history.at(0).paragraph("venue").status)
(1, 'bracketed')
"""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.text.changes import Change, apply, replay
from accord.text.model import Text

__all__ = ["History"]


@dataclass(frozen=True, slots=True)
class History:
    """``base`` (the text as first issued, Rev.0) and the ``changes`` applied to it, in order."""

    base: Text
    changes: tuple[Change, ...] = ()
    text: Text = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", replay(self.base, self.changes))

    def then(self, change: Change) -> History:
        """The history with ``change`` applied (refused with :class:`~accord.errors.TextError`)."""
        text = apply(self.text, change)
        new = object.__new__(History)
        object.__setattr__(new, "base", self.base)
        object.__setattr__(new, "changes", (*self.changes, change))
        object.__setattr__(new, "text", text)
        return new

    def at(self, revision: int) -> Text:
        """The text as it stood at Rev.``revision`` (with the private side as it was then)."""
        if not 0 <= revision <= self.text.revision:
            raise KeyError(f"no revision {revision}; the text is at Rev.{self.text.revision}")
        text = self.base
        for change in self.changes:
            following = apply(text, change)
            if following.revision > revision:
                break
            text = following
        return text
