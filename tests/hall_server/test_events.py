"""The event outbox: every change is an event, delivered once and in order, resumable by id."""

import asyncio
import contextlib
import json
import threading

import websockets

from hall_server.client import HallClient


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
    async with websockets.connect(ws_url, compression=None) as ws:  # live, from now on
        await asyncio.sleep(0.3)
        # The writer runs work that waits together in one transaction; hold it so the six calls do.
        release = threading.Event()
        held = asyncio.ensure_future(hall.ctx.write_async(lambda s, now: release.wait(10)))
        calls = asyncio.gather(*(staff[n].call_next(hall.hall.windows[n]) for n in staff))
        await asyncio.sleep(0.5)
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


def test_a_slow_subscriber_is_told_to_resync_not_buffered_forever():
    from hall_server.events.hub import RESYNC, SUBSCRIBER_BUFFER, Delivery, Subscriber

    sub = Subscriber(hall_id=None)
    for i in range(SUBSCRIBER_BUFFER + 50):
        sub.offer(Delivery(i, 1, "{}"))
    assert sub.overflowed and sub.queue.qsize() == SUBSCRIBER_BUFFER
    items = [sub.queue.get_nowait() for _ in range(SUBSCRIBER_BUFFER)]
    assert items[-1] is RESYNC
