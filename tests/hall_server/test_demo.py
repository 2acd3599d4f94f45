"""`hall demo` brings a hall to life: tickets are issued and windows call them, through the real API."""

import socket
import subprocess
import sys


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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
