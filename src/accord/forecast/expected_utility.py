"""The expected-utility model of Bueno de Mesquita, as formalised by Scholz, Calbert & Smith (2011).

Each round, on each dimension separately:

1. **Risk exponents.** With every exponent at 1, actor *i*'s *danger* is the sum of
   the expected utilities of the others for challenging *i*. Scholz compares it with
   the danger of every other actor: ``R_i = (2 d_i - d_max - d_min) / (d_max - d_min)``
   and ``r_i = (1 - R_i/3) / (1 + R_i/3)`` (between 0.5 and 2).
2. **Probability of winning.** Actor *k* votes for position *a* over *b* with
   ``c_k s_k (|x_k - x_b|^r_k - |x_k - x_a|^r_k)`` (distances divided by the initial
   range). ``P(a, b)`` is the sum of the positive votes for *a* divided by a
   denominator (:attr:`ExpectedUtilitySettings.probability_denominator`).
3. **Expected utilities**, from the viewpoint of actor *i* (its exponent ``r_i``),
   of *a* challenging *b* at distance ``d = |x_a - x_b| / range``:
   ``EU = s_b (P U_s + (1-P) U_f) + (1 - s_b) U_s - [Q U_sq + (1-Q)(T U_b + (1-T) U_w)]``
   with ``U_s = 2 - 4 (0.5 - 0.5 d)^r``, ``U_f = 2 - 4 (0.5 + 0.5 d)^r``,
   ``U_sq = 2 - 4 (0.5)^r``, ``U_b, U_w = 2 - 4 (0.5 ∓ 0.25 (|x_i - μ| + |x_i - x_j|)/range)^r``
   (μ the current median).
4. **Offers.** Actor *i* compares ``EU_ij`` (it challenges *j*) with ``EU_ji`` (*j*
   challenges it). If ``EU_ji > EU_ij > 0`` *i* loses a confrontation and moves to
   ``x_j``; if ``EU_ji > 0 > EU_ij`` and ``EU_ji > |EU_ij|`` it compromises to
   ``x_i + (x_j - x_i) |EU_ij / EU_ji|``; the capitulation rule is a setting. *i*
   accepts one offer (confrontations first, then compromises, then capitulations) and
   all actors move at once.

The forecast is the weighted median (or mean) after the last round. The ``scholz``
preset reproduces the jmckib/dmasad code that matches Scholz et al.'s published runs,
including its known departures from the paper; ``published`` follows the paper's text.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

import numpy as np

from accord.errors import ArgumentError
from accord.forecast.actors import ActorTable, ForecastResult, ForecastRound
from accord.forecast.baseline import compromise_position, weighted_median

__all__ = [
    "EXPECTED_UTILITY_PRESETS",
    "ExpectedUtilitySettings",
    "expected_utility_model",
    "expected_utility_round",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpectedUtilitySettings:
    """Every disputed choice of the expected-utility model, named.

    - ``probability_denominator``: ``"all-pairs"`` divides the votes for *a* over *b*
      by the absolute votes over *every* pair of actors' positions (Scholz's code; small
      probabilities); ``"contest"`` by the absolute votes over *a* and *b* only, so
      that ``P(a, b) + P(b, a) = 1`` (the paper's text).
    - ``status_quo_probability`` (*Q*) and ``improvement_probability`` (*T*): the
      weight of the status quo, and the chance that, without a challenge, things get
      better for the challenger. Scholz uses ``Q = 1``, where *T* plays no part.
    - ``risk``: ``"relative-danger"`` (Scholz: an actor's danger compared with every
      actor's) or ``"neutral"`` (every exponent 1).
    - ``compromise_choice``: among several compromise offers, ``"lowest-weighted-position"``
      takes the one whose EU-weighted average of the two positions is lowest
      (Scholz's code), ``"least-move"`` the one that moves the actor least (the paper).
    - ``capitulation``: ``"never"`` (Scholz's code, where a typo makes the rule never
      fire) or ``"published"`` (``EU_ji > 0 > EU_ij`` and ``EU_ji < |EU_ij|``: move to
      ``x_j``).
    - ``rounds``: how many rounds to run; ``forecast``: report the final ``"median"``
      (BDM) or the final capability × salience weighted ``"mean"``.
    """

    probability_denominator: Literal["all-pairs", "contest"] = "all-pairs"
    status_quo_probability: float = 1.0
    improvement_probability: float = 1.0
    risk: Literal["relative-danger", "neutral"] = "relative-danger"
    compromise_choice: Literal["lowest-weighted-position", "least-move"] = "lowest-weighted-position"
    capitulation: Literal["never", "published"] = "never"
    rounds: int = 10
    forecast: Literal["median", "mean"] = "median"


#: Named settings: ``scholz`` (the code that reproduces Scholz et al.), ``published``
#: (the paper's text), and ``scholz-mean`` (Scholz's dynamics, forecasting the final mean).
EXPECTED_UTILITY_PRESETS: dict[str, ExpectedUtilitySettings] = {
    "published": ExpectedUtilitySettings(
        probability_denominator="contest",
        compromise_choice="least-move",
        capitulation="published",
    ),
    "scholz": ExpectedUtilitySettings(),
    "scholz-mean": ExpectedUtilitySettings(forecast="mean"),
}


def _vote_matrix(
    positions: np.ndarray, weights: np.ndarray, exponents: np.ndarray, span: float
) -> np.ndarray:
    """``votes[k, a, b]``: actor k's weighted vote for position a over position b.

    ``positions, weights, exponents: (n_actors,)``; returns ``(n_actors, n_actors, n_actors)``.
    """
    distance = (np.abs(positions[:, None] - positions[None, :]) / span) ** exponents[:, None]
    votes: np.ndarray = weights[:, None, None] * (distance[:, None, :] - distance[:, :, None])
    return votes


def _win_probability(
    positions: np.ndarray,
    weights: np.ndarray,
    exponents: np.ndarray,
    span: float,
    denominator: str,
) -> np.ndarray:
    """``P[a, b]``: the probability that a challenge by actor a against actor b succeeds."""
    votes = _vote_matrix(positions, weights, exponents, span)
    support = np.maximum(votes, 0.0).sum(axis=0)
    if denominator == "all-pairs":
        total: np.ndarray | float = float(np.abs(votes).sum())
    else:
        total = np.abs(votes).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        probability = np.where(np.asarray(total) > 0, support / total, 0.0)
    probability[positions[:, None] == positions[None, :]] = 0.0
    return np.asarray(probability, dtype=float)


def _challenge_utilities(
    positions: np.ndarray,
    salience: np.ndarray,
    probability: np.ndarray,
    exponents: np.ndarray,
    span: float,
    median: float,
    settings: ExpectedUtilitySettings,
) -> tuple[np.ndarray, np.ndarray]:
    """From each actor i's viewpoint: ``EU_ij`` (i challenges j) and ``EU_ji`` (j challenges i).

    Returns two ``(n_actors, n_actors)`` arrays indexed ``[i, j]``.
    """
    r = exponents[:, None]
    distance = np.abs(positions[:, None] - positions[None, :]) / span
    success = 2.0 - 4.0 * (0.5 - 0.5 * distance) ** r
    failure = 2.0 - 4.0 * (0.5 + 0.5 * distance) ** r
    status_quo = settings.status_quo_probability * (2.0 - 4.0 * 0.5**r)
    if settings.status_quo_probability != 1.0:
        away_from_median = np.abs(positions[:, None] - median)
        shift = 0.25 * (away_from_median + np.abs(positions[:, None] - positions[None, :])) / span
        better = 2.0 - 4.0 * (0.5 - shift) ** r
        worse = 2.0 - 4.0 * (0.5 + shift) ** r
        improvement = settings.improvement_probability
        status_quo = status_quo + (1.0 - settings.status_quo_probability) * (
            improvement * better + (1.0 - improvement) * worse
        )
    resist_j = salience[None, :]
    resist_i = salience[:, None]
    i_challenges_j = (
        resist_j * (probability * success + (1.0 - probability) * failure)
        + (1.0 - resist_j) * success
        - status_quo
    )
    j_challenges_i = (
        resist_i * (probability.T * success + (1.0 - probability.T) * failure)
        + (1.0 - resist_i) * success
        - status_quo
    )
    return i_challenges_j, j_challenges_i


def _risk_exponents(
    positions: np.ndarray,
    weights: np.ndarray,
    salience: np.ndarray,
    span: float,
    median: float,
    settings: ExpectedUtilitySettings,
) -> np.ndarray:
    count = positions.shape[0]
    neutral = np.ones(count)
    if settings.risk == "neutral":
        return neutral
    probability = _win_probability(positions, weights, neutral, span, settings.probability_denominator)
    _, j_challenges_i = _challenge_utilities(
        positions, salience, probability, neutral, span, median, settings
    )
    np.fill_diagonal(j_challenges_i, 0.0)
    danger = j_challenges_i.sum(axis=1)
    spread = danger.max() - danger.min()
    acceptance = (2.0 * danger - danger.max() - danger.min()) / spread if spread > 0 else np.zeros(count)
    return np.asarray((1.0 - acceptance / 3.0) / (1.0 + acceptance / 3.0), dtype=float)


def _choose_offers(
    positions: np.ndarray,
    i_challenges_j: np.ndarray,
    j_challenges_i: np.ndarray,
    settings: ExpectedUtilitySettings,
) -> list[tuple[str, int, float] | None]:
    """For each actor: the accepted offer as ``(type, counterpart, new position)``, or ``None``."""
    eu_ij, eu_ji = i_challenges_j, j_challenges_i
    differs = positions[:, None] != positions[None, :]
    confrontation = differs & (eu_ji > eu_ij) & (eu_ij > 0)
    threatened = differs & (eu_ji > 0) & (eu_ij < 0)
    compromise = threatened & (eu_ji > np.abs(eu_ij))
    if settings.capitulation == "published":
        capitulation = threatened & (eu_ji < np.abs(eu_ij))
    else:
        capitulation = np.zeros_like(threatened)
    with np.errstate(invalid="ignore", divide="ignore"):
        conceded = positions[:, None] + (positions[None, :] - positions[:, None]) * np.abs(eu_ij / eu_ji)
        weighted = (np.abs(eu_ij) * positions[:, None] + np.abs(eu_ji) * positions[None, :]) / (
            np.abs(eu_ij) + np.abs(eu_ji)
        )
    move_to_other = np.broadcast_to(positions[None, :], eu_ij.shape)
    offers: list[tuple[str, int, float] | None] = []
    for actor in range(positions.shape[0]):
        choice: tuple[str, int, float] | None = None
        for offer_type, allowed, target in (
            ("confrontation", confrontation, move_to_other),
            ("compromise", compromise, conceded),
            ("capitulation", capitulation, move_to_other),
        ):
            candidates = np.flatnonzero(allowed[actor])
            if candidates.size == 0:
                continue
            if offer_type == "compromise" and settings.compromise_choice == "lowest-weighted-position":
                key = weighted[actor, candidates]
            else:
                key = np.abs(positions[actor] - target[actor, candidates])
            best = int(candidates[int(np.argmin(key))])
            choice = (offer_type, best, float(target[actor, best]))
            break
        offers.append(choice)
    return offers


def expected_utility_round(
    positions: np.ndarray,
    capability: np.ndarray,
    salience: np.ndarray,
    *,
    span: float,
    settings: ExpectedUtilitySettings = ExpectedUtilitySettings(),
) -> tuple[np.ndarray, dict[str, Any]]:
    """One round on one dimension: the new positions, and what happened.

    ``positions, capability, salience: (n_actors,)`` (salience in [0, 1]); ``span`` is
    the range of the initial positions. Returns ``(new_positions: (n_actors,), details)``
    where ``details`` has ``risk_exponents: (n_actors,)``, ``win_probability``,
    ``eu_i_challenges_j``, ``eu_j_challenges_i: (n_actors, n_actors)`` and ``moves``:
    a list of ``(actor index, type, counterpart index, new position)``.

    >>> new, details = expected_utility_round(
    ...     np.array([0.0, 50.0, 100.0]), np.array([1.0, 1.0, 1.0]), np.array([0.5, 0.5, 0.5]),
    ...     span=100.0)
    >>> new.shape, len(details["risk_exponents"])
    ((3,), 3)
    """
    weights = capability * salience
    median = float(weighted_median(positions[:, None], weights[:, None])[0])
    exponents = _risk_exponents(positions, weights, salience, span, median, settings)
    probability = _win_probability(positions, weights, exponents, span, settings.probability_denominator)
    i_challenges_j, j_challenges_i = _challenge_utilities(
        positions, salience, probability, exponents, span, median, settings
    )
    offers = _choose_offers(positions, i_challenges_j, j_challenges_i, settings)
    new_positions = positions.copy()
    moves: list[tuple[int, str, int, float]] = []
    for actor, offer in enumerate(offers):
        if offer is not None:
            offer_type, other, target = offer
            new_positions[actor] = target
            moves.append((actor, offer_type, other, target))
    details: dict[str, Any] = {
        "risk_exponents": exponents,
        "win_probability": probability,
        "eu_i_challenges_j": i_challenges_j,
        "eu_j_challenges_i": j_challenges_i,
        "moves": moves,
    }
    return new_positions, details


def _check_settings(settings: ExpectedUtilitySettings) -> None:
    if settings.rounds < 0:
        raise ArgumentError("settings.rounds", f"must not be negative, got {settings.rounds}")
    for name in ("status_quo_probability", "improvement_probability"):
        if not 0.0 <= getattr(settings, name) <= 1.0:
            raise ArgumentError(f"settings.{name}", f"must lie in 0–1, got {getattr(settings, name)}")


def expected_utility_model(
    table: ActorTable,
    *,
    settings: ExpectedUtilitySettings = EXPECTED_UTILITY_PRESETS["scholz"],
    rounds: int | None = None,
) -> ForecastResult:
    """Run the expected-utility model on every dimension (each on its own) and forecast.

    ``rounds`` overrides ``settings.rounds``. The result has ``rounds + 1`` states
    (the initial one first); each state's ``extra`` holds per dimension the
    ``risk_exponents`` ``{actor: value}`` and ``moves`` (``actor``, ``type``,
    ``with``, ``eu_actor``, ``eu_other``, ``new_position``) of the round that led to it.

    >>> from accord.forecast.actors import ActorTable
    >>> table = ActorTable(("A", "B", "C"), ("d",), np.array([1.0, 1.0, 2.0]),
    ...                    np.array([[0.0], [40.0], [100.0]]), np.full((3, 1), 0.6))
    >>> result = expected_utility_model(table, rounds=3)
    >>> len(result.rounds), result.forecast.shape
    (4, (1,))
    """
    if rounds is not None:
        settings = replace(settings, rounds=rounds)
    _check_settings(settings)
    count, dimensions = table.positions.shape
    history = np.empty((settings.rounds + 1, count, dimensions))
    history[0] = table.positions
    extras: list[dict[str, Any]] = [{} for _ in range(settings.rounds)]
    for dimension in range(dimensions):
        capability = table.capability.astype(float)
        salience = table.salience[:, dimension].astype(float)
        current = table.positions[:, dimension].astype(float)
        span = float(current.max() - current.min())
        for round_index in range(settings.rounds):
            if span > 0:
                current, details = expected_utility_round(
                    current, capability, salience, span=span, settings=settings
                )
            else:
                details = {"risk_exponents": np.ones(count), "moves": [], "eu_i_challenges_j": None}
            history[round_index + 1, :, dimension] = current
            extras[round_index].setdefault("risk_exponents", {})[table.dimensions[dimension]] = dict(
                zip(table.actors, (float(value) for value in details["risk_exponents"]), strict=True)
            )
            extras[round_index].setdefault("moves", {})[table.dimensions[dimension]] = [
                {
                    "actor": table.actors[actor],
                    "type": offer_type,
                    "with": table.actors[other],
                    "eu_actor": float(details["eu_i_challenges_j"][actor, other]),
                    "eu_other": float(details["eu_j_challenges_i"][actor, other]),
                    "new_position": target,
                }
                for actor, offer_type, other, target in details["moves"]
            ]
    weights = table.capability[:, None] * table.salience
    states = tuple(
        ForecastRound(
            positions=history[index],
            median=weighted_median(history[index], weights),
            mean=compromise_position(history[index], table.capability, table.salience),
            extra=extras[index - 1] if index > 0 else {},
        )
        for index in range(settings.rounds + 1)
    )
    final = states[-1]
    forecast = final.median if settings.forecast == "median" else final.mean
    assert forecast is not None
    return ForecastResult(
        model="expected-utility",
        actors=table.actors,
        dimensions=table.dimensions,
        forecast=forecast,
        rounds=states,
        settings=asdict(settings),
    )
