"""Small scenario files for the tournament tests."""

from __future__ import annotations

from pathlib import Path

import pytest

BILATERAL = """\
name: Bilateral
issues:
  - name: venue
    options: [geneva, astana, vienna]
  - name: agenda
    options: [narrow, broad]
parties:
  - name: north
    preferences:
      weights: {venue: 0.6, agenda: 0.4}
      values:
        venue: {geneva: 1.0, astana: 0.0, vienna: 0.5}
        agenda: {narrow: 1.0, broad: 0.2}
  - name: south
    preferences:
      weights: {venue: 0.5, agenda: 0.5}
      values:
        venue: {geneva: 0.0, astana: 1.0, vienna: 0.6}
        agenda: {narrow: 0.1, broad: 1.0}
"""

EAST = """\
  - name: east
    preferences:
      weights: {venue: 0.3, agenda: 0.7}
      values:
        venue: {geneva: 0.5, astana: 0.5, vienna: 1.0}
        agenda: {narrow: 0.6, broad: 0.4}
"""


@pytest.fixture()
def scenarios(tmp_path: Path) -> tuple[str, str]:
    """A bilateral and a trilateral scenario file."""
    bilateral = tmp_path / "bilateral.yaml"
    bilateral.write_text(BILATERAL, encoding="utf-8")
    trilateral = tmp_path / "trilateral.yaml"
    trilateral.write_text(BILATERAL.replace("name: Bilateral", "name: Trilateral") + EAST, encoding="utf-8")
    return str(bilateral), str(trilateral)
