"""The Kunshan demo hall (16 series, 40 windows) on a real hall server, mid-morning: a ticket of
every series, 12 windows staffed as ``hall demo`` staffs them, most calling, one paused, the
rest closed. More than any board's panels hold at once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hall_server.app import create_app
from hall_server.client import HallClient
from hall_server.clock import Clock
from hall_server.config import Settings
from hall_server.db import Database
from hall_server.demo import staffed_windows
from hall_server.demo_data import load_demo
from hall_server.serve import ThreadedServer
from tests.harness import OPEN_MOMENT

STAFFED = 12


@dataclass
class Kunshan:
    url: str
    hall_id: int
    clock: Clock
    server: ThreadedServer
    series: set[str]  # every ticket prefix of the hall
    windows: set[int]  # every window number
    paused: int = 0  # the window paused


def start_kunshan(folder: Path) -> tuple[Kunshan, dict]:
    """The demo halls on a fresh SQLite file, served on a loopback port; and the demo's accounts."""
    url = f"sqlite:///{folder / 'kunshan.db'}"
    db = Database(url)
    db.migrate()
    demo = load_demo(db)
    db.dispose()
    clock = Clock()
    clock.set(OPEN_MOMENT)
    settings = Settings(database_url=url, public_base_url="http://hall.test", public_rate="100000/minute",
                        login_rate="100000/minute")
    server = ThreadedServer(create_app(settings, clock=clock, migrate=False))
    hall_id = demo["halls"][0]["id"]
    return Kunshan(server.start(), hall_id, clock, server, set(), set()), demo


async def morning(hall: Kunshan, demo: dict) -> None:
    """A ticket of every series, two of some; 12 windows signed in: one paused, the others calling."""
    kiosk_token = next(k["token"] for k in demo["kiosk_tokens"] if k["hall_id"] == hall.hall_id)
    async with HallClient(hall.url, kiosk_token) as kiosk:
        services = await kiosk.list_services(hall.hall_id)
        windows = await kiosk.list_windows(hall.hall_id)
        first_of_series: dict[str, dict] = {}
        for s in services:
            first_of_series.setdefault(s["prefix"], s)
        for s in [*first_of_series.values(), *services[::3]]:
            await kiosk.issue_ticket(s["id"])
    hall.series = set(first_of_series)
    hall.windows = {w["number"] for w in windows}
    accounts = {s["window_id"]: s for s in demo["staff"]}
    staffed = staffed_windows(windows, STAFFED)
    for i, w in enumerate(staffed):
        async with HallClient(hall.url) as staff:
            account = accounts[w["id"]]
            await staff.login(account["username"], account["password"])
            await staff.sign_in_window(w["id"])
            if i == len(staffed) - 1:
                await staff.pause_window(w["id"], "临时离开")
                hall.paused = w["number"]
            else:
                await staff.call_next(w["id"])
