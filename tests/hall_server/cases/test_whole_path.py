"""The whole path as an applicant and a window walk it (issue 14's proof), on both databases:
kiosk ticket → called → case registered as 补办件 → materials completed → finished → text message
sent → status on the mobile page → rated once (一事一评)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from hall_server.client import ApiError, HallClient
from tests.browser import chromium_page
from tests.display.support import until
from tests.hall_server.cases.support import GS1_MATERIALS, PERSON, serving


def texts_to(hall, phone: str) -> list[dict]:
    if not hall.texts.exists():
        return []
    lines = hall.texts.read_text(encoding="utf-8").splitlines()
    return [m for m in map(json.loads, lines) if m["phone"] == phone]


async def test_an_applicant_and_a_window_walk_a_supplement_case_to_its_rating(hall, kiosk, staff_client):
    staff = await staff_client(1)
    wid = hall.hall.windows[1]
    ticket = await serving(kiosk, staff, wid, hall.hall.services["GS-1"])
    case = await staff.register_case(hall.hall.services["GS-1"], "supplement", PERSON, ticket_id=ticket["id"],
                                     window_id=wid, materials_received=GS1_MATERIALS[:2])
    assert case["missing_materials"] == ["股东身份证明复印件"] and case["deadline"] is None
    await staff.notice_printed(case["id"], 3)
    await staff.finish_service(wid)  # the applicant leaves the window; the case goes on
    await until(lambda: len(texts_to(hall, PERSON["phone"])) == 1, timeout=15)
    assert "股东身份证明复印件" in texts_to(hall, PERSON["phone"])[0]["text"]

    hall.clock.advance(timedelta(days=1))  # Thursday: the last item arrives
    staff = await staff_client(1)
    running = await staff.complete_materials(case["id"], "2026-11-26")
    assert running["deadline"] == "2026-12-01"  # Fri, Mon, Tue
    done = await staff.finish_case(case["id"])
    assert done["status"] == "finished" and done["days_overdue"] == 0
    await until(lambda: len(texts_to(hall, PERSON["phone"])) == 2, timeout=15)
    finished_text = texts_to(hall, PERSON["phone"])[1]["text"]
    assert case["case_number"] in finished_text and case["status_url"] in finished_text

    async with chromium_page(390, 844) as page:  # the applicant's phone, from the notice's QR
        await page.goto(case["status_url"])
        await page.wait_for_function(f"document.getElementById('number').textContent === {case['case_number']!r}")
        assert "已办结" in await page.inner_text("#state")
        await page.wait_for_selector("#rate:not([hidden])")
        await page.click("button[data-level='good']")
        await page.wait_for_selector("#rate", state="hidden")
    async with HallClient(hall.url) as phone:
        status = await phone.lookup_status(case["status_token"])
        assert status["rating"] == "good" and status["ratable"] is False
        assert [s["kind"] for s in status["steps"]] == ["received", "notice_printed", "materials_completed",
                                                        "finished"]
        with pytest.raises(ApiError) as e:  # once per case…
            await phone.submit_rating(case["status_token"], "poor")
        assert e.value.status == 409
        with pytest.raises(ApiError) as e:  # …and the ticket that brought it counts as the same
            await phone.submit_rating(ticket["status_token"], "poor")
        assert e.value.status == 409
    async with HallClient(hall.url, hall.hall.bus_token) as pad:
        with pytest.raises(ApiError):
            await pad.rate_at_window(wid, "poor")


async def test_a_rating_given_at_the_window_is_the_cases_rating(hall, kiosk, staff_client):
    staff = await staff_client(1)
    wid = hall.hall.windows[1]
    ticket = await serving(kiosk, staff, wid, hall.hall.services["GS-1"])
    case = await staff.register_case(hall.hall.services["GS-1"], "promised", PERSON, ticket_id=ticket["id"],
                                     window_id=wid, materials_received=GS1_MATERIALS)
    await staff.finish_service(wid)
    async with HallClient(hall.url, hall.hall.bus_token) as pad:
        await pad.rate_at_window(wid, "fairly_good")
    done = await staff.finish_case(case["id"])
    assert done["rating"] == "fairly_good"
    async with HallClient(hall.url) as phone:
        assert (await phone.lookup_status(case["status_token"]))["ratable"] is False
        with pytest.raises(ApiError) as e:
            await phone.submit_rating(case["status_token"], "good")
        assert e.value.status == 409
