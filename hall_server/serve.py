"""``hall serve``: the hall API on a real HTTP server (uvicorn), migrating the database first."""

from __future__ import annotations

import argparse

import uvicorn

from hall_server.app import create_app
from hall_server.config import Settings


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="hall serve", description="Serve the hall API.")
    p.add_argument("--database", help="database URL or SQLite file (default: $HALL_DATABASE_URL or var/hall.db)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--public-url", help="base URL printed in QR codes (default http://HOST:PORT)")
    p.add_argument("--log-level", default="warning")
    a = p.parse_args(argv)
    overrides = {"public_base_url": a.public_url or f"http://{a.host}:{a.port}"}
    if a.database:
        overrides["database_url"] = a.database
    settings = Settings(**overrides)
    _ensure_sqlite_folder(settings.database_url)
    app = create_app(settings)
    uvicorn.run(app, host=a.host, port=a.port, log_level=a.log_level, ws_ping_interval=20)
    return 0


def _ensure_sqlite_folder(url: str) -> None:
    from pathlib import Path

    from hall_server.db import normalise_url

    u = normalise_url(url)
    if u.startswith("sqlite:///"):
        Path(u.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
