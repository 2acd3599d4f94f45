"""``hall demo``: a living hall in a minute, on the embedded SQLite default.

It loads the demo halls into a fresh database, serves the API and the web pages, and brings
the hall to life: simulated applicants take tickets at the kiosk, simulated staff at a dozen
windows call, serve, sometimes recall, skip or pause, and simulated applicants rate on the
rating pad or by QR. Everything goes through the real HTTP API, so every screen you open
(the TV board, a kiosk, a caller, the status page of a ticket) shows the same living hall.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from hall_server.client import ApiError, HallClient, Unreachable
from hall_server.config import Settings
from hall_server.demo_cases import SHOWCASE, business_section, register_for

RATINGS = ["good"] * 7 + ["fairly_good"] * 2 + ["average", "poor"]


@dataclass
class DemoHall:
    url: str
    hall_id: int
    demo: dict
    speed: float  # simulated seconds per real second
    log: list[str]

    def say(self, line: str) -> None:
        self.log.append(line)
        print(line, flush=True)


def staffed_windows(windows: list[dict], count: int) -> list[dict]:
    """One window per department first, so every department has someone serving."""
    by_dept: dict[int, list[dict]] = {}
    for w in windows:
        by_dept.setdefault(w["department_id"], []).append(w)
    order = [ws[0] for ws in by_dept.values()] + [w for ws in by_dept.values() for w in ws[1:]]
    return order[:count]


def free_window(windows: list[dict], staffed: list[dict]) -> dict | None:
    """The window the banner offers a newcomer's caller: one the simulated staff leave free (a
    staffed one refuses a second sign-in), serving what applicants come for, so there is someone
    to call; None when the simulation staffs them all."""
    busy = {w["id"] for w in staffed}
    served = {sid for w in staffed for sid in w["service_ids"]}
    free = sorted((w for w in windows if w["id"] not in busy), key=lambda w: w["number"])
    return next((w for w in free if served & set(w["service_ids"])), free[0] if free else None)


async def arrivals(h: DemoHall, per_minute: float, rng: random.Random, service_ids: set[int]) -> None:
    """Applicants arriving at the kiosk for services someone serves: mostly normal, some priority."""
    token = next(k["token"] for k in h.demo["kiosk_tokens"] if k["hall_id"] == h.hall_id)
    async with HallClient(h.url, token) as kiosk:
        popular = [s for s in await kiosk.list_services(h.hall_id) if s["id"] in service_ids]
        while True:
            svc = rng.choice(popular)
            priority = "priority" if rng.random() < 0.1 else "normal"
            try:
                t = await kiosk.issue_ticket(svc["id"], priority)
                h.say(f"取号 {t['number']} {svc['name']} (前面{t['waiting_ahead']}人)")
            except ApiError as exc:
                h.say(f"取号未成功: {exc.message_zh}")
            except Unreachable:
                h.say("取号未成功: 服务器暂时没有响应,稍后重试 / the server did not answer; retrying")
            await asyncio.sleep(rng.expovariate(per_minute / 60.0))


async def window_staff(h: DemoHall, account: dict, window: dict, departments: list[int], showcase: list[str],
                       rng: random.Random, line=None) -> None:
    """One window's staff member: sign in, call, serve a few minutes (scaled), finish, repeat.

    With a simulated device line, the applicant rates on the window's rating pad (prompted by the
    bus when the service finished); without one, the rating goes straight to the API.
    """
    bus_token = next(k["token"] for k in h.demo["bus_tokens"] if k["hall_id"] == h.hall_id)
    async with HallClient(h.url) as staff, HallClient(h.url, bus_token) as pad:
        await staff.login(account["username"], account["password"])
        wid = account["window_id"]
        await staff.sign_in_window(wid)
        materials: dict[int, list[str]] = {}
        while True:
            try:
                t = await staff.call_next(wid)
                if t is None:
                    await asyncio.sleep(3)
                    continue
                h.say(f"叫号 请{t['number']}号到{t['window_number']}号窗口办理")
                await asyncio.sleep(rng.uniform(2, 4))
                if rng.random() < 0.08:
                    await staff.recall_ticket(wid)
                    h.say(f"重呼 {t['number']}")
                    await asyncio.sleep(2)
                if rng.random() < 0.05:
                    await staff.skip_ticket(wid)
                    h.say(f"过号 {t['number']}")
                    continue
                await staff.start_service(wid)
                case = await register_for(staff, rng, h.hall_id, window, t, materials, departments, showcase)
                if case is not None:
                    due = f"期限 {case['deadline']}" if case["deadline"] else case["status_name_zh"]
                    h.say(f"受理 {case['case_number']} {case['type_name_zh']} {case['service_name']} {due}")
                await asyncio.sleep(rng.uniform(4, 12) * 60 / h.speed)
                await staff.finish_service(wid)
                if case is not None and case["case_type"] == "immediate":
                    await staff.finish_case(case["id"])
                if rng.random() < 0.7:
                    level = rng.choice(RATINGS)
                    if not (line and await press_rating_pad(line, account["window_number"], level)):
                        await pad.rate_at_window(wid, level)
                if rng.random() < 0.03:
                    await staff.pause_window(wid, "临时离开,请稍候")
                    await asyncio.sleep(8)
                    await staff.resume_window(wid)
            except ApiError as exc:
                h.say(f"窗口{account['window_number']}: {exc.message_zh}")
                await asyncio.sleep(2)
            except Unreachable:
                await asyncio.sleep(2)


async def press_rating_pad(line, number: int, level: str) -> bool:
    """The applicant presses the pad once the bus has prompted it (False if it never was)."""
    from hardware.serial_bus.devices import RatingKey

    key = next(k for k in RatingKey if k.rating == level)
    for _ in range(20):
        await asyncio.sleep(0.1)
        if await asyncio.to_thread(line.rate, number, key):
            return True
    return False


async def device_line(h: DemoHall, numbers: list[int]):
    """A simulated RS-485 line (keypads, rating pads, LED screens) driven by the real bus process."""
    from hardware.bus import Bus
    from hardware.serial_bus.simulator import SimBus

    def show(change) -> None:
        if change.device == "led" and change.value:
            h.say(f"LED {change.addr}号窗口屏: {change.value}")

    line = SimBus.windows(numbers, on_change=show)
    port_url = line.start()
    token = next(k["token"] for k in h.demo["bus_tokens"] if k["hall_id"] == h.hall_id)
    bus = Bus(port_url, h.url, token, h.hall_id, windows=numbers)
    await bus.start()
    return line, bus


async def announcements(h: DemoHall, folder: Path) -> None:
    """The board host's voice: every call spoken (WAV files here, played where a sound card exists)."""
    from display.feed import follow
    from hardware.voice.announcer import Announcer, espeak_available

    if not espeak_available():
        h.say("语音播报未启用:未安装 espeak-ng / voice off: espeak-ng is not installed")
        return
    announcer = Announcer(folder, repeat=1, keep=50)
    async with HallClient(h.url) as board:
        async for update in follow(board, h.hall_id):
            for call in update.calls:
                announcer.announce(call.number, call.window, recall=call.recall)


