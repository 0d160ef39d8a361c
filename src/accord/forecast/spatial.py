"""KTAB's Spatial Model of Politics (SMP): actors challenge, bargain and move until positions settle.

Each state of the model is the actors' positions. From a state the model

1. measures how far every actor's ideal (its current position) is from every other position,
   weighting dimensions by the actor's salience;
2. infers each actor's risk attitude from how likely its position is to win a probabilistic
   Condorcet election among all positions, and how each actor estimates the others';
3. lets every actor pick the target whose challenge promises it the largest expected gain,
   judging third parties' likely support, and interpolate a bargain between the two positions;
4. holds, for every actor, an election among the bargains involving it (and the status quo);
   the winning bargain (or a draw, if transitions are stochastic) is the actor's next position.

The run stops when a step moves the actors much less than the first step did.

>>> from accord.forecast.actors import ActorTable
>>> table = ActorTable(
...     actors=("ministry", "union", "industry"), dimensions=("tax", "pace"),
...     capability=np.array([300.0, 20.0, 20.0]),
...     positions=np.array([[20.0, 30.0], [60.0, 50.0], [80.0, 90.0]]),
...     salience=np.array([[0.5, 0.5], [0.5, 0.3], [0.5, 0.2]]),
... )
>>> result = spatial_model(table)
>>> result.model, len(result.rounds), result.forecast.round(1).tolist()
('spatial', 4, [20.3, 30.1])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.forecast.actors import ActorTable, ForecastResult, ForecastRound
from accord.forecast.spatial_settings import SpatialSettings
from accord.forecast.spatial_voting import (
    coalition_strengths,
    election_probabilities,
    estimated_risk_attitudes,
    option_probabilities,
    risk_attitudes,
    risk_utility,
    salience_distances,
    sequential_sum,
    votes,
)

__all__ = ["SpatialSettings", "spatial_model"]

#: Every challenge coalition starts with this strength, so that no probability is 0/0.
MINIMUM_CHALLENGE_COALITION = 1e-10
#: Expected gains at or below this are not worth a challenge.
MINIMUM_GAIN = 1e-5


@dataclass(frozen=True, slots=True)
class _Assessment:
    """What every actor believes in one state.

    ``utilities[h, i, j]``: actor ``h``'s estimate of the utility to ``i`` of ``j``'s position;
    ``risk: (n_actors,)``; ``win_probability: (n_actors,)`` the chance each actor's position
    (shared by equivalent positions) wins; ``unique: (n_unique,)`` first actor of each distinct
    position; ``unique_probability: (n_unique,)``.
    """

    utilities: np.ndarray
    risk: np.ndarray
    win_probability: np.ndarray
    unique: np.ndarray
    unique_probability: np.ndarray


@dataclass(frozen=True, slots=True)
class _Bargain:
    """Positions ``initiator`` and ``receiver`` would adopt; the same actor twice is the status quo."""

    initiator: int
    receiver: int
    initiator_position: np.ndarray
    receiver_position: np.ndarray


def _unique_positions(positions: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """First actor of each distinct position, and for each actor the last distinct position
    it is equivalent to (as KTAB looks them up)."""
    unique: list[int] = []
    for actor in range(positions.shape[0]):
        if not any(np.linalg.norm(positions[actor] - positions[k]) < tolerance for k in unique):
            unique.append(actor)
    equivalent = np.zeros(positions.shape[0], dtype=int)
    for actor in range(positions.shape[0]):
        for index, k in enumerate(unique):
            if np.linalg.norm(positions[actor] - positions[k]) < tolerance:
                equivalent[actor] = index
    return np.array(unique, dtype=int), equivalent


def _assess(
    positions: np.ndarray, capability: np.ndarray, salience: np.ndarray, settings: SpatialSettings
) -> _Assessment:
    """Distances, risk attitudes, every actor's utility estimates and win probabilities."""
    distances = salience_distances(positions, positions, salience)
    neutral = risk_utility(distances, np.array(0.0))
    strengths = coalition_strengths(settings.voting_rule, capability, neutral)
    risk = risk_attitudes(
        option_probabilities(settings.probability_model, settings.victory_model, strengths),
        settings.risk_range,
    )
    estimated = estimated_risk_attitudes(risk, settings.risk_adjustment)
    utilities = risk_utility(distances[None, :, :], estimated[:, :, None])
    unique, equivalent = _unique_positions(positions, settings.position_tolerance)
    own = np.einsum("iij->ij", utilities)
    unique_probability = election_probabilities(
        capability,
        own[:, unique],
        rule="proportional",
        victory=settings.victory_model,
        model=settings.probability_model,
    )
    return _Assessment(utilities, risk, unique_probability[equivalent], unique, unique_probability)


