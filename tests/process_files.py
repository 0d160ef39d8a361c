"""Small linked tracks written as files: a political track and a ceasefire track sharing a government."""

from __future__ import annotations

from pathlib import Path

__all__ = ["write_process"]


def _track(name: str, issue: str, second: str, *, reservation: float, third_party: str = "") -> str:
    extra = ""
    if third_party:
        extra = f"""
  - name: {third_party}
    preferences:
      weights: {{{issue}: 0.5, {second}: 0.5}}
      values:
        {issue}: {{alpha: 0.6, beta: 0.6}}
        {second}: {{alpha: 0.6, beta: 0.6}}
      reservation: 0.2
"""
    return f"""
format: accord-scenario/1
name: {name}
issues:
  - {{name: {issue}, options: [alpha, beta]}}
  - {{name: {second}, options: [alpha, beta]}}
parties:
  - name: Envoy
    role: mediator
  - name: Government
    preferences:
      weights: {{{issue}: 0.7, {second}: 0.3}}
      values:
        {issue}: {{alpha: 1.0, beta: 0.0}}
        {second}: {{alpha: 1.0, beta: 0.0}}
      reservation: {reservation}
  - name: Opposition
    preferences:
      weights: {{{issue}: 0.3, {second}: 0.7}}
      values:
        {issue}: {{alpha: 0.0, beta: 1.0}}
        {second}: {{alpha: 0.0, beta: 1.0}}
      reservation: {reservation}
  - name: Observer
    role: observer
{extra}"""


def write_process(
    folder: Path,
    *,
    ceasefire_reservation: float = 0.2,
    dated: bool = True,
    ceasefire_first: bool = True,
    absent_round: bool = False,
    extra: str = "",
    government_weights: tuple[float, float] | None = None,
) -> Path:
    """Write ``politics.yaml``, ``ceasefire.yaml`` and ``process.yaml`` into ``folder``; returns the process.

    The political track's ``counter-terrorism`` waits for the ceasefire track's ``monitoring``.
    ``ceasefire_reservation`` near 1 leaves the ceasefire track no agreement.
    """
    (folder / "politics.yaml").write_text(
        _track("Politics", "counter-terrorism", "governance", reservation=0.2)
    )
    (folder / "ceasefire.yaml").write_text(
        _track(
            "Ceasefire", "monitoring", "access", reservation=ceasefire_reservation, third_party="Guarantor"
        )
    )
    ceasefire_dates = ("2017-01-23", "2017-01-24") if ceasefire_first else ("2017-03-01", "2017-03-02")
    rounds_politics = (
        "\n      - {label: Politics I, start: 2017-02-01, end: 2017-02-03}"
        "\n      - {label: Politics II, start: 2017-04-01, end: 2017-04-03}"
        if dated
        else "\n      - {label: Politics I}\n      - {label: Politics II}"
    )
    absent = ", absent: [Opposition]" if absent_round else ""
    dates = f", start: {ceasefire_dates[0]}, end: {ceasefire_dates[1]}" if dated else ""
    government = ""
    if government_weights is not None:
        government = (
            "\n  - name: Government\n    seats: {Politics: Government, Ceasefire: Government}"
            f"\n    weights: {{Politics: {government_weights[0]}, Ceasefire: {government_weights[1]}}}"
            "\n    assumption: true"
        )
    path = folder / "process.yaml"
    path.write_text(
        f"""format: accord-process/1
name: Linked talks
tracks:
  - name: Politics
    scenario: politics.yaml
    protocol: alternating-offers
    rounds:{rounds_politics}
  - name: Ceasefire
    scenario: ceasefire.yaml
    protocol: alternating-offers
    rounds:
      - {{label: Ceasefire I{dates}{absent}}}
parties:
  - name: Rebels
    seats: {{Politics: Opposition, Ceasefire: Opposition}}
    weights: {{Politics: 0.25, Ceasefire: 0.75}}
    assumption: true{government}
conditions:
  - track: Politics
    issue: counter-terrorism
    requires: {{track: Ceasefire, issue: monitoring}}
    reason: the ceasefire first
    assumption: true
{extra}""",
        encoding="utf-8",
    )
    return path
