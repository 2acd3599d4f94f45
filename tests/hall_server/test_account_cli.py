"""``hall account``: a new server's first admin signs in to the back office; a locked-out account
gets back in with a new password."""

from __future__ import annotations

import subprocess
import sys

import httpx

from hall_server.app import create_app
from hall_server.config import Settings
from hall_server.serve import ThreadedServer


def _account(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hall_server.cli", "account", *args], capture_output=True,
                          text=True, timeout=120)


def _signs_in(url: str, username: str, password: str) -> bool:
    r = httpx.post(f"{url}/office/login", data={"username": username, "password": password}, follow_redirects=False)
    return r.status_code == 303


def test_a_new_server_gets_its_first_admin_and_a_way_back_in(database_url):
    made = _account("create-admin", "chief", "--database", database_url)
    assert made.returncode == 0, made.stderr
    username, password = made.stdout.split()[0], made.stdout.split()[2]
    assert username == "chief" and len(password) >= 16
    assert _account("create-admin", "chief", "--database", database_url).returncode == 2

    server = ThreadedServer(create_app(Settings(database_url=database_url), migrate=False))
    url = server.start()
    try:
        assert _signs_in(url, "chief", password)
        reset = _account("reset-password", "chief", "--database", database_url)
        assert reset.returncode == 0
        assert not _signs_in(url, "chief", password)
        assert _signs_in(url, "chief", reset.stdout.split()[2])
        assert _account("reset-password", "nobody", "--database", database_url).returncode == 2
    finally:
        server.stop()


def test_the_first_admin_imports_the_first_catalog_in_the_back_office(database_url):
    from pathlib import Path

    from tests.hall_server.office.support import OfficeSession

    made = _account("create-admin", "chief", "--database", database_url)
    password = made.stdout.split()[2]
    server = ThreadedServer(create_app(Settings(database_url=database_url), migrate=False))
    url = server.start()
    try:
        with httpx.Client(base_url=url, follow_redirects=False) as client:
            assert client.post("/office/login", data={"username": "chief", "password": password}).status_code == 303
            office = OfficeSession(client)
            r = office.get("/office/users")
            assert r.status_code == 404 and "请先" in r.text and "导入业务目录" in r.text
            catalog = (Path(__file__).parents[1] / "test_catalog.yaml").read_text(encoding="utf-8")
            office.get("/office/catalog/yaml")
            r = office.post("/office/catalog/yaml", {"hall": "", "action": "import", "yaml": catalog})
            assert r.status_code == 200 and "目录已导入" in r.text
            assert office.get("/office/users").status_code == 200  # the hall exists now
    finally:
        server.stop()