async def web_kiosk(h: DemoHall, port: int, tickets: Path, voice: Path) -> None:
    """The touch kiosk's page (``hall kiosk --web``), printing to PNG previews instead of paper."""
    token = next(k["token"] for k in h.demo["kiosk_tokens"] if k["hall_id"] == h.hall_id)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hall_server.cli", "kiosk", "--web", "--port", str(port), "--server", h.url,
        "--kiosk-token", token, "--printer", "preview", "--printer-target", str(tickets), "--voice-dir", str(voice),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        await proc.wait()
    finally:
        if proc.returncode is None:
            proc.terminate()
            with contextlib.suppress(ProcessLookupError):
                await asyncio.wait_for(proc.wait(), 5)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="hall demo", description="Start a living demo hall on SQLite.")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--database", default="var/demo.db", help="SQLite file, recreated at each start")
    p.add_argument("--windows", type=int, default=12, help="how many windows have simulated staff")
    p.add_argument("--arrivals", type=float, default=20.0, help="applicants per minute")
    p.add_argument("--speed", type=float, default=20.0, help="simulated minutes of service per real minute")
    p.add_argument("--duration", type=float, default=0, help="stop after this many seconds (0: run until Ctrl-C)")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--no-kiosk", action="store_true", help="do not start the browser kiosk")
    p.add_argument("--no-voice", action="store_true", help="do not speak the calls")
    p.add_argument("--no-devices", action="store_true", help="no simulated keypads, rating pads and LED screens")
    a = p.parse_args(argv)
    return asyncio.run(run(a))


