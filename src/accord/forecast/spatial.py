"""KTAB's Spatial Model of Politics (SMP): actors challenge, bargain and move until positions settle.

Each state of the model is the actors' positions. From a state the model

1. measures how far every actor's ideal (its current position, or where KTAB's ideal
   adjustment has moved it) is from every other position, weighting dimensions by the
   actor's salience;
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

from accord.errors import ArgumentError, ForecastDataError
from accord.forecast.actors import ActorTable, ForecastResult, ForecastRound
from accord.forecast.spatial_challenges import challenge_outlook, interpolate_bargain
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
)

__all__ = ["SpatialSettings", "spatial_model"]

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
    difference = positions[:, None, :] - positions[None, :, :]
    same = np.sqrt(sequential_sum(difference * difference)) < tolerance
    unique: list[int] = []
    for actor in range(positions.shape[0]):
        if not same[actor, unique].any():
            unique.append(actor)
    # the last distinct position each actor is equivalent to
    equivalent = len(unique) - 1 - np.argmax(same[:, unique[::-1]], axis=1)
    return np.array(unique, dtype=int), equivalent


def _assess(
    positions: np.ndarray,
    ideals: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    settings: SpatialSettings,
) -> _Assessment:
    """Distances from each ideal to every position, risk attitudes, every actor's utility
    estimates and win probabilities."""
    distances = salience_distances(ideals, positions, salience)
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


def _bargain_utilities(
    bargains: list[_Bargain],
    positions: np.ndarray,
    salience: np.ndarray,
    assessment: _Assessment,
    known: dict[int, np.ndarray],
) -> np.ndarray:
    """``utilities[a, m]``: actor ``a``'s mean utility over all positions after bargain ``m``
    (``known`` keeps the columns already worked out, by bargain identity)."""
    n_actors = positions.shape[0]
    own = np.einsum("iij->ij", assessment.utilities)
    for bargain in bargains:
        if id(bargain) in known:
            continue
        if bargain.initiator == bargain.receiver:
            known[id(bargain)] = sequential_sum(own) / n_actors
            continue
        moved = np.stack([bargain.initiator_position, bargain.receiver_position])
        moved_utility = risk_utility(salience_distances(positions, moved, salience), assessment.risk[:, None])
        kept = np.delete(own, [bargain.initiator, bargain.receiver], axis=1)
        known[id(bargain)] = sequential_sum(np.concatenate([moved_utility, kept], axis=1)) / n_actors
    return np.stack([known[id(bargain)] for bargain in bargains], axis=1)


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
    rule, commitment = settings.voting_rule, settings.third_party_commitment
    mixing = settings.bargain_interpolation
    bargains: list[list[_Bargain]] = [[] for _ in range(n_actors)]
    targets = np.full(n_actors, -1)
    gains = np.zeros(n_actors)
    for i in range(n_actors):
        bargains[i].append(_Bargain(i, i, positions[i], positions[i]))
        others = np.array([j for j in range(n_actors) if j != i])
        estimate = assessment.utilities[i]
        win, gain = challenge_outlook(
            estimate,
            weights,
            total_salience,
            affected=i,
            initiator=i,
            targets=others,
            rule=rule,
            commitment=commitment,
        )
        worthwhile = gain > MINIMUM_GAIN
        if not worthwhile.any():
            continue
        best = int(np.argmax(np.where(worthwhile, gain, -np.inf)))
        j, probability = int(others[best]), float(win[best])
        targets[i], gains[i] = j, gain[best]
        pair = (positions[i], salience[i], positions[j], salience[j])
        own_view = interpolate_bargain(*pair[:2], probability, *pair[2:], 1 - probability, mixing)
        offered = [_Bargain(i, j, *own_view)]
        if settings.bargain_model != "initiator-only":
            # KTAB takes the target's expected gain to i from the challenge as the target's
            # estimate of i's chance; reproduced here as KTAB computes it.
            _, target_view_of_gain = challenge_outlook(
                assessment.utilities[j],
                weights,
                total_salience,
                affected=i,
                initiator=i,
                targets=np.array([j]),
                rule=rule,
                commitment=commitment,
            )
            seen = float(target_view_of_gain[0])
            target_view = interpolate_bargain(*pair[:2], seen, *pair[2:], 1 - seen, mixing)
            if settings.bargain_model == "initiator-and-receiver":
                offered.append(_Bargain(i, j, *target_view))
            else:
                weight_i = capability[i] * total_salience[i]
                weight_j = capability[i] * total_salience[j]  # KTAB's weighting, as written there
                offered = [
                    _Bargain(
                        i,
                        j,
                        (weight_i * own_view[0] + weight_j * target_view[0]) / (weight_i + weight_j),
                        (weight_i * own_view[1] + weight_j * target_view[1]) / (weight_i + weight_j),
                    )
                ]
        bargains[i].extend(offered)
        bargains[j].extend(offered)

    following = np.empty_like(positions)
    known: dict[int, np.ndarray] = {}
    for k in range(n_actors):
        utilities = _bargain_utilities(bargains[k], positions, salience, assessment, known)
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


def _forecast_round(
    state: int,
    positions: np.ndarray,
    assessment: _Assessment,
    moves: list[tuple[np.ndarray, np.ndarray]],
    ratios: list[float],
    table: ActorTable,
) -> ForecastRound:
    """One state as reported: positions back on the table's scale, and what was seen in it."""
    low, high = table.scale
    extra: dict[str, object] = {
        "win_probability": assessment.win_probability,
        "risk_attitude": assessment.risk,
    }
    if state < len(moves):
        extra["target"], extra["expected_gain"] = moves[state]
    if state > 0:
        extra["fractional_change"] = ratios[state - 1]
    expected = assessment.unique_probability @ positions[assessment.unique]
    influence = (table.capability[:, None] * table.salience).T  # (n_dimensions, n_actors)
    total = sequential_sum(influence)
    weighted = sequential_sum(influence * positions.T)
    mean = np.where(total > 0, weighted / np.where(total > 0, total, 1.0), positions.mean(axis=0))
    return ForecastRound(
        positions=low + positions * (high - low),
        median=low + expected * (high - low),
        mean=low + mean * (high - low),
        extra=extra,
    )


