"""业务科's catalog pages: every 九公开 field edited in a page, the catalog's checks all at once,
services and windows retired with their history kept, YAML exported, checked and imported."""

from __future__ import annotations

import re

import httpx

from tests.hall_server.office.support import office


def _service(hall, code: str) -> dict | None:
    listed = httpx.get(f"{hall.url}/api/v1/halls/{hall.hall.hall_id}/services").json()
    found = next((s for s in listed if s["code"] == code), None)
    return httpx.get(f"{hall.url}/api/v1/services/{found['id']}").json() if found else None


def _form(page: str) -> dict[str, str | list[str]]:
    """The fields of the page's main form as they are filled in, as a browser would send them."""
    form: dict[str, str | list[str]] = {}
    for name, value in re.findall(r'<input name="(\w+)" value="([^"]*)"', page):
        form[name] = value
    for name, value in re.findall(r'<textarea name="(\w+)"[^>]*>([^<]*)</textarea>', page):
        form[name] = value
    for name, options in re.findall(r'<select name="(\w+)">(.*?)</select>', page, re.S):
        form[name] = re.search(r'<option value="([^"]*)" selected', options).group(1)
    form["hall"] = "1"
    return form


def test_business_edits_every_public_field_of_a_service(hall):
    with office(hall, "business") as o:
        page = o.get("/office/catalog/services/GS-1").text
        assert "企业设立登记" in page
        form = _form(page)
        form |= {"daily_cap": "120", "guide": "设立公司应先核准名称。", "legal_basis": "《公司法》",
                 "materials": "设立登记申请书 | 主件 | 1\n公司章程 | 主件 | 2 | 全体股东签字",
                 "fees": "工本费 | 10 | 元/件 | 苏价费〔2020〕1号", "procedure": "申请\n受理\n发照"}
        r = o.post("/office/catalog/services/GS-1", form)
        assert r.status_code == 200 and "已保存" in r.text
    s = _service(hall, "GS-1")
    assert s["daily_cap"] == 120 and s["guide"] == "设立公司应先核准名称。" and s["legal_basis"] == "《公司法》"
    assert [m["name"] for m in s["materials"]] == ["设立登记申请书", "公司章程"]
    assert s["materials"][1] == {"name": "公司章程", "kind": "main", "copies": 2, "note": "全体股东签字"}
    assert s["fees"][0]["name"] == "工本费" and float(s["fees"][0]["amount"]) == 10
    assert s["procedure"] == ["申请", "受理", "发照"]
    assert [w["number"] for w in s["windows"]] == [1, 2]  # the windows serving it are kept


def test_every_mistake_of_a_service_form_is_named_at_once_and_nothing_is_saved(hall):
    with office(hall, "business") as o:
        form = _form(o.get("/office/catalog/services/GS-1").text)
        form |= {"series": "AB", "daily_cap": "许多", "materials": "申请书 | 原件 | 1"}
        r = o.post("/office/catalog/services/GS-1", form)
        assert r.status_code == 422
        problems = re.findall(r"<li>(.*?)</li>", r.text.split('id="problems"')[1].split("</div>")[0])
        assert len(problems) >= 3, problems
        joined = " ".join(problems)
        assert "series" in joined and "daily_cap" in joined and "materials[0].kind" in joined
        assert 'value="许多"' in r.text  # what was typed stays on the form to correct
    assert _service(hall, "GS-1")["daily_cap"] == 5000


def test_a_new_service_is_served_by_a_window_chosen_in_its_page(hall):
    with office(hall, "business") as o:
        form = {"hall": "1", "code": "SW-2", "name": "税务登记", "name_en": "Tax registration", "department": "SW",
                "category": "immediate", "theme": "enterprise", "series": "B", "daily_cap": "50",
                "avg_service_minutes": "6", "legal_days": "0", "promised_days": "0"}
        r = o.post("/office/catalog/services/new", form)
        assert r.status_code == 200, r.text
        assert 'data-code="SW-2"' in r.text
        window = _form(o.get("/office/catalog/windows/3").text)
        r = o.post("/office/catalog/windows/3", [*[(k, v) for k, v in window.items()], ("services", "SW-1"),
                                                 ("services", "SW-2")])
        assert r.status_code == 200 and "已保存" in r.text
    assert [w["number"] for w in _service(hall, "SW-2")["windows"]] == [3]


