"""Issuing tickets: numbers, the day, opening hours, caps, priority classes, idempotency, status."""

import re
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from hall_server.client import ApiError, HallClient
from hall_server.db import Database
from hall_server.events.models import Event
from hall_server.tickets.models import Ticket


def count_rows(hall, model):
    db = Database(hall.database_url)
    try:
        with db.read_session() as s:
            return s.scalar(select(func.count()).select_from(model))
    finally:
        db.dispose()


async def test_numbers_count_up_per_series(hall, kiosk):
    s = hall.hall.services
    a1 = await kiosk.issue_ticket(s["GS-1"])
    a2 = await kiosk.issue_ticket(s["GS-2"])  # same series A, another service
    b1 = await kiosk.issue_ticket(s["SW-1"])
    assert [a1["number"], a2["number"], b1["number"]] == ["A001", "A002", "B001"]


async def test_a_new_business_day_restarts_numbers_and_keeps_history(hall, kiosk):
    first = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    hall.clock.advance(timedelta(days=1))
    again = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    assert first["number"] == again["number"] == "A001"
    assert count_rows(hall, Ticket) == 2
    # yesterday's ticket still answers its QR code
    assert (await kiosk.lookup_status(first["status_token"]))["number"] == "A001"


async def test_people_ahead_and_estimated_wait(hall, kiosk, staff_client):
    await staff_client(1)
    await staff_client(2)
    svc = hall.hall.services["GS-1"]  # 10 minutes each, windows 1 and 2 open
    tickets = [await kiosk.issue_ticket(svc) for _ in range(5)]
    assert [t["waiting_ahead"] for t in tickets] == [0, 1, 2, 3, 4]
    assert tickets[4]["estimated_wait_seconds"] == 2 * 600  # 4 ahead shared by 2 windows
    assert tickets[0]["estimated_wait_seconds"] == 0


async def test_the_estimate_counts_whoever_the_serving_windows_call_from_and_never_promises_no_wait(
        hall, kiosk, staff_client):
    """Window 1 serves GS-1 and GS-2, window 2 only GS-1: a GS-1 applicant waits behind both
    services' earlier tickets; a tax (SW-1) applicant behind none of them. With no window of its
    service open, the ticket says so instead of "no wait"."""
    s = hall.hall.services
    closed = await kiosk.issue_ticket(s["GS-1"])
    assert closed["waiting_ahead"] == 0 and closed["estimated_wait_seconds"] is None
    await staff_client(1)
    others = [await kiosk.issue_ticket(s["GS-2"]) for _ in range(2)]
    mine = await kiosk.issue_ticket(s["GS-1"])
    assert mine["waiting_ahead"] == 3  # the first GS-1 ticket and the two GS-2 tickets
    assert mine["estimated_wait_seconds"] == 3 * 600  # one window open: three rounds of GS-1's 10 minutes
    tax = await kiosk.issue_ticket(s["SW-1"])
    assert tax["waiting_ahead"] == 0 and tax["estimated_wait_seconds"] is None  # window 3 is closed
    status = await kiosk.lookup_status(others[1]["status_token"])
    assert status["waiting_ahead"] == 2  # those before it; the GS-1 ticket after it is not
    assert (await kiosk.lookup_status(tax["status_token"]))["estimated_wait_seconds"] is None


async def test_closed_hours_are_refused_with_when_to_come_back(hall, kiosk):
    hall.clock.advance(timedelta(hours=8))  # 18:00 in Shanghai
    with pytest.raises(ApiError) as exc:
        await kiosk.issue_ticket(hall.hall.services["GS-1"])
    assert exc.value.status == 409 and exc.value.code == "hall_closed"
    assert "请于11月26日(星期四)09:00再来取号" in exc.value.message_zh  # the date too, not a bare time
    assert "Thu 26 Nov 09:00" in exc.value.message_en
    assert count_rows(hall, Ticket) == 0


async def test_no_tickets_on_a_sunday_and_the_next_working_day_is_named(hall, kiosk):
    hall.clock.advance(timedelta(days=4))  # Sunday 29 November, 10:00 in Shanghai
    with pytest.raises(ApiError) as exc:
        await kiosk.issue_ticket(hall.hall.services["GS-1"])
    assert exc.value.code == "hall_closed" and "请于11月30日(星期一)09:00再来取号" in exc.value.message_zh
    assert count_rows(hall, Ticket) == 0


async def test_lunch_break_is_closed_too(hall, kiosk):
    hall.clock.advance(timedelta(hours=2, minutes=30))  # 12:30
    with pytest.raises(ApiError) as exc:
        await kiosk.issue_ticket(hall.hall.services["GS-1"])
    assert "13:00" in exc.value.message_zh


async def test_daily_cap_refuses_politely_and_writes_nothing(hall, kiosk):
    svc = hall.hall.services["SW-1"]  # cap 3
    for _ in range(3):
        await kiosk.issue_ticket(svc)
    events_before = count_rows(hall, Event)
    with pytest.raises(ApiError) as exc:
        await kiosk.issue_ticket(svc)
    assert exc.value.code == "daily_cap_reached" and "请于11月26日(星期四)09:00再来取号" in exc.value.message_zh
    assert count_rows(hall, Ticket) == 3 and count_rows(hall, Event) == events_before
    # the refused attempt used no number: tomorrow starts again at B001, today's other series go on
    assert (await kiosk.issue_ticket(hall.hall.services["GS-1"]))["number"] == "A001"


