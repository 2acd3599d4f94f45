"""Limits on what a client may send or hold open: nulls in PATCH bodies, YAML aliases, body
sizes, public connections and public reads (issue 13, holes found by hostile testing)."""

from __future__ import annotations

import asyncio
import json
import time

import httpx
import pytest
import websockets

from hall_server.catalog.io import parse_catalog
from hall_server.client import ApiError, HallClient
from hall_server.errors import HallError
from tests.harness import RunningHall

PATCHES = {
    "halls": ["hours", "notice", "notice_en", "priority_run", "max_wait_minutes", "recall_limit"],
    "services": ["name", "name_en", "daily_cap", "avg_service_minutes", "guide", "guide_en", "promised_days",
                 "active"],
    "windows": ["name", "location", "area", "service_ids", "active"],
}


def _signed_in(hall: RunningHall, username: str) -> httpx.AsyncClient:
    r = httpx.post(f"{hall.url}/api/v1/auth/login", json={"username": username, "password": hall.hall.password})
    return httpx.AsyncClient(base_url=hall.url, headers={"Authorization": f"Bearer {r.json()['access_token']}"})


async def test_a_null_in_a_patch_is_refused_as_invalid(hall):
    """``{"name": null}`` was a NOT NULL violation answered 503, ``{"hours": null}`` a 500."""
    ids = {"halls": hall.hall.hall_id, "services": hall.hall.services["GS-1"], "windows": hall.hall.windows[1]}
    async with _signed_in(hall, hall.hall.business) as http:
        for kind, fields in PATCHES.items():
            for name in fields:
                r = await http.patch(f"/api/v1/admin/{kind}/{ids[kind]}", json={name: None})
                assert r.status_code == 422, (kind, name, r.text)
                error = r.json()["error"]
                assert error["code"] == "invalid_request" and name in error["message_en"]
                assert "请核对" in error["message_zh"]
        # Left out, a field is left as it is; a lunch break of null (or "") means none.
        r = await http.patch(f"/api/v1/admin/halls/{ids['halls']}", json={"lunch": "12:00-13:00"})
        assert r.status_code == 200 and r.json()["lunch"] == "12:00-13:00"
        r = await http.patch(f"/api/v1/admin/halls/{ids['halls']}", json={"lunch": None})
        assert r.status_code == 200 and r.json()["lunch"] is None and r.json()["hours"] == "09:00-17:00"
        r = await http.patch(f"/api/v1/admin/windows/{ids['windows']}", json={"name": "综合受理"})
        assert r.status_code == 200 and r.json()["name"] == "综合受理" and r.json()["service_ids"]


def billion_laughs() -> str:
    """Nine levels of ten aliases each: under 3 KB that name 10**9 strings."""
    lines = ['lol0: &lol0 ["哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈哈"]']
    for n in range(1, 10):
        lines.append(f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 10) + "]")
    lines.append("halls:\n  - key: laughs\n    name: 笑\n    notice: *lol9")
    text = "\n".join(lines) + "\n"
    assert len(text.encode()) < 3_000
    return text


def test_a_catalog_with_yaml_aliases_is_refused_at_once():
    started = time.perf_counter()
    with pytest.raises(HallError) as exc:
        parse_catalog(billion_laughs())
    assert time.perf_counter() - started < 1.0
    assert exc.value.code == "catalog_invalid" and exc.value.status == 422
    assert "aliases" in exc.value.message_en and "line 1" in exc.value.message_en
    # an anchor alone is refused as well: it is only there to be named again
    with pytest.raises(HallError, match="aliases"):
        parse_catalog("halls:\n  - &h {key: x, name: 测试}\n")


async def test_the_catalog_import_refuses_yaml_aliases(hall):
    async with _signed_in(hall, hall.hall.business) as http:
        r = await http.put("/api/v1/admin/catalog", json={"yaml": billion_laughs()})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "catalog_invalid" and "not allowed" in error["message_en"]
    assert "请修改" in error["message_zh"]


