"""The event outbox: every change is an event, delivered once and in order, resumable by id."""

import asyncio
import contextlib
import json

import pytest
import websockets
from sqlalchemy import select

from hall_server.client import ApiError, HallClient


async def collect(client: HallClient, n: int, **kw) -> list[dict]:
    out = []
    async with contextlib.aclosing(client.events(**kw)) as stream:
        async for ev in stream:
            out.append(ev)
            if len(out) == n:
                break
    return out


async def test_a_subscriber_sees_each_change_once_in_order(hall, kiosk, staff_client):
    hid = hall.hall.hall_id
    board = await kiosk.hall_board(hid)
    listener = asyncio.create_task(collect(kiosk, 5, hall_id=hid, after=board["last_event_id"]))
    await asyncio.sleep(0.3)
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w = await staff_client(1)  # window.signed_in
    wid = hall.hall.windows[1]
    await w.call_next(wid)
    await w.recall_ticket(wid)
    await w.finish_service(wid)
    events = await asyncio.wait_for(listener, 15)
    assert [e["kind"] for e in events] == [
        "ticket.issued", "window.signed_in", "ticket.called", "ticket.recalled", "ticket.finished"]
    ids = [e["id"] for e in events]
    assert ids == sorted(ids) and len(set(ids)) == 5
    called = events[2]["payload"]
    assert called["ticket"]["number"] == t["number"] and called["window"]["number"] == 1
    assert "status_token" not in str(events)


async def test_a_client_that_reconnects_gets_everything_after_its_last_id(hall, kiosk):
    hid = hall.hall.hall_id
    start = (await kiosk.hall_board(hid))["last_event_id"]
    first = [await kiosk.issue_ticket(hall.hall.services["GS-1"]) for _ in range(3)]
    seen = await collect(kiosk, 3, hall_id=hid, after=start)
    assert [e["payload"]["ticket"]["number"] for e in seen] == [t["number"] for t in first]
    # while "disconnected", more happens
    later = [await kiosk.issue_ticket(hall.hall.services["GS-1"]) for _ in range(4)]
    resumed = await collect(kiosk, 4, hall_id=hid, after=seen[-1]["id"])
    assert [e["payload"]["ticket"]["number"] for e in resumed] == [t["number"] for t in later]


async def test_windows_calling_at_once_reach_a_board_each_once_in_order(hall, kiosk, staff_client):
    """Six windows calling in the same moment: the board shows each call once, in the order committed."""
    hid = hall.hall.hall_id
    for _ in range(6):
        await kiosk.issue_ticket(hall.hall.services["BK-1"])
    staff = {n: await staff_client(n) for n in range(10, 16)}
    start = (await kiosk.hall_board(hid))["last_event_id"]
    async with HallClient(hall.url) as board:
        listener = asyncio.create_task(collect(board, 6, hall_id=hid, after=start, view="board"))
        tickets = await asyncio.gather(*(staff[n].call_next(hall.hall.windows[n]) for n in staff))
        events = await asyncio.wait_for(listener, 15)
    assert [e["kind"] for e in events] == ["ticket.called"] * 6
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert sorted(e["payload"]["ticket"]["number"] for e in events) == sorted(t["number"] for t in tickets)
    assert len({t["number"] for t in tickets}) == 6


async def test_the_http_catch_up_list_matches_the_stream(hall, kiosk):
    for _ in range(3):
        await kiosk.issue_ticket(hall.hall.services["SW-1"])
    listed = await kiosk.list_events(after=0, hall_id=hall.hall.hall_id)
    assert [e["payload"]["ticket"]["number"] for e in listed] == ["B001", "B002", "B003"]
    assert await kiosk.list_events(after=listed[-1]["id"]) == []


def _delivery(i: int, hall_id: int):
    from hall_server.events.hub import delivery

    return delivery({"id": i, "hall_id": hall_id, "kind": "ticket.issued", "at": "", "payload": {}})


def test_the_hub_keeps_a_bounded_log_per_hall_and_builds_each_message_once():
    from hall_server.events.hub import BEHIND, LOG_SIZE, Hub

    hub = Hub(db=None)  # type: ignore[arg-type]  # the log needs no database
    for start in range(0, 3 * LOG_SIZE, 100):
        hub.append(1, [_delivery(i, 1) for i in range(start + 1, start + 101)])
    assert len(hub.halls[1].log) <= 2 * LOG_SIZE  # memory stays bounded, whoever is subscribed
    assert hub.frame_after(0, 1) is BEHIND  # too far back: read the outbox
    last = hub.last_id(1)
    text, upto = hub.frame_after(last - 4, 1)
    assert [e["id"] for e in json.loads(text)["events"]] == list(range(last - 3, last + 1))
    assert upto == last
    assert hub.frame_after(last - 4, 1)[0] is text  # built once for everyone at that place
    assert hub.frame_after(last, 1) == ("", last)
    assert hub.frame_after(0, 2) == ("", 0)  # another hall's log is its own


