"""A Monday and a Wednesday in the test hall, made through the API as staff and applicants make them.

The statistics and today's-hall tests read these days; the minutes are chosen so that every
median and percentile is known in advance.
"""

from __future__ import annotations

from datetime import timedelta

from hall_server.client import HallClient
from tests.harness import OPEN_MOMENT

MONDAY = OPEN_MOMENT - timedelta(days=2)  # 2026-11-23, 10:00 in Shanghai; OPEN_MOMENT is the Wednesday
M = timedelta(minutes=1)


async def a_monday(hall, kiosk, staff_client) -> None:
    """One applicant on Monday: waits 3 minutes, served in 1, rates 一般."""
    hall.clock.set(MONDAY)
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w1 = await staff_client(1)
    hall.clock.advance(3 * M)
    await w1.call_next(hall.hall.windows[1])
    hall.clock.advance(1 * M)
    await w1.finish_service(hall.hall.windows[1])
    await kiosk.submit_rating(t["status_token"], "average", channel="kiosk")
    await w1.logout()


async def a_wednesday(hall, kiosk, staff_client) -> dict:
    """Wednesday from 10:00: four applicants at once, one more later.

    A1 waits 4, served in 2 at window 1 (rated 好); A2 waits 6 at window 2 and never comes (未到);
    A3 (个体工商户登记) waits 10 at window 1, is transferred to 发票申领 and served at window 3 in 5
    (rated 较差); B1 waits 20, served in 8 at window 3 (the pad: 较好); A4 still waits at the end.
    """
    hall.clock.set(OPEN_MOMENT)
    s, w = hall.hall.services, hall.hall.windows
    a1 = await kiosk.issue_ticket(s["GS-1"])
    await kiosk.issue_ticket(s["GS-1"])
    a3 = await kiosk.issue_ticket(s["GS-2"])
    await kiosk.issue_ticket(s["SW-1"])
    w1, w2, w3 = await staff_client(1), await staff_client(2), await staff_client(3)
    hall.clock.advance(4 * M)
    assert (await w1.call_next(w[1]))["number"] == a1["number"]
    hall.clock.advance(2 * M)  # 10:06
    await w1.finish_service(w[1])
    await w2.call_next(w[2])  # A2
    hall.clock.advance(4 * M)  # 10:10
    assert await w2.call_next(w[2]) is None  # A2 never came: a no-show
    assert (await w1.call_next(w[1]))["number"] == a3["number"]
    await w1.start_service(w[1])
    hall.clock.advance(3 * M)  # 10:13
    await w1.transfer_ticket(w[1], service_id=s["SW-1"], note="需先申领发票")
    hall.clock.advance(2 * M)  # 10:15
    assert (await w3.call_next(w[3]))["number"] == a3["number"]  # arrived first, so called first
    hall.clock.advance(5 * M)  # 10:20
    await w3.start_service(w[3])
    await w3.call_next(w[3])  # A3 served; B1 called
    hall.clock.advance(5 * M)  # 10:25
    a4 = await kiosk.issue_ticket(s["GS-1"])
    hall.clock.advance(3 * M)  # 10:28
    await w3.finish_service(w[3])
    await w2.pause_window(w[2], "临时外出")
    await kiosk.submit_rating(a1["status_token"], "good", channel="kiosk")
    await kiosk.submit_rating(a3["status_token"], "poor", channel="kiosk")
    async with HallClient(hall.url, hall.hall.bus_token) as pad:
        await pad.rate_at_window(w[3], "fairly_good")
    return {"a4": a4}
