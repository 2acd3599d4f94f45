"""过号/未到: an applicant called who never came is a no-show, not a service (issue 13).

Call next ends the ticket at the window by the state machine: served if its service was
started, a no-show if it was only called. A no-show is not finished, not ratable, not in the
queue's pace, and counted apart on the window's desk.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from hall_queue.states import TicketStatus
from hall_server.client import ApiError, HallClient
from hall_server.messages import STATUS_NAMES
from hall_server.tickets.views import PARKED_SHOWN
from kiosk.messages import MESSAGES as KIOSK


async def test_call_next_before_starting_records_a_no_show_and_after_starting_a_service(hall, kiosk, staff_client):
    svc = hall.hall.services["GS-1"]
    absent, present, _ = [await kiosk.issue_ticket(svc) for _ in range(3)]
    w = await staff_client(1)
    wid = hall.hall.windows[1]
    start = (await kiosk.hall_board(hall.hall.hall_id))["last_event_id"]

    await w.call_next(wid)
    hall.clock.advance(timedelta(minutes=2))
    assert (await w.call_next(wid))["number"] == present["number"]  # the first never came
    await w.start_service(wid)
    hall.clock.advance(timedelta(minutes=5))
    await w.call_next(wid)

    gone = await kiosk.lookup_status(absent["status_token"])
    assert gone["status"] == "no_show" and gone["finished_at"] is None and gone["can_rate"] is False
    served = await kiosk.lookup_status(present["status_token"])
    assert served["status"] == "finished" and served["can_rate"] is True
    desk = await w.window_desk(wid)
    assert desk["today"]["served"] == 1 and desk["today"]["no_shows"] == 1
    assert desk["today"]["average_service_seconds"] == 300  # the no-show's two minutes are no service time
    assert [(t["number"], t["status"]) for t in desk["parked"]] == [(absent["number"], "no_show")]
    events = await kiosk.list_events(after=start, hall_id=hall.hall.hall_id)
    left = [(e["kind"], e["payload"]["ticket"]["number"], e["payload"]["ticket"]["status"]) for e in events
            if e["kind"] in ("ticket.skipped", "ticket.finished")]
    assert left == [("ticket.skipped", absent["number"], "no_show"), ("ticket.finished", present["number"], "finished")]
    skipped = next(e for e in events if e["kind"] == "ticket.skipped")
    assert skipped["payload"]["window"]["current_ticket_id"] is None  # boards: it has left the window


async def test_a_no_show_cannot_be_rated_and_is_told_why(hall, kiosk, staff_client):
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w = await staff_client(1)
    wid = hall.hall.windows[1]
    await w.call_next(wid)
    await w.skip_ticket(wid)  # 过号: staff say the applicant did not come
    async with HallClient(hall.url) as phone:
        with pytest.raises(ApiError) as exc:
            await phone.submit_rating(t["status_token"], "poor")
    assert exc.value.status == 409 and exc.value.code == "rating_no_show"
    assert f"{t['number']}号叫号时未到窗口" in exc.value.message_zh and "无法评价" in exc.value.message_zh
    assert "no-show" in exc.value.message_en and "no service to rate" in exc.value.message_en
    async with HallClient(hall.url, hall.hall.bus_token) as pad:  # the rating pad rates only a finished service
        with pytest.raises(ApiError) as exc:
            await pad.rate_at_window(wid, "good")
        assert exc.value.code == "nothing_to_rate"


async def test_a_late_applicant_called_back_is_served_after_all(hall, kiosk, staff_client):
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w = await staff_client(1)
    wid = hall.hall.windows[1]
    await w.call_next(wid)
    assert await w.call_next(wid) is None  # no one else waits: the first is a no-show, parked at the window
    assert (await w.call_back_ticket(wid, t["id"]))["status"] == "called"  # they came after all
    await w.start_service(wid)
    await w.finish_service(wid)
    assert (await kiosk.submit_rating(t["status_token"], "good"))["rating"] == "good"
    today = (await w.window_desk(wid))["today"]
    assert today["served"] == 1 and today["no_shows"] == 0


async def test_no_shows_do_not_speed_up_the_wait_estimate(hall, kiosk, staff_client):
    """The wait is told at the pace of services; three applicants who never came in a minute each are
    no service at all, so a new ticket is still told the catalog's ten minutes, not one."""
    svc = hall.hall.services["GS-1"]
    for _ in range(5):
        await kiosk.issue_ticket(svc)
    w = await staff_client(1)  # the only window open for GS-1
    for _ in range(4):
        await w.call_next(hall.hall.windows[1])
        hall.clock.advance(timedelta(minutes=1))
    new = await kiosk.issue_ticket(svc)
    assert new["waiting_ahead"] == 1 and new["estimated_wait_seconds"] == 600


def test_every_ticket_state_has_a_name_where_people_read_it():
    """A no-show is shown by name (过号 / no-show) in refusals and on the kiosk, never as a raw code."""
    for status in TicketStatus:
        assert status.value in STATUS_NAMES and f"state.{status.value}" in KIOSK, status
    assert STATUS_NAMES["no_show"] == ("已过号", "no-show")


async def test_a_window_that_never_starts_parks_only_the_latest_no_shows_on_its_desk(hall, kiosk, staff_client):
    svc = hall.hall.services["GS-2"]
    tickets = [await kiosk.issue_ticket(svc) for _ in range(PARKED_SHOWN + 3)]
    w = await staff_client(1)
    wid = hall.hall.windows[1]
    await w.call_next(wid)
    await w.hold_ticket(wid)  # the first is held, waiting for a copy: always shown
    for _ in tickets[1:]:
        await w.call_next(wid)
        hall.clock.advance(timedelta(seconds=30))
    await w.call_next(wid)  # the last never came either
    desk = await w.window_desk(wid)
    assert desk["today"]["no_shows"] == PARKED_SHOWN + 2
    shown = [t["number"] for t in desk["parked"]]
    assert shown == [tickets[0]["number"]] + [t["number"] for t in tickets[-(PARKED_SHOWN - 1):]]