def test_each_hall_resumes_after_its_own_last_event_whatever_the_order_halls_commit_in():
    """Ids are one sequence, but a hall's events are read after the last id seen in that hall:
    hall 2's event 11, committed after hall 1's 12, is not skipped."""
    from hall_server.events.hub import Hub

    hub = Hub(db=None)  # type: ignore[arg-type]
    hub.append(1, [_delivery(12, 1)])
    hub.append(2, [_delivery(11, 2)])
    assert hub.last_id(1) == 12 and hub.last_id(2) == 11
    assert [e["id"] for e in hub.events_after(2, 0)] == [11]
    hub.append(1, [_delivery(12, 1), _delivery(13, 1)])  # a poll and a wake-up read the same row: once
    assert [d.id for d in hub.halls[1].log] == [12, 13]
    sub = hub.subscribe(2)
    hub.append(1, [_delivery(14, 1)])
    assert not sub.ready.is_set()  # another hall's event wakes no one here
    hub.append(2, [_delivery(15, 2)])
    assert sub.ready.is_set()


def test_on_sqlite_the_hub_takes_this_process_s_commits_as_handed_over_and_reads_across_a_gap():
    """SQLite has one writer, so ids follow commit order across halls: a commit that follows on
    from what the hub has goes straight into the logs; after a gap (a tool wrote between) it reads."""
    from types import SimpleNamespace

    from hall_server.events.hub import Hub

    def events(*pairs):
        return [{"id": i, "hall_id": h, "kind": "ticket.issued", "at": "", "payload": {}} for i, h in pairs]

    hub = Hub(db=SimpleNamespace(is_sqlite=True))  # type: ignore[arg-type]  # the hand-over reads nothing
    hub.through = 10
    hub._handed(events((11, 1), (12, 2)))
    assert hub.last_id(1) == 11 and hub.last_id(2) == 12 and not hub._wake.is_set()
    hub._handed(events((14, 1)))  # 13 is someone else's: not taken, read from the outbox instead
    assert hub.last_id(1) == 11 and hub.through == 12 and hub._wake.is_set() and hub._poll


def test_a_board_is_sent_what_it_draws_of_each_event_and_others_the_whole_event():
    from hall_server.events.hub import Hub, delivery

    event = {"id": 7, "hall_id": 1, "kind": "ticket.called", "at": "2026-11-25T02:00:00+00:00", "payload": {
        "ticket": {"id": 3, "number": "C003", "status": "called", "service_id": 2, "service_name": "不动产登记",
                   "series": "C", "priority": "normal", "arrived_at": "2026-11-25T01:50:00+00:00", "window_id": 5},
        "window": {"id": 5, "number": 12, "name": "不动产", "location": "二楼", "area": "二楼", "state": "open",
                   "pause_reason": "", "current_ticket_id": 3}, "staff_name": "王芳"}}
    hub = Hub(db=None)  # type: ignore[arg-type]
    hub.append(1, [_delivery(6, 1)])
    hub.append(1, [delivery(event)])
    assert json.loads(hub.frame_after(6, 1)[0])["event"] == event
    brief = json.loads(hub.frame_after(6, 1, for_board=True)[0])["event"]
    assert brief == {"id": 7, "hall_id": 1, "kind": "ticket.called", "payload": {
        "ticket": {k: event["payload"]["ticket"][k] for k in ("id", "number", "status", "service_id", "service_name",
                                                             "series")},
        "window": {k: v for k, v in event["payload"]["window"].items() if k != "name"}}}


async def test_a_hall_never_waits_for_another_hall_s_events(hall, kiosk):
    """On PostgreSQL a hall's event order is kept by a lock of its own: while one hall's commit
    holds it, another hall issues at once, and the first hall's next ticket waits its turn."""
    import psycopg

    from hall_server.events.outbox import EVENT_LOCK

    if hall.database_url.startswith("sqlite"):
        pytest.skip("SQLite is one server process whose writers take turns, whatever the hall")
    other_token = await asyncio.to_thread(hall.ctx.write, _another_hall_s_kiosk_with_a_service)
    with psycopg.connect(hall.database_url) as holder:
        holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", (EVENT_LOCK, hall.hall.hall_id))
        async with HallClient(hall.url, other_token) as other:
            service = (await other.list_services((await other.list_halls())[-1]["id"]))[0]["id"]
            assert await asyncio.wait_for(other.issue_ticket(service), 5)  # not behind hall 1's lock
        mine = asyncio.create_task(kiosk.issue_ticket(hall.hall.services["GS-1"]))
        await asyncio.sleep(0.5)
        assert not mine.done()  # hall 1's order: after the commit holding its lock
        holder.rollback()
    assert (await asyncio.wait_for(mine, 5))["number"] == "A001"


