"""Case numbers under load: registrations at once get distinct, gap-free numbers of the year, and
one registration retried at once from several connections is one case."""

from __future__ import annotations

import asyncio

from hall_server.client import ApiError, HallClient
from tests.hall_server.cases.support import GS1_MATERIALS, PERSON


async def test_cases_registered_at_once_are_numbered_without_gaps_and_a_retry_is_one_case(hall):
    clients = [HallClient(hall.url) for _ in range(8)]
    try:
        for c in clients:
            await c.login("business", hall.hall.password)

        async def register(c: HallClient, key: str | None = None) -> dict | ApiError:
            busy: ApiError | None = None
            for _ in range(5):  # "busy, try again" is answered with the same key
                try:
                    return await c.register_case(hall.hall.services["GS-1"], "promised", PERSON,
                                                 materials_received=GS1_MATERIALS, idempotency_key=key)
                except ApiError as exc:
                    if exc.status != 503:
                        return exc
                    busy = exc
            return busy

        made = await asyncio.gather(*(register(c) for c in clients for _ in range(3)))
        assert all(isinstance(m, dict) for m in made), made
        numbers = sorted(m["case_number"] for m in made)
        assert numbers == [f"2026{n:06d}" for n in range(1, 25)]
        same = await asyncio.gather(*(register(clients[0], "retry-key") for _ in range(4)))
        assert all(isinstance(m, dict) for m in same) and len({m["id"] for m in same}) == 1
    finally:
        for c in clients:
            await c.aclose()
