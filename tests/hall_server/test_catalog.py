"""The catalog: the demo data is complete, a catalog round-trips YAML → database → YAML, every
mistake in one is told at once with its line, and what an import leaves out is retired, not deleted."""

import httpx
import pytest
import yaml

from hall_server.catalog.io import DEMO_CATALOG, parse_catalog
from hall_server.catalog.problems import check_catalog
from hall_server.client import ApiError, HallClient
from hall_server.errors import HallError
from hall_server.messages import CATALOG_PROBLEMS
from tests.display.support import catalog_problems


def test_the_demo_catalog_is_a_whole_hall():
    catalog = parse_catalog(DEMO_CATALOG.read_text(encoding="utf-8"))
    kunshan = next(h for h in catalog.halls if h.key == "kunshan")
    assert len(kunshan.departments) >= 18 and len(kunshan.services) >= 75 and len(kunshan.windows) == 40
    for hall in catalog.halls:
        served = {code for w in hall.windows for code in w.services}
        assert served == {s.code for s in hall.services}, f"{hall.key}: every service has a window"
        for s in hall.services:
            assert s.guide and s.materials and s.procedure, s.code


def test_a_bad_catalog_says_where_the_mistake_is():
    text = "halls:\n  - key: x\n    name: 测试\n    departments: []\n    services:\n" \
           "      - {code: S1, name: 某事项, department: NOPE, category: promised, series: A}\n"
    with pytest.raises(HallError) as exc:
        parse_catalog(text)
    assert exc.value.code == "catalog_invalid" and "NOPE" in exc.value.message_zh


async def test_export_edit_import_round_trip(hall):
    async with HallClient(hall.url) as business:
        await business.login("business", hall.hall.password)
        exported = await business.export_catalog(hall.hall.hall_id)
        data = yaml.safe_load(exported)
        (h,) = data["halls"]
        assert {s["code"] for s in h["services"]} == {"GS-1", "GS-2", "SW-1", "BK-1"}
        h["services"][0]["guide"] = "新的办事指南说明"
        h["services"][0]["daily_cap"] = 42
        await business.import_catalog(yaml.safe_dump(data, allow_unicode=True))
        svc = await business.get_service(hall.hall.services["GS-1"])
        assert svc["guide"] == "新的办事指南说明" and svc["daily_cap"] == 42
        # importing the export again changes nothing
        again = await business.export_catalog(hall.hall.hall_id)
        await business.import_catalog(again)
        assert await business.export_catalog(hall.hall.hall_id) == again
        assert await business.export_catalog() == again  # naming no hall: its own, not a bare 403


async def test_admin_endpoints_need_the_right_role(hall, kiosk, staff_client):
    staff = await staff_client(1)
    for client in (kiosk, staff):
        with pytest.raises(ApiError) as exc:
            await client.export_catalog()
        assert exc.value.status == 403 and exc.value.code == "forbidden"
    async with HallClient(hall.url) as admin:
        await admin.login("admin", hall.hall.password)
        device = await admin.create_device_token(hall.hall.hall_id, "kiosk", "二楼自助机")
        async with HallClient(hall.url, device["token"]) as new_kiosk:
            t = await new_kiosk.issue_ticket(hall.hall.services["GS-1"])
            assert t["number"] == "A001"


async def test_the_guide_shows_everything_public(hall, kiosk):
    svc = await kiosk.get_service(hall.hall.services["GS-1"])
    assert svc["category"] == "promised" and svc["promised_days"] == 3
    assert svc["materials"][0]["kind"] == "main" and svc["procedure"][0] == "申请"
    assert [w["number"] for w in svc["windows"]] == [1, 2]
    listed = await kiosk.list_services(hall.hall.hall_id)
    assert {"id", "code", "name", "prefix"} <= set(listed[0])


async def test_business_staff_manage_only_their_own_hall(hall):
    async with HallClient(hall.url) as admin, HallClient(hall.url) as business:
        await admin.login("admin", hall.hall.password)
        other = yaml.safe_dump({"halls": [{"key": "otherhall", "name": "另一个中心", "departments": [],
                                           "services": [], "windows": []}]}, allow_unicode=True)
        other_id = (await admin.import_catalog(other))["halls"][0]["id"]
        await business.login("business", hall.hall.password)
        with pytest.raises(ApiError) as exc:
            await business.export_catalog(other_id)
        assert exc.value.status == 403
        with pytest.raises(ApiError) as exc:
            await business.import_catalog(other.replace("另一个中心", "改名"))
        assert exc.value.status == 403
        assert (await admin.get_hall(other_id))["name"] == "另一个中心"  # nothing written


