"""The admin's accounts page: a password policy, disabled accounts signed out at once, resets,
and staff bound to their windows."""

from __future__ import annotations

import re

import httpx

from tests.hall_server.office.support import api_login, office

STRONG = "spring-window-2026"


def _user_id(page: str, username: str) -> int:
    m = re.search(rf'data-username="{re.escape(username)}">.*?href="/office/users/(\d+)"', page, re.S)
    assert m, f"{username} not listed"
    return int(m.group(1))


def test_the_admin_creates_an_account_that_can_sign_in(hall):
    with office(hall, "admin") as o:
        r = o.post("/office/users", {"hall": "1", "username": "liwei", "display_name": "李伟", "role": "staff",
                                     "password": STRONG, "card_id": "CARD-LW"})
        assert r.status_code == 201 and "账号 liwei 已建立" in r.text
        assert "李伟" in o.get("/office/users?hall=1").text
    token = api_login(hall, "liwei", STRONG).json()
    assert token["role"] == "staff" and token["hall_id"] == 1


def test_weak_passwords_are_refused_with_the_rule(hall):
    with office(hall, "admin") as o:
        for weak in ("12345678", "1234567890", "short1", "wangfang2026", "abcdefghij"):
            r = o.post("/office/users", {"hall": "1", "username": "wangfang", "role": "staff", "password": weak})
            assert r.status_code == 422, weak
            assert "密码" in r.text
        assert 'data-username="wangfang"' not in o.get("/office/users?hall=1").text
    # The API's own account creation keeps the same rule.
    admin = api_login(hall, "admin", hall.hall.password).json()["access_token"]
    r = httpx.post(f"{hall.url}/api/v1/admin/users", headers={"Authorization": f"Bearer {admin}"},
                   json={"username": "wangfang", "password": "12345678", "role": "staff", "hall_id": 1})
    assert r.status_code == 422 and r.json()["error"]["code"] == "password_too_short"


def test_a_taken_user_name_is_said_plainly(hall):
    with office(hall, "admin") as o:
        r = o.post("/office/users", {"hall": "1", "username": "business", "role": "staff", "password": STRONG})
        assert r.status_code == 409 and "已被使用" in r.text


def test_disabling_an_account_signs_it_out_everywhere_at_once(hall):
    staff = hall.hall.staff[1]
    token = api_login(hall, staff, hall.hall.password).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert httpx.get(f"{hall.url}/api/v1/auth/me", headers=auth).status_code == 200
    window = hall.hall.windows[1]
    assert httpx.post(f"{hall.url}/api/v1/windows/{window}/sign-in", headers=auth).status_code == 200
    with office(hall, "admin") as o:
        user_id = _user_id(o.get("/office/users?hall=1").text, staff)
        r = o.post(f"/office/users/{user_id}/active", {"active": "false"})
        assert r.status_code == 200 and "已停用" in r.text
    assert httpx.get(f"{hall.url}/api/v1/auth/me", headers=auth).status_code == 401
    assert api_login(hall, staff, hall.hall.password).status_code == 401
    # Its window closed, and the boards told so, under the admin who disabled the account.
    admin = {"Authorization": "Bearer " + api_login(hall, "admin", hall.hall.password).json()["access_token"]}
    admin_id = httpx.get(f"{hall.url}/api/v1/auth/me", headers=admin).json()["user_id"]
    events = httpx.get(f"{hall.url}/api/v1/events", params={"hall_id": 1}, headers=admin).json()
    closed = [e for e in events if e["kind"] == "window.signed_out" and e["payload"]["window"]["id"] == window]
    assert closed and closed[-1]["payload"]["actor_id"] == admin_id
    assert next(w for w in httpx.get(f"{hall.url}/api/v1/halls/1/windows").json() if w["id"] == window)["state"] \
        == "closed"
    with office(hall, "admin") as o:
        o.post(f"/office/users/{user_id}/active", {"active": "true"})
    assert api_login(hall, staff, hall.hall.password).status_code == 200


def test_an_admin_cannot_disable_their_own_account(hall):
    token = api_login(hall, "admin", hall.hall.password).json()["access_token"]
    me = httpx.get(f"{hall.url}/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).json()
    with office(hall, "admin") as o:
        assert o.post(f"/office/users/{me['user_id']}/active", {"active": "false"}).status_code == 403
    assert api_login(hall, "admin", hall.hall.password).status_code == 200


def test_a_reset_password_replaces_the_old_one_and_ends_its_sessions(hall):
    staff = hall.hall.staff[2]
    old = api_login(hall, staff, hall.hall.password).json()["access_token"]
    with office(hall, "admin") as o:
        user_id = _user_id(o.get("/office/users?hall=1").text, staff)
        assert o.post(f"/office/users/{user_id}/password", {"password": "123456789"}).status_code == 422
        r = o.post(f"/office/users/{user_id}/password", {"password": STRONG})
        assert r.status_code == 200 and "已重置" in r.text
    assert api_login(hall, staff, hall.hall.password).status_code == 401
    assert api_login(hall, staff, STRONG).status_code == 200
    assert httpx.get(f"{hall.url}/api/v1/auth/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401


def test_staff_cards_and_window_bindings_are_kept(hall):
    staff = hall.hall.staff[3]
    with office(hall, "admin") as o:
        user_id = _user_id(o.get("/office/users?hall=1").text, staff)
        window = hall.hall.windows[3]
        r = o.post(f"/office/users/{user_id}", [("display_name", "三号窗口 张敏"), ("card_id", "CARD-ZM"),
                                                 ("windows", str(window))])
        assert r.status_code == 200 and "已保存" in r.text
        page = o.get(f"/office/users/{user_id}").text
        assert "张敏" in page and 'value="CARD-ZM"' in page
        assert re.search(rf'value="{window}" checked', page)
        # A window of no hall of this account's is refused, nothing half-saved.
        r = o.post(f"/office/users/{user_id}", [("display_name", "x"), ("windows", "999999")])
        assert r.status_code == 404
        assert "张敏" in o.get(f"/office/users/{user_id}").text


def test_staff_bound_to_a_window_sign_in_only_there(hall):
    staff = hall.hall.staff[3]
    with office(hall, "admin") as o:
        user_id = _user_id(o.get("/office/users?hall=1").text, staff)
        o.post(f"/office/users/{user_id}", [("display_name", "张敏"), ("windows", str(hall.hall.windows[3]))])
    token = api_login(hall, staff, hall.hall.password).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    r = httpx.post(f"{hall.url}/api/v1/windows/{hall.hall.windows[1]}/sign-in", headers=auth)
    assert r.status_code == 403 and r.json()["error"]["code"] == "window_not_bound"
    assert "管理员" in r.json()["error"]["message_zh"]
    assert httpx.post(f"{hall.url}/api/v1/windows/{hall.hall.windows[3]}/sign-in", headers=auth).status_code == 200
    # one bound to none may take any free window, as before binding existed
    other = api_login(hall, hall.hall.staff[2], hall.hall.password).json()["access_token"]
    r = httpx.post(f"{hall.url}/api/v1/windows/{hall.hall.windows[1]}/sign-in",
                   headers={"Authorization": f"Bearer {other}"})
    assert r.status_code == 200
