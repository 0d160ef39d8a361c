"""Votes, coalitions and election probabilities of the spatial model (KTAB's SMP building blocks).

Pure numpy functions over arrays. Sums that KTAB accumulates one term at a time are
accumulated here in the same order (``np.cumsum`` rather than ``np.sum``), so that results
agree with KTAB's to the last bit and near-ties break the same way.

>>> utilities = np.array([[1.0, 0.2], [0.9, 0.4], [0.1, 1.0]])
>>> probabilities = election_probabilities(np.array([1.0, 1.0, 1.0]), utilities)
>>> probabilities.round(4).tolist()
[0.5909, 0.4091]
"""

from __future__ import annotations

import numpy as np

from accord.forecast.spatial_settings import (
    ProbabilityModel,
    RiskAdjustment,
    RiskRange,
    VictoryModel,
    VotingRule,
)

__all__ = [
    "coalition_strengths",
    "election_probabilities",
    "estimated_risk_attitudes",
    "option_probabilities",
    "risk_attitudes",
    "risk_utility",
    "salience_distances",
    "sequential_sum",
    "victory_probabilities",
    "votes",
]

#: Strength every coalition starts with, so that no probability is 0/0.
MINIMUM_COALITION = 1e-8
#: Election chances closer than this (largest − smallest) leave every actor risk-neutral.
EQUAL_CHANCES = 1e-12
#: Utility differences beyond this many units count as a full binary vote.
BINARY_VOTE_STEP = 1e-8


def sequential_sum(values: np.ndarray, axis: int = -1) -> np.ndarray:
    """Sum along ``axis`` adding one term at a time, left to right (as a C loop does).

    >>> float(sequential_sum(np.array([0.1, 0.2, 0.3])))
    0.6000000000000001
    """
    return np.asarray(np.take(np.cumsum(values, axis=axis), -1, axis=axis))


