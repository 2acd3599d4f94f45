"""``hall account``: the first admin of a new hall's server, and the way back in when every admin
is locked out. Run on the server's machine, against its database: whoever can run it can read
the database anyway. Every other account is managed in the back office (``/office/users``).
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy import select

from hall_server.auth.accounts import reset_password
from hall_server.auth.models import Role, User
from hall_server.auth.passwords import new_token
from hall_server.auth.service import create_user
from hall_server.clock import Clock
from hall_server.config import Settings
from hall_server.db import Database
from hall_server.events.outbox import commit


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="hall account", description=(
        "Create an admin of every hall, or give an account a new password. The password is "
        "generated and printed once; sign in at /office/ and manage every other account there."))
    p.add_argument("action", choices=["create-admin", "reset-password"])
    p.add_argument("username")
    p.add_argument("--database", help="database URL or SQLite file (default: $HALL_DATABASE_URL or var/hall.db)")
    a = p.parse_args(argv)
    url = a.database or Settings().database_url
    from hall_server.serve import _ensure_sqlite_folder

    _ensure_sqlite_folder(url)
    db = Database(url)
    db.migrate()
    password = new_token(12)
    now = Clock().now()
    try:
        with db.writing() as s:
            user = s.scalar(select(User).where(User.username == a.username))
            if a.action == "create-admin":
                if user is not None:
                    print(f"hall account: {a.username!r} exists already; use reset-password", file=sys.stderr)
                    return 2
                create_user(s, a.username, password, Role.ADMIN, None, "系统管理员")
            else:
                if user is None:
                    print(f"hall account: there is no account {a.username!r}", file=sys.stderr)
                    return 2
                reset_password(s, now, user, password)
                user.active = True
            commit(s)
    finally:
        db.dispose()
    print(f"{a.username} / {password}\n(shown once; sign in at /office/ — 请登录 /office/ 管理后台)")
    return 0