async def test_public_guide_and_board_reads_are_rate_limited(hall):
    hall.ctx.settings.public_rate = "5/minute"
    h = hall.hall.hall_id
    async with httpx.AsyncClient(base_url=hall.url) as http:
        codes = [(await http.get(f"/api/v1/halls/{h}/board")).status_code for _ in range(7)]
        assert codes == [200] * 5 + [429] * 2
        body = (await http.get(f"/api/v1/halls/{h}/board")).json()
        assert body["error"]["code"] == "rate_limited" and "稍等" in body["error"]["message_zh"]
        # the rest of the public guide counts against the same limit
        for path in ("/halls", f"/halls/{h}", f"/halls/{h}/departments", f"/halls/{h}/services",
                     f"/services/{hall.hall.services['GS-1']}", f"/halls/{h}/windows"):
            assert (await http.get(f"/api/v1{path}")).status_code == 429, path


def _chunks(body: bytes, size: int = 4096):
    """The body sent chunked: no Content-Length, so only counting it as it arrives can stop it."""
    for i in range(0, len(body), size):
        yield body[i:i + size]


async def test_an_oversized_body_is_refused_as_it_streams_in(hall):
    """Four 200 MB ratings (no token needed) took the server to 1 GB: a body is now cut off at the limit."""
    hall.ctx.settings.max_body_bytes = 10_000
    big = b'{"status_token": "' + b"x" * 200_000 + b'", "rating": "good"}'
    with httpx.Client(base_url=hall.url, headers={"Content-Type": "application/json"}) as http:
        for content in (big, _chunks(big)):
            r = http.post("/api/v1/ratings", content=content)
            assert r.status_code == 413
            error = r.json()["error"]
            assert error["code"] == "body_too_large" and "0.01 MB" in error["message_zh"]
            assert "精简" in error["message_zh"] and "too large" in error["message_en"]
            # the same connection goes on serving requests of a normal size
            r = http.post("/api/v1/ratings", json={"status_token": "no-such-ticket", "rating": "good"})
            assert r.status_code == 404 and r.json()["error"]["code"] == "ticket_not_found"
        r = http.post("/api/v1/ratings", content=_chunks(b'{"status_token": "no-such-ticket", "rating": "good"}'))
        assert r.status_code == 404


async def test_the_catalog_import_may_send_more_than_other_calls(hall):
    hall.ctx.settings.max_body_bytes = 10_000
    async with _signed_in(hall, hall.hall.business) as http:
        text = (await http.get("/api/v1/admin/catalog", params={"hall_id": hall.hall.hall_id})).text
        padded = text + "# " + "注" * 20_000 + "\n"  # 60 KB of comment
        assert (await http.put("/api/v1/admin/catalog", json={"yaml": padded})).status_code == 200
        hall.ctx.settings.catalog_body_bytes = 50_000
        assert (await http.put("/api/v1/admin/catalog", json={"yaml": padded})).status_code == 413


async def _refused(url: str) -> dict:
    """The 429 a public stream is refused with, before the upgrade, and its error body."""
    with pytest.raises(websockets.InvalidStatus) as exc:
        async with websockets.connect(url):
            pass
    assert exc.value.response.status_code == 429
    return json.loads(exc.value.response.body)["error"]


