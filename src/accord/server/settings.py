"""The web layer's settings: a small frozen value object, keyword-only.

>>> settings = ServerSettings(bad_token_limit="5/minute")
>>> settings.heartbeat_seconds, settings.bad_token_limit
(15.0, '5/minute')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ServerSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerSettings:
    """How the room's web layer behaves.

    ``bad_token_limit`` is a rate in the notation of the ``limits`` library
    (``"20/minute"``): how many requests with a bad or revoked token one client
    address may make before it gets ``429``. ``heartbeat_seconds`` is how often an
    idle event stream sends a comment so that proxies keep it open.
    ``poll_seconds`` is how long a stream waits for news before it looks at the
    record anyway (a safety net: news normally arrives through the store's
    listener within milliseconds). ``secure_cookies`` forces the ``Secure``
    attribute of the session cookie; ``None`` sets it exactly when the request
    came over HTTPS. ``expiry_seconds`` is how often people whose time limit
    passed are recorded as passing or walking away (rooms with ``round_seconds``).
    ``organiser_token`` opens the organiser's pages (``/organise/{token}``); ``None``: no organiser pages.
    """

    bad_token_limit: str = "20/minute"
    heartbeat_seconds: float = 15.0
    poll_seconds: float = 15.0
    secure_cookies: bool | None = None
    expiry_seconds: float = 1.0
    organiser_token: str | None = None
