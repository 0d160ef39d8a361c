"""Settings of the spatial model of politics (KTAB's SMP), as one frozen value object.

The defaults are KTAB's deterministic configuration, the one its command-line
``smpc`` uses for CSV input: linear victory probabilities, proportional voting,
conditional probabilistic Condorcet election, deterministic state transitions,
the middle range of risk attitudes adjusted one third of the way, semi-committed
third parties, (salience² × probability²) interpolation of bargains, and the
initiator's bargain offered to both parties.

>>> settings = SpatialSettings()
>>> settings.voting_rule, settings.probability_model, settings.state_transitions
('proportional', 'conditional', 'deterministic')
>>> SpatialSettings.from_ktab_names({"VotingRule": "PropCbc", "PCEModel": "MarkovIncentive"}).voting_rule
'proportional-cubic'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal, get_args

__all__ = [
    "KTAB_NAMES",
    "BargainInterpolation",
    "BargainModel",
    "ProbabilityModel",
    "RiskAdjustment",
    "RiskRange",
    "SpatialSettings",
    "StateTransitions",
    "ThirdPartyCommitment",
    "VictoryModel",
    "VotingRule",
]

VictoryModel = Literal["linear", "square", "quartic", "octic", "binary"]
VotingRule = Literal[
    "binary",
    "proportional-binary",
    "proportional",
    "proportional-cubic",
    "cubic",
    "asymmetric-prospect",
]
ProbabilityModel = Literal["conditional", "markov-incentive", "markov-uniform"]
StateTransitions = Literal["deterministic", "stochastic"]
RiskRange = Literal["min", "mid", "max"]
RiskAdjustment = Literal["full", "two-thirds", "half", "one-third", "none"]
ThirdPartyCommitment = Literal["full", "semi", "none"]
BargainInterpolation = Literal["s1p1", "s2p2", "s2pmax"]
BargainModel = Literal["initiator-only", "initiator-and-receiver", "power-weighted-compromise"]

# KTAB's spelling of each setting (as in its logs and XML) -> (field, {KTAB name: value}).
KTAB_NAMES: dict[str, tuple[str, dict[str, str]]] = {
    "VictoryProbModel": (
        "victory_model",
        {"Linear": "linear", "Square": "square", "Quartic": "quartic", "Octic": "octic", "Binary": "binary"},
    ),
    "VotingRule": (
        "voting_rule",
        {
            "Binary": "binary",
            "PropBin": "proportional-binary",
            "Prop": "proportional",
            "PropCbc": "proportional-cubic",
            "Cubic": "cubic",
            "ASymProsp": "asymmetric-prospect",
        },
    ),
    "PCEModel": (
        "probability_model",
        {
            "Conditional": "conditional",
            "MarkovIncentive": "markov-incentive",
            "MarkovUniform": "markov-uniform",
        },
    ),
    "StateTransitions": (
        "state_transitions",
        {"Deterministic": "deterministic", "Stochastic": "stochastic"},
    ),
    "BigRRange": ("risk_range", {"Min": "min", "Mid": "mid", "Max": "max"}),
    "BigRAdjust": (
        "risk_adjustment",
        {
            "Full": "full",
            "TwoThirds": "two-thirds",
            "Half": "half",
            "OneThird": "one-third",
            "None": "none",
            "NoRA": "none",
        },
    ),
    "ThirdPartyCommit": (
        "third_party_commitment",
        {"FullCommit": "full", "SemiCommit": "semi", "NoCommit": "none"},
    ),
    "InterVecBrgn": ("bargain_interpolation", {"S1P1": "s1p1", "S2P2": "s2p2", "S2PMax": "s2pmax"}),
    "BargnModel": (
        "bargain_model",
        {
            "InitOnlyInterp": "initiator-only",
            "InitRcvrInterp": "initiator-and-receiver",
            "PWCompInterp": "power-weighted-compromise",
        },
    ),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class SpatialSettings:
    """How the spatial model turns utilities into votes, probabilities and moves.

    ``victory_model``: how coalition strengths become the probability that one option beats
    another (KTAB ``VictoryProbModel``). ``voting_rule``: how an actor's utility difference
    becomes a vote (``VotingRule``). ``probability_model``: how pairwise victory
    probabilities become the probability that each option wins outright (``PCEModel``).
    ``state_transitions``: whether each actor takes its most probable bargain or draws one
    (``StateTransitions``; ``seed`` seeds the draw). ``risk_range`` and ``risk_adjustment``:
    the range of inferred risk attitudes and how far an actor's estimate of another's risk
    attitude moves from its own (``BigRRange``, ``BigRAdjust``). ``third_party_commitment``:
    how far a third party commits to the side it joins (``ThirdPartyCommit``).
    ``bargain_interpolation``: how a bargain is interpolated between two positions
    (``InterVecBrgn``). ``bargain_model``: whose interpolation is offered (``BargnModel``).

    The run stops after ``minimum_rounds`` steps once the latest step moved the actors less
    than ``stopping_ratio`` times the first step (plus ``minimum_first_step``). Positions
    closer than ``position_tolerance`` (Euclidean, on a 0–1 scale) count as one.
    """

    victory_model: VictoryModel = "linear"
    voting_rule: VotingRule = "proportional"
    probability_model: ProbabilityModel = "conditional"
    state_transitions: StateTransitions = "deterministic"
    risk_range: RiskRange = "mid"
    risk_adjustment: RiskAdjustment = "one-third"
    third_party_commitment: ThirdPartyCommitment = "semi"
    bargain_interpolation: BargainInterpolation = "s2p2"
    bargain_model: BargainModel = "initiator-only"
    seed: int = 0
    minimum_rounds: int = 2
    stopping_ratio: float = 0.02
    minimum_first_step: float = 1e-4
    position_tolerance: float = 1e-3

    def __post_init__(self) -> None:
        allowed = {
            "victory_model": VictoryModel,
            "voting_rule": VotingRule,
            "probability_model": ProbabilityModel,
            "state_transitions": StateTransitions,
            "risk_range": RiskRange,
            "risk_adjustment": RiskAdjustment,
            "third_party_commitment": ThirdPartyCommitment,
            "bargain_interpolation": BargainInterpolation,
            "bargain_model": BargainModel,
        }
        for name, choices in allowed.items():
            value = getattr(self, name)
            if value not in get_args(choices):
                raise ValueError(f"{name} must be one of {get_args(choices)}, not {value!r}")
        if self.minimum_rounds < 1:
            raise ValueError("minimum_rounds must be at least 1")
        if not (self.stopping_ratio >= 0 and self.minimum_first_step > 0):
            raise ValueError("stopping_ratio must be >= 0 and minimum_first_step > 0")
        if not self.position_tolerance > 0:
            raise ValueError("position_tolerance must be positive")

    def as_dict(self) -> dict[str, Any]:
        """The settings as a plain dictionary (for reports and ``ForecastResult.settings``)."""
        return asdict(self)

    @classmethod
    def from_ktab_names(cls, parameters: Mapping[str, str], **overrides: Any) -> SpatialSettings:
        """Settings from KTAB's parameter names and values, e.g. ``{"VotingRule": "Prop"}``.

        Unknown names or values raise ``ValueError``; parameters not given keep their defaults.
        """
        values: dict[str, Any] = {}
        for ktab_name, ktab_value in parameters.items():
            if ktab_name not in KTAB_NAMES:
                raise ValueError(f"unknown KTAB model parameter {ktab_name!r}")
            field_name, translation = KTAB_NAMES[ktab_name]
            if ktab_value not in translation:
                raise ValueError(f"{ktab_name} must be one of {sorted(translation)}, not {ktab_value!r}")
            values[field_name] = translation[ktab_value]
        known = {field.name for field in fields(cls)}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"unknown settings {sorted(unknown)}")
        values.update(overrides)
        return cls(**values)
