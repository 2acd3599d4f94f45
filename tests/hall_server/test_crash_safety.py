"""A server killed mid-work (SIGKILL: power cut of the process, no shutdown code runs) loses
nothing it acknowledged: an applicant holding a printed ticket keeps the number and the QR
token on it, a number is never handed out twice, and a call a window saw succeed is on the
boards' event log.

Anything the server did not acknowledge (requests cut off by the kill) may or may not have
happened; the proofs only ask that the database stays consistent about it.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from hall_server.client import ApiError, HallClient, Unreachable
from tests.hall_server.proofs import (
    ServeProcess,
    Servers,
    all_events,
    db_tickets,
    open_windows,
    seed_open_hall,
    window_number,
)

KIOSKS = 32
WINDOWS = range(10, 20)  # ten BK-1 windows
SERVICES = ("BK-1", "BK-1", "GS-1")  # mostly the windows' service, so calls go on during the storm
KILL_AFTER_TICKETS = 150
KILL_AFTER_CALLS = 20


async def storm_until_killed(server: ServeProcess, servers: Servers, windows: dict[int, HallClient]):
    """32 kiosks issue and 10 windows call until the process is killed under them."""
    hall = servers.hall
    tickets: list[dict] = []  # each one a 201 the kiosk received
    calls: list[tuple[int, dict]] = []  # (window number, ticket) for each 200 with a ticket
    refused: list[ApiError] = []

    async def kiosk(k: int) -> None:
        async with HallClient(server.url, hall.kiosk_token, timeout=30) as c:
            for j in range(10**6):
                try:
                    tickets.append(await c.issue_ticket(hall.services[SERVICES[(k + j) % len(SERVICES)]]))
                except Unreachable:
                    return
                except ApiError as exc:
                    refused.append(exc)
                    return

    async def window(n: int) -> None:
        while True:
            try:
                t = await windows[n].call_next(hall.windows[n])
            except Unreachable:
                return
            except ApiError as exc:
                refused.append(exc)
                return
            if t is None:
                await asyncio.sleep(0.02)
            else:
                calls.append((n, t))

    async def killer() -> None:
        deadline = time.monotonic() + 60
        while (len(tickets) < KILL_AFTER_TICKETS or len(calls) < KILL_AFTER_CALLS) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        await asyncio.to_thread(server.kill)

    await asyncio.gather(killer(), *(kiosk(k) for k in range(KIOSKS)), *(window(n) for n in WINDOWS))
    assert not refused, f"the server refused work before it was killed: {refused[:3]}"
    assert len(tickets) >= KILL_AFTER_TICKETS and len(calls) >= KILL_AFTER_CALLS, "the storm was too thin to prove much"
    return tickets, calls


@pytest.mark.slow
async def test_acknowledged_tickets_and_calls_survive_sigkill(database_url: str, tmp_path: Path) -> None:
    hall = seed_open_hall(database_url)
    first = ServeProcess(database_url, tmp_path / "first.log").start()
    servers = Servers([first.url], hall, database_url)
    windows = await open_windows(servers, WINDOWS)
    staff_tokens = {n: w.token for n, w in windows.items()}
    try:
        tickets, calls = await storm_until_killed(first, servers, windows)
    finally:
        first.kill()
        for w in windows.values():
            await w.aclose()

    second = ServeProcess(database_url, tmp_path / "second.log").start()
    try:
        # every ticket a kiosk printed is there, with the number and QR token printed on it
        kept = {r.id: r for r in db_tickets(database_url)}
        for t in tickets:
            assert t["id"] in kept, f"ticket {t['number']} was acknowledged, then lost"
            assert (kept[t["id"]].number, kept[t["id"]].status_token) == (t["number"], t["status_token"])
        async with HallClient(second.url) as public:
            for t in tickets[:: max(1, len(tickets) // 40)]:  # and the applicant's QR code still answers
                assert (await public.lookup_status(t["status_token"]))["number"] == t["number"]

        # every call a window saw succeed is on the boards' event log, at that window
        async with HallClient(second.url, hall.kiosk_token) as c:
            log = await all_events(c, hall.hall_id)
        called = defaultdict(list)
        for e in log:
            if e["kind"] == "ticket.called":
                called[e["payload"]["ticket"]["id"]].append(e["payload"]["window"]["number"])
        for n, t in calls:
            assert called.get(t["id"]) == [n], f"the call of {t['number']} at window {n} is not on the event log"
            assert window_number(hall, kept[t["id"]].window_id) == n

        # numbering goes on after the restart: no number reused, none skipped
        async with HallClient(second.url, hall.kiosk_token) as kiosk:
            after = [await kiosk.issue_ticket(hall.services[code]) for code in ("BK-1", "GS-1")]
        rows = db_tickets(database_url)
        for new in after:
            row = next(r for r in rows if r.id == new["id"])
            same_day = [r.sequence for r in rows if r.series == row.series and r.business_date == row.business_date]
            assert sorted(same_day) == list(range(1, len(same_day) + 1)), f"series {row.series}: a gap or a twin"
            assert row.sequence == max(same_day), "a number issued after the restart is not the next in line"
            assert new["number"] not in {t["number"] for t in tickets}

        # the windows carry on where they were, signed in with the same sessions:
        # every waiting ticket is called once, none twice
        windows = {n: HallClient(second.url, staff_tokens[n], timeout=30) for n in WINDOWS}

        async def drain(n: int) -> None:
            while await windows[n].call_next(hall.windows[n]) is not None:
                pass

        try:
            await asyncio.gather(*(drain(n) for n in WINDOWS))
        finally:
            for w in windows.values():
                await w.aclose()
        async with HallClient(second.url, hall.kiosk_token) as c:
            log = await all_events(c, hall.hall_id)
        bulk = {r.id for r in db_tickets(database_url) if r.series == "C"}
        per_ticket = Counter(e["payload"]["ticket"]["id"] for e in log if e["kind"] == "ticket.called")
        assert {i: per_ticket[i] for i in bulk} == dict.fromkeys(bulk, 1), "a ticket was called twice or never"
    finally:
        second.stop()
