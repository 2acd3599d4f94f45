"""The catalog: the demo data is complete, and a catalog round-trips YAML → database → YAML."""

import pytest
import yaml

from hall_server.catalog.io import DEMO_CATALOG, parse_catalog
from hall_server.client import ApiError, HallClient
from hall_server.errors import HallError


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
