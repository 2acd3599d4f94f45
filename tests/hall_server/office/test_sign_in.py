"""Signing in to the back office: who may, what each role sees, and what a forged form gets."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from hall_server.auth.models import AccessToken, User
from tests.hall_server.office.support import office


def test_a_page_asks_for_sign_in_and_comes_back_after_it(hall):
    with office(hall) as o:
        r = o.get("/office/users?hall=1")
        assert r.status_code == 303
        assert r.headers["location"] == "/office/login?next=/office/users%3Fhall%3D1"
        r = o.client.post("/office/login", data={"username": "admin", "password": hall.hall.password,
                                                 "next": "/office/users?hall=1"})
        assert r.status_code == 303 and r.headers["location"] == "/office/users?hall=1"
        assert "账号管理" in o.get("/office/users?hall=1").text


def test_a_wrong_password_is_refused_politely_in_both_languages(hall):
    with office(hall) as o:
        r = o.client.post("/office/login", data={"username": "admin", "password": "nope"})
        assert r.status_code == 401 and "用户名或密码" in r.text
        r = o.client.post("/office/login?lang=en", data={"username": "admin", "password": "nope"})
        assert r.status_code == 401 and "password" in r.text.lower()


def test_window_staff_are_sent_to_their_caller_and_keep_no_office_session(hall):
    with office(hall) as o:
        r = o.client.post("/office/login", data={"username": hall.hall.staff[1], "password": hall.hall.password})
        assert r.status_code == 403 and "叫号终端" in r.text
        assert "hall_office" not in o.client.cookies
    # and no token was made for it, even to be revoked
    with hall.ctx.db.read_session() as s:
        staff_id = s.scalar(select(User.id).where(User.username == hall.hall.staff[1]))
        assert s.scalar(select(func.count()).select_from(AccessToken).where(AccessToken.user_id == staff_id)) == 0


def test_a_sign_in_link_cannot_send_anyone_to_another_site(hall):
    with office(hall) as o:
        r = o.client.post("/office/login", data={"username": "admin", "password": hall.hall.password,
                                                 "next": "https://evil.example/office/"})
        assert r.headers["location"] == "/office/"


def test_each_role_sees_its_own_menu_and_cannot_open_another_roles_pages(hall):
    menus = {"admin": ["/office/users", "/office/devices", "/office/catalog", "/office/stats"],
             "business": ["/office/catalog", "/office/settings"],
             "supervisor": ["/office/hall", "/office/stats"],
             "leader": ["/office/hall", "/office/stats"]}
    for name, links in menus.items():
        with office(hall, name) as o:
            home = o.get("/office/")
            assert home.status_code == 200
            for link in links:
                assert f'href="{link}"' in home.text, (name, link)
            if name != "admin":
                assert 'href="/office/users"' not in home.text
                r = o.get("/office/users")
                assert r.status_code == 403 and "不属于您的岗位" in r.text
                assert o.get("/office/devices").status_code == 403


def test_a_form_without_the_session_token_or_from_another_site_changes_nothing(hall):
    with office(hall, "admin") as o:
        o.get("/office/users")
        form = {"hall": "1", "username": "forged", "role": "admin", "password": "a-long-passphrase-here"}
        r = o.post("/office/users", form, csrf=False)
        assert r.status_code == 403 and "页面已过期" in r.text
        r = o.post("/office/users", form, headers={"Origin": "https://evil.example"})
        assert r.status_code == 403
        assert "forged" not in o.get("/office/users").text


def test_signing_out_ends_the_session(hall):
    with office(hall, "admin") as o:
        o.get("/office/")
        cookie = o.client.cookies["hall_office"]
        assert o.post("/office/logout", {}).status_code == 303
        r = httpx.get(f"{hall.url}/office/", cookies={"hall_office": cookie}, follow_redirects=False)
        assert r.status_code == 303  # the old cookie opens nothing


def test_pages_forbid_framing_and_outside_scripts(hall):
    with office(hall, "admin") as o:
        r = o.get("/office/")
        assert r.headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in r.headers["content-security-policy"]
        cookie = next(c for c in o.client.cookies.jar if c.name == "hall_office")
        assert cookie.has_nonstandard_attr("HttpOnly") or cookie._rest.get("HttpOnly") is not None


def test_english_is_one_click_away_and_stays(hall):
    with office(hall, "admin") as o:
        assert "Accounts" in o.get("/office/?lang=en").text
        assert "Accounts" in o.get("/office/users").text
        assert "账号管理" in o.get("/office/users?lang=zh").text


def test_a_malformed_form_gets_a_page_not_a_crash(hall):
    with office(hall, "admin") as o:
        o.get("/office/")
        r = o.client.post("/office/users", data={"csrf": o.csrf})  # every field missing
        assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
        assert "提交的内容有误" in r.text
        r = o.client.post("/office/catalog/yaml", content=b"x" * 6_000_001,
                          headers={"content-type": "application/x-www-form-urlencoded"})
        assert r.status_code == 413