def _check_table(table: ActorTable) -> None:
    """Raise ``ForecastDataError`` naming the field when ``table`` cannot be run."""
    n_actors = len(table.actors)
    checks = [
        ("actors", n_actors >= 2, "the spatial model needs at least two actors"),
        ("dimensions", len(table.dimensions) >= 1, "needs at least one dimension"),
        ("capability", np.shape(table.capability) == (n_actors,), "needs one value per actor"),
        (
            "positions",
            np.shape(table.positions) == (n_actors, len(table.dimensions)),
            "needs one row per actor and one column per dimension",
        ),
        ("salience", np.shape(table.salience) == np.shape(table.positions), "must match positions"),
        ("scale", table.scale[1] > table.scale[0], "must run from low to high"),
    ]
    for field, passed, reason in checks:
        if not passed:
            raise ForecastDataError(table.source, field, reason)
    values = [("capability", table.capability), ("positions", table.positions)]
    for field, array in [*values, ("salience", table.salience)]:
        if not np.all(np.isfinite(array)):
            raise ForecastDataError(table.source, field, "must be finite numbers")
    if np.any(table.capability < 0) or not np.any(table.capability > 0):
        raise ForecastDataError(table.source, "capability", "must be >= 0 and not all zero")
    if np.any(table.salience < 0) or np.any(table.salience > 1):
        raise ForecastDataError(table.source, "salience", "must lie in [0, 1]")
    if table.accommodation is not None:
        accommodation = np.asarray(table.accommodation, dtype=float)
        if accommodation.shape != (n_actors, n_actors):
            raise ForecastDataError(table.source, "accommodation", "needs one row and one column per actor")
        if not np.all(np.isfinite(accommodation)) or np.any(accommodation < 0) or np.any(accommodation > 1):
            raise ForecastDataError(table.source, "accommodation", "every share must lie in [0, 1]")
        totals = sequential_sum(accommodation)
        for row in np.flatnonzero(totals > 1.0 + 1e-9):
            raise ForecastDataError(
                table.source,
                f"accommodation of {table.actors[row]}",
                f"the shares add up to {totals[row]:g}, more than 1",
            )