def test_a_retired_service_leaves_the_kiosk_keeps_its_history_and_comes_back(hall, kiosk):
    with office(hall, "business") as o:
        r = o.post("/office/catalog/services/SW-1/active", {"hall": "1", "active": "false"})
        assert r.status_code == 200 and "已停用" in r.text
        assert _service(hall, "SW-1") is None
        assert re.search(r'data-code="SW-1" class="muted"', o.get("/office/catalog").text)
        o.post("/office/catalog/services/SW-1/active", {"hall": "1", "active": "true"})
    assert _service(hall, "SW-1") is not None


def test_a_window_with_staff_signed_in_is_not_retired(hall):
    token = httpx.post(f"{hall.url}/api/v1/auth/login", json={"username": hall.hall.staff[1],
                                                              "password": hall.hall.password}).json()["access_token"]
    r = httpx.post(f"{hall.url}/api/v1/windows/{hall.hall.windows[1]}/sign-in",
                   headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    with office(hall, "business") as o:
        r = o.post("/office/catalog/windows/1/active", {"hall": "1", "active": "false"})
        assert r.status_code == 409
        assert re.search(r'data-number="1" class="">', o.get("/office/catalog").text)


def test_the_catalog_round_trips_as_yaml_with_every_problem_on_its_line(hall):
    with office(hall, "business") as o:
        exported = o.get("/office/catalog/yaml/export?hall=1")
        assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
        text = exported.text
        assert "GS-1" in text
        r = o.post("/office/catalog/yaml", {"hall": "1", "action": "import", "yaml": text})
        assert r.status_code == 200 and "目录已导入" in r.text
        broken = text.replace("category: promised", "category: sometimes", 1).replace("series: B", "series: bb", 1)
        r = o.post("/office/catalog/yaml", {"hall": "1", "action": "import", "yaml": broken})
        assert r.status_code == 422
        lines = re.findall(r"<li>第(\d+)行", r.text)
        assert len(lines) >= 2
        bad_line = next(i for i, line in enumerate(broken.splitlines(), 1) if "sometimes" in line)
        assert str(bad_line) in lines
        r = o.post("/office/catalog/yaml", {"hall": "1", "action": "check", "yaml": text})
        assert "检查通过" in r.text


def test_a_catalog_file_can_be_uploaded(hall):
    with office(hall, "business") as o:
        text = o.get("/office/catalog/yaml/export?hall=1").text.replace("企业设立登记", "企业开办登记")
        o.get("/office/catalog/yaml")
        r = o.client.post("/office/catalog/yaml", data={"hall": "1", "action": "import", "csrf": o.csrf},
                          files={"file": ("catalog.yaml", text.encode(), "application/yaml")})
        assert r.status_code == 200 and "目录已导入" in r.text
    assert _service(hall, "GS-1")["name"] == "企业开办登记"


def test_hall_settings_are_saved_and_wrong_ones_named(hall):
    with office(hall, "business") as o:
        page = o.get("/office/settings").text
        assert 'value="09:00"' in page
        form = {"hall": "1", "open": "08:30", "close": "17:30", "lunch": "12:00-13:30", "notice": "周五延时服务",
                "notice_en": "Open late on Fridays", "priority_run": "2", "max_wait_minutes": "40", "recall_limit": "3"}
        r = o.post("/office/settings", form)
        assert r.status_code == 200 and "已保存" in r.text
        r = o.post("/office/settings", form | {"lunch": "中午", "recall_limit": "99"})
        assert r.status_code == 422 and "午休" in r.text and "重呼" in r.text
    h = httpx.get(f"{hall.url}/api/v1/halls/1").json()
    assert h["hours"] == "08:30-17:30" and h["lunch"] == "12:00-13:30" and h["notice"] == "周五延时服务"


def test_supervision_cannot_change_the_catalog(hall):
    with office(hall, "supervisor") as o:
        assert o.get("/office/catalog").status_code == 403
        assert o.post("/office/settings", {"hall": "1", "open": "00:00", "close": "23:00"}).status_code == 403
