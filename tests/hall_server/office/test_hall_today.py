"""Today's hall for 督查科, the leaders and 业务科: queues, windows (open, paused and why, who is
signed in), no-shows and ratings today, refreshed in place; and who may read it, of which hall."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from hall_server.auth.models import Role
from hall_server.auth.service import issue_device_token
from hall_server.catalog.io import import_catalog, parse_catalog
from hall_server.catalog.models import Service
from hall_server.client import HallClient
from hall_server.db import Database
from hall_server.events.outbox import commit
from tests.hall_server.office.hall_days import a_monday, a_wednesday
from tests.hall_server.office.pages import by_id
from tests.hall_server.office.support import api_login, office
from tests.harness import TEST_CATALOG


def _row(html: str, attribute: str) -> str:
    """The text of the table row carrying ``attribute`` (e.g. data-window="2"), tags removed."""
    start = html.index(attribute)
    row = html[start:html.index("</tr>", start)]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.split(">", 1)[1])).strip()


async def test_the_supervisor_sees_queues_windows_and_the_days_counts(hall, kiosk, staff_client):
    await a_monday(hall, kiosk, staff_client)
    await a_wednesday(hall, kiosk, staff_client)  # ends at 10:28 with A4 waiting since 10:25
    with office(hall, "supervisor") as o:
        page = o.get("/office/hall").text
    assert 'data-refresh="3"' in page and 'data-src="/office/hall/live?hall=1"' in page
    assert [by_id(page, i) for i in ("today-issued", "today-served", "today-waiting", "today-longest",
                                     "today-no-shows")] == ["5", "3", "1", "3 分钟", "1"]
    assert "开放 <strong>2</strong>" in page and "暂停 <strong>1</strong>" in page
    assert "关闭 <strong>40</strong>" in page  # the bulk windows nobody signed in to
    assert 'data-level="good">1<' in page and 'data-level="average">0<' in page  # Monday's 一般 is not today's
    assert 'data-level="poor">1<' in page and 'data-level="fairly_good">1<' in page
    assert _row(page, 'data-service="GS-1"') == "企业设立登记 1 3 分钟"
    assert _row(page, 'data-service="SW-1"') == "发票申领 0 —"
    assert _row(page, 'data-window="2"') == "2 工商登记 一楼A区2号窗口 暂停:临时外出 2号 — 0 1"
    assert _row(page, 'data-window="3"') == "3 税务 二楼B区3号窗口 开放 3号 — 2 0"


async def test_the_live_part_shows_a_call_as_it_happens(hall, kiosk, staff_client):
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    w1 = await staff_client(1)
    with office(hall, "leader") as o:
        before = o.get("/office/hall/live?hall=1")
        assert before.status_code == 200 and "<html" not in before.text  # the part alone, for office.js
        assert by_id(before.text, "today-waiting") == "1"
        await w1.call_next(hall.hall.windows[1])
        after = o.get("/office/hall/live?hall=1").text
    assert by_id(after, "today-waiting") == "0"
    assert _row(after, 'data-window="1"') == f"1 工商登记 一楼A区1号窗口 开放 1号 {t['number']} (已叫号) 0 0"


async def test_in_english_a_paused_window_says_why(hall, staff_client):
    w2 = await staff_client(2)
    await w2.pause_window(hall.hall.windows[2], "临时外出")
    with office(hall, "business") as o:
        page = o.get("/office/hall?lang=en").text
    assert "Today&#39;s hall" in page and "paused: 临时外出" in page and "Waiting now" in page


def test_staff_cannot_open_todays_hall_or_the_statistics(hall):
    staff = hall.hall.staff[1]
    token = api_login(hall, staff, hall.hall.password).json()["access_token"]
    with httpx.Client(base_url=hall.url, follow_redirects=False) as client:
        r = client.post("/office/login", data={"username": staff, "password": hall.hall.password, "next": "/office/"})
        assert r.status_code == 403 and "hall_office" not in r.headers.get("set-cookie", "")
        for path in ("/office/hall", "/office/hall/live", "/office/stats", "/office/stats.xlsx"):
            r = client.get(path, headers={"Authorization": f"Bearer {token}"}, cookies={"hall_office": token})
            assert r.status_code == 303 and r.headers["location"].startswith("/office/login"), path


def test_business_and_leaders_read_both_pages_but_not_the_admins(hall):
    for who in ("business", "leader", "supervisor", "admin"):
        with office(hall, who) as o:
            home = o.get("/office/").text
            assert 'href="/office/hall"' in home and 'href="/office/stats"' in home, who
            for path in ("/office/hall", "/office/hall/live", "/office/stats", "/office/stats.xlsx"):
                assert o.get(path).status_code == 200, (who, path)
            if who != "admin":
                assert o.get("/office/users").status_code == 403, who


async def test_a_hall_bound_account_sees_only_its_hall_and_an_admin_chooses(hall):
    db = Database(hall.database_url)
    text = TEST_CATALOG.read_text(encoding="utf-8").replace("key: testhall", "key: secondhall") \
        .replace("name: 测试行政服务中心", "name: 第二行政服务中心")
    with db.writing() as s:
        (second,) = import_catalog(s, parse_catalog(text))
        kiosk_token = issue_device_token(s, hall.clock.now(), Role.KIOSK, second.id, "kiosk 2")
        service = s.scalar(select(Service.id).where(Service.hall_id == second.id, Service.code == "GS-1"))
        second_id = second.id
        commit(s)
    db.dispose()
    async with HallClient(hall.url, kiosk_token) as kiosk2:
        await kiosk2.issue_ticket(service)
        await kiosk2.issue_ticket(service)
    with office(hall, "supervisor") as o:
        assert by_id(o.get("/office/stats").text, "total-issued") == "0"
        for path in (f"/office/stats?hall={second_id}", f"/office/hall?hall={second_id}",
                     f"/office/hall/live?hall={second_id}", f"/office/stats.xlsx?hall={second_id}"):
            assert o.get(path).status_code == 403, path
    with office(hall, "admin") as o:
        first = o.get("/office/hall").text
        assert "第二行政服务中心" in first and by_id(first, "today-issued") == "0"
        page = o.get(f"/office/hall?hall={second_id}").text
        assert by_id(page, "today-issued") == "2" and by_id(page, "today-waiting") == "2"
        assert f'data-src="/office/hall/live?hall={second_id}"' in page
        assert by_id(o.get(f"/office/stats?hall={second_id}").text, "total-issued") == "2"