def _challenge_outlook(
    estimate: np.ndarray,
    weights: np.ndarray,
    total_salience: np.ndarray,
    affected: int,
    initiator: int,
    targets: np.ndarray,
    settings: SpatialSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """One actor's view of ``initiator`` challenging each of ``targets``.

    ``estimate[i, j]``: that actor's estimate of the utility to ``i`` of ``j``'s position;
    ``weights: (n_actors,)`` capability × total salience. Returns, per target, the probability
    the initiator wins and the expected change in utility to ``affected`` versus the status quo.
    """
    rule = settings.voting_rule
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
    commitment = settings.third_party_commitment
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


def _round4(values: np.ndarray) -> np.ndarray:
    return np.asarray(np.trunc(0.5 + values * 10000.0) / 10000.0)


def _interpolate(
    first: np.ndarray,
    first_salience: np.ndarray,
    first_probability: float,
    second: np.ndarray,
    second_salience: np.ndarray,
    second_probability: float,
    settings: SpatialSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """The positions two actors would adopt in a bargain, dimension by dimension."""
    minimum_weight = 1e-6
    if settings.bargain_interpolation == "s2pmax":
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
    power = 1 if settings.bargain_interpolation == "s1p1" else 2
    weight_first = (first_salience**power) * (first_probability**power)
    weight_second = (second_salience**power) * (second_probability**power)
    total = weight_first + minimum_weight + weight_second
    return (
        _round4(((weight_first + minimum_weight) * first + weight_second * second) / total),
        _round4((weight_first * first + (minimum_weight + weight_second) * second) / total),
    )


def _bargain_utilities(
    bargains: list[_Bargain],
    positions: np.ndarray,
    salience: np.ndarray,
    assessment: _Assessment,
) -> np.ndarray:
    """``utilities[a, m]``: actor ``a``'s mean utility over all positions after bargain ``m``."""
    n_actors = positions.shape[0]
    own = np.einsum("iij->ij", assessment.utilities)
    columns = []
    for bargain in bargains:
        if bargain.initiator == bargain.receiver:
            columns.append(sequential_sum(own) / n_actors)
            continue
        moved = np.stack([bargain.initiator_position, bargain.receiver_position])
        moved_utility = risk_utility(
            salience_distances(positions, moved, salience), assessment.risk[:, None]
        )
        kept = np.delete(own, [bargain.initiator, bargain.receiver], axis=1)
        columns.append(sequential_sum(np.concatenate([moved_utility, kept], axis=1)) / n_actors)
    return np.stack(columns, axis=1)


def _step(
    positions: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    assessment: _Assessment,
    settings: SpatialSettings,
    generator: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Next positions ``(n_actors, n_dimensions)``, each actor's target (−1 for none) and the
    expected gain it saw in that challenge."""
    n_actors = positions.shape[0]
    total_salience = sequential_sum(salience)
    weights = total_salience * capability
    bargains: list[list[_Bargain]] = [[] for _ in range(n_actors)]
    targets = np.full(n_actors, -1)
    gains = np.zeros(n_actors)
    for i in range(n_actors):
        bargains[i].append(_Bargain(i, i, positions[i], positions[i]))
        others = np.array([j for j in range(n_actors) if j != i])
        estimate = assessment.utilities[i]
        win, gain = _challenge_outlook(
            estimate, weights, total_salience, i, i, others, settings
        )
        worthwhile = gain > MINIMUM_GAIN
        if not worthwhile.any():
            continue
        best = int(np.argmax(np.where(worthwhile, gain, -np.inf)))
        j, probability = int(others[best]), float(win[best])
        targets[i], gains[i] = j, gain[best]
        pair = (positions[i], salience[i], positions[j], salience[j])
        own_view = _interpolate(pair[0], pair[1], probability, pair[2], pair[3], 1 - probability,
                                settings)
        offered = [_Bargain(i, j, *own_view)]
        if settings.bargain_model != "initiator-only":
            # KTAB takes the target's expected gain to i from the challenge as the target's
            # estimate of i's chance; reproduced here as KTAB computes it.
            _, target_view_of_gain = _challenge_outlook(
                assessment.utilities[j], weights, total_salience, i, i, np.array([j]), settings
            )
            seen = float(target_view_of_gain[0])
            target_view = _interpolate(pair[0], pair[1], seen, pair[2], pair[3], 1 - seen, settings)
            if settings.bargain_model == "initiator-and-receiver":
                offered.append(_Bargain(i, j, *target_view))
            else:
                weight_i = capability[i] * total_salience[i]
                weight_j = capability[i] * total_salience[j]  # KTAB's weighting, as written there
                offered = [
                    _Bargain(
                        i, j,
                        (weight_i * own_view[0] + weight_j * target_view[0]) / (weight_i + weight_j),
                        (weight_i * own_view[1] + weight_j * target_view[1]) / (weight_i + weight_j),
                    )
                ]
        bargains[i].extend(offered)
        bargains[j].extend(offered)

    following = np.empty_like(positions)
    for k in range(n_actors):
        utilities = _bargain_utilities(bargains[k], positions, salience, assessment)
        chances = election_probabilities(
            capability,
            utilities,
            rule=settings.voting_rule,
            victory=settings.victory_model,
            model=settings.probability_model,
        )
        if settings.state_transitions == "deterministic":
            chosen = bargains[k][int(np.argmax(chances))]
        else:
            chosen = bargains[k][int(generator.choice(len(chances), p=chances))]
        following[k] = chosen.receiver_position if chosen.receiver == k else chosen.initiator_position
    return following, targets, gains


def _total_movement(before: np.ndarray, after: np.ndarray) -> float:
    difference = after - before
    return float(sequential_sum(np.sqrt(sequential_sum(difference * difference)))[()])


def spatial_model(
    table: ActorTable,
    *,
    settings: SpatialSettings = SpatialSettings(),  # noqa: B008 - frozen value object
    max_rounds: int = 100,
) -> ForecastResult:
    """Run KTAB's Spatial Model of Politics on ``table`` until positions settle.

    ``table.positions: (n_actors, n_dimensions)`` on ``table.scale``; ``table.salience`` in
    [0, 1]; ``table.capability: (n_actors,)`` positive. At most ``max_rounds`` steps are taken.

    Each ``ForecastRound`` (initial state first) holds every actor's position; ``median``,
    the expected outcome of the state (distinct positions weighted by their chance of winning
    the probabilistic Condorcet election); ``mean``, the capability × salience weighted mean;
    and in ``extra``: ``win_probability: (n_actors,)`` (the chance the actor's position wins,
    shared by actors at equivalent positions), ``risk_attitude: (n_actors,)``, and, for every
    state but the last, ``target: (n_actors,)`` (whom each actor challenged, −1 for nobody)
    and ``expected_gain: (n_actors,)``; from the second state on, ``fractional_change``
    (this step's movement over the first step's). ``forecast`` is the last state's ``median``.
    """
    n_actors, n_dimensions = table.positions.shape
    if n_actors < 2 or table.capability.shape != (n_actors,):
        raise ValueError("the spatial model needs at least two actors, one capability each")
    if table.salience.shape != (n_actors, n_dimensions) or n_dimensions < 1:
        raise ValueError("salience must have the shape of positions")
    if np.any(table.capability <= 0) or np.any(sequential_sum(table.salience) <= 0):
        raise ValueError("every actor needs a positive capability and some salience")
    if max_rounds < 1:
        raise ValueError("max_rounds must be at least 1")
    low, high = table.scale
    width = high - low
    capability = np.asarray(table.capability, dtype=float)
    salience = np.asarray(table.salience, dtype=float)
    generator = np.random.default_rng(settings.seed)

    history = [np.asarray((table.positions - low) / width, dtype=float)]
    assessments = [_assess(history[0], capability, salience, settings)]
    moves: list[tuple[np.ndarray, np.ndarray]] = []
    ratios: list[float] = []
    first_step = 0.0
    while True:
        following, targets, gains = _step(
            history[-1], capability, salience, assessments[-1], settings, generator
        )
        moves.append((targets, gains))
        history.append(following)
        assessments.append(_assess(following, capability, salience, settings))
        steps = len(history) - 1
        if steps == 1:
            first_step = _total_movement(history[0], history[1]) + settings.minimum_first_step
        ratios.append(_total_movement(history[-2], history[-1]) / first_step)
        quiet = ratios[-1] < settings.stopping_ratio
        if steps >= max_rounds or (steps >= settings.minimum_rounds and quiet):
            break

    rounds = []
    for state, (positions, assessment) in enumerate(zip(history, assessments, strict=True)):
        influence = capability[:, None] * salience
        extra: dict[str, object] = {
            "win_probability": assessment.win_probability,
            "risk_attitude": assessment.risk,
        }
        if state < len(moves):
            extra["target"], extra["expected_gain"] = moves[state]
        if state > 0:
            extra["fractional_change"] = ratios[state - 1]
        expected = assessment.unique_probability @ positions[assessment.unique]
        rounds.append(
            ForecastRound(
                positions=low + positions * width,
                median=low + expected * width,
                mean=low + (sequential_sum(influence.T * positions.T) / sequential_sum(influence.T))
                * width,
                extra=extra,
            )
        )
    final_median = rounds[-1].median
    assert final_median is not None
    return ForecastResult(
        model="spatial",
        actors=table.actors,
        dimensions=table.dimensions,
        forecast=final_median,
        rounds=tuple(rounds),
        settings={**settings.as_dict(), "max_rounds": max_rounds},
    )
