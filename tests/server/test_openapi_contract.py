"""schemathesis over ``/openapi.json`` with a valid token: no 5xx, every answer as the document declares it.

Every operation gets a few dozen generated requests, positive and negative, as
the mediator of a live room and as one of its delegations, with the room, one
of its seats and a real message in the path. Left out: the event stream (it
never ends by itself; ``test_stream.py``) and replacing one's own link (the
token would stop working after the first call; ``test_roles.py``).
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accord.server import ServerSettings, create_app
from server.support import Room, bearer

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.slow
@pytest.mark.parametrize("seat", ["envoy", "north"])
def test_every_operation_answers_as_declared(room: Room, seat: str) -> None:
    app = create_app(room.service, settings=ServerSettings(bad_token_limit="10000/minute"))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.exclude(path_regex="/(stream|link)$").get_all_operations()]
    assert len(operations) >= 7
    north = room.service.authenticate(room.token("north"))
    assert north is not None
    message = room.service.message(north, "Geneva suits us.", disclosure="attributed").id
    known = {"room": room.id, "seat": "south", "message_id": message}
    headers = bearer(room.token(seat))
    statuses: dict[str, set[int]] = {}

    for operation in operations:
        fixed = {name: value for name, value in known.items() if "{" + name + "}" in operation.path}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(mode, path_parameters=fixed))
            @settings(
                max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
            )
            def check(case: schemathesis.Case) -> None:
                response = case.call_and_validate(headers=headers, checks=CHECKS)
                statuses.setdefault(case.operation.label, set()).add(response.status_code)

            check()
    # The requests reached the room: the view was read, and malformed bodies were refused as such.
    assert 200 in statuses["GET /api/v1/rooms/{room}/view"]
    assert 422 in statuses["POST /api/v1/rooms/{room}/messages"]
