"""Schemathesis against the server's own OpenAPI document: whatever a client sends, the server
answers without a 5xx and with a body that matches what the document promises.

Each generated request is sent as three callers — a kiosk, a staff member signed in at
window 1, and the business office — so the fuzzing reaches past the sign-in check into the
handlers. It runs on a live test server (SQLite and PostgreSQL: integer ranges, text
encodings and constraint errors differ between them).
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from hall_server.client import HallClient  # noqa: F401  (the typed client's operation ids are the fuzzed ones)
from tests.harness import RunningHall

EXAMPLES_PER_OPERATION = 8
CHECKS = [schemathesis.checks.not_a_server_error, response_schema_conformance, content_type_conformance,
          negative_data_rejection]


def _token(hall: RunningHall, username: str, window: int | None = None) -> str:
    r = httpx.post(f"{hall.url}/api/v1/auth/login", json={"username": username, "password": hall.hall.password})
    r.raise_for_status()
    token = r.json()["access_token"]
    if window is not None:
        httpx.post(f"{hall.url}/api/v1/windows/{hall.hall.windows[window]}/sign-in",
                   headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    return token


@pytest.fixture
def callers(hall: RunningHall) -> dict[str, str]:
    return {"kiosk": hall.hall.kiosk_token, "staff": _token(hall, hall.hall.staff[1], window=1),
            "business": _token(hall, hall.hall.business)}


@pytest.fixture
def api_schema(hall: RunningHall):
    return schemathesis.openapi.from_url(f"{hall.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_request_breaks_the_server_or_its_schema(case, callers: dict[str, str]) -> None:
    if case.operation.definition.raw.get("operationId") == "logout":
        case.call_and_validate(checks=CHECKS)  # anonymous: logging a test caller out would blunt the rest
        return
    for token in callers.values():
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
