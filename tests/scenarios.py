"""Small scenarios for the agent, session, CLI and report tests, written as scenario files."""

from __future__ import annotations

from accord.domain import Scenario
from accord.io import parse_scenario

__all__ = ["THREE_PARTY", "TWO_PARTY", "three_party", "two_party"]

TWO_PARTY = """
format: accord-scenario/1
name: Harbour lease
issues:
  - {name: rent, options: [low, mid, high]}
  - {name: years, type: integer, low: 1, high: 4}
  - {name: berth, options: [north, south]}
parties:
  - name: Envoy
    role: mediator
  - name: Port
    role: delegation
    preferences:
      weights: {rent: 0.5, years: 0.3, berth: 0.2}
      values:
        rent: {low: 0.0, mid: 0.6, high: 1.0}
        years: {kind: linear, slope: 0.333333, offset: -0.333333}
        berth: {north: 1.0, south: 0.2}
      reservation: 0.3
  - name: Fleet
    role: delegation
    preferences:
      weights: {rent: 0.6, years: 0.2, berth: 0.2}
      values:
        rent: {low: 1.0, mid: 0.5, high: 0.0}
        years: {kind: linear, slope: -0.333333, offset: 1.333333}
        berth: {north: 0.3, south: 1.0}
      reservation: 0.25
      red_lines:
        - when: {rent: [high], years: {at_least: 3}}
          reason: no long lease at a high rent
"""

THREE_PARTY = """
format: accord-scenario/1
name: River basin
issues:
  - {name: quota, options: [even, upstream, downstream]}
  - {name: dam, options: [none, small, large]}
  - {name: fund, type: integer, low: 0, high: 3}
parties:
  - name: Upper
    role: delegation
    preferences:
      weights: {quota: 0.5, dam: 0.3, fund: 0.2}
      values:
        quota: {even: 0.5, upstream: 1.0, downstream: 0.0}
        dam: {none: 0.0, small: 0.6, large: 1.0}
        fund: {kind: linear, slope: -0.333333, offset: 1.0}
      reservation: 0.2
  - name: Middle
    role: delegation
    preferences:
      weights: {quota: 0.4, dam: 0.4, fund: 0.2}
      values:
        quota: {even: 1.0, upstream: 0.4, downstream: 0.5}
        dam: {none: 0.3, small: 1.0, large: 0.2}
        fund: {kind: linear, slope: 0.333333, offset: 0.0}
      reservation: 0.3
      red_lines:
        - when: {dam: [large]}
          reason: a large dam floods the valley
  - name: Lower
    role: delegation
    preferences:
      weights: {quota: 0.6, dam: 0.2, fund: 0.2}
      values:
        quota: {even: 0.6, upstream: 0.0, downstream: 1.0}
        dam: {none: 1.0, small: 0.5, large: 0.0}
        fund: {kind: linear, slope: 0.333333, offset: 0.0}
      reservation: 0.2
"""


def two_party() -> Scenario:
    return parse_scenario(TWO_PARTY, source="harbour.yaml")


def three_party() -> Scenario:
    return parse_scenario(THREE_PARTY, source="river.yaml")
