"""What a one-text drafter learns from criticism alone: each delegation's losses, red lines and slack.

The drafter never sees anyone's preferences. It sees, after each draft, every delegation's
:class:`~accord.protocols.Critique`: per issue, the option the delegation prefers and an
intensity (see :func:`accord.agents.responses.critique`). From these :class:`CriticismModel`
keeps, per delegation:

- *losses*: what holding an option on an issue costs the delegation (its share of the
  delegation's utility range; the option it asks for costs nothing). An issue a complaining
  delegation leaves out costs it nothing as drafted.
- *red lines*: the combinations of options it flagged with intensity 1; a package holding one
  of them is taken as unacceptable to it.
- *slack*: how much loss it can live with now. Intensities add up to the delegation's
  shortfall, so its slack is the estimated loss of the draft minus that sum; a delegation that
  raises nothing can live with at least the draft's loss.

:meth:`CriticismModel.shortfalls` predicts every delegation's shortfall on candidate packages,
which is all a drafter needs to look for the package criticised least by the most unhappy.

>>> from accord.domain import Agenda, DiscreteIssue, Option
>>> agenda = Agenda(tuple(DiscreteIssue(name, (Option("x"), Option("y"))) for name in "ab"))
>>> model = CriticismModel(agenda, ("north", "south"))
>>> model.take(("x", "x"), {"north": {}, "south": {"a": ["y", 0.4]}})
>>> model.shortfalls(np.array([[0, 0], [1, 0]])).round(2).tolist()
[[0.0, 0.4], [0.0, 0.0]]
>>> model.take(("y", "x"), {"north": {"a": ["x", 1.0]}, "south": {}})
>>> bool(model.shortfalls(np.array([[1, 0]]))[0, 0] >= RED_LINE)
True
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from accord.domain import Agenda, Outcome

__all__ = ["CriticismModel"]

#: The shortfall charged to a delegation for a package that holds one of its red lines.
RED_LINE = 10.0

#: Issues with at most this many options are priced through a dense table, larger ones sparsely.
_DENSE = 4096

#: An intensity this close to 1 flags a red line.
_FLAG = 1.0 - 1e-9


class CriticismModel:
    """A drafter's picture of the delegations, built from their criticism only.

    ``delegations`` fixes the order of the columns of :meth:`shortfalls`. Losses are stored
    sparsely (issue position → option index → loss) so that large integer issues cost nothing.
    """

    def __init__(self, agenda: Agenda, delegations: Sequence[str]) -> None:
        self.agenda = agenda
        self.delegations = tuple(delegations)
        count = len(self.delegations)
        self._losses: list[list[dict[int, float]]] = [[{} for _ in agenda.sizes] for _ in range(count)]
        self._red_lines: list[set[frozenset[tuple[int, int]]]] = [set() for _ in range(count)]
        self.slack = np.zeros(count)

    def loss(self, delegation: int, position: int, option: int) -> float | None:
        """The learned loss of ``option`` on the issue at ``position`` (``None`` when unknown)."""
        return self._losses[delegation][position].get(option)

    def take(self, draft: Outcome, critiques: Mapping[str, Any]) -> None:
        """Fold in the criticism of ``draft``: ``{delegation: {issue: [value, intensity]}}``."""
        held = self.agenda.choices_of(draft)
        for delegation, name in enumerate(self.delegations):
            if name in critiques:
                self._take_one(delegation, held, _requests(self.agenda, critiques[name]))

    def _take_one(
        self, delegation: int, held: tuple[int, ...], requests: dict[int, tuple[int, float]]
    ) -> None:
        losses = self._losses[delegation]
        if not requests:
            self.slack[delegation] = max(self.slack[delegation], self._estimate(delegation, held))
            return
        flagged = {position for position, (_, intensity) in requests.items() if intensity >= _FLAG}
        for position, (wanted, _) in requests.items():
            losses[position][wanted] = 0.0
        for position, option in enumerate(held):
            if position not in requests:
                losses[position][option] = 0.0
        if flagged:
            self._red_lines[delegation].add(frozenset((position, held[position]) for position in flagged))
            for position, (_, intensity) in requests.items():
                if position not in flagged:
                    losses[position].setdefault(held[position], intensity)
            return
        # Intensities are the losses times one pressure (the delegation's shortfall over its
        # total loss): estimate it from the losses already known, then learn the others.
        known = [
            (intensity, losses[position].get(held[position])) for position, (_, intensity) in requests.items()
        ]
        said = sum(intensity for intensity, loss in known if loss)
        meant = sum(loss for _, loss in known if loss)
        pressure = min(1.0, said / meant) if said > 0 and meant > 0 else 1.0
        for position, (_, intensity) in requests.items():
            if not losses[position].get(held[position]):
                losses[position][held[position]] = intensity / pressure
        shortfall = sum(intensity for _, intensity in requests.values())
        self.slack[delegation] = max(0.0, self._estimate(delegation, held) - shortfall)

    def _estimate(self, delegation: int, held: Sequence[int]) -> float:
        losses = self._losses[delegation]
        return sum(losses[position].get(option, 0.0) for position, option in enumerate(held))

    def shortfalls(self, choices: np.ndarray, *, unknown: float | None = 0.0) -> np.ndarray:
        """Predicted shortfalls ``(n, n_delegations)`` of packages ``choices: (n, n_issues)``.

        A delegation's shortfall is its estimated loss minus its slack; an option whose loss is
        not known yet costs ``unknown`` (``None``: the largest loss known on that issue, the
        cautious guess); a package holding a red line costs :data:`RED_LINE` more.
        """
        count = choices.shape[0]
        result = np.tile(-self.slack, (count, 1))
        for position, size in enumerate(self.agenda.sizes):
            column = choices[:, position]
            if size <= _DENSE:
                options, inverse = np.arange(size), column
            else:
                options, inverse = np.unique(column, return_inverse=True)
            for delegation, losses in enumerate(self._losses):
                table = losses[position]
                guess = max(table.values(), default=0.0) if unknown is None else unknown
                if size <= _DENSE:
                    known = np.full(size, guess)
                    for option, loss in table.items():
                        known[option] = loss
                else:
                    known = np.array([table.get(int(option), guess) for option in options])
                result[:, delegation] += known[inverse.reshape(-1)]
        for delegation, lines in enumerate(self._red_lines):
            for line in lines:
                holds = np.ones(count, dtype=bool)
                for position, option in line:
                    holds &= choices[:, position] == option
                result[holds, delegation] += RED_LINE
        return result


def _requests(agenda: Agenda, critique: Any) -> dict[int, tuple[int, float]]:
    """``{issue position: (wanted option index, intensity)}``, skipping what does not parse."""
    if isinstance(critique, Mapping) and "requests" in critique:
        critique = critique["requests"]
    items: list[tuple[Any, Any, Any]] = []
    if isinstance(critique, Mapping):
        items = [(issue, *value) for issue, value in critique.items() if isinstance(value, list | tuple)]
    else:
        items = [tuple(item) for item in critique or () if isinstance(item, list | tuple) and len(item) == 3]
    found: dict[int, tuple[int, float]] = {}
    for issue_name, value, intensity in items:
        try:
            position = agenda.position(str(issue_name))
            found[position] = (agenda.issues[position].index_of(value), float(intensity))
        except (KeyError, TypeError, ValueError):
            continue
    return found
