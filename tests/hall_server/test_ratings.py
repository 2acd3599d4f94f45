"""服务对象评议: one rating per ticket, only after the service finished, tied to window and staff."""

import pytest
from sqlalchemy import select

from hall_server.client import ApiError, HallClient
from hall_server.db import Database
from hall_server.evaluation.models import Rating


async def finished_ticket(hall, kiosk, staff_client, window=1):
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w = await staff_client(window)
    await w.call_next(hall.hall.windows[window])
    await w.finish_service(hall.hall.windows[window])
    return t, w


async def test_rate_once_by_the_qr_token(hall, kiosk, staff_client):
    t, _ = await finished_ticket(hall, kiosk, staff_client)
    async with HallClient(hall.url) as phone:
        out = await phone.submit_rating(t["status_token"], "good")
        assert out["rating"] == "good" and "感谢您的评价" in out["message_zh"]
        with pytest.raises(ApiError) as exc:
            await phone.submit_rating(t["status_token"], "poor")
        assert exc.value.status == 409 and exc.value.code == "rating_already"
        assert "已经评价过" in exc.value.message_zh
        status = await phone.lookup_status(t["status_token"])
        assert status["rating"] == "good" and status["can_rate"] is False
    db = Database(hall.database_url)
    with db.read_session() as s:
        (r,) = s.scalars(select(Rating)).all()
        assert (r.window_id, r.channel, r.level) == (hall.hall.windows[1], "qr", "good")
        assert r.staff_id is not None and r.department_id is not None
    db.dispose()


async def test_no_rating_before_the_service_finished(hall, kiosk):
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    with pytest.raises(ApiError) as exc:
        await kiosk.submit_rating(t["status_token"], "good")
    assert exc.value.code == "rating_not_finished"


async def test_the_rating_pad_rates_the_ticket_just_finished(hall, kiosk, staff_client):
    t, w = await finished_ticket(hall, kiosk, staff_client)
    async with HallClient(hall.url, hall.hall.bus_token) as pad:
        out = await pad.rate_at_window(hall.hall.windows[1], "fairly_good")
        assert out["ticket_id"] == t["id"]
        with pytest.raises(ApiError) as exc:  # a second press on the pad
            await pad.rate_at_window(hall.hall.windows[1], "poor")
        assert exc.value.code == "rating_already"
    with pytest.raises(ApiError) as exc:  # the QR cannot rate it again either
        await kiosk.submit_rating(t["status_token"], "poor")
    assert exc.value.code == "rating_already"


async def test_staff_cannot_rate_their_own_service(hall, kiosk, staff_client):
    """Ratings count in the staff's monthly assessment: only the applicant rates (pad, kiosk, QR)."""
    t, w = await finished_ticket(hall, kiosk, staff_client)
    with pytest.raises(ApiError) as exc:
        await w.rate_at_window(hall.hall.windows[1], "good")
    assert exc.value.status == 403
    assert (await kiosk.submit_rating(t["status_token"], "poor"))["rating"] == "poor"  # the applicant's own word


async def test_poor_rating_keeps_reasons_and_comment(hall, kiosk, staff_client):
    t, _ = await finished_ticket(hall, kiosk, staff_client)
    await kiosk.submit_rating(t["status_token"], "poor", reasons=["slow", "bogus"], comment="等候时间较长",
                              channel="kiosk")
    db = Database(hall.database_url)
    with db.read_session() as s:
        r = s.scalars(select(Rating)).one()
        assert (r.reasons, r.comment, r.channel) == (["slow"], "等候时间较长", "kiosk")
    db.dispose()


async def test_an_unknown_level_is_refused(hall, kiosk, staff_client):
    t, _ = await finished_ticket(hall, kiosk, staff_client)
    with pytest.raises(ApiError) as exc:
        await kiosk.submit_rating(t["status_token"], "excellent")
    assert exc.value.status == 422 and exc.value.code == "invalid_request"
