"""Schemathesis against the server's own OpenAPI document: whatever a client sends, the server
answers without a 5xx and with a body that matches what the document promises.

Each generated request is sent as the caller that operation is meant for — a staff member
signed in at window 1 for window actions, the business office for administration, a kiosk
otherwise — so the fuzzing reaches past the sign-in check into the handlers. It runs on a
live test server over SQLite and over PostgreSQL: integer ranges, text encodings and
constraint errors differ between them.
"""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import InvalidArgument, Unsatisfiable
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
)

from tests.harness import RunningHall

EXAMPLES_PER_OPERATION = 10  # x 2 modes x ~42 operations: about a minute per database
CHECKS = [
    schemathesis.checks.not_a_server_error,  # no 5xx, whatever arrives
    response_schema_conformance,  # every documented response has the documented body
    content_type_conformance,
    negative_data_rejection,  # a request the document calls invalid is refused, not acted on
]


def _login(hall: RunningHall, username: str, window: int | None = None) -> str:
    r = httpx.post(f"{hall.url}/api/v1/auth/login", json={"username": username, "password": hall.hall.password})
    r.raise_for_status()
    token = r.json()["access_token"]
    if window is not None:
        httpx.post(f"{hall.url}/api/v1/windows/{hall.hall.windows[window]}/sign-in",
                   headers={"Authorization": f"Bearer {token}"}).raise_for_status()
    return token


@pytest.fixture
def callers(hall: RunningHall) -> dict[str, str]:
    return {"kiosk": hall.hall.kiosk_token, "staff": _login(hall, hall.hall.staff[1], window=1),
            "business": _login(hall, hall.hall.business), "nobody": "no-such-session"}


def caller_for(path: str, operation_id: str) -> str:
    if operation_id == "logout":
        return "nobody"  # logging a test caller out would blunt the rest of the run
    if path.startswith("/api/v1/windows/"):
        return "staff"
    if path.startswith("/api/v1/admin/"):
        return "business"
    return "kiosk"


def fuzz_operation(operation, mode: GenerationMode, token: str) -> str | None:
    """The first failure Schemathesis finds in one operation and mode, as its report, or None."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case) -> None:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    try:
        run()
    except (Unsatisfiable, InvalidArgument):
        return None  # nothing invalid can be made of this operation's inputs
    except FailureGroup as exc:  # a check failed: keep Schemathesis's own report, with its curl line
        return f"{operation.label} ({mode.value}): {exc}"
    return None


@pytest.mark.slow
def test_no_request_breaks_the_server_or_its_schema(hall: RunningHall, callers: dict[str, str]) -> None:
    schema = schemathesis.openapi.from_url(f"{hall.url}/openapi.json")
    # FastAPI ignores query parameters it does not know, as most web servers do: not a fault
    schema.config.generation.update(allow_extra_parameters=False)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        token = callers[caller_for(operation.path, operation.definition.raw.get("operationId", ""))]
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            if (failure := fuzz_operation(operation, mode, token)) is not None:
                failures.append(failure)
    assert not failures, f"{len(failures)} operations misbehave:\n\n" + "\n\n".join(failures)
