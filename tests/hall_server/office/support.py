"""A signed-in back office browser session over plain HTTP (cookies kept), for the office's tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.harness import RunningHall


class OfficeSession:
    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.csrf = ""

    def get(self, path: str, **kw) -> httpx.Response:
        r = self.client.get(path, **kw)
        if m := re.search(r'name="csrf" value="([0-9a-f]+)"', r.text):
            self.csrf = m.group(1)
        return r

    def post(self, path: str, data: dict | list | None = None, *, csrf: bool = True, **kw) -> httpx.Response:
        if not self.csrf:
            self.get("/office/")
        items = list(data.items()) if isinstance(data, dict) else list(data or [])
        if csrf:
            items.append(("csrf", self.csrf))
        form: dict[str, list[str]] = {}
        for key, value in items:
            form.setdefault(key, []).append(value)
        return self.client.post(path, data=form, **kw)


@contextmanager
def office(hall: RunningHall, username: str | None = None, password: str | None = None) -> Iterator[OfficeSession]:
    """A session signed in as ``username`` (not signed in when None)."""
    with httpx.Client(base_url=hall.url, follow_redirects=False, timeout=10) as client:
        session = OfficeSession(client)
        if username is not None:
            r = client.post("/office/login", data={"username": username, "password": password or hall.hall.password,
                                                   "next": "/office/"})
            assert r.status_code == 303, r.text
        yield session


def api_login(hall: RunningHall, username: str, password: str) -> httpx.Response:
    return httpx.post(f"{hall.url}/api/v1/auth/login", json={"username": username, "password": password})
