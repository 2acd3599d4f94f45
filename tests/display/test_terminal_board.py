"""The terminal board and the hall's voice, against a real hall server."""

from __future__ import annotations

import io
import shutil
import wave

import pytest
from rich.console import Console
from textual.widgets import Static

from display.app import BoardApp
from display.board_model import BoardFilter
from hardware.voice.announcer import Announcer
from tests.display.support import CuttableProxy, until

SIZE = (120, 36)
CALL_KINDS = ("ticket.called", "ticket.recalled", "ticket.called_back")


def shown(app: BoardApp, selector: str) -> str:
    """What a Static shows, as plain text (tables included)."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(app.query_one(selector, Static).content)
    return console.export_text()


def board(hall, **kw) -> BoardApp:
    return BoardApp(hall.url, hall.hall.hall_id, clock=hall.clock.now, scroll_notice=False, **kw)


async def test_a_board_opened_mid_day_shows_the_present_and_then_each_call(hall, kiosk, staff_client):
    h = hall.hall
    for code in ("GS-1", "SW-1", "BK-1", "BK-1"):
        await kiosk.issue_ticket(h.services[code])
    w1, w3 = await staff_client(1), await staff_client(3)
    await w1.call_next(h.windows[1])
    await w3.call_next(h.windows[3])
    await w3.pause_window(h.windows[3], "会议")
    app = board(hall)
    async with app.run_test(size=SIZE):
        await until(lambda: app.state is not None and app.connected)
        calls = shown(app, "#calls")
        assert "A001" in calls and "B001" in calls  # the present, at once
        assert "测试行政服务中心" in shown(app, "#hall-name")
        assert "3 号窗口(会议)" in shown(app, "#windows-off")
        groups = shown(app, "#groups").splitlines()
        assert groups[-1].startswith("C 综合受理") and groups[-1].endswith("2 人")
        w10 = await staff_client(10)
        await w10.call_next(h.windows[10])
        await until(lambda: "C001" in shown(app, "#calls"))
        assert shown(app, "#calls").splitlines()[0].startswith("C001")  # the newest first
        assert shown(app, "#recent").splitlines()[0].startswith("请 C001 号到 10 号窗口")
        assert shown(app, "#groups").splitlines()[-1].endswith("1 人")
        assert app.spoken == [("C001", "10", False)]  # what was on the board already is not spoken again


async def test_a_board_limited_to_some_windows(hall, kiosk, staff_client):
    h = hall.hall
    for code in ("GS-1", "SW-1"):
        await kiosk.issue_ticket(h.services[code])
    app = board(hall, board_filter=BoardFilter.parse(windows="3"), lang="en")
    async with app.run_test(size=SIZE):
        await until(lambda: app.state is not None and app.connected)
        assert "Windows: 3" in shown(app, "#scope")
        for n in (1, 3):
            await (await staff_client(n)).call_next(h.windows[n])
        await until(lambda: "B001" in shown(app, "#calls"))
        assert "A001" not in shown(app, "#calls") and "A001" not in shown(app, "#recent")
        assert "Window 3" in shown(app, "#calls")
        assert app.spoken == [("B001", "3", False)]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (scripts/system-packages.sh)")
async def test_each_call_is_announced_in_order_one_at_a_time_and_a_recall_again(hall, kiosk, staff_client, tmp_path):
    h = hall.hall
    for code in ("GS-1", "GS-1", "SW-1"):
        await kiosk.issue_ticket(h.services[code])
    staff = {n: await staff_client(n) for n in (1, 2, 3)}
    with Announcer(tmp_path, play=False, repeat=1) as voice:
        app = board(hall, announcer=voice)
        async with app.run_test(size=SIZE):
            await until(lambda: app.state is not None and app.connected)
            await staff[1].call_next(h.windows[1])
            await staff[2].call_next(h.windows[2])
            await staff[1].recall_ticket(h.windows[1])
            await staff[3].call_next(h.windows[3])
            await until(lambda: len(app.spoken) == 4)
        await voice.drain()
    assert [a.text for a in voice.produced] == [
        "请A001号到1号窗口办理", "请A002号到2号窗口办理", "再次呼叫,请A001号到1号窗口办理", "请B001号到3号窗口办理"]
    for earlier, later in zip(voice.produced, voice.produced[1:], strict=False):
        assert later.started >= earlier.finished  # never two at once
    for a in voice.produced:
        assert a.error is None
        with wave.open(str(a.path)) as wav:
            assert wav.getnframes() / wav.getframerate() > 1.0  # chime and speech, not silence


async def test_the_board_says_it_is_reconnecting_and_speaks_every_missed_call_once(hall, kiosk, staff_client):
    h = hall.hall
    for _ in range(8):
        await kiosk.issue_ticket(h.services["BK-1"])
    staff = {n: await staff_client(n) for n in (10, 11, 12, 13)}
    start = await kiosk.hall_board(h.hall_id)
    proxy = await CuttableProxy("127.0.0.1", int(hall.url.rsplit(":", 1)[1])).start()
    try:
        app = BoardApp(proxy.url, h.hall_id, clock=hall.clock.now, scroll_notice=False)
        async with app.run_test(size=SIZE):
            await until(lambda: app.state is not None and app.connected)
            await staff[10].call_next(h.windows[10])
            await until(lambda: len(app.spoken) == 1)
            await proxy.cut()
            await until(lambda: not app.connected)
            assert "正在重新连接…" in shown(app, "#connection")
            for n in (11, 12, 13, 10):
                await staff[n].call_next(h.windows[n])
            await staff[12].recall_ticket(h.windows[12])
            await proxy.restore()
            await until(lambda: app.connected and len(app.spoken) == 6)
            assert not app.query_one("#connection").display
    finally:
        await proxy.close()
    events = await kiosk.list_events(after=start["last_event_id"], hall_id=h.hall_id)
    expected = [(e["payload"]["ticket"]["number"], str(e["payload"]["window"]["number"]),
                 e["kind"] == "ticket.recalled") for e in events if e["kind"] in CALL_KINDS]
    assert app.spoken == expected
    assert app.spoken[-1] == ("C003", "12", True)