async def test_public_live_connections_are_capped_per_address_and_in_all(hall):
    """12 addresses x 110 board sockets used up the server's file descriptors."""
    settings = hall.ctx.settings
    settings.public_sockets_per_address = 2
    ws = hall.url.replace("http", "ws", 1)
    events = f"{ws}/api/v1/events?hall_id={hall.hall.hall_id}&view=board"
    live = f"{ws}/board/live?hall={hall.hall.hall_id}"
    async with websockets.connect(events), websockets.connect(live) as tv:
        await tv.recv()  # the TV's first view: it is served
        for url in (events, live):  # both kinds count against the same cap
            error = await _refused(url)
            assert error["code"] == "connections_full" and "关闭不用的页面" in error["message_zh"]
        # a stream opened with a token is not public, and not counted
        auth = {"Authorization": f"Bearer {hall.hall.kiosk_token}"}
        async with websockets.connect(f"{ws}/api/v1/events?hall_id={hall.hall.hall_id}", additional_headers=auth):
            pass
        # nor is a kiosk's board view: the hall's kiosks share the address with its TVs
        async with websockets.connect(events, additional_headers=auth), websockets.connect(
                events, additional_headers=auth):
            pass
    for _ in range(50):  # closed connections are given back
        if not hall.ctx.sockets.open:
            break
        await asyncio.sleep(0.05)
    assert not hall.ctx.sockets.open
    async with websockets.connect(events), websockets.connect(events):
        pass
    settings.public_sockets_per_address, settings.public_sockets = 100, 1  # the cap over all addresses
    async with websockets.connect(live):
        assert (await _refused(events))["code"] == "connections_full"


# --- a hall behind one address (hole 2) ----------------------------------------------------------

async def test_fifteen_phones_behind_one_address_may_each_follow_their_own_ticket(hall, kiosk):
    """The hall's Wi-Fi puts every phone behind one address: each polls its own ticket's page."""
    hall.ctx.settings.public_rate = "20/minute"
    tickets = [await kiosk.issue_ticket(hall.hall.services["BK-1"]) for _ in range(15)]
    async with httpx.AsyncClient(base_url=hall.url) as http:
        codes = [(await http.get(f"/api/v1/status/{t['status_token']}")).status_code
                 for _ in range(12) for t in tickets]  # 180 lookups from one address in well under a minute
        assert set(codes) == {200}
        for _ in range(9):  # but one ticket's page polled past its own limit (20) is told to wait
            last = await http.get(f"/api/v1/status/{tickets[0]['status_token']}")
        assert last.status_code == 429


async def test_one_address_asking_for_very_many_tickets_meets_the_hall_s_ceiling(hall, kiosk):
    hall.ctx.settings.public_address_rate = "10/minute"
    t = await kiosk.issue_ticket(hall.hall.services["BK-1"])
    async with httpx.AsyncClient(base_url=hall.url) as http:
        codes = [(await http.get(f"/api/v1/status/{t['status_token']}")).status_code for _ in range(12)]
    assert codes[:10] == [200] * 10 and codes[10:] == [429, 429]


async def test_a_ticket_s_check_code_cannot_be_guessed_from_many_addresses(hall, kiosk):
    """Four characters are guessable: tries are counted per ticket number, whatever the address."""
    t = await kiosk.issue_ticket(hall.hall.services["BK-1"])
    hall.ctx.settings.ticket_lookup_rate = "3/minute"
    async with httpx.AsyncClient(base_url=hall.url) as http:
        codes = [(await http.get(f"/api/v1/halls/{hall.hall.hall_id}/tickets/lookup",
                                 params={"number": t["number"], "code": guess})).status_code
                 for guess in ("AAAA", "BBBB", "CCCC", t["check_code"])]
    assert codes == [404, 404, 404, 429]


async def test_an_office_signs_in_together_and_a_password_spray_locks_only_its_account(hall):
    """40 staff sign in from one office address at 8:30; someone trying passwords on one account
    locks that account for a while, not the office."""
    h = hall.hall
    hall.ctx.settings.login_failures = "5 per 15 minutes"
    async with HallClient(hall.url) as office:
        for n in list(h.staff)[:40]:
            await office.login(h.staff[n], h.password)
        for _ in range(5):
            with pytest.raises(ApiError) as wrong:
                await office.login(h.staff[1], "guess-123456")
            assert wrong.value.code == "login_failed"
        with pytest.raises(ApiError) as locked:  # the right password too, for now
            await office.login(h.staff[1], h.password)
        assert locked.value.status == 429 and locked.value.code == "account_locked"
        assert "锁定" in locked.value.message_zh
        assert (await office.login(h.staff[2], h.password))["access_token"]  # the rest of the office signs in