# --- the YAML itself, every mistake at once, lunch in one format -----------------------------------

def _signed_in(hall, username: str) -> httpx.AsyncClient:
    r = httpx.post(f"{hall.url}/api/v1/auth/login", json={"username": username, "password": hall.hall.password})
    return httpx.AsyncClient(base_url=hall.url, headers={"Authorization": f"Bearer {r.json()['access_token']}"})


async def test_the_catalog_is_imported_as_the_yaml_file_itself(hall):
    """The README's `PUT /api/v1/admin/catalog` with the YAML file; the JSON wrapper still works."""
    async with _signed_in(hall, hall.hall.business) as http:
        text = (await http.get("/api/v1/admin/catalog")).text
        for n, media in enumerate(("application/yaml", "text/yaml", "text/plain; charset=utf-8",
                                   "application/x-www-form-urlencoded")):  # the last: curl --data-binary's own
            edited = text.replace("请携带身份证件原件办理业务。", f"公告第{n}版")
            r = await http.put("/api/v1/admin/catalog", content=edited.encode(), headers={"Content-Type": media})
            assert r.status_code == 200, (media, r.text)
            assert r.json()["halls"][0]["notice"] == f"公告第{n}版"
        r = await http.put("/api/v1/admin/catalog", json={"yaml": text})
        assert r.status_code == 200 and r.json()["halls"][0]["notice"] == "请携带身份证件原件办理业务。"
        r = await http.put("/api/v1/admin/catalog", content=b"\x89PNG", headers={"Content-Type": "image/png"})
        assert r.status_code == 415 and "application/yaml" in r.json()["error"]["message_zh"]
        hall.ctx.settings.catalog_body_bytes = 1_000  # the body limit holds for the YAML as for the JSON
        r = await http.put("/api/v1/admin/catalog", content=text.encode(), headers={"Content-Type": "application/yaml"})
        assert r.status_code == 413


BROKEN = """\
halls:
  - key: testhall
    name: 测试行政服务中心
    hours: {open: "09:00", close: "17:00", lunch: "12:00-18:00"}
    departments:
      - {code: GS, name: 市场监督管理局}
    services:
      - code: GS-1
        name: 企业设立登记
        department: GS
        series: A
      - {code: GS-2, name: 个体工商户登记, department: GZ, category: immediate, series: a}
    windows:
      - {number: 1, name: 工商登记, department: GS, services: [GS-1, GS-9], colour: red}
"""


def test_every_mistake_is_told_at_once_with_its_line():
    problems = check_catalog(BROKEN)
    assert [p.text("zh") for p in problems] == [
        "第4行 halls[0].hours.lunch: 午休应在开放时间之内",
        "第8行 halls[0].services[0].category: 必填",
        "第12行 halls[0].services[1].department: 没有代码为“GZ”的部门,请先在 departments 中列出",
        "第12行 halls[0].services[1].series: 应为一个大写字母(A-Z),即票号的字头",
        "第14行 halls[0].windows[0].services[1]: 没有代码为“GS-9”的事项,请先在 services 中列出",
        "第14行 halls[0].windows[0].colour: 没有“colour”这个字段,请核对拼写(可用的字段见 docs/CATALOG.md)",
    ]
    assert problems[1].text("en") == "line 8 halls[0].services[0].category: required"
    assert check_catalog(DEMO_CATALOG.read_text(encoding="utf-8")) == []


def test_the_catalog_problems_are_said_in_both_languages_politely():
    assert catalog_problems(CATALOG_PROBLEMS) == []