async def test_a_retry_with_the_same_key_gives_the_same_ticket(hall, kiosk):
    svc = hall.hall.services["GS-1"]
    one = await kiosk.issue_ticket(svc, idempotency_key="tap-123")
    two = await kiosk.issue_ticket(svc, idempotency_key="tap-123")
    assert one["id"] == two["id"] and one["status_token"] == two["status_token"]
    assert count_rows(hall, Ticket) == 1
    with pytest.raises(ApiError) as exc:
        await kiosk.issue_ticket(hall.hall.services["SW-1"], idempotency_key="tap-123")
    assert exc.value.code == "idempotency_conflict"


async def test_a_retry_uses_no_number_and_is_answered_even_after_closing_time(hall, kiosk):
    """A kiosk that lost the answer at 16:59 asks again at 17:00: it gets its ticket, not "closed"."""
    svc = hall.hall.services["GS-1"]
    one = await kiosk.issue_ticket(svc, idempotency_key="tap-1")
    again = await kiosk.issue_ticket(svc, idempotency_key="tap-1")
    assert again["number"] == one["number"] == "A001"
    assert (await kiosk.issue_ticket(svc, idempotency_key="tap-2"))["number"] == "A002"  # no number lost
    hall.clock.advance(timedelta(hours=8))  # 18:00, closed
    late = await kiosk.issue_ticket(svc, idempotency_key="tap-1")
    assert late["id"] == one["id"] and late["status_token"] == one["status_token"]
    with pytest.raises(ApiError) as exc:
        await kiosk.issue_ticket(svc, idempotency_key="tap-3")
    assert exc.value.code == "hall_closed"


async def test_unknown_service_is_a_clear_404(hall, kiosk):
    with pytest.raises(ApiError) as exc:
        await kiosk.issue_ticket(999999)
    assert exc.value.status == 404 and exc.value.code == "service_not_found"
    assert "导办台" in exc.value.message_zh


async def test_malformed_json_is_a_clear_422(hall):
    async with httpx.AsyncClient(base_url=hall.url) as http:
        r = await http.post("/api/v1/tickets", content=b"{not json",
                            headers={"Authorization": f"Bearer {hall.hall.kiosk_token}",
                                     "Content-Type": "application/json"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_request"
    assert count_rows(hall, Ticket) == 0


async def test_priority_green_and_urgent(hall, kiosk):
    svc = hall.hall.services["GS-1"]
    assert (await kiosk.issue_ticket(svc, "priority"))["priority"] == "priority"
    with pytest.raises(ApiError) as exc:
        await kiosk.issue_ticket(svc, "green")
    assert exc.value.code == "green_code_required"
    with pytest.raises(ApiError) as exc:
        await kiosk.issue_ticket(svc, "urgent")
    assert exc.value.code == "urgent_not_allowed"
    async with HallClient(hall.url) as business:
        await business.login("business", hall.hall.password)
        code = (await business.create_green_pass(hall.hall.hall_id, "某重点项目"))["code"]
        urgent = await business.issue_ticket(svc, "urgent")  # 急办件 are designated by the center
    assert urgent["priority"] == "urgent"
    green = await kiosk.issue_ticket(svc, "green", green_code=code)
    assert green["priority"] == "green"


async def test_status_token_is_long_random_and_reveals_only_its_ticket(hall, kiosk):
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    assert len(t["status_token"]) >= 22 and re.fullmatch(r"[A-Za-z0-9_-]+", t["status_token"])
    assert t["status_url"].endswith("/s/" + t["status_token"])
    async with HallClient(hall.url) as anonymous:
        status = await anonymous.lookup_status(t["status_token"])
        assert status["number"] == "A001" and status["status"] == "waiting"
        assert "status_token" not in status and "id" not in status
        with pytest.raises(ApiError) as exc:
            await anonymous.lookup_status(t["status_token"][:-2] + "xx")
        assert exc.value.status == 404


async def test_number_and_check_code_find_todays_ticket_when_the_qr_will_not_scan(hall, kiosk):
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    assert len(t["check_code"]) == 4
    found = await kiosk.lookup_ticket(hall.hall.hall_id, "a1", t["check_code"].lower())
    assert found["number"] == "A001" and found["status_token"] == t["status_token"]
    wrong = "2222" if t["check_code"] != "2222" else "3333"
    with pytest.raises(ApiError) as exc:
        await kiosk.lookup_ticket(hall.hall.hall_id, "A001", wrong)
    assert exc.value.status == 404
    hall.clock.advance(timedelta(days=1))  # numbers restart daily: yesterday's A001 is not found by number
    with pytest.raises(ApiError):
        await kiosk.lookup_ticket(hall.hall.hall_id, "A001", t["check_code"])
