"""At the window: sign-in, call next by policy, recall, skip, hold, call back, transfer, pause."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hall_server.client import ApiError, HallClient
from hall_server.db import Database
from hall_server.events.models import Event


def event_count(hall) -> int:
    db = Database(hall.database_url)
    try:
        with db.read_session() as s:
            return s.scalar(select(func.count()).select_from(Event))
    finally:
        db.dispose()


async def test_calling_next_serves_the_window_services_in_arrival_order(hall, kiosk, staff_client):
    s = hall.hall.services
    a1 = await kiosk.issue_ticket(s["GS-1"])
    await kiosk.issue_ticket(s["SW-1"])  # window 1 does not serve taxation
    a2 = await kiosk.issue_ticket(s["GS-2"])
    w1 = await staff_client(1)
    wid = hall.hall.windows[1]
    first = await w1.call_next(wid)
    assert first["number"] == a1["number"] and first["window_number"] == 1
    assert first["window_location"] == "一楼A区1号窗口"
    await w1.start_service(wid)
    second = await w1.call_next(wid)  # calling the next one finishes the first's service
    assert second["number"] == a2["number"]
    assert (await kiosk.lookup_status(a1["status_token"]))["status"] == "finished"
    assert await w1.call_next(wid) is None  # no one left: 204


async def test_priority_policy_two_priority_then_one_normal(hall, kiosk, staff_client):
    svc = hall.hall.services["GS-1"]
    normal = [await kiosk.issue_ticket(svc) for _ in range(2)]
    prio = [await kiosk.issue_ticket(svc, "priority") for _ in range(3)]
    w = await staff_client(1)
    called = [(await w.call_next(hall.hall.windows[1]))["number"] for _ in range(5)]
    expected = [prio[0], prio[1], normal[0], prio[2], normal[1]]
    assert called == [t["number"] for t in expected]


async def test_a_long_wait_beats_the_priority_line(hall, kiosk, staff_client):
    svc = hall.hall.services["GS-1"]
    old = await kiosk.issue_ticket(svc)
    hall.clock.advance(timedelta(minutes=31))
    await kiosk.issue_ticket(svc, "priority")
    w = await staff_client(1)
    assert (await w.call_next(hall.hall.windows[1]))["number"] == old["number"]


async def test_recall_is_capped(hall, kiosk, staff_client):
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w = await staff_client(1)
    wid = hall.hall.windows[1]
    await w.call_next(wid)
    for n in range(1, 4):
        assert (await w.recall_ticket(wid))["recall_count"] == n
    with pytest.raises(ApiError) as exc:
        await w.recall_ticket(wid)
    assert exc.value.code == "recall_limit" and "过号" in exc.value.message_zh


async def test_skip_then_put_back_in_line_keeps_the_place(hall, kiosk, staff_client):
    svc = hall.hall.services["GS-1"]
    late = await kiosk.issue_ticket(svc)
    after = await kiosk.issue_ticket(svc)
    w = await staff_client(1)
    wid = hall.hall.windows[1]
    called = await w.call_next(wid)
    skipped = await w.skip_ticket(wid)
    assert skipped["status"] == "no_show"
    assert (await kiosk.lookup_status(late["status_token"]))["status"] == "no_show"
    await w.requeue_ticket(wid, called["id"])  # the applicant arrived late
    # the late applicant keeps their original place, ahead of the later ticket
    assert (await w.call_next(wid))["number"] == late["number"]
    assert (await w.call_next(wid))["number"] == after["number"]


async def test_hold_and_call_back(hall, kiosk, staff_client):
    svc = hall.hall.services["GS-1"]
    first = await kiosk.issue_ticket(svc)
    second = await kiosk.issue_ticket(svc)
    w = await staff_client(1)
    wid = hall.hall.windows[1]
    await w.call_next(wid)
    await w.start_service(wid)
    held = await w.hold_ticket(wid)  # e.g. the applicant fetches a missing copy
    assert held["status"] == "held"
    nxt = await w.call_next(wid)
    assert nxt["number"] == second["number"]
    with pytest.raises(ApiError) as exc:  # the window is busy with the second applicant
        await w.call_back_ticket(wid, first["id"])
    assert exc.value.code == "window_busy"
    await w.finish_service(wid)
    back = await w.call_back_ticket(wid, first["id"])
    assert back["status"] == "called" and back["number"] == first["number"]
    desk = await w.window_desk(wid)
    assert desk["current"]["number"] == first["number"]


async def test_transfer_keeps_the_original_arrival_time(hall, kiosk, staff_client):
    s = hall.hall.services
    moved = await kiosk.issue_ticket(s["GS-1"])
    hall.clock.advance(timedelta(minutes=5))
    tax_first = await kiosk.issue_ticket(s["SW-1"])
    w1 = await staff_client(1)
    w3 = await staff_client(3)
    await w1.call_next(hall.hall.windows[1])
    out = await w1.transfer_ticket(hall.hall.windows[1], service_id=s["SW-1"], note="需先办理发票")
    assert out["status"] == "waiting" and out["service_id"] == s["SW-1"]
    # at the tax window the transferred applicant goes first: they arrived earlier
    assert (await w3.call_next(hall.hall.windows[3]))["number"] == moved["number"]
    assert (await w3.call_next(hall.hall.windows[3]))["number"] == tax_first["number"]


async def test_transfer_to_a_window_only_that_window_calls_it(hall, kiosk, staff_client):
    svc = hall.hall.services["GS-1"]
    t = await kiosk.issue_ticket(svc)
    w1, w2 = await staff_client(1), await staff_client(2)
    await w1.call_next(hall.hall.windows[1])
    await w1.transfer_ticket(hall.hall.windows[1], to_window_id=hall.hall.windows[2])
    assert await w1.call_next(hall.hall.windows[1]) is None
    assert (await w2.call_next(hall.hall.windows[2]))["number"] == t["number"]
    with pytest.raises(ApiError) as exc:
        await w2.transfer_ticket(hall.hall.windows[2], to_window_id=hall.hall.windows[3])
    assert exc.value.code == "transfer_target_mismatch"


async def test_pause_refuses_calls_until_resumed(hall, kiosk, staff_client):
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w = await staff_client(1)
    wid = hall.hall.windows[1]
    paused = await w.pause_window(wid, "临时外出")
    assert paused["state"] == "paused" and paused["pause_reason"] == "临时外出"
    with pytest.raises(ApiError) as exc:
        await w.call_next(wid)
    assert exc.value.code == "window_paused"
    await w.resume_window(wid)
    assert (await w.call_next(wid))["number"] == "A001"


async def test_illegal_moves_are_refused_and_write_nothing(hall, kiosk, staff_client):
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w = await staff_client(1)
    wid = hall.hall.windows[1]
    with pytest.raises(ApiError) as exc:
        await w.finish_service(wid)  # nothing called yet
    assert exc.value.code == "no_current_ticket"
    t = await w.call_next(wid)
    await w.finish_service(wid)
    before = event_count(hall)
    for attempt in (w.recall_ticket(wid, t["id"]), w.skip_ticket(wid, t["id"]), w.call_back_ticket(wid, t["id"])):
        with pytest.raises(ApiError) as exc:
            await attempt
        assert exc.value.status == 409 and exc.value.code == "illegal_transition"
        assert "已办结" in exc.value.message_zh
    assert event_count(hall) == before


async def test_staff_act_only_on_their_own_window(hall, kiosk, staff_client):
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    await staff_client(1)
    intruder = await staff_client(2)
    with pytest.raises(ApiError) as exc:
        await intruder.call_next(hall.hall.windows[1])
    assert exc.value.status == 403 and exc.value.code == "not_your_window"
    with pytest.raises(ApiError) as exc:
        await kiosk.call_next(hall.hall.windows[1])  # a kiosk token is not staff
    assert exc.value.status == 403
    async with HallClient(hall.url) as nobody:
        with pytest.raises(ApiError) as exc:
            await nobody.call_next(hall.hall.windows[1])
        assert exc.value.status == 401


async def test_staff_sign_in_only_to_a_free_window_or_their_own(hall, kiosk, staff_client):
    """Whoever is signed in at a window acts for its applicant: another staff member may not take
    it over (and then cancel the ticket at it) until the window is signed out."""
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    owner = await staff_client(1)
    await owner.call_next(hall.hall.windows[1])
    intruder = await staff_client(2)
    with pytest.raises(ApiError) as exc:
        await intruder.sign_in_window(hall.hall.windows[1])
    assert exc.value.status == 409 and exc.value.code == "window_occupied"
    assert "1号窗口已由1号签到使用" in exc.value.message_zh and "签退" in exc.value.message_zh
    with pytest.raises(ApiError) as exc:
        await intruder.cancel_ticket(hall.hall.windows[1], t["id"])
    assert exc.value.code == "not_your_window"
    assert (await owner.sign_in_window(hall.hall.windows[1]))["state"] == "open"  # their own again: fine
    async with HallClient(hall.url) as supervisor:  # 督查科 signs a forgotten window out
        await supervisor.login(hall.hall.supervisor, hall.hall.password)
        await supervisor.sign_out_window(hall.hall.windows[1])
    assert (await intruder.sign_in_window(hall.hall.windows[1]))["state"] == "open"


async def test_a_window_nobody_signed_in_to_cannot_call(hall, kiosk, staff_client):
    w = await staff_client(1, sign_in=False)
    with pytest.raises(ApiError) as exc:
        await w.call_next(hall.hall.windows[1])
    assert exc.value.code == "window_not_signed_in"
    with pytest.raises(ApiError) as exc:
        await w.call_next(987654)
    assert exc.value.status == 404


async def test_signing_in_elsewhere_closes_the_old_window(hall, staff_client):
    w = await staff_client(1)
    await w.sign_in_window(hall.hall.windows[2])
    windows = {x["number"]: x for x in await w.list_windows(hall.hall.hall_id)}
    assert windows[1]["state"] == "closed" and windows[2]["state"] == "open"


async def test_the_device_bus_acts_for_the_signed_in_staff(hall, kiosk, staff_client):
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    async with HallClient(hall.url, hall.hall.bus_token) as bus:
        with pytest.raises(ApiError) as exc:
            await bus.call_next(hall.hall.windows[1])
        assert exc.value.code == "window_not_signed_in"
        await staff_client(1)
        assert (await bus.call_next(hall.hall.windows[1]))["number"] == "A001"


async def test_the_desk_shows_queue_parked_tickets_and_todays_figures(hall, kiosk, staff_client):
    svc = hall.hall.services["GS-1"]
    for _ in range(4):
        await kiosk.issue_ticket(svc)
    w = await staff_client(1)
    wid = hall.hall.windows[1]
    await w.call_next(wid)
    await w.start_service(wid)
    hall.clock.advance(timedelta(minutes=6))
    await w.call_next(wid)  # first finished 6 minutes after its call
    await w.hold_ticket(wid)
    desk = await w.window_desk(wid)
    assert desk["window"]["state"] == "open"
    assert desk["waiting_count"] == 2 and [t["number"] for t in desk["waiting"]] == ["A003", "A004"]
    assert [t["number"] for t in desk["parked"]] == ["A002"]
    assert desk["today"]["served"] == 1 and desk["today"]["average_service_seconds"] == 360
    assert desk["longest_wait_seconds"] == 360
