"""The admin's devices page: a token issued once, seen in use, revoked at once."""

from __future__ import annotations

import re

import httpx

from tests.hall_server.office.support import office


def test_a_device_token_is_shown_once_works_and_is_revoked_at_once(hall):
    with office(hall, "admin") as o:
        r = o.post("/office/devices", {"hall": "1", "name": "二楼自助终端", "kind": "kiosk"})
        assert r.status_code == 201
        token = re.search(r'id="new-token">([^<]+)<', r.text).group(1)
        auth = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{hall.url}/api/v1/auth/me", headers=auth).json()["role"] == "kiosk"
        page = o.get("/office/devices?hall=1").text
        assert token not in page  # only its hash is kept
        row = re.search(r'<tr data-name="二楼自助终端">(.*?)</tr>', page, re.S).group(1)
        assert "从未" not in row  # last seen: just now
        token_id = re.search(r'/office/devices/(\d+)/revoke', row).group(1)
        r = o.post(f"/office/devices/{token_id}/revoke", {"hall": "1"})
        assert r.status_code == 200 and "已吊销" in r.text
    assert httpx.get(f"{hall.url}/api/v1/auth/me", headers=auth).status_code == 401


def test_a_hall_admin_cannot_revoke_another_halls_devices(hall):
    with office(hall, "admin") as o:
        assert o.post("/office/devices/999/revoke", {"hall": "1"}).status_code == 404
        assert o.get("/office/devices?hall=777").status_code == 404