def test_yaml_mistakes_name_their_line_too():
    (p,) = check_catalog("halls:\n  - key: x\n    name: [测试\n")
    assert p.line is not None and p.text("zh").startswith(f"第{p.line}行") and "YAML 格式有误" in p.zh
    (p,) = check_catalog("halls:\n  - key: x\n    name: 测试\n    name: 又一个\n")
    assert p.text("zh") == "第4行: “name”写了两次(另见第3行)"
    (p,) = check_catalog("halls:\n  - key: x\n    name: 测试\n    departments: [{code: D, name: 部门}]\n"
                         "    services: [{code: S, name: 事项, department: D, series: A, category: immediat}]\n")
    assert p.text("zh") == "第5行 halls[0].services[0].category: 应为以下之一:immediate、promised、joint、reported"
    # 17:00 unquoted is the time, not YAML 1.1's base-60 number 1020
    assert check_catalog("halls:\n  - {key: x, name: 测试, hours: {open: 08:30, close: 17:00}}\n") == []


async def test_a_refused_import_lists_every_problem_and_imports_nothing(hall):
    async with HallClient(hall.url) as business:
        await business.login("business", hall.hall.password)
        before = await business.export_catalog()
        with pytest.raises(ApiError) as exc:
            await business.import_catalog(BROKEN)
        assert await business.export_catalog() == before
    err = exc.value
    assert err.status == 422 and err.code == "catalog_invalid"
    assert len(err.problems) == 6 and set(err.problems[0]) == {"line", "path", "zh", "en"}
    assert err.problems[1] == {"line": 8, "path": "halls[0].services[0].category", "zh": "必填", "en": "required"}
    assert "6处" in err.message_zh and "第4行 halls[0].hours.lunch" in err.message_zh and "另有3处" in err.message_zh
    assert "line 8 halls[0].services[0].category: required" in err.message_en


async def test_lunch_is_one_format_in_the_catalog_and_the_hall_settings(hall):
    """"12:00-13:00" both ways; the catalog's old list form is still read."""
    async with HallClient(hall.url) as business:
        await business.login("business", hall.hall.password)
        exported = await business.export_catalog()
        assert "lunch: 12:00-13:00" in exported  # the test catalog writes the old list: ["12:00", "13:00"]
        assert (await business.get_hall(hall.hall.hall_id))["lunch"] == "12:00-13:00"
        await business.import_catalog(exported.replace("lunch: 12:00-13:00", "lunch: 11:30-13:30"))
        assert (await business.get_hall(hall.hall.hall_id))["lunch"] == "11:30-13:30"
        await business.update_hall(hall.hall.hall_id, lunch="12:00-12:45")
        assert "lunch: 12:00-12:45" in await business.export_catalog()
        await business.update_hall(hall.hall.hall_id, lunch="")
        assert "lunch: null" in await business.export_catalog()


# --- retired, not deleted ------------------------------------------------------------------------

def _without(exported: str, services: set[str] = frozenset(), windows: set[int] = frozenset()) -> str:
    data = yaml.safe_load(exported)
    (h,) = data["halls"]
    h["services"] = [s for s in h["services"] if s["code"] not in services]
    h["windows"] = [w for w in h["windows"] if w["number"] not in windows]
    for w in h["windows"]:
        w["services"] = [c for c in w["services"] if c not in services]
    used = {s["department"] for s in h["services"]} | {w["department"] for w in h["windows"]}
    h["departments"] = [d for d in h["departments"] if d["code"] in used]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


