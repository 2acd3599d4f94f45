"""Who did it: an action at a window is recorded under the actor's own id (issue 13).

督查科 or an admin acting on someone's window is recorded as themselves in the hall's events,
not as the staff member signed in there; the ticket, and so its rating, stays with that staff
member, who served the applicant. The device bus acts for the staff member signed in.
"""

from __future__ import annotations

from sqlalchemy import select

from hall_server.client import HallClient
from hall_server.db import Database
from hall_server.evaluation.models import Rating
from hall_server.tickets.models import Ticket


async def _signed_in(hall, client: HallClient, number: int) -> int:
    """Sign staff in to window ``number``; their user id."""
    user_id = (await client.login(hall.hall.staff[number], hall.hall.password))["user_id"]
    await client.sign_in_window(hall.hall.windows[number])
    return user_id


def _actors(events: list[dict]) -> list[tuple[str, int | None]]:
    return [(e["kind"], e["payload"].get("actor_id")) for e in events if e["kind"].startswith(("ticket.", "window."))
            and e["kind"] != "ticket.issued"]


async def test_supervision_and_admin_acting_on_a_window_are_recorded_under_their_own_ids(hall, kiosk):
    first = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    second = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    wid = hall.hall.windows[1]
    async with HallClient(hall.url) as staff, HallClient(hall.url) as supervisor, HallClient(hall.url) as admin:
        staff_id = await _signed_in(hall, staff, 1)
        start = (await kiosk.hall_board(hall.hall.hall_id))["last_event_id"]
        supervisor_id = (await supervisor.login(hall.hall.supervisor, hall.hall.password))["user_id"]
        admin_id = (await admin.login(hall.hall.admin, hall.hall.password))["user_id"]
        await supervisor.call_next(wid)  # 督查科 helps out at window 1
        await staff.start_service(wid)
        await staff.finish_service(wid)
        await admin.call_next(wid)
        await admin.pause_window(wid, "设备检修")
        await admin.resume_window(wid)
        await supervisor.skip_ticket(wid)
        await supervisor.sign_out_window(wid)  # a forgotten window signed out
        events = await supervisor.list_events(after=start, hall_id=hall.hall.hall_id)
    assert _actors(events) == [
        ("ticket.called", supervisor_id), ("ticket.started", staff_id), ("ticket.finished", staff_id),
        ("ticket.called", admin_id), ("window.paused", admin_id), ("window.resumed", admin_id),
        ("ticket.skipped", supervisor_id), ("window.signed_out", supervisor_id),
    ]
    assert len({staff_id, supervisor_id, admin_id}) == 3
    # The applicants were served (or not) by the staff member at the window, and rate that service.
    assert (await kiosk.submit_rating(first["status_token"], "good"))["rating"] == "good"
    db = Database(hall.database_url)
    try:
        with db.read_session() as s:
            tickets = {t.number: t.staff_id for t in s.scalars(select(Ticket).where(Ticket.window_id == wid))}
            assert tickets == {first["number"]: staff_id, second["number"]: staff_id}
            assert s.scalar(select(Rating.staff_id)) == staff_id
    finally:
        db.dispose()


async def test_staff_and_the_bus_acting_for_them_are_recorded_under_the_staff_member(hall, kiosk):
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    wid = hall.hall.windows[1]
    async with HallClient(hall.url) as staff, HallClient(hall.url, hall.hall.bus_token) as bus:  # the keypad
        staff_id = await _signed_in(hall, staff, 1)
        start = (await kiosk.hall_board(hall.hall.hall_id))["last_event_id"]
        await bus.call_next(wid)
        await bus.start_service(wid)
        await staff.finish_service(wid)
        events = await staff.list_events(after=start, hall_id=hall.hall.hall_id)
    assert _actors(events) == [("ticket.called", staff_id), ("ticket.started", staff_id),
                               ("ticket.finished", staff_id)]


async def test_the_public_board_view_does_not_name_who_acted(hall, kiosk, staff_client):
    await kiosk.issue_ticket(hall.hall.services["GS-1"])
    staff = await staff_client(1)
    start = (await kiosk.hall_board(hall.hall.hall_id))["last_event_id"]
    await staff.call_next(hall.hall.windows[1])
    async with HallClient(hall.url) as tv:
        async for event in tv.events(hall_id=hall.hall.hall_id, after=start, view="board"):
            assert event["kind"] == "ticket.called" and "actor_id" not in event["payload"]
            break
