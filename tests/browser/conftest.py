"""Browser tests: the room's pages in Debian's Chromium, driven by Playwright for Python.

Playwright's own browser download cannot work here, so Chromium is Debian's
(``apt-get install chromium``; ``.ci/run`` installs it when missing), launched by path.
Where it (or Playwright) is absent the tests skip with the reason, except under
``CI=true``, where they fail. The room is served by uvicorn on a free port in this
process, over a SQLite file in the test's folder; agents act on the service's threads.
Screenshots go to the test's output folder (``ACCORD_SCREENSHOTS`` names another one:
``make screenshots`` sets it).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from accord.room.service import RoomService
from accord.server import ServerSettings, create_app
from accord.store import open_store

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXAMPLES = Path(__file__).parents[2] / "examples"
#: The organiser's secret of the served app (``accord serve`` makes a random one at each start).
ORGANISER = "the-organiser-of-these-tests"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the browser tests must run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Chromium, for one test module (Playwright's sync API holds an event loop while it runs, which
    the other tests' ``asyncio.run`` must not find)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install -e '.[dev]')")
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@dataclass
class Served:
    """A room service served over HTTP at ``base``."""

    service: RoomService
    base: str
    contexts: list[Any]

    def join(self, browser: Any, token: str) -> Any:
        """A new browser context (a person's own browser) that followed ``token``'s link; its page."""
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        response = page.goto(f"{self.base}/join/{token}")
        assert response is not None and response.status == 200
        return page

    def join_organiser(self, browser: Any, secret: str) -> Any:
        """A new browser context that followed the organiser's link; its page."""
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        response = page.goto(f"{self.base}/organise/{secret}")
        assert response is not None and response.status == 200
        return page


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    import uvicorn

    store = open_store(f"sqlite:///{tmp_path / 'rooms.db'}")
    service = RoomService(store)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(service, settings=ServerSettings(organiser_token=ORGANISER)),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=2,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    served = Served(service, f"http://127.0.0.1:{port}", [])
    yield served
    for context in served.contexts:
        context.close()
    server.should_exit = True
    thread.join(10)
    service.close()
    store.close()


@pytest.fixture
def screenshots(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """Where the test's screenshots go."""
    chosen = os.environ.get("ACCORD_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
