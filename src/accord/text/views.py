"""What one seat may see of a text: :func:`view`, the one choke point for the text's private side.

The mediator sees everything. A delegation sees the document (paragraphs, attributions,
statuses, declared links, revisions, acceptances) and, of the private side, only its own:
its comments, its proposals, its scores and the links its own preferences imply. An
observer, or any other seat, sees the document alone.
"""

from __future__ import annotations

from dataclasses import replace

from accord.text.model import Text

__all__ = ["view"]


def view(text: Text, seat: str) -> Text:
    """``text`` as ``seat`` may see it."""
    if seat == text.mediator:
        return text
    return replace(
        text,
        implied_links=frozenset(link for link in text.implied_links if link[2] == seat),
        comments=tuple(comment for comment in text.comments if comment.seat == seat),
        proposals=tuple(proposal for proposal in text.proposals if proposal.seat == seat),
        scores={key: value for key, value in text.scores.items() if key[0] == seat},
    )
