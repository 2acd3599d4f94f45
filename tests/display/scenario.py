"""A busy morning at three windows, played through the real API: every kind of event a board sees."""

from __future__ import annotations

from hall_server.client import HallClient
from tests.harness import RunningHall


async def first_hour(hall: RunningHall, kiosk: HallClient, staff_client) -> dict[int, HallClient]:
    """Tickets issued, calls, a recall, a start, a missed and a held ticket at windows 1-3."""
    h = hall.hall
    for code in ("GS-1", "GS-2", "GS-1", "SW-1", "SW-1", "GS-1", "BK-1", "GS-2"):
        await kiosk.issue_ticket(h.services[code])
    staff = {n: await staff_client(n) for n in (1, 2, 3)}
    w = h.windows
    await staff[1].call_next(w[1])
    await staff[1].recall_ticket(w[1])
    await staff[1].start_service(w[1])
    await staff[2].call_next(w[2])
    await staff[2].skip_ticket(w[2])
    await staff[2].call_next(w[2])
    await staff[2].hold_ticket(w[2])
    await staff[3].call_next(w[3])
    return staff


async def second_hour(hall: RunningHall, staff: dict[int, HallClient]) -> None:
    """A call back, a requeue, a transfer, a pause, a finish by calling next, a no-show by calling next
    again (called, never came), a sign-out."""
    h = hall.hall
    w = h.windows
    desk2 = await staff[2].window_desk(w[2])
    held = next(t for t in desk2["parked"] if t["status"] == "held")
    missed = next(t for t in desk2["parked"] if t["status"] == "no_show")
    await staff[2].call_back_ticket(w[2], held["id"])
    await staff[2].finish_service(w[2])
    await staff[2].requeue_ticket(w[2], missed["id"])
    await staff[3].transfer_ticket(w[3], service_id=h.services["GS-2"], note="请到工商窗口")
    await staff[3].call_next(w[3])
    await staff[3].pause_window(w[3], "会议")
    await staff[1].call_next(w[1])
    await staff[1].call_next(w[1])  # the applicant just called never came: a no-show, and the next is called
    await staff[2].sign_out_window(w[2])
