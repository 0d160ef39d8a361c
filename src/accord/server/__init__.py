"""The room's web layer: a FastAPI app over the room's service.

``create_app(service_or_store)`` builds it; ``accord serve`` runs it under
uvicorn. Routers per area: :mod:`~accord.server.rooms` (the view, actions, the
live stream, the record, seats and links), :mod:`~accord.server.messages`
(proximity messaging) and :mod:`~accord.server.pages` (following a link in a
browser). Every room route authenticates through one dependency
(:func:`accord.server.access.seat_access`), and every route is a thin call into
the service: the web layer never touches the room's rules or the store. Nothing
but the command line imports this package.
"""

from accord.server.app import SECURITY_HEADERS, create_app
from accord.server.settings import ServerSettings

__all__ = ["SECURITY_HEADERS", "ServerSettings", "create_app"]
