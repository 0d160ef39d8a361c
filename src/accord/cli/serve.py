"""``accord serve [--db URL] [--host 127.0.0.1] [--port 8000]``: serve every room in the store over HTTP.

Runs the room's web app (:func:`accord.server.create_app`) under uvicorn,
prints one line with the address and one with the organiser's link (a secret made anew at each
start: it opens the organiser's pages, which create rooms and hand out their links), and stops
cleanly on Ctrl-C or SIGTERM: open event streams end, the store is closed, the exit code is 0.
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
from typing import Any

from rich.console import Console

from accord.errors import ArgumentError

__all__ = ["register"]


def register(subcommands: Any) -> None:
    serve = subcommands.add_parser("serve", help="serve every room in the store over HTTP")
    serve.add_argument(
        "--db", metavar="URL", default="sqlite:///accord.db", help="the store (default %(default)s)"
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default %(default)s)")
    serve.add_argument("--port", type=int, default=8000, help="port (default %(default)s; 0: any free one)")
    serve.set_defaults(handler=serve_command)


class _Stopped(BaseException):
    """SIGTERM: stop serving, like Ctrl-C."""


def _stop(signum: int, frame: Any) -> None:
    raise _Stopped


def serve_command(arguments: argparse.Namespace) -> int:
    import secrets

    import uvicorn

    from accord.server import ServerSettings, create_app
    from accord.store import open_store
    from accord.store.connection import mask_url

    if not 0 <= arguments.port <= 65535:
        raise ArgumentError("--port", f"must be between 0 and 65535, got {arguments.port}")
    try:
        listener = socket.create_server((arguments.host, arguments.port))
    except OSError as error:
        raise ArgumentError(
            "--port", f"cannot listen on {arguments.host}:{arguments.port}: {error.strerror}"
        ) from None
    host, port = listener.getsockname()[:2]
    store = open_store(arguments.db)
    console = Console(highlight=False, soft_wrap=True)
    shown_host = f"[{host}]" if ":" in host else host
    organiser = secrets.token_urlsafe(32)  # a new one each time the server starts

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if not self.should_exit:
                console.print(
                    f"Accord serves the rooms of {mask_url(arguments.db)} at http://{shown_host}:{port}"
                    " (Ctrl-C stops it)",
                    markup=False,
                )
                console.print(
                    f"The organiser's page: http://{shown_host}:{port}/organise/{organiser}", markup=False
                )
                sys.stdout.flush()

    config = uvicorn.Config(
        create_app(store, settings=ServerSettings(organiser_token=organiser)),
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=5,
        access_log=False,
    )
    # SIGTERM stops the server like Ctrl-C: uvicorn drains the connections, then re-raises the signal.
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        Server(config).run(sockets=[listener])
    except (KeyboardInterrupt, _Stopped):
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        listener.close()
        store.close()
    return 0