def _adjusted_ideals(
    ideals: np.ndarray, positions: np.ndarray, accommodation: np.ndarray | None
) -> np.ndarray:
    """Each actor's ideal after a step: ``accommodation[i, j]`` of actor ``j``'s new position,
    and what is left of its old ideal (KTAB's ideal adjustment). ``None``: the new positions."""
    if accommodation is None:
        return positions
    kept = 1.0 - np.minimum(sequential_sum(accommodation), 1.0)
    adjusted: np.ndarray = accommodation @ positions + kept[:, None] * ideals
    return adjusted


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
    [0, 1]; ``table.capability: (n_actors,)`` at least 0, not all 0. At most ``max_rounds``
    steps are taken (0 gives the initial state alone). A table the model cannot run raises
    ``ForecastDataError`` naming the field. With the default settings the run reproduces
    KTAB's ``smpc`` state by state.

    Each ``ForecastRound`` (initial state first) holds every actor's position; ``median``,
    the expected outcome of the state (distinct positions weighted by their chance of winning
    the probabilistic Condorcet election); ``mean``, the capability × salience weighted mean;
    and in ``extra``: ``win_probability: (n_actors,)`` (the chance the actor's position wins,
    shared by actors at equivalent positions), ``risk_attitude: (n_actors,)``, and, for every
    state but the last, ``target: (n_actors,)`` (whom each actor challenged, −1 for nobody)
    and ``expected_gain: (n_actors,)``; from the second state on, ``fractional_change``
    (this step's movement over the first step's). ``forecast`` is the last state's ``median``.

    Utilities are measured from each actor's ideal. Without ``table.accommodation`` the ideal
    is the actor's current position; with it (KTAB's ``IdealAdjustment``), after each step
    actor ``i``'s ideal moves to ``Σ_j accommodation[i, j] × position_j`` plus
    ``1 − Σ_j accommodation[i, j]`` of its old ideal, starting from the initial positions.
    """
    _check_table(table)
    if max_rounds < 0:
        raise ArgumentError("max_rounds", "must not be negative")
    low, high = table.scale
    width = high - low
    capability = np.asarray(table.capability, dtype=float)
    salience = np.asarray(table.salience, dtype=float)
    generator = np.random.default_rng(settings.seed)

    history = [np.asarray((table.positions - low) / width, dtype=float)]
    ideals = history[0]
    assessments = [_assess(history[0], ideals, capability, salience, settings)]
    moves: list[tuple[np.ndarray, np.ndarray]] = []
    ratios: list[float] = []
    first_step = 0.0
    while len(history) - 1 < max_rounds:
        following, targets, gains = _step(
            history[-1], capability, salience, assessments[-1], settings, generator
        )
        moves.append((targets, gains))
        history.append(following)
        ideals = _adjusted_ideals(ideals, following, table.accommodation)
        assessments.append(_assess(following, ideals, capability, salience, settings))
        steps = len(history) - 1
        if steps == 1:
            first_step = _total_movement(history[0], history[1]) + settings.minimum_first_step
        ratios.append(_total_movement(history[-2], history[-1]) / first_step)
        quiet = ratios[-1] < settings.stopping_ratio
        if steps >= max_rounds or (steps >= settings.minimum_rounds and quiet):
            break

    rounds = tuple(
        _forecast_round(state, history[state], assessments[state], moves, ratios, table)
        for state in range(len(history))
    )
    return ForecastResult(
        model="spatial",
        actors=table.actors,
        dimensions=table.dimensions,
        forecast=low + (assessments[-1].unique_probability @ history[-1][assessments[-1].unique]) * width,
        rounds=rounds,
        settings={**settings.as_dict(), "max_rounds": max_rounds},
    )
