"""Ctrl-C or SIGTERM during `accord tournament --backend ray` ends the command cleanly: one line,
exit code 130 (as with --jobs), the records kept, no traceback, no hang, the Ray it started gone.

Ray's core replaced the command's SIGTERM handler with its own, which killed the command with
exit code 1 and a stack dump on stderr. The command is run as a process and signalled once
sessions are being kept.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from proc_table import alive, descendants

ROOT = Path(__file__).resolve().parents[2]
GENEVA = str(ROOT / "examples" / "geneva-2017.yaml")

pytestmark = [
    pytest.mark.ray,
    pytest.mark.skipif(importlib.util.find_spec("ray") is None, reason="ray is not installed"),
    pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds the processes Ray started through /proc"),
]


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_ends_a_ray_tournament_cleanly(signal_number: int, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-c",
        "import sys; from accord.cli import main; sys.exit(main())",
        "tournament",
        GENEVA,
        "--protocol",
        "alternating-offers",
        "--agents",
        "boulware,conceder,linear",
        "--repetitions",
        "400",
        "--jobs",
        "2",
        "--backend",
        "ray",
        "--out",
        str(out),
    ]
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    records = out / "records.jsonl"
    try:
        started: set[int] = set()
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            started |= descendants(process.pid)
            if records.exists() and len(records.read_text().splitlines()) > 2:
                break  # sessions are being kept
            time.sleep(0.3)
        assert process.poll() is None, "the tournament ended before it could be interrupted"
        started |= descendants(process.pid)
        sent = time.monotonic()
        process.send_signal(signal_number)
        _, error = process.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    text = error.decode()
    assert process.returncode == 130, text
    assert text.startswith("accord: interrupted: ") and text.count("\n") == 1, text
    assert "Traceback" not in text and "SIGTERM received" not in text
    assert took < 10
    kept = [json.loads(line) for line in records.read_text().splitlines()]
    assert len(kept) > 2
    deadline = time.monotonic() + 10
    while [pid for pid in started if alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [pid for pid in started if alive(pid)] == []
