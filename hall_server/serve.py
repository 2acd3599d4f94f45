"""``hall serve``: the hall API on a real HTTP server (uvicorn), migrating the database first.

``--workers N`` runs N server processes on PostgreSQL (uvicorn starts them, each builds its
app from the ``HALL_*`` settings through :func:`app_from_settings`): numbering, calling and event
order are kept by the database, and each process's hub follows the others' commits through
LISTEN/NOTIFY. SQLite stays one process: its writers take turns inside that one process.
"""

from __future__ import annotations

import argparse
import logging
import os

import uvicorn

from hall_server.app import create_app
from hall_server.config import Settings
from hall_server.db import Database, normalise_url

# Longer than any client's idle expiry (httpx: 5 s): the client always closes an idle connection
# first. With equal timeouts the server may close one just as a kiosk sends on it, and that
# request is lost ("server disconnected without sending a response").
KEEP_ALIVE_SECONDS = 75


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="hall serve", description="Serve the hall API.")
    p.add_argument("--database", help="database URL or SQLite file (default: $HALL_DATABASE_URL or var/hall.db)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--public-url", help="base URL printed in QR codes (default http://HOST:PORT)")
    p.add_argument("--log-level", default="warning")
    p.add_argument("--workers", type=int, default=1, help="server processes (PostgreSQL only; default 1)")
    a = p.parse_args(argv)
    overrides = {"public_base_url": a.public_url or f"http://{a.host}:{a.port}"}
    if a.database:
        overrides["database_url"] = a.database
    settings = Settings(**overrides)
    if a.workers < 1 or (a.workers > 1 and not normalise_url(settings.database_url).startswith("postgresql")):
        p.error("--workers above 1 needs PostgreSQL: SQLite is served by one process "
                "(--workers 大于 1 需要 PostgreSQL 数据库)")
    _ensure_sqlite_folder(settings.database_url)
    Database(settings.database_url).migrate()  # once, before any worker starts
    options = {"host": a.host, "port": a.port, "log_level": a.log_level, "ws_ping_interval": 20,
               # events are small: compressing the same JSON once per board costs more than it saves
               "ws_per_message_deflate": False, "timeout_keep_alive": KEEP_ALIVE_SECONDS}
    if a.workers > 1:
        # Each worker process builds its app from these settings, passed as HALL_* variables.
        os.environ.update({f"HALL_{k.upper()}": str(v) for k, v in settings.model_dump().items()})
        uvicorn.run("hall_server.serve:app_from_settings", factory=True, workers=a.workers, **options)
        return 0
    config = uvicorn.Config(create_app(settings, migrate=False), **options)
    _quiet_denials()
    uvicorn.Server(config).run()
    return 0


def app_from_settings():
    """A worker's app (``--workers``): the settings come from HALL_* variables; migrated already."""
    _quiet_denials()
    return create_app(Settings(), migrate=False)


class _DenialsAreHandshakes(logging.Filter):
    """uvicorn's websockets-sansio logs "ASGI callable returned without completing handshake"
    at ERROR after every WebSocket it refused with an HTTP answer, though the answer went out
    well (uvicorn PR #3138, open). The event stream refuses that way (401, 403, 429), and an
    alert on errors must not fire for each board without a token; the filter drops that line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("ASGI callable returned without completing handshake")


def _quiet_denials() -> None:
    """After uvicorn has set up its logging (a Config does), which would drop the filter."""
    errors = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _DenialsAreHandshakes) for f in errors.filters):
        errors.addFilter(_DenialsAreHandshakes())


def _ensure_sqlite_folder(url: str) -> None:
    from pathlib import Path

    from hall_server.db import normalise_url

    u = normalise_url(url)
    if u.startswith("sqlite:///"):
        Path(u.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


class ThreadedServer:
    """uvicorn serving an app on a loopback port in a background thread (demo, preview, tests, bench)."""

    def __init__(self, app, host: str = "127.0.0.1", port: int = 0) -> None:
        import threading

        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on", ws_ping_interval=None,
                                ws_per_message_deflate=False, timeout_keep_alive=KEEP_ALIVE_SECONDS,
                                timeout_graceful_shutdown=1)
        _quiet_denials()
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True, name="hall-server")
        self.url = ""

    def start(self) -> str:
        import time

        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the hall server did not start")
            time.sleep(0.02)
        host, port = self.server.servers[0].sockets[0].getsockname()[:2]
        self.url = f"http://{host}:{port}"
        return self.url

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
