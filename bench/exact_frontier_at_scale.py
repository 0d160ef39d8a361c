"""The exact frontier where enumeration is impossible: 12 issues × 10 options (10^12 outcomes).

Same workload as ``pareto_frontier.py`` (its ``accord_scenario``), k = 2 and 3 parties,
end to end through ``accord.analyze`` (frontier, Nash, Kalai–Smorodinsky and the other
points). NegMAS enumerates outcomes, so it cannot be run at this size; the goal is
absolute: under 1 s for 2 parties and under 5 s for 3.

    python bench/exact_frontier_at_scale.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from accord import analyze
from pareto_frontier import accord_scenario

GOALS = {2: 1.0, 3: 5.0}
ISSUES = 12


def main() -> None:
    print(f"{'parties':>7} {'outcomes':>9} {'frontier':>9} {'seconds':>8} {'goal':>6}  met")
    for n_parties, goal in GOALS.items():
        built = accord_scenario(ISSUES, n_parties)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            result = analyze(built)
            best = min(best, time.perf_counter() - start)
        met = "yes" if best < goal else "NO"
        print(
            f"{n_parties:>7} {'10^12':>9} {len(result.frontier):>9} {best:>8.3f} {goal:>5.0f}s  {met}"
            f"   (nash={result.nash is not None}, method={result.frontier_method})"
        )


if __name__ == "__main__":
    main()
