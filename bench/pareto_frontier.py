"""Pareto frontier plus Nash and Kalai points: Accord against NegMAS on the same workloads.

Workload: ``n`` issues of 10 options, linear additive utilities, reservation value 0,
for ``k`` parties drawn in order from one ``numpy.random.default_rng(20240601)``
stream — per party, weights ``rng.random(n)`` divided by their sum, then per issue
``rng.random(10)`` min-max scaled to [0, 1]. Each (library, k, size) runs in a fresh
child process so that its peak memory (growth of the peak resident set over the
process after imports and scenario construction) is its own; the parent prints one
table with the ratios.

    python bench/pareto_frontier.py            # k = 2, 3, 5 at 10^3 … 10^6 outcomes
    python bench/pareto_frontier.py --quick    # 10^3 … 10^4
    python bench/pareto_frontier.py --genius   # the same tables written as Genius XML, read by each library

With ``--genius`` the workload is written once as a Genius XML domain and one profile
per party (evaluations and weights as Python writes floats), and each library reads
those files with its own Genius reader before the timed work: Accord's
``accord.io.import_genius``, NegMAS's ``Scenario.from_genius_files``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

SEED = 20240601
OPTIONS = 10


def draw_workload(n_issues: int, n_parties: int) -> list[tuple[np.ndarray, list[np.ndarray]]]:
    """Per party, in order: ``(weights: (n_issues,), [values: (10,) per issue])``."""
    rng = np.random.default_rng(SEED)
    parties = []
    for _ in range(n_parties):
        weights = rng.random(n_issues)
        weights /= weights.sum()
        values = []
        for _ in range(n_issues):
            raw = rng.random(OPTIONS)
            values.append((raw - raw.min()) / (raw.max() - raw.min()))
        parties.append((weights, values))
    return parties


def _peak_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def accord_scenario(n_issues: int, n_parties: int) -> Any:
    """The workload as an Accord :class:`~accord.domain.Scenario`."""
    from accord.domain import Agenda, DiscreteIssue, Option, Party, Preferences, Scenario

    workload = draw_workload(n_issues, n_parties)
    issues = tuple(
        DiscreteIssue(f"i{j}", tuple(Option(f"v{o}") for o in range(OPTIONS))) for j in range(n_issues)
    )
    parties = tuple(
        Party(
            f"p{index}",
            preferences=Preferences(
                {issue.name: float(weights[j]) for j, issue in enumerate(issues)},
                {
                    issue.name: {f"v{o}": float(values[j][o]) for o in range(OPTIONS)}
                    for j, issue in enumerate(issues)
                },
            ),
        )
        for index, (weights, values) in enumerate(workload)
    )
    return Scenario("bench", Agenda(issues), parties)


def write_genius(n_issues: int, n_parties: int, folder: Path) -> tuple[Path, list[Path]]:
    """The workload as a Genius XML domain and one profile per party, in ``folder``."""
    workload = draw_workload(n_issues, n_parties)
    issues = "".join(
        f'<issue index="{j + 1}" etype="discrete" type="discrete" vtype="discrete" name="i{j}">'
        + "".join(f'<item index="{o + 1}" value="v{o}"/>' for o in range(OPTIONS))
        + "</issue>"
        for j in range(n_issues)
    )
    domain = folder / "bench_domain.xml"
    domain.write_text(
        f'<negotiation_template><utility_space number_of_issues="{n_issues}">'
        f'<objective index="0" etype="objective" type="objective" name="bench">{issues}'
        "</objective></utility_space></negotiation_template>"
    )
    profiles = []
    for index, (weights, values) in enumerate(workload):
        body = "".join(
            f'<issue index="{j + 1}" etype="discrete" type="discrete" vtype="discrete" name="i{j}">'
            + "".join(
                f'<item index="{o + 1}" value="v{o}" evaluation="{float(values[j][o])!r}"/>'
                for o in range(OPTIONS)
            )
            + "</issue>"
            for j in range(n_issues)
        )
        body += "".join(f'<weight index="{j + 1}" value="{float(w)!r}"/>' for j, w in enumerate(weights))
        profile = folder / f"p{index}.xml"
        profile.write_text(
            '<utility_space><reservation value="0"/>'
            f'<objective index="0" etype="objective" type="objective" name="bench">{body}</objective>'
            "</utility_space>"
        )
        profiles.append(profile)
    return domain, profiles


def run_accord(n_issues: int, n_parties: int, genius: bool = False) -> dict[str, Any]:
    from accord import analyze

    if genius:
        from accord.io import import_genius

        with tempfile.TemporaryDirectory() as folder:
            domain, profiles = write_genius(n_issues, n_parties, Path(folder))
            scenario = import_genius(domain, profiles)
    else:
        scenario = accord_scenario(n_issues, n_parties)
    before = _peak_bytes()
    start = time.perf_counter()
    result = analyze(scenario)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_bytes": max(0, _peak_bytes() - before),
        "frontier": len(result.frontier),
        "nash": result.to_dict()["nash"]["utilities"] if result.nash is not None else None,
    }


def run_negmas(n_issues: int, n_parties: int, genius: bool = False) -> dict[str, Any]:
    warnings.filterwarnings("ignore")
    from negmas import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction

    if genius:
        from negmas.inout import Scenario

        with tempfile.TemporaryDirectory() as folder:
            domain, profiles = write_genius(n_issues, n_parties, Path(folder))
            loaded = Scenario.from_genius_files(domain, profiles)
        functions = list(loaded.ufuns)
        space = loaded.outcome_space
        issues = list(space.issues)
        return _negmas_timed(functions, issues, space)
    workload = draw_workload(n_issues, n_parties)
    issues = [make_issue(OPTIONS, name=f"i{j}") for j in range(n_issues)]
    space = make_os(issues)
    functions = [
        LinearAdditiveUtilityFunction(
            values=[
                {option: float(value) for option, value in zip(issue.all, values[j], strict=True)}
                for j, issue in enumerate(issues)
            ],
            weights=[float(weight) for weight in weights],
            outcome_space=space,
            reserved_value=0.0,
        )
        for weights, values in workload
    ]
    return _negmas_timed(functions, issues, space)


def _negmas_timed(functions: list[Any], issues: list[Any], space: Any) -> dict[str, Any]:
    from negmas.preferences.ops import kalai_points, nash_points, pareto_frontier

    before = _peak_bytes()
    start = time.perf_counter()
    frontier, _ = pareto_frontier(functions, issues=issues)
    nash = nash_points(functions, frontier, outcome_space=space)
    kalai_points(functions, frontier, outcome_space=space)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "peak_bytes": max(0, _peak_bytes() - before),
        "frontier": len(frontier),
        "nash": [float(value) for value in nash[0][0]] if nash else None,
    }


def _child(library: str, n_issues: int, n_parties: int, genius: bool) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", library, str(n_issues), str(n_parties)]
        + (["--genius"] if genius else []),
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _megabytes(count: int) -> str:
    return f"{count / 2**20:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="only 10^3 and 10^4 outcomes")
    parser.add_argument("--parties", default="2,3,5", help="comma-separated party counts (default 2,3,5)")
    parser.add_argument(
        "--genius", action="store_true", help="read the workload from Genius XML files (see above)"
    )
    parser.add_argument("--worker", nargs=3, metavar=("LIBRARY", "ISSUES", "PARTIES"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        library, n_issues, n_parties = arguments.worker
        run = run_accord if library == "accord" else run_negmas
        print(json.dumps(run(int(n_issues), int(n_parties), arguments.genius)))
        return

    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(100, Console().width))
    issue_counts = (3, 4) if arguments.quick else (3, 4, 5, 6)
    source = "read from Genius XML" if arguments.genius else "built in memory"
    table = Table(title=f"Pareto frontier + Nash + Kalai, end to end (fresh process per cell; {source})")
    columns = (
        "parties",
        "outcomes",
        "frontier",
        "Accord s",
        "NegMAS s",
        "speed-up",
        "Accord MB",
        "NegMAS MB",
    )
    for column in columns:
        table.add_column(column, justify="right")
    for n_parties in (int(text) for text in arguments.parties.split(",")):
        for n_issues in issue_counts:
            accord = _child("accord", n_issues, n_parties, arguments.genius)
            negmas = _child("negmas", n_issues, n_parties, arguments.genius)
            agree = "" if accord["frontier"] == negmas["frontier"] else f" (NegMAS {negmas['frontier']})"
            table.add_row(
                str(n_parties),
                f"10^{n_issues}",
                f"{accord['frontier']}{agree}",
                f"{accord['seconds']:.4f}",
                f"{negmas['seconds']:.2f}",
                f"{negmas['seconds'] / accord['seconds']:.0f}×",
                _megabytes(accord["peak_bytes"]),
                _megabytes(negmas["peak_bytes"]),
            )
            timings = f"Accord {accord['seconds']:.4f} s, NegMAS {negmas['seconds']:.2f} s"
            console.print(f"k={n_parties} 10^{n_issues}: {timings}", style="dim")
    console.print(table)
    console.print(
        "MB = growth of the child's peak resident set during the workload (imports and scenario excluded)."
    )


if __name__ == "__main__":
    main()
