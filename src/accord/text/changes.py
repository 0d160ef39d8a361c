"""The one rule that applies a change to a negotiating text: :func:`apply` (the changes themselves,
their kinds and plain-data form are :mod:`accord.text.change_kinds`; this module names them too).

Each change names the ``seat`` that makes it and its ``time`` (given by the caller: the
text keeps no clock). :func:`apply` returns the new :class:`~accord.text.model.Text` or
raises :class:`~accord.errors.TextError` naming the seat, the change and the reason, the
old text unchanged. A change to the document itself (wording, brackets, support, status,
links) makes a new revision (Rev.1, Rev.2, …); the private side (a proposal before the
mediator rules on it, a comment, a delegation's score of a wording, an acceptance) does not.

Nothing is agreed until everything is agreed: a delegation may accept the whole only when
every paragraph is ``agreed``; every new revision withdraws the acceptances; the text is
adopted when every delegation accepts, and nothing changes it after that. Reopening a
paragraph brackets it again and returns each ``agreed`` paragraph linked to it to
``agreed ad referendum``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

from accord.errors import DomainError, TextError
from accord.text.change_kinds import (
    PRIVATE,
    Accept,
    AddAlternative,
    AddParagraph,
    AgreeAdReferendum,
    Change,
    CommentOn,
    Confirm,
    DeclineProposal,
    EnterProposal,
    Link,
    Propose,
    Reopen,
    Score,
    Support,
    Translate,
    _Change,
    author_role,
    change_from_data,
    change_to_data,
    kind_of,
)
from accord.text.model import (
    Alternative,
    Comment,
    Paragraph,
    Part,
    Proposal,
    Revision,
    Status,
    Text,
)

__all__ = [
    "Accept",
    "AddAlternative",
    "AddParagraph",
    "AgreeAdReferendum",
    "Change",
    "CommentOn",
    "Confirm",
    "DeclineProposal",
    "EnterProposal",
    "Link",
    "Propose",
    "Reopen",
    "Score",
    "Support",
    "Translate",
    "apply",
    "author_role",
    "change_from_data",
    "change_to_data",
    "replay",
    "witnesses",
]


class _Refusal:
    def __init__(self, change: Change) -> None:
        self.change = change

    def __call__(self, reason: str) -> TextError:
        return TextError(seat=self.change.seat, action=kind_of(self.change), reason=reason)


def _paragraph(text: Text, key: str, refuse: _Refusal) -> Paragraph:
    try:
        return text.paragraph(key)
    except KeyError:
        raise refuse(f"the text has no paragraph {key!r}") from None


def _alternative(paragraph: Paragraph, key: str, refuse: _Refusal) -> Alternative:
    try:
        return paragraph.alternative(key)
    except KeyError:
        raise refuse(f"paragraph {paragraph.key!r} has no alternative {key!r}") from None


def _replace_paragraph(text: Text, paragraph: Paragraph) -> tuple[Paragraph, ...]:
    return tuple(paragraph if old.key == paragraph.key else old for old in text.paragraphs)


def _new_key(paragraph: Paragraph, key: str, refuse: _Refusal) -> str:
    if not key.strip():
        raise refuse("an alternative needs a key")
    if any(alternative.key == key for alternative in paragraph.alternatives):
        raise refuse(f"paragraph {paragraph.key!r} already has an alternative {key!r}")
    return key


def _bracketed(paragraph: Paragraph, refuse: _Refusal) -> Paragraph:
    if paragraph.status is not Status.BRACKETED:
        raise refuse(f"paragraph {paragraph.key!r} is {paragraph.status}; reopen it first")
    return paragraph


def _revise(text: Text, change: Change, summary: str, **fields: Any) -> Text:
    revision = Revision(text.revision + 1, change.seat, change.time, summary)
    return replace(text, revisions=(*text.revisions, revision), acceptances=frozenset(), **fields)


def _who(text: Text, change: Change, refuse: _Refusal) -> str:
    """``"mediator"`` or ``"delegation"``: the role of the seat making ``change``."""
    if change.seat == text.mediator:
        return "mediator"
    if change.seat in text.delegations:
        return "delegation"
    raise refuse("the seat is neither the mediator nor a delegation of this text")


def witnesses(text: Text, change: Change) -> frozenset[str] | None:
    """The seats that may know of ``change`` (made on ``text``): ``None`` for a change to the document,
    which every seat may know of; for a change to the private side (:data:`PRIVATE`), the seat that
    made it, the mediator and, for a declined proposal, its proposer — as :func:`~accord.text.view`
    shows them.

    >>> from accord.text.model import Wording
    >>> text = Text("Draft", "Envoy", ("North", "South"), ())
    >>> sorted(witnesses(text, DeclineProposal(seat="Envoy", proposer="North", proposal=1)))
    ['Envoy', 'North']
    >>> witnesses(text, Accept(seat="South")) is None
    True
    """
    if not isinstance(change, PRIVATE):
        return None
    seen = {change.seat, text.mediator}
    if isinstance(change, DeclineProposal):
        seen.add(change.proposer)
    return frozenset(seen)


def apply(text: Text, change: Change) -> Text:
    """The text after ``change``, or :class:`~accord.errors.TextError` (the text is unchanged)."""
    refuse = _Refusal(change)
    role = _who(text, change, refuse)
    if text.adopted:
        raise refuse("the text is adopted; nothing changes it now")
    allowed = author_role(change)
    if allowed == "mediator" and role != "mediator":
        raise refuse("only the mediator may do this")
    if allowed == "delegation" and role != "delegation":
        raise refuse("only a delegation may do this")
    handler: Callable[[Text, Any, _Refusal], Text] = _HANDLERS[type(change)]
    try:
        return handler(text, change, refuse)
    except DomainError as error:  # the change would break a text's invariant (a wording's language tag)
        raise refuse(error.reason) from None


def _add_paragraph(text: Text, change: Any, refuse: _Refusal) -> Text:
    if any(paragraph.key == change.paragraph for paragraph in text.paragraphs):
        raise refuse(f"the text already has a paragraph {change.paragraph!r}")
    if not change.paragraph.strip():
        raise refuse("a paragraph needs a key")
    new = Paragraph(
        change.paragraph,
        change.part,
        (Alternative("A", change.wording, change.seat, bridging=True),),
        title=change.title,
    )
    paragraphs = list(text.paragraphs)
    if change.after is not None:
        anchor = _paragraph(text, change.after, refuse)
        if anchor.part is not change.part:
            raise refuse(f"paragraph {change.after!r} is {anchor.part}, not {change.part}")
        position = paragraphs.index(anchor) + 1
    else:
        same_part = [index for index, old in enumerate(paragraphs) if old.part is change.part]
        position = (
            same_part[-1] + 1 if same_part else (0 if change.part is Part.PREAMBLE else len(paragraphs))
        )
    paragraphs.insert(position, new)
    return _revise(text, change, f"new paragraph {change.paragraph!r}", paragraphs=tuple(paragraphs))


def _add_alternative(text: Text, change: Any, refuse: _Refusal) -> Text:
    paragraph = _bracketed(_paragraph(text, change.paragraph, refuse), refuse)
    key = _new_key(paragraph, change.alternative, refuse)
    alternative = Alternative(key, change.wording, change.seat, option=change.option, bridging=True)
    updated = replace(paragraph, alternatives=(*paragraph.alternatives, alternative))
    summary = f"bridging language {key!r} in paragraph {paragraph.key!r}"
    return _revise(text, change, summary, paragraphs=_replace_paragraph(text, updated))


def _propose(text: Text, change: Any, refuse: _Refusal) -> Text:
    _bracketed(_paragraph(text, change.paragraph, refuse), refuse)
    number = 1 + sum(1 for proposal in text.proposals if proposal.seat == change.seat)
    proposal = Proposal(number, change.seat, change.paragraph, change.wording, change.option, change.time)
    return replace(text, proposals=(*text.proposals, proposal))


def _pending(text: Text, proposer: str, number: int, refuse: _Refusal) -> Proposal:
    for proposal in text.proposals:
        if proposal.seat == proposer and proposal.number == number:
            if proposal.state != "pending":
                raise refuse(f"{proposer}'s proposal {number} is already {proposal.state}")
            return proposal
    raise refuse(f"{proposer} made no proposal {number}")


def _ruled(text: Text, proposal: Proposal, state: str) -> tuple[Proposal, ...]:
    ruled = replace(proposal, state=state)
    return tuple(ruled if old == proposal else old for old in text.proposals)


def _enter_proposal(text: Text, change: Any, refuse: _Refusal) -> Text:
    proposal = _pending(text, change.proposer, change.proposal, refuse)
    paragraph = _bracketed(_paragraph(text, proposal.paragraph, refuse), refuse)
    key = _new_key(paragraph, change.alternative, refuse)
    alternative = Alternative(key, proposal.wording, proposal.seat, option=proposal.option)
    updated = replace(paragraph, alternatives=(*paragraph.alternatives, alternative))
    summary = f"{proposal.seat}'s wording entered as {key!r} in paragraph {paragraph.key!r}"
    return _revise(
        text,
        change,
        summary,
        paragraphs=_replace_paragraph(text, updated),
        proposals=_ruled(text, proposal, "entered"),
    )


def _decline_proposal(text: Text, change: Any, refuse: _Refusal) -> Text:
    proposal = _pending(text, change.proposer, change.proposal, refuse)
    return replace(text, proposals=_ruled(text, proposal, "declined"))


def _support(text: Text, change: Any, refuse: _Refusal) -> Text:
    paragraph = _bracketed(_paragraph(text, change.paragraph, refuse), refuse)
    alternative = _alternative(paragraph, change.alternative, refuse)
    if change.seat in alternative.supporters:
        raise refuse(f"it already supports {alternative.key!r}")
    supported = replace(alternative, supporters=(*alternative.supporters, change.seat))
    updated = replace(
        paragraph,
        alternatives=tuple(
            supported if old.key == alternative.key else old for old in paragraph.alternatives
        ),
    )
    summary = f"{change.seat} supports {alternative.key!r} in paragraph {paragraph.key!r}"
    return _revise(text, change, summary, paragraphs=_replace_paragraph(text, updated))


def _agree_ad_referendum(text: Text, change: Any, refuse: _Refusal) -> Text:
    paragraph = _bracketed(_paragraph(text, change.paragraph, refuse), refuse)
    _alternative(paragraph, change.alternative, refuse)
    updated = replace(paragraph, status=Status.AGREED_AD_REFERENDUM, chosen=change.alternative)
    summary = f"paragraph {paragraph.key!r} agreed ad referendum on {change.alternative!r}"
    return _revise(text, change, summary, paragraphs=_replace_paragraph(text, updated))


def _confirm(text: Text, change: Any, refuse: _Refusal) -> Text:
    paragraph = _paragraph(text, change.paragraph, refuse)
    if paragraph.status is not Status.AGREED_AD_REFERENDUM:
        raise refuse(f"paragraph {paragraph.key!r} is {paragraph.status}, not agreed ad referendum")
    updated = replace(paragraph, status=Status.AGREED)
    return _revise(
        text, change, f"paragraph {paragraph.key!r} agreed", paragraphs=_replace_paragraph(text, updated)
    )


def _reopen(text: Text, change: Any, refuse: _Refusal) -> Text:
    paragraph = _paragraph(text, change.paragraph, refuse)
    if paragraph.status is Status.BRACKETED:
        raise refuse(f"paragraph {paragraph.key!r} is already bracketed")
    linked = text.linked_to(paragraph.key)
    paragraphs = []
    for old in text.paragraphs:
        if old.key == paragraph.key:
            paragraphs.append(replace(old, status=Status.BRACKETED, chosen=None))
        elif old.key in linked and old.status is Status.AGREED:
            paragraphs.append(replace(old, status=Status.AGREED_AD_REFERENDUM))
        else:
            paragraphs.append(old)
    summary = f"paragraph {paragraph.key!r} reopened"
    return _revise(text, change, summary, paragraphs=tuple(paragraphs))


def _link(text: Text, change: Any, refuse: _Refusal) -> Text:
    _paragraph(text, change.paragraph, refuse)
    _paragraph(text, change.other, refuse)
    if change.paragraph == change.other:
        raise refuse("a paragraph is not linked to itself")
    pair = tuple(sorted((change.paragraph, change.other)))
    if pair in text.links:
        raise refuse(f"paragraphs {pair[0]!r} and {pair[1]!r} are already linked")
    summary = f"paragraphs {pair[0]!r} and {pair[1]!r} linked"
    return _revise(text, change, summary, links=text.links | {(pair[0], pair[1])})


def _translate(text: Text, change: Any, refuse: _Refusal) -> Text:
    paragraph = _paragraph(text, change.paragraph, refuse)
    alternative = _alternative(paragraph, change.alternative, refuse)
    if not change.language.strip() or not change.text.strip():
        raise refuse("a translation needs a language and a text")
    translated = replace(alternative, wording=alternative.wording.with_version(change.language, change.text))
    updated = replace(
        paragraph,
        alternatives=tuple(
            translated if old.key == alternative.key else old for old in paragraph.alternatives
        ),
    )
    summary = f"{change.language} wording of {alternative.key!r} in paragraph {paragraph.key!r}"
    return _revise(text, change, summary, paragraphs=_replace_paragraph(text, updated))


def _comment(text: Text, change: Any, refuse: _Refusal) -> Text:
    _paragraph(text, change.paragraph, refuse)
    if not change.text.strip():
        raise refuse("a comment needs a text")
    comment = Comment(change.seat, change.paragraph, change.text, change.time)
    return replace(text, comments=(*text.comments, comment))


def _score(text: Text, change: Any, refuse: _Refusal) -> Text:
    paragraph = _paragraph(text, change.paragraph, refuse)
    alternative = _alternative(paragraph, change.alternative, refuse)
    if alternative.option is not None:
        raise refuse(f"{alternative.key!r} stands for option {alternative.option!r}, scored already")
    if not 0.0 <= change.value <= 1.0:
        raise refuse(f"a score lies in [0, 1], got {change.value}")
    scores = dict(text.scores)
    scores[(change.seat, paragraph.key, alternative.key)] = float(change.value)
    return replace(text, scores=scores)


def _accept(text: Text, change: Any, refuse: _Refusal) -> Text:
    if not text.everything_agreed:
        open_keys = [paragraph.key for paragraph in text.paragraphs if paragraph.status is not Status.AGREED]
        raise refuse(f"nothing is agreed until everything is agreed; not yet agreed: {', '.join(open_keys)}")
    if change.seat in text.acceptances:
        raise refuse("it already accepts the text")
    acceptances = text.acceptances | {change.seat}
    return replace(text, acceptances=acceptances, adopted=acceptances == frozenset(text.delegations))


_HANDLERS: Mapping[type[_Change], Callable[[Text, Any, _Refusal], Text]] = {
    AddParagraph: _add_paragraph,
    AddAlternative: _add_alternative,
    Propose: _propose,
    EnterProposal: _enter_proposal,
    DeclineProposal: _decline_proposal,
    Support: _support,
    AgreeAdReferendum: _agree_ad_referendum,
    Confirm: _confirm,
    Reopen: _reopen,
    Link: _link,
    Translate: _translate,
    CommentOn: _comment,
    Score: _score,
    Accept: _accept,
}


def replay(base: Text, changes: Iterable[Change]) -> Text:
    """``base`` after every change in order (a refused change raises its :class:`TextError`)."""
    text = base
    for change in changes:
        text = apply(text, change)
    return text