def votes(rule: VotingRule, weights: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Vote of weight ``weights`` for option ``first`` over ``second`` given their utilities.

    Arrays broadcast together; a positive vote favours ``first``.

    >>> votes("proportional", np.array(2.0), np.array(0.75), np.array(0.5)).item()
    0.5
    """
    difference = first - second
    if rule == "proportional":
        return np.asarray(weights * difference)
    binary = np.clip(difference / BINARY_VOTE_STEP, -1.0, 1.0)
    if rule == "binary":
        return np.asarray(weights * binary)
    if rule == "proportional-binary":
        return np.asarray(weights * ((1 - 0.2) * difference + 0.2 * binary))
    cubic = difference * difference * difference
    if rule == "proportional-cubic":
        return np.asarray(weights * ((1 - 0.5) * difference + 0.5 * cubic))
    if rule == "cubic":
        return np.asarray(weights * cubic)
    # asymmetric prospect: gains count two thirds as much as losses
    losses = np.where(difference < 0.0, weights * difference, 0.0)
    gains = np.where(difference > 0.0, (2.0 * weights * difference) / 3.0, 0.0)
    return np.asarray(losses + gains)


def coalition_strengths(rule: VotingRule, weights: np.ndarray, utilities: np.ndarray) -> np.ndarray:
    """``strengths[a, b]``: total vote for option ``a`` over option ``b``.

    ``weights: (n_actors,)``, ``utilities: (n_actors, n_options)``; returns
    ``(n_options, n_options)``. Each pair is voted once, as (later option : earlier option),
    and every coalition starts at ``MINIMUM_COALITION``.

    >>> utilities = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> coalition_strengths("proportional", np.array([1.0, 2.0]), utilities).round(3).tolist()
    [[0.0, 1.0], [2.0, 0.0]]
    """
    n_options = utilities.shape[1]
    later = np.tril(np.ones((n_options, n_options), dtype=bool), -1)
    vote = votes(rule, weights[:, None, None], utilities[:, :, None], utilities[:, None, :])
    start = np.full((1, n_options, n_options), MINIMUM_COALITION)
    # accumulate actor by actor (cumsum along the first axis adds in order)
    favour = sequential_sum(np.concatenate([start, np.where(vote > 0, vote, 0.0)]), axis=0)
    oppose = sequential_sum(np.concatenate([start, np.where(vote < 0, -vote, 0.0)]), axis=0)
    strengths = np.where(later, favour, oppose.T)
    np.fill_diagonal(strengths, MINIMUM_COALITION)
    return strengths


def victory_probabilities(model: VictoryModel, strengths: np.ndarray) -> np.ndarray:
    """``probabilities[a, b]``: chance option ``a`` beats ``b`` given coalition ``strengths``.

    ``strengths: (n, n)`` → ``(n, n)`` with ``p[a, b] + p[b, a] = 1`` and 0.5 on the diagonal.

    >>> victory_probabilities("linear", np.array([[1e-8, 3.0], [1.0, 1e-8]])).tolist()
    [[0.5, 0.75], [0.25, 0.5]]
    """
    first, second = strengths, strengths.T
    if model == "linear":
        x_first, x_second = first, second
    elif model == "square":
        x_first, x_second = first * first, second * second
    elif model in ("quartic", "octic"):
        x_first, x_second = (first * first) ** 2, (second * second) ** 2
        if model == "octic":
            x_first, x_second = x_first * x_first, x_second * x_second
    else:  # binary: a 10% advantage either way decides, linear in between
        threshold = 1.10
        ratio = first / (first + second)
        between = (ratio * (threshold + 1.0) - 1.0) / (threshold - 1.0)
        x_first = np.where(
            first >= threshold * second, 1.0, np.where(second >= threshold * first, 1e-6, between)
        )
        x_second = np.where(
            first >= threshold * second,
            1e-6,
            np.where(second >= threshold * first, 1.0, 1 - between),
        )
        # KTAB evaluates each pair once, with the later option first
        later = np.tril(np.ones(strengths.shape, dtype=bool), -1)
        x_first, x_second = np.where(later, x_first, x_second.T), np.where(later, x_second, x_first.T)
    probabilities = np.asarray(x_first / (x_first + x_second))
    np.fill_diagonal(probabilities, 0.5)
    return probabilities


def option_probabilities(model: ProbabilityModel, victory: VictoryModel, strengths: np.ndarray) -> np.ndarray:
    """Probability each option wins outright (probabilistic Condorcet election), ``(n,)``.

    ``conditional``: each option's chance of beating all others, normalised.
    ``markov-uniform`` / ``markov-incentive``: stationary distribution of a challenge
    process where challengers are uniform / in proportion to their incentive.
    """
    pairwise = victory_probabilities(victory, strengths)
    n_options = strengths.shape[0]
    if model == "conditional":
        product = np.ones(n_options)
        for column in range(n_options):
            product = product * pairwise[:, column]
        return np.asarray(product / sequential_sum(product))
    tolerance = 1e-6 if model == "markov-uniform" else 1e-8
    if model == "markov-incentive":
        incentive = strengths * pairwise + np.diag(np.full(n_options, 1e-10))
        challenge = incentive / sequential_sum(incentive, axis=0)[None, :]
    probability = np.full(n_options, 1.0 / n_options)
    for _ in range(1000):
        if model == "markov-uniform":
            updated = sequential_sum(pairwise * (probability[:, None] + probability[None, :])) / (n_options)
        else:
            flow = probability[:, None] * challenge.T
            updated = sequential_sum(pairwise * (flow + flow.T))
        change = float(np.max(np.abs(updated - probability)))
        probability = (probability + updated) / 2.0
        if not change > tolerance:
            return np.asarray(probability)
    raise ArithmeticError("the Markov election probabilities did not converge in 1000 steps")


def election_probabilities(
    weights: np.ndarray,
    utilities: np.ndarray,
    *,
    rule: VotingRule = "proportional",
    victory: VictoryModel = "linear",
    model: ProbabilityModel = "conditional",
) -> np.ndarray:
    """Probability each option wins when actors of ``weights: (n_actors,)`` vote over options
    with ``utilities: (n_actors, n_options)``; returns ``(n_options,)`` (KTAB's scalar PCE)."""
    return option_probabilities(model, victory, coalition_strengths(rule, weights, utilities))


def salience_distances(ideals: np.ndarray, positions: np.ndarray, salience: np.ndarray) -> np.ndarray:
    """``distances[i, j]``: salience-weighted distance from actor ``i``'s ideal to ``j``'s position.

    ``ideals``, ``positions``, ``salience``: ``(n_actors, n_dimensions)`` on a 0–1 scale; the
    distance is ``sqrt(Σ_d (s_id (x_id − x_jd))² / Σ_d s_id²)``, in [0, 1] (0 for an actor
    with no salience at all, which is indifferent).

    >>> salience_distances(np.array([[0.0, 0.0]]), np.array([[0.3, 1.0]]), np.array([[1.0, 0.0]]))
    array([[0.3]])
    """
    weighted = (ideals[:, None, :] - positions[None, :, :]) * salience[:, None, :]
    squared_distance = sequential_sum(weighted * weighted)
    squared_salience = np.broadcast_to(sequential_sum(salience * salience)[:, None], squared_distance.shape)
    ratio = np.divide(
        squared_distance, squared_salience, out=np.zeros_like(squared_distance), where=squared_salience > 0
    )
    return np.asarray(np.sqrt(ratio))


def risk_utility(distances: np.ndarray, risk: np.ndarray) -> np.ndarray:
    """Utility of a position at salience-weighted ``distances`` for risk attitude ``risk``
    (−1 risk-seeking … +1 risk-averse); arrays broadcast together.

    >>> risk_utility(np.array([0.0, 0.5, 1.0]), np.array(0.0)).tolist()
    [1.0, 0.5, 0.0]
    """
    inside = (1 - distances) * (1 + distances * risk)
    beyond = (1 - distances) * (1 + risk)
    return np.asarray(np.where(distances <= 1, inside, beyond))


def risk_attitudes(probabilities: np.ndarray, risk_range: RiskRange) -> np.ndarray:
    """Risk attitude inferred from each actor's chance of winning: the likeliest winner is the
    most risk-averse (+1), the least likely the most risk-seeking (0, −0.5 or −1 by range).

    When every chance is the same (all actors at one position) KTAB divides by zero; here
    every actor is then risk-neutral.

    >>> risk_attitudes(np.array([0.2, 0.3, 0.5]), "mid").round(3).tolist()
    [-0.5, -0.0, 1.0]
    """
    low, high = float(np.min(probabilities)), float(np.max(probabilities))
    if not high - low > EQUAL_CHANCES:
        return np.zeros_like(probabilities)
    if risk_range == "min":
        return np.asarray((probabilities - low) / (high - low))
    if risk_range == "mid":
        return np.asarray((3 * probabilities - (high + 2 * low)) / (2 * (high - low)))
    return np.asarray((2 * probabilities - (high + low)) / (high - low))


def estimated_risk_attitudes(risk: np.ndarray, adjustment: RiskAdjustment) -> np.ndarray:
    """``estimates[h, i]``: actor ``h``'s estimate of ``i``'s risk attitude, anchored on its own.

    >>> estimated_risk_attitudes(np.array([0.0, 0.9]), "one-third").round(3).tolist()
    [[0.0, 0.3], [0.6, 0.9]]
    """
    own, other = risk[:, None], risk[None, :]
    if adjustment == "full":
        estimates = other + 0.0 * own
    elif adjustment == "two-thirds":
        estimates = (own + (2.0 * other)) / 3.0
    elif adjustment == "half":
        estimates = (own + other) / 2
    elif adjustment == "one-third":
        estimates = ((2.0 * own) + other) / 3.0
    else:
        estimates = own + 0.0 * other
    return np.asarray(estimates)