async def test_a_service_and_window_left_out_are_retired_and_come_back(hall, kiosk, staff_client):
    h = hall.hall
    gs2, sw1 = h.services["GS-2"], h.services["SW-1"]
    old = await kiosk.issue_ticket(gs2)  # served before the service is retired: its history stays
    staff = await staff_client(1)
    await staff.call_next(h.windows[1])
    await staff.finish_service(h.windows[1])
    await staff.sign_out_window(h.windows[1])
    async with HallClient(hall.url) as business:
        await business.login("business", h.password)
        full = await business.export_catalog()
        await business.import_catalog(_without(full, services={"GS-2", "SW-1"}, windows={2, 3}))

        listed = {s["id"] for s in await kiosk.list_services(h.hall_id)}
        assert gs2 not in listed and sw1 not in listed and h.services["GS-1"] in listed
        assert {d["code"] for d in await kiosk.list_departments(h.hall_id)} == {"GS", "BK"}  # 税务 left with SW-1
        numbers = {w["number"] for w in await kiosk.list_windows(h.hall_id)}
        assert 2 not in numbers and 3 not in numbers and 1 in numbers
        board = await kiosk.hall_board(h.hall_id)
        assert 2 not in {w["number"] for w in board["windows"]}
        assert gs2 not in {q["service_id"] for q in board["queues"]}
        assert [w["number"] for w in (await kiosk.get_service(h.services["GS-1"]))["windows"]] == [1]
        for refused in (kiosk.get_service(gs2), kiosk.issue_ticket(gs2)):
            with pytest.raises(ApiError) as exc:
                await refused
            assert exc.value.code == "service_not_found"
        newcomer = await staff_client(2, sign_in=False)
        with pytest.raises(ApiError) as exc:
            await newcomer.sign_in_window(h.windows[2])
        assert exc.value.status == 409 and exc.value.code == "window_retired"
        assert "2号窗口已停用" in exc.value.message_zh
        exported = yaml.safe_load(await business.export_catalog())["halls"][0]
        assert "GS-2" not in {s["code"] for s in exported["services"]}
        assert 2 not in {w["number"] for w in exported["windows"]}

        # the old ticket still shows, with its service's name
        status = await kiosk.lookup_status(old["status_token"])
        assert status["status"] == "finished" and status["service_name"] == "个体工商户登记"

        await business.import_catalog(full)  # named again: back, with the same ids
        assert {gs2, sw1} <= {s["id"] for s in await kiosk.list_services(h.hall_id)}
        assert {2, 3} <= {w["number"] for w in await kiosk.list_windows(h.hall_id)}
        await newcomer.sign_in_window(h.windows[2])
        assert (await kiosk.issue_ticket(gs2))["number"] == "A002"
        assert await business.export_catalog() == full


async def test_retiring_what_is_in_use_is_refused_with_what_to_do(hall, kiosk, staff_client):
    h = hall.hall
    await staff_client(3)  # signed in at window 3
    await kiosk.issue_ticket(h.services["GS-2"])  # someone waits for GS-2
    async with HallClient(hall.url) as business:
        await business.login("business", h.password)
        full = await business.export_catalog()
        edited = _without(full, services={"GS-2"}, windows={3})
        with pytest.raises(ApiError) as exc:
            await business.import_catalog(edited)
        assert exc.value.status == 422 and [p["path"] for p in exc.value.problems] == [
            "halls[0].services", "halls[0].windows"]
        waiting, staffed = exc.value.problems
        assert waiting["zh"] == "事项“个体工商户登记”今天还有1人在等候,请在他们办理完后(或下班后)再停用。"
        assert staffed["zh"].startswith("3号窗口的工作人员3号仍在岗,请其签退")
        assert staffed["line"] == edited.splitlines().index("  windows:") + 1  # the list it is left out of
        assert await business.export_catalog() == full  # nothing imported
        for patch in (business.update_service(h.services["GS-2"], active=False),
                      business.update_window(h.windows[3], active=False)):
            with pytest.raises(ApiError) as exc:
                await patch
            assert exc.value.status == 409 and exc.value.code in ("service_still_waiting", "window_staffed")


async def test_a_patch_retires_and_brings_back_a_service_or_window(hall, kiosk):
    h = hall.hall
    async with HallClient(hall.url) as business:
        await business.login("business", h.password)
        start = (await kiosk.hall_board(h.hall_id))["last_event_id"]
        assert (await business.update_service(h.services["SW-1"], active=False))["active"] is False
        assert (await business.update_window(h.windows[3], active=False))["active"] is False
        assert h.services["SW-1"] not in {s["id"] for s in await kiosk.list_services(h.hall_id)}
        assert 3 not in {w["number"] for w in await kiosk.list_windows(h.hall_id)}
        with pytest.raises(ApiError):
            await kiosk.issue_ticket(h.services["SW-1"])
        await business.update_service(h.services["SW-1"], active=True)
        await business.update_window(h.windows[3], active=True)
        assert (await kiosk.issue_ticket(h.services["SW-1"]))["number"] == "B001"
        changes = [e["payload"] for e in await business.list_events(start, h.hall_id) if e["kind"] == "catalog.changed"]
        assert changes == [{"change": "service", "service_id": h.services["SW-1"], "active": False},
                           {"change": "window", "window_id": h.windows[3], "active": False},
                           {"change": "service", "service_id": h.services["SW-1"], "active": True},
                           {"change": "window", "window_id": h.windows[3], "active": True}]
