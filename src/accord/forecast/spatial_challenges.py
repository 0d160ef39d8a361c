"""How an actor sizes up a challenge, and the bargain two actors strike (KTAB's SMP).

>>> estimate = np.array([[1.0, 0.4, 0.6], [0.4, 1.0, 0.8], [0.6, 0.8, 1.0]])
>>> win, gain = challenge_outlook(
...     estimate, np.array([1.0, 0.5, 0.5]), np.array([0.5, 0.5, 0.5]),
...     affected=0, initiator=0, targets=np.array([1, 2]),
... )
>>> win.round(3).tolist(), gain.round(3).tolist()
([0.694, 0.714], [0.416, 0.286])
"""

from __future__ import annotations

import numpy as np

from accord.forecast.spatial_settings import BargainInterpolation, ThirdPartyCommitment, VotingRule
from accord.forecast.spatial_voting import sequential_sum, votes

__all__ = ["challenge_outlook", "interpolate_bargain"]

#: Every challenge coalition starts with this strength, so that no probability is 0/0.
MINIMUM_CHALLENGE_COALITION = 1e-10
#: Weight added to the first actor's side of a bargain, so that two indifferent actors keep
#: their positions.
MINIMUM_BARGAIN_WEIGHT = 1e-6


def challenge_outlook(
    estimate: np.ndarray,
    weights: np.ndarray,
    total_salience: np.ndarray,
    *,
    affected: int,
    initiator: int,
    targets: np.ndarray,
    rule: VotingRule = "proportional",
    commitment: ThirdPartyCommitment = "semi",
) -> tuple[np.ndarray, np.ndarray]:
    """One actor's view of ``initiator`` challenging each of ``targets``.

    ``estimate[i, j]``: that actor's estimate of the utility to ``i`` of ``j``'s position;
    ``weights: (n_actors,)`` capability × total salience. Returns, per target, the probability
    the initiator wins and the expected change in utility to ``affected`` versus the status quo.
    """
    i, j, k = initiator, targets, affected
    u_ii, u_ij, u_ji, u_jj = estimate[i, i], estimate[i, j], estimate[j, i], estimate[j, j]
    status_quo = estimate[k, i] + estimate[k, j]
    if_win = estimate[k, i] + estimate[k, i]
    if_lose = estimate[k, j] + estimate[k, j]
    from_initiator = votes(rule, weights[i], u_ii, u_ij)
    from_target = votes(rule, weights[j], u_ji, u_jj)
    for_initiator = np.full(j.shape, MINIMUM_CHALLENGE_COALITION)
    for_target = np.full(j.shape, MINIMUM_CHALLENGE_COALITION)
    for contribution in (from_initiator, from_target):
        for_initiator = for_initiator + np.where(contribution > 0.0, contribution, 0.0)
        for_target = for_target - np.where(contribution < 0.0, contribution, 0.0)

    # third parties each judge a little contest of the two principals and themselves
    n_actors = estimate.shape[0]
    others = np.arange(n_actors)[None, :]
    u_ni, u_nj = estimate[:, i].T, estimate[:, j].T  # (n_targets, n_actors)
    u_nn = np.diag(estimate)[None, :]
    own_vote = votes(rule, weights[None, :], u_ni, u_nj)
    side_i = for_initiator[:, None] + np.where(own_vote > 0, own_vote, 0.0)
    side_j = for_target[:, None] - np.where(own_vote < 0, own_vote, 0.0)
    p_i = side_i / (side_i + side_j)
    p_j = 1.0 - p_i
    joins_i_wins = u_ni + u_ni + (u_ni if commitment == "full" else u_nn)
    j_beats_joined_i = u_nj + u_nj + (u_nn if commitment == "none" else u_nj)
    i_beats_joined_j = u_ni + u_ni + (u_nn if commitment == "none" else u_ni)
    joins_j_wins = u_nj + u_nj + (u_nj if commitment == "full" else u_nn)
    with_i = (p_i * joins_i_wins) + (p_j * j_beats_joined_i)
    with_j = (p_i * i_beats_joined_j) + (p_j * joins_j_wins)
    third = votes(rule, weights[None, :], with_i, with_j)
    is_third = (others != i) & (others != j[:, None])
    third = np.where(is_third, third, 0.0)
    for_initiator = sequential_sum(
        np.concatenate([for_initiator[:, None], np.where(third > 0, third, 0.0)], axis=1)
    )
    for_target = sequential_sum(
        np.concatenate([for_target[:, None], np.where(third < 0, -third, 0.0)], axis=1)
    )

    win = for_initiator / (for_initiator + for_target)
    lose = for_target / (for_initiator + for_target)
    contest = win * if_win + lose * if_lose
    s_j = total_salience[j]
    challenge = (1 - s_j) * if_win + s_j * contest
    return win, challenge - status_quo


def _round_to_4_places(values: np.ndarray) -> np.ndarray:
    return np.asarray(np.trunc(0.5 + values * 10000.0) / 10000.0)


def interpolate_bargain(
    first: np.ndarray,
    first_salience: np.ndarray,
    first_probability: float,
    second: np.ndarray,
    second_salience: np.ndarray,
    second_probability: float,
    interpolation: BargainInterpolation = "s2p2",
) -> tuple[np.ndarray, np.ndarray]:
    """The positions two actors would adopt in a bargain, dimension by dimension."""
    minimum_weight = MINIMUM_BARGAIN_WEIGHT
    if interpolation == "s2pmax":
        lag_first = max(0.0, second_probability - first_probability)
        lag_second = max(0.0, first_probability - second_probability)
        sq_first, sq_second = first_salience * first_salience, second_salience * second_salience
        move_first = (lag_first * sq_second) / (
            (lag_first * sq_second) + minimum_weight + ((1 - lag_first) * sq_first)
        )
        move_second = (lag_second * sq_first) / (
            (lag_second * sq_first) + minimum_weight + ((1 - lag_second) * sq_second)
        )
        return first + move_first * (second - first), second + move_second * (first - second)
    power = 1 if interpolation == "s1p1" else 2
    weight_first = (first_salience**power) * (first_probability**power)
    weight_second = (second_salience**power) * (second_probability**power)
    total = weight_first + minimum_weight + weight_second
    return (
        _round_to_4_places(((weight_first + minimum_weight) * first + weight_second * second) / total),
        _round_to_4_places((weight_first * first + (minimum_weight + weight_second) * second) / total),
    )
