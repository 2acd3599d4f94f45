"""The line under the bus process: pulled and put back, a silent device, a pty port, and ``hall bus``
itself as a separate process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hall_server.client import HallClient
from hardware.bus import Bus, main
from hardware.serial_bus.devices import KeypadKey
from hardware.serial_bus.simulator import PtyEndpoint, SimBus, SocketEndpoint
from tests.display.support import until
from tests.harness import RunningHall

from .conftest import WINDOWS

ROOT = Path(__file__).resolve().parents[3]


async def health(hall: RunningHall) -> dict[str, str]:
    async with HallClient(hall.url, hall.hall.bus_token) as c:
        return {d["device"]: d["state"] for d in await c.list_device_health(hall.hall.hall_id)}


async def reported(hall: RunningHall, device: str, state: str, timeout: float = 15.0) -> None:
    """Wait until the server holds this state for the device (a hang guard, not a timing claim)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (seen := (await health(hall)).get(device)) != state:
        assert loop.time() < deadline, f"{device} is {seen!r}, never {state!r}"
        await asyncio.sleep(0.05)


async def test_a_pulled_line_is_reported_and_every_screen_is_repainted_when_it_returns(
    hall: RunningHall, line: SimBus, bus: Bus, kiosk, staff_client
) -> None:
    staff = await staff_client(12)
    ticket = await kiosk.issue_ticket(hall.hall.services["BK-1"])
    await staff.call_next(hall.hall.windows[12])
    call = f"请{ticket['number']}号到12号窗口"
    await until(lambda: line.leds[12].text == call)
    device = f"bus {line.url}/line"
    await reported(hall, device, "ok")
    port = line.endpoint.port

    line.stop()  # the simulator is gone: the adapter was pulled
    await reported(hall, device, "unplugged")

    back = SimBus.windows(WINDOWS, endpoint=SocketEndpoint(port=port))  # plugged in again, screens blank
    back.start()
    try:
        await until(lambda: back.leds[12].text == call and back.keypads[12].display == ticket["number"])
        await until(lambda: back.leds[13].text == "13号窗口暂停服务,请到其他窗口办理")
        await reported(hall, device, "ok")
    finally:
        back.stop()


async def test_a_silent_keypad_is_reported_and_reported_again_when_it_answers(
    hall: RunningHall, line: SimBus, staff_client
) -> None:
    line.keypads[12].online = False  # unplugged from the line; the rest of the line is fine
    async with Bus(line.url, hall.url, hall.hall.bus_token, hall.hall.hall_id, windows=WINDOWS,
                   repaint_every=0.5):
        device = f"bus {line.url}/window 12/keypad"
        await staff_client(12)  # its display changes: a command the keypad does not answer
        await reported(hall, device, "no_answer")
        assert line.leds[12].text == "12号窗口 欢迎您"  # the screen beside it is still drawn

        line.keypads[12].online = True
        await reported(hall, device, "ok")  # it answered a ping
        async with HallClient(hall.url, hall.hall.bus_token) as c:
            rows = {d["device"]: d for d in await c.list_device_health(hall.hall.hall_id)}
        assert rows[device]["window_id"] == hall.hall.windows[12]


async def test_the_bus_drives_a_line_on_a_pty(hall: RunningHall, kiosk, staff_client) -> None:
    line = SimBus.windows([12], endpoint=PtyEndpoint())
    port = line.start()
    try:
        async with Bus(port, hall.url, hall.hall.bus_token, hall.hall.hall_id, windows=[12]):
            await staff_client(12)
            ticket = await kiosk.issue_ticket(hall.hall.services["BK-1"])
            await until(lambda: line.keypads[12].display == "1")
            line.press(12, KeypadKey.CALL)
            await until(lambda: line.leds[12].text == f"请{ticket['number']}号到12号窗口")
    finally:
        line.stop()


async def test_hall_bus_on_the_command_line(hall: RunningHall, line: SimBus, kiosk, staff_client) -> None:
    await staff_client(12)
    ticket = await kiosk.issue_ticket(hall.hall.services["BK-1"])
    env = os.environ | {"HALL_BUS_TOKEN": hall.hall.bus_token, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hall_server.cli", "bus", "--port", line.url, "--server", hall.url,
         "--hall", str(hall.hall.hall_id), "--windows", "3,12-13"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        await until(lambda: line.keypads[12].display == "1", timeout=60)
        line.press(12, KeypadKey.CALL)
        await until(lambda: line.leds[12].text == f"请{ticket['number']}号到12号窗口")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = await asyncio.to_thread(proc.communicate, timeout=30)
    assert proc.returncode == 0, out
    assert "设备总线已启动" in out and "设备总线已停止" in out


def test_hall_bus_needs_a_token(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("HALL_BUS_TOKEN", raising=False)
    with pytest.raises(SystemExit) as exit_:
        main(["--port", "loop://", "--server", "http://127.0.0.1:9", "--hall", "1"])
    assert exit_.value.code == 2
    assert "HALL_BUS_TOKEN" in capsys.readouterr().err


def test_hall_bus_with_a_wrong_token_stops_with_the_servers_words(
    hall: RunningHall, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--port", "loop://", "--server", hall.url, "--hall", str(hall.hall.hall_id), "--token", "wrong"])
    assert code == 2
    assert capsys.readouterr().out.strip()  # the server's polite message, not a traceback


async def test_a_bus_whose_token_is_revoked_says_so_instead_of_reconnecting_for_ever(
    hall: RunningHall, line: SimBus, said: list[str]
) -> None:
    from tests.display.support import CuttableProxy

    proxy = await CuttableProxy("127.0.0.1", int(hall.url.rsplit(":", 1)[1])).start()
    b = Bus(line.url, proxy.url, hall.hall.bus_token, hall.hall.hall_id, windows=WINDOWS, say=said.append)
    try:
        await b.start()
        await until(lambda: any("服务器事件连接: 已连接" in s for s in said))
        await proxy.cut()
        async with HallClient(hall.url, hall.hall.bus_token) as same_token:  # an administrator revoked it
            await same_token.logout()
        await proxy.restore()
        await until(lambda: any("服务器拒绝了事件连接" in s and "请先登录" in s for s in said))
    finally:
        await b.stop()
        await proxy.close()
