"""The machine's processes as /proc tells them, for tests that check what a command leaves behind."""

from __future__ import annotations

from pathlib import Path


def _parents() -> dict[int, int]:
    """Every process's parent, read from /proc (processes that end while being read are skipped)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return parents


def children(parent: int) -> set[int]:
    """Processes whose parent is ``parent``."""
    return {pid for pid, its_parent in _parents().items() if its_parent == parent}


def descendants(root: int) -> set[int]:
    """Every process below ``root``."""
    parents = _parents()
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"
