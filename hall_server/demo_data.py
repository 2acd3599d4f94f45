"""``hall demo-data``: the demo halls, a staff account per window, device tokens, as JSON.

Demo accounts exist only where this command ran; a production start (``hall serve``) creates
no account and no token. Running it again reuses the halls and gives fresh passwords/tokens.
"""

from __future__ import annotations

import argparse
import json
import sys

from sqlalchemy import select

from hall_server.auth.models import Role, User
from hall_server.auth.passwords import hash_password, new_token
from hall_server.auth.service import issue_device_token
from hall_server.catalog.io import DEMO_CATALOG, import_catalog, parse_catalog
from hall_server.clock import Clock
from hall_server.db import Database
from hall_server.events.outbox import commit


def _account(session, username: str, role: Role, hall_id: int | None, password_hash: str, card: str | None = None,
             name: str = "") -> None:
    user = session.scalar(select(User).where(User.username == username)) or User(username=username)
    user.password_hash, user.role, user.hall_id = password_hash, role.value, hall_id
    user.display_name, user.card_id, user.active = name or username, card, True
    session.add(user)


def load_demo(db: Database, hours: str | None = None) -> dict:
    """Create or refresh the demo halls and accounts; returns what the command prints."""
    now = Clock().now()
    catalog = parse_catalog(DEMO_CATALOG.read_text(encoding="utf-8"))
    out: dict = {"halls": [], "kiosk_tokens": [], "bus_tokens": [], "display_tokens": [], "staff": []}
    with db.writing() as s:
        halls = import_catalog(s, catalog)
        shared_password = new_token(9)
        shared_hash = hash_password(shared_password)  # one hash for all demo windows: hashing is slow on purpose
        for hall in halls:
            hall.hours = hours or "00:00-00:00"  # a newcomer trying the demo at night is not refused
            hall.lunch = None
            out["halls"].append({"id": hall.id, "key": hall.key, "name": hall.name})
            for role, key in ((Role.KIOSK, "kiosk_tokens"), (Role.BUS, "bus_tokens"), (Role.DISPLAY, "display_tokens")):
                token = issue_device_token(s, now, role, hall.id, f"demo {role.value}")
                out[key].append({"hall_id": hall.id, "token": token})
            for w in hall.windows:
                username = f"{hall.key}-w{w.number:02d}"
                _account(s, username, Role.STAFF, hall.id, shared_hash, card=f"CARD-{hall.key}-{w.number:02d}",
                         name=f"{w.number}号窗口")
                out["staff"].append({"username": username, "password": shared_password, "hall_id": hall.id,
                                     "window_id": w.id, "window_number": w.number,
                                     "card_id": f"CARD-{hall.key}-{w.number:02d}"})
        for role, key in ((Role.SUPERVISION, "supervisor"), (Role.BUSINESS, "business"), (Role.LEADER, "leader"),
                          (Role.ADMIN, "admin")):
            password = new_token(12)
            hall_id = halls[0].id if role != Role.ADMIN else None
            _account(s, f"demo-{role.value}", role, hall_id, hash_password(password))
            out[key] = {"username": f"demo-{role.value}", "password": password}
        commit(s)
    return out


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="hall demo-data", description="Load the demo halls and print accounts as JSON.")
    p.add_argument("--database", default="var/hall.db", help="database URL or SQLite file")
    p.add_argument("--hours", help="opening hours for the demo halls, e.g. 09:00-17:00 (default: around the clock)")
    a = p.parse_args(argv)
    from hall_server.serve import _ensure_sqlite_folder

    _ensure_sqlite_folder(a.database)
    db = Database(a.database)
    db.migrate()
    try:
        out = load_demo(db, a.hours)
    finally:
        db.dispose()
    json.dump(out, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0
