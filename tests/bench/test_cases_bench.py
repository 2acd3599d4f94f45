"""The cases bench still runs, end to end, on both databases: a change to the cases (a column, a
list's order, a page's rows) must not leave `python -m bench.cases` broken or its checks stale until
someone next measures. A tiny history; no timing is asserted."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_the_cases_bench_measures_every_size_and_its_lists_match_the_history(database_url: str) -> None:
    kind = "sqlite" if database_url.startswith("sqlite") else "postgresql"
    done = _run("-m", "bench.cases", "--smoke", "--database", kind, "--pg-url", database_url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "every list, page and status matches the history written" in done.stdout
    # two sizes of history, every measure of each (the office page's too, now that it is there)
    rows = [line for line in done.stdout.splitlines() if " working days from " in line]
    assert len(rows) == 2, done.stdout
    assert all("–" not in row for row in rows), rows
    assert "the desk: window" in done.stdout