async def test_a_board_far_behind_the_hub_catches_up_from_the_outbox(hall, kiosk, monkeypatch):
    from hall_server.events import hub

    monkeypatch.setattr(hub, "LOG_SIZE", 3)  # the hub remembers only the last few events
    hid = hall.hall.hall_id
    start = (await kiosk.list_events(after=0, hall_id=hid) or [{"id": 0}])[-1]["id"]
    issued = [(await kiosk.issue_ticket(hall.hall.services["BK-1"]))["number"] for _ in range(12)]
    events = await collect(kiosk, 12, hall_id=hid, after=start)
    assert [e["payload"]["ticket"]["number"] for e in events] == issued



async def test_anyone_may_follow_what_the_boards_show_but_only_the_hall_s_own_may_follow_the_whole_events(
        hall, kiosk, staff_client):
    """The boards' view is what the TVs show the whole hall; staff names, ratings and device
    states are for the hall's own accounts and devices."""
    hid = hall.hall.hall_id
    start = (await kiosk.list_events(after=0, hall_id=hid) or [{"id": 0}])[-1]["id"]
    await staff_client(1)  # window.signed_in, with the staff member's name
    other_token = await asyncio.to_thread(hall.ctx.write, _another_hall_s_kiosk)
    async with HallClient(hall.url) as anonymous, HallClient(hall.url, other_token) as other:
        shown = await collect(anonymous, 1, hall_id=hid, after=start, view="board")
        assert shown[0]["kind"] == "window.signed_in" and "staff_name" not in shown[0]["payload"]
        whole = await collect(kiosk, 1, hall_id=hid, after=start)
        assert whole[0]["payload"]["staff_name"]
        for client, status in ((anonymous, 401), (other, 403)):
            with pytest.raises(ApiError) as refused:  # at once: a stream that will never be allowed is not retried
                await asyncio.wait_for(collect(client, 1, hall_id=hid, after=start), 10)
            assert refused.value.status == status and "请" in refused.value.message_zh
            with pytest.raises(ApiError) as listed:
                await client.list_events(after=start, hall_id=hid)
            assert listed.value.status == status
        assert await other.list_events(after=start) == []  # naming no hall, a hall's device gets its own


def _another_hall_s_kiosk_with_a_service(session, now) -> str:
    from hall_server.catalog.models import Department, Hall, Service, Window

    token = _another_hall_s_kiosk(session, now)
    other = session.scalar(select(Hall).where(Hall.key == "other"))
    dept = Department(hall_id=other.id, code="X", name="综合")
    session.add(dept)
    session.flush()
    service = Service(hall_id=other.id, department_id=dept.id, code="X-1", name="综合受理", series="X",
                      category="immediate")
    session.add(service)
    session.add(Window(hall_id=other.id, department_id=dept.id, number=1, name="综合", services=[service]))
    return token


def _another_hall_s_kiosk(session, now) -> str:
    from hall_server.auth.service import Role, issue_device_token
    from hall_server.catalog.models import Hall

    other = Hall(key="other", name="另一大厅")
    session.add(other)
    session.flush()
    return issue_device_token(session, now, Role.KIOSK, other.id, "kiosk of another hall")


async def test_a_logout_ends_the_token_s_open_streams_and_they_cannot_be_opened_again(hall, staff_client):
    w = await staff_client(1)
    hid = hall.hall.hall_id
    assert await asyncio.wait_for(collect(w, 1, hall_id=hid, after=0), 10)
    states: list[str] = []
    open_stream = asyncio.create_task(collect(w, 10**6, hall_id=hid, on_state=states.append))  # live, from now on
    await asyncio.sleep(0.3)
    assert states == ["connected"]
    await w.logout()
    with pytest.raises(ApiError) as ended:  # cut by the server, then refused when it reconnects
        await asyncio.wait_for(open_stream, 10)
    assert ended.value.status == 401 and states == ["connected", "reconnecting"]
    with pytest.raises(ApiError) as refused:
        await asyncio.wait_for(collect(w, 1, hall_id=hid, after=0), 10)
    assert refused.value.status == 401


async def test_board_connections_are_rate_limited_per_address_and_a_board_keeps_trying(hall):
    hall.ctx.settings.public_rate = "3/minute"
    url = hall.url.replace("http", "ws", 1) + f"/api/v1/events?hall_id={hall.hall.hall_id}&view=board"
    for _ in range(3):
        async with websockets.connect(url):
            pass
    async with HallClient(hall.url) as board:
        with pytest.raises(ApiError) as once:  # asked not to reconnect: the refusal, with its words
            await anext(board.event_batches(hall.hall.hall_id, view="board", reconnect=False))
        assert once.value.status == 429 and "稍等" in once.value.message_zh
        states: list[str] = []
        keeps_trying = asyncio.create_task(anext(board.event_batches(hall.hall.hall_id, view="board",
                                                                     on_state=states.append)))
        await asyncio.sleep(0.5)
        assert states == ["reconnecting"] and not keeps_trying.done()  # waiting to try again, not given up
        keeps_trying.cancel()
