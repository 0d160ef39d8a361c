"""Ctrl-C or SIGTERM during `accord tournament --jobs N` ends every worker and the command within 5 s.

One run here once hung for ten minutes after its summary (the pool waited for its workers'
shares), and SIGTERM left orphaned workers. The command is run as a process, signalled while its
workers play, and every process it started must be gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from proc_table import alive, children

ROOT = Path(__file__).resolve().parents[2]
GENEVA = str(ROOT / "examples" / "geneva-2017.yaml")

pytestmark = pytest.mark.skipif(not Path("/proc").is_dir(), reason="finds child processes through /proc")


@pytest.mark.parametrize("signal_number", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_ends_the_workers_and_the_command_within_five_seconds(
    signal_number: int, tmp_path: Path
) -> None:
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
        "--out",
        str(tmp_path / "out"),
    ]
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
            workers = children(process.pid)
        assert process.poll() is None, "the tournament ended before it could be interrupted"
        assert len(workers) >= 2, "the workers did not start"
        time.sleep(1.0)  # the workers are playing their shares
        workers |= children(process.pid)
        sent = time.monotonic()
        process.send_signal(signal_number)
        _, error = process.communicate(timeout=5)
        took = time.monotonic() - sent
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert took < 5
    assert process.returncode == 130
    assert error.decode().startswith("accord: interrupted: "), error.decode()
    assert error.decode().count("\n") == 1 and b"Traceback" not in error
    time.sleep(0.5)
    assert [pid for pid in workers if alive(pid)] == []
