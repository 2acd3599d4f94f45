"""The event outbox: every change is an event, delivered once and in order, resumable by id."""

import asyncio
import contextlib
import json
import threading

import pytest
import websockets

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


async def test_a_burst_of_calls_reaches_a_board_as_one_message_in_order(hall, kiosk, staff_client):
    """40 windows calling in the same moment: a board gets their calls together, not 40 messages."""
    hid = hall.hall.hall_id
    for _ in range(6):
        await kiosk.issue_ticket(hall.hall.services["BK-1"])
    staff = {n: await staff_client(n) for n in range(10, 16)}
    start = (await kiosk.hall_board(hid))["last_event_id"]
    ws_url = hall.url.replace("http", "ws", 1) + f"/api/v1/events?hall_id={hid}"
    bearer = {"Authorization": f"Bearer {hall.hall.kiosk_token}"}
    async with websockets.connect(ws_url, additional_headers=bearer, compression=None) as ws:  # live, from now on
        await asyncio.sleep(0.3)
        # The writer runs work that waits together in one transaction; hold it so the six calls do.
        holding, release = threading.Event(), threading.Event()

        def hold(_s, _now) -> None:
            holding.set()
            release.wait(10)

        held = asyncio.ensure_future(hall.ctx.write_async(hold))
        assert await asyncio.to_thread(holding.wait, 10)  # the writer is busy with it alone
        calls = asyncio.gather(*(staff[n].call_next(hall.hall.windows[n]) for n in staff))
        for _ in range(500):  # all six wait behind the held one
            if hall.ctx.writer.queued() >= len(staff):
                break
            await asyncio.sleep(0.01)
        release.set()
        await held
        tickets = await calls
        message = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert message["type"] == "events"
    events = message["events"]
    assert [e["kind"] for e in events] == ["ticket.called"] * 6
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    assert {e["payload"]["ticket"]["number"] for e in events} == {t["number"] for t in tickets}
    # the client library hands them out one by one, as if they had come one by one
    assert [e["id"] for e in await collect(kiosk, 6, hall_id=hid, after=start)] == [e["id"] for e in events]


async def test_the_http_catch_up_list_matches_the_stream(hall, kiosk):
    for _ in range(3):
        await kiosk.issue_ticket(hall.hall.services["SW-1"])
    listed = await kiosk.list_events(after=0, hall_id=hall.hall.hall_id)
    assert [e["payload"]["ticket"]["number"] for e in listed] == ["B001", "B002", "B003"]
    assert await kiosk.list_events(after=listed[-1]["id"]) == []


def test_the_hub_keeps_a_bounded_log_and_builds_each_message_once():
    from hall_server.events.hub import BEHIND, LOG_SIZE, Delivery, Hub

    hub = Hub(db=None)  # type: ignore[arg-type]  # the log needs no database
    for start in range(0, 3 * LOG_SIZE, 100):
        hub.append([Delivery(i, 1 + i % 2, f'{{"id": {i}}}', f'{{"id": {i}}}') for i in range(start + 1, start + 101)])
    assert len(hub.log) <= 2 * LOG_SIZE  # memory stays bounded, whoever is subscribed
    assert hub.frame_after(0, None) is BEHIND  # too far back: read the outbox
    last = hub.last_id
    text, upto = hub.frame_after(last - 4, 1)
    assert json.loads(text)["events"] == [{"id": i} for i in range(last - 3, last + 1) if 1 + i % 2 == 1]
    assert upto == last  # the other hall's events are passed over too
    assert hub.frame_after(last - 4, 1)[0] is text  # built once for everyone at that place
    assert hub.frame_after(last, None) == ("", last)


def test_a_board_is_sent_what_it_draws_of_each_event_and_others_the_whole_event():
    from hall_server.events.hub import Hub, delivery

    event = {"id": 7, "hall_id": 1, "kind": "ticket.called", "at": "2026-11-25T02:00:00+00:00", "payload": {
        "ticket": {"id": 3, "number": "C003", "status": "called", "service_id": 2, "service_name": "不动产登记",
                   "series": "C", "priority": "normal", "arrived_at": "2026-11-25T01:50:00+00:00", "window_id": 5},
        "window": {"id": 5, "number": 12, "name": "不动产", "location": "二楼", "area": "二楼", "state": "open",
                   "pause_reason": "", "current_ticket_id": 3}, "staff_name": "王芳"}}
    hub = Hub(db=None)  # type: ignore[arg-type]
    hub.last_id = 6
    hub.append([delivery(event)])
    assert json.loads(hub.frame_after(6, 1)[0])["event"] == event
    brief = json.loads(hub.frame_after(6, 1, for_board=True)[0])["event"]
    assert brief == {"id": 7, "hall_id": 1, "kind": "ticket.called", "payload": {
        "ticket": {k: event["payload"]["ticket"][k] for k in ("id", "number", "status", "service_id", "service_name",
                                                             "series")},
        "window": {k: v for k, v in event["payload"]["window"].items() if k != "name"}}}


def test_the_hub_takes_this_process_s_commits_as_given_and_reads_the_outbox_across_a_gap():
    from hall_server.events.hub import Hub

    def events(*ids):
        return [{"id": i, "hall_id": 1, "kind": "ticket.issued", "at": "", "payload": {}} for i in ids]

    hub = Hub(db=None)  # type: ignore[arg-type]  # the hand-over needs no database
    hub.last_id = 10
    hub._committed(events(11, 12, 13))  # right after the last one, no gap: into the log at once
    assert [d.id for d in hub.log] == [11, 12, 13] and not hub._wake.is_set()
    hub.append([d for d in hub.log if d.id > 12])  # the reader came back with what the log has: passed over
    assert [d.id for d in hub.log] == [11, 12, 13]
    hub._committed(events(15, 16))  # 14 is another process's, or a rolled-back transaction's
    assert hub.last_id == 13 and hub._wake.is_set()  # nothing skipped: the reader reads from 13 on


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