async def run(a: argparse.Namespace) -> int:
    from hall_server.app import create_app
    from hall_server.db import Database
    from hall_server.demo_data import load_demo
    from hall_server.serve import ThreadedServer

    db_path = Path(a.database)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db = Database(str(db_path))
    db.migrate()
    demo = load_demo(db)
    db.dispose()
    accounts = db_path.with_name("demo-accounts.json")
    accounts.write_text(json.dumps(demo, ensure_ascii=False, indent=2), encoding="utf-8")

    public = f"http://{a.host}:{a.port}"
    app = create_app(Settings(database_url=str(db_path), public_base_url=public), migrate=False)
    server = ThreadedServer(app, a.host, a.port)
    url = await asyncio.to_thread(server.start)
    hall = demo["halls"][0]
    kiosk_token = demo["kiosk_tokens"][0]["token"]
    h = DemoHall(url, hall["id"], demo, a.speed, [])
    async with HallClient(url) as c:
        every_window = await c.list_windows(h.hall_id)
    windows = staffed_windows(every_window, a.windows)
    by_window = {s["window_id"]: s for s in demo["staff"]}
    staff = [by_window[w["id"]] for w in windows]
    served = {sid for w in windows for sid in w["service_ids"]}
    print(BANNER.format(url=url, hall=hall["name"], hid=hall["id"], accounts=accounts, kiosk=kiosk_token,
                        office=office_accounts(demo),
                        caller=caller_line(url, free_window(every_window, windows), by_window, db_path.parent),
                        kiosk_url=f"http://{a.host}:{a.port + 1}", var=db_path.parent), flush=True)

    rng = random.Random(a.seed)
    stop = asyncio.Event()
    line = bus = None
    if not a.no_devices:
        line, bus = await device_line(h, [w["number"] for w in windows])
    tasks = [asyncio.create_task(arrivals(h, a.arrivals, rng, served))]
    departments = sorted({w["department_id"] for w in every_window})
    showcase = list(SHOWCASE)
    tasks += [asyncio.create_task(window_staff(h, s, w, departments, showcase, random.Random(rng.random()), line))
              for s, w in zip(staff, windows, strict=True)]
    if "business" in demo:
        tasks.append(asyncio.create_task(business_section(url, demo["business"], h.hall_id, served, h.say,
                                                          random.Random(rng.random()), 6.0)))
    var = db_path.parent
    if not a.no_voice:
        tasks.append(asyncio.create_task(announcements(h, var / "demo-voice")))
    if not a.no_kiosk:
        tasks.append(asyncio.create_task(web_kiosk(h, a.port + 1, var / "demo-tickets", var / "demo-kiosk-voice")))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        if a.duration:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), a.duration)
        else:
            await stop.wait()
    finally:
        for t in tasks:
            t.cancel()
        for result in await asyncio.gather(*tasks, return_exceptions=True):
            if isinstance(result, Exception):  # a simulated part that stopped early says why
                print(f"演示部件出错 / a demo part failed: {result!r}", file=sys.stderr)
        if bus is not None:
            await bus.stop()
            line.stop()
        await asyncio.to_thread(server.stop)
    print("演示已结束 / demo stopped", file=sys.stderr)
    return 0


def caller_line(url: str, window: dict | None, accounts: dict[int, dict], var: Path = Path("var")) -> str:
    """The banner's command for a window caller, with the account of that window."""
    if window is None:
        return ("(每个窗口都有模拟工作人员;用较小的 --windows 重新启动演示,即可自己登录一个窗口 / every window has "
                "simulated staff: start the demo with fewer --windows to sign in to one yourself)")
    account = accounts[window["id"]]
    return (f".venv/bin/hall caller  --server {url} --window {window['number']} --printer preview "
            f"--printer-target {var}/demo-notices   (user {account['username']}, password {account['password']}; "
            f"F11 registers a case, its notice prints to {var}/demo-notices)")


OFFICE_ROLES = (("admin", "系统管理员 admin"), ("business", "业务科 business"), ("supervisor", "督查科 supervision"),
                ("leader", "中心领导 leader"))


def office_accounts(demo: dict) -> str:
    """The back office's demo accounts, one line each, as the banner shows them."""
    return "\n".join(f"     {label:<22} {demo[key]['username']} / {demo[key]['password']}"
                     for key, label in OFFICE_ROLES if key in demo)


BANNER = """
================================================================
 {hall} — 演示大厅 demo hall is running
   TV board 大厅屏     {url}/board?hall={hid}
   Kiosk 自助机        {kiosk_url}   (tickets print to {var}/demo-tickets/*.png;
                       大字 large text; 语音引导 speaks into {var}/demo-kiosk-voice/*.wav)
   Voice 语音播报      {var}/demo-voice/*.wav
   Texts 短信          {var}/text-messages.jsonl   (cases in the back office: {url}/office/cases)
   API docs 接口文档   {url}/docs
   Back office 管理后台 {url}/office/
{office}
   accounts 演示账号   {accounts}
 Try, in other terminals:
   .venv/bin/hall kiosk   --server {url} --kiosk-token {kiosk}
   {caller}
   .venv/bin/hall display --server {url} --hall {hid}
 Ctrl-C stops the demo.
================================================================
"""
