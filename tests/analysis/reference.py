"""Brute-force references for the analysis tests (kept out of the library on purpose)."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np

from accord.analysis import PARETO_TOLERANCE


def dominance_matrix(utilities: np.ndarray, tolerance: float = PARETO_TOLERANCE) -> np.ndarray:
    """``(n, n)`` bool: entry ``[a, b]`` is true when row ``a`` dominates row ``b``."""
    no_worse = (utilities[:, None, :] >= utilities[None, :, :] - tolerance).all(axis=2)
    better = (utilities[:, None, :] > utilities[None, :, :] + tolerance).any(axis=2)
    return no_worse & better


def brute_pareto_mask(utilities: np.ndarray, tolerance: float = PARETO_TOLERANCE) -> np.ndarray:
    if utilities.shape[0] == 0:
        return np.zeros(0, dtype=bool)
    return ~dominance_matrix(utilities, tolerance).any(axis=0)


def all_choices(sizes: Sequence[int]) -> np.ndarray:
    return np.array(list(itertools.product(*(range(size) for size in sizes))), dtype=np.int64).reshape(
        -1, len(sizes)
    )


def additive_utilities(tables: Sequence[np.ndarray], choices: np.ndarray) -> np.ndarray:
    total = np.zeros((choices.shape[0], tables[0].shape[1]))
    for position, table in enumerate(tables):
        total = total + table[choices[:, position]]
    return total
