"""The benchmarks still run, end to end, on both databases: a change to the server (a token the
event stream now asks for, say) must not leave `hall bench` or `bench.board` broken until
someone next measures. Small sizes, and no timing is asserted: only that every ticket, call and
event arrived and the figures were printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bench.run import CEILING

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_hall_bench_runs_every_measure_and_delivers_every_event(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        done = _run("-m", "hall_server.cli", "bench", "--smoke", "--database", "sqlite")
    else:  # the bench makes its own scratch database through this one
        done = _run("-m", "hall_server.cli", "bench", "--smoke", "--database", "postgresql", "--pg-url", database_url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "| events delivered / expected | all | 600 / 600 |" in done.stdout
    for measure in ("issue p50, 200 waiting / empty hall", "call-next p50, 200 waiting / empty hall",
                    "tickets per second, 32 kiosks, one popular service", "… as a share of the ceiling's"):
        assert measure in done.stdout
    if (CEILING / "app.py").exists():  # measured beside the hall when the project sits beside ../shared
        share = next(line for line in done.stdout.splitlines() if "… as a share of the ceiling's" in line)
        assert share.rstrip(" |").split("|")[-1].strip().endswith("%"), share
    assert "| calls missing on a board / on an LED screen | none | 0 / 0 of 20 |" in done.stdout
    if not database_url.startswith("sqlite"):
        assert "| … numbering with two workers | exact | 64 tickets, each number once, no gap |" in done.stdout


def test_the_board_bench_brings_every_call_to_every_board_and_led(database_url: str) -> None:
    done = _run("-m", "bench.board", "--database-url", database_url, "--smoke")
    assert done.returncode == 0, done.stdout + done.stderr
    # 6 rounds of 5 windows within 100 ms, then 2 bursts of 5: 40 calls, each once on all 3 boards and its LED
    assert "| calls missing on a board / on an LED screen | none | 0 / 0 of 40 |" in done.stdout
    assert "| calls shown twice on a board / on an LED screen | none | 0 / 0 |" in done.stdout
    assert "5 windows within 100 ms: request → call on every one of 3 boards" in done.stdout
    assert "first request → every board shows every call" in done.stdout


def test_the_statistics_bench_measures_every_period_and_its_figures_match_the_history(database_url: str) -> None:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    done = _run("-m", "bench.stats", "--smoke", "--database", kind, "--pg-url", database_url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the figures' totals match the history written" in done.stdout
    # 40 tickets a day, a history of 7 days and then of 30: every measure of both, the month once there are 30 days
    rows = [line for line in done.stdout.splitlines() if line.startswith("| 40 a day")]
    assert [row.split(" | ")[0] for row in rows] == ["| 40 a day × 7 days", "| 40 a day × 30 days"]
    assert rows[0].count("| – |") == 1 and "–" not in rows[1], rows
