"""``hall ticket-preview``: a real ticket of the demo hall, printed to a PNG through the layout code.

It issues a real ticket (so the QR's status URL answers), formats it exactly as a kiosk
does (``slip_from_issued``) and renders the ESC/POS bytes with the preview printer.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from hall_server.config import Settings


async def _issue(url: str, token: str, hall_id: int, service_code: str | None) -> tuple[dict, dict]:
    from hall_server.client import HallClient

    async with HallClient(url, token) as kiosk:
        hall = await kiosk.get_hall(hall_id)
        services = await kiosk.list_services(hall_id)
        svc = next((s for s in services if s["code"] == service_code), services[0])
        return hall, await kiosk.issue_ticket(svc["id"])


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="hall ticket-preview", description="Print a demo hall ticket to a PNG.")
    p.add_argument("--out", default="ticket.png")
    p.add_argument("--database", help="a database with the demo hall (default: a fresh temporary one)")
    p.add_argument("--public-url", default=None, help="base URL for the QR code (default $HALL_PUBLIC_BASE_URL)")
    p.add_argument("--service", help="service code (default: the hall's first service)")
    p.add_argument("--profile", default=None, help="printer profile name, e.g. gb18030-80mm or image-58mm")
    p.add_argument("--lang", default="zh", choices=["zh", "en"])
    a = p.parse_args(argv)

    from hall_server.app import create_app
    from hall_server.db import Database
    from hall_server.demo_data import load_demo
    from hall_server.serve import ThreadedServer
    from hardware.printer.preview import preview_ticket
    from hardware.printer.profile import PROFILES
    from hardware.printer.ticket import slip_from_issued

    with tempfile.TemporaryDirectory() as tmp:
        database = a.database or f"sqlite:///{Path(tmp) / 'preview.db'}"
        db = Database(database)
        db.migrate()
        demo = load_demo(db)
        db.dispose()
        settings = Settings(database_url=database)
        if a.public_url:
            settings.public_base_url = a.public_url
        app = create_app(settings, migrate=False)
        with ThreadedServer(app) as url:
            hall_id = demo["halls"][0]["id"]
            token = next(k["token"] for k in demo["kiosk_tokens"] if k["hall_id"] == hall_id)
            hall, ticket = asyncio.run(_issue(url, token, hall_id, a.service))
        slip = slip_from_issued(ticket, hall["name"] if a.lang == "zh" else hall["name_en"] or hall["name"],
                                lang=a.lang, timezone=hall["timezone"])
        out = preview_ticket(slip, a.out, PROFILES[a.profile] if a.profile else None)
    print(f"{out}  {ticket['number']}  {ticket['status_url']}")
    return 0
