"""The same seed gives the same trace to the byte, in separate processes with different hash seeds."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "geneva-2017.yaml"


def _trace_digest(tmp_path: Path, protocol: str, hash_seed: str) -> str:
    trace = tmp_path / f"{protocol}-{hash_seed}.jsonl"
    program = (
        "import sys; from accord.cli import main; "
        f"sys.exit(main(['run', {str(EXAMPLE)!r}, '--protocol', {protocol!r}, '--seed', '11', "
        f"'--rounds', '20', '--json', '--trace', {str(trace)!r}]))"
    )
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
    completed = subprocess.run(
        [sys.executable, "-c", program], env=environment, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return hashlib.sha256(trace.read_bytes() + completed.stdout.encode()).hexdigest()


@pytest.mark.parametrize("protocol", ["shuttle", "one-text"])
def test_traces_do_not_depend_on_the_process(tmp_path: Path, protocol: str) -> None:
    digests = {_trace_digest(tmp_path, protocol, hash_seed) for hash_seed in ("0", "1", "4242")}
    assert len(digests) == 1
