"""`hall demo` brings a hall to life: tickets are issued and windows call them, through the real API;
the caller command it prints opens a window a newcomer can sign in to."""

import asyncio
import contextlib
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import httpx

from caller.app import CallerApp
from caller.desk import DeskScreen
from caller.sign_in import SignInScreen
from hall_server.client import HallClient
from tests.display.support import until

CALLER = re.compile(r"hall caller\s+--server (\S+) --window (\d+) .*?\(user (\S+), password ([^\s;]+)[;)]")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_demo(tmp_path, windows: int) -> Iterator[list[str]]:
    """``hall demo`` running for a minute without kiosk, voice or devices; the lines it has printed so far."""
    demo = subprocess.Popen(
        [sys.executable, "-m", "hall_server.cli", "demo", "--port", str(free_port()), "--duration", "60",
         "--windows", str(windows), "--seed", "7", "--no-kiosk", "--no-voice", "--no-devices",
         "--database", str(tmp_path / "demo.db")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    printed: list[str] = []
    reader = threading.Thread(target=lambda: printed.extend(demo.stdout), daemon=True)  # type: ignore[arg-type]
    reader.start()
    try:
        yield printed
    finally:
        demo.terminate()
        demo.wait(timeout=30)


def test_the_demo_hall_issues_and_calls_tickets(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "hall_server.cli", "demo", "--port", str(free_port()), "--duration", "12",
         "--speed", "300", "--arrivals", "90", "--seed", "7", "--database", str(tmp_path / "demo.db")],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert "/board?hall=" in out.stdout
    assert "取号 " in out.stdout and "叫号 请" in out.stdout
    assert (tmp_path / "demo-accounts.json").exists()


def test_the_demo_registers_cases_of_every_type_and_texts_their_applicants(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "hall_server.cli", "demo", "--port", str(free_port()), "--duration", "25",
         "--speed", "300", "--arrivals", "90", "--seed", "7", "--no-kiosk", "--no-voice", "--no-devices",
         "--database", str(tmp_path / "demo.db")],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    registered = {line.split()[2] for line in out.stdout.splitlines() if line.startswith("受理 ")}
    assert {"即办件", "承诺件", "补办件", "联办件", "退回件"} <= registered, out.stdout[-3000:]
    assert "急办件 " in out.stdout and "办结 " in out.stdout
    texts = (tmp_path / "text-messages.jsonl").read_text(encoding="utf-8")
    assert "补齐" in texts and "退回" in texts


async def test_the_printed_caller_command_signs_a_newcomer_in_beside_the_simulated_staff(tmp_path):
    with running_demo(tmp_path, windows=12) as printed:
        await until(lambda: any(CALLER.search(line) for line in printed), timeout=60)
        server, window, user, password = next(m.groups() for line in printed if (m := CALLER.search(line)))
        async with HallClient(server) as public:
            hall_id = (await public.list_halls())[0]["id"]

            async def open_windows() -> set[int]:
                return {w["number"] for w in await public.list_windows(hall_id) if w["state"] != "closed"}

            for _ in range(300):  # every simulated staff member has signed in to their window
                if len(await open_windows()) == 12:
                    break
                await asyncio.sleep(0.1)
            staffed = await open_windows()
            assert len(staffed) == 12
            assert int(window) not in staffed  # free: a second person would be refused, or act for the simulation
        app = CallerApp(server, int(window), hall_id=hall_id)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(lambda: isinstance(app.screen, SignInScreen) and app.located.is_set())
            await pilot.click("#username")
            await pilot.press(*user, "enter", *password, "enter")
            await until(lambda: isinstance(app.screen, DeskScreen) and app.screen.desk is not None,
                        timeout=30)
        async with HallClient(server) as public:
            assert int(window) in {w["number"] for w in await public.list_windows(hall_id) if w["state"] == "open"}


OFFICE = re.compile(r"Back office 管理后台 (\S+)")
OFFICE_ACCOUNT = re.compile(r"(系统管理员 admin|业务科 business|督查科 supervision|中心领导 leader)\s+(\S+) / (\S+)")


async def test_the_printed_back_office_accounts_sign_in(tmp_path):
    with running_demo(tmp_path, windows=4) as printed:
        await until(lambda: sum(bool(OFFICE_ACCOUNT.search(line)) for line in printed) == 4, timeout=60)
        office = next(m.group(1) for line in printed if (m := OFFICE.search(line)))
        accounts = [m.groups() for line in printed if (m := OFFICE_ACCOUNT.search(line))]
        async with httpx.AsyncClient(follow_redirects=False) as client:
            for _label, username, password in accounts:
                r = await client.post(f"{office}login", data={"username": username, "password": password})
                assert r.status_code == 303, (username, r.text[:300])
