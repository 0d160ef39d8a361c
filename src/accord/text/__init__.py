"""The single negotiating text: paragraphs, brackets, attributions, statuses, revisions.

Pure and free of I/O, like the protocols: a :class:`Text` is a frozen value, every change
(:mod:`accord.text.changes`) goes through :func:`apply`, which refuses an illegal one with
:class:`~accord.errors.TextError` naming the seat, the change and the reason; a
:class:`History` keeps the text as first issued and the changes since, so every revision
replays. :func:`text_from_scenario` drafts a text from a scenario (each issue a paragraph,
its options the alternatives), :func:`worth` says what each alternative is worth to a
delegation from its own preferences, :func:`view` is what a seat may see, and
:func:`compare` sets two revisions side by side. Files and exports live in
:mod:`accord.io.text_file` and :mod:`accord.io.text_export`.
"""

from accord.text.changes import (
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
    apply,
    author_role,
    change_from_data,
    change_to_data,
    replay,
    witnesses,
)
from accord.text.compare import ParagraphComparison, Piece, compare, paragraph_reading
from accord.text.drafting import implied_links, text_from_scenario
from accord.text.history import History
from accord.text.model import (
    Alternative,
    Comment,
    Paragraph,
    Part,
    Proposal,
    Revision,
    Status,
    Text,
    Wording,
    direction,
)
from accord.text.views import view
from accord.text.worth import Worth, package, worth, worth_to_delegations

__all__ = [
    "Accept",
    "AddAlternative",
    "AddParagraph",
    "AgreeAdReferendum",
    "Alternative",
    "Change",
    "Comment",
    "CommentOn",
    "Confirm",
    "DeclineProposal",
    "EnterProposal",
    "History",
    "Link",
    "Paragraph",
    "ParagraphComparison",
    "Part",
    "Piece",
    "Proposal",
    "Propose",
    "Reopen",
    "Revision",
    "Score",
    "Status",
    "Support",
    "Text",
    "Translate",
    "Wording",
    "Worth",
    "apply",
    "author_role",
    "change_from_data",
    "change_to_data",
    "compare",
    "direction",
    "implied_links",
    "package",
    "paragraph_reading",
    "replay",
    "text_from_scenario",
    "view",
    "witnesses",
    "worth",
    "worth_to_delegations",
]
