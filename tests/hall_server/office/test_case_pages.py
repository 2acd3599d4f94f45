"""The back office's case pages (/office/cases): the list by deadline and its filters, a case's record
and what each role may do to it, and 业务科's registration of mailed and urgent cases, on both
databases.

The test hall's day is Wednesday 2026-11-25; GS-1 (企业设立登记) promises 3 working days and lists
three materials; GS-2 is a 即办件 item; windows 1 and 2 are 市场监督管理局's.
"""

from __future__ import annotations

import re
from datetime import timedelta

from tests.hall_server.cases.support import COMPANY, GS1_MATERIALS
from tests.hall_server.office.case_forms import case_form, form_key, register
from tests.hall_server.office.pages import by_id, table_cells
from tests.hall_server.office.support import office


def _cases(o, query: str = "") -> dict[str, dict[str, str]]:
    page = o.get(f"/office/cases?hall=1{query}")
    assert page.status_code == 200, page.text
    return table_cells(page.text, "cases")


def _row_classes(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-key="(\d+)" class="([^"]*)"', html))


def test_business_back_enters_a_mailed_case_dated_last_friday_and_its_deadline_counts_from_then(hall):
    with office(hall, "business") as o:
        case_id = register(o, hall, accepted_on="2026-11-20")
        page = o.get(f"/office/cases/{case_id}?done=registered").text
        assert "办件已登记" in page
        assert by_id(page, "case-accepted") == "2026-11-20"
        assert by_id(page, "case-deadline").startswith("2026-11-25")  # Fri → Mon Tue Wed: due today
        assert "1101**********002X" in page and "11010519491231002X" not in page  # masked as case_payload does
        steps = table_cells(page, "case-steps")
        assert steps["1"]["step"] == "已受理" and "计为 2026-11-20" in steps["1"]["at"]
        row = _cases(o)["2026000001"]
        assert row["accepted"] == "2026-11-20" and row["deadline"].startswith("2026-11-25")
        assert "即将到期" in row["deadline"] and row["applicant"] == "张三1101**********002X"

        # A date of acceptance after today is refused politely, with what was typed kept.
        r = o.post("/office/cases/new", case_form(hall, form_key(o, hall), accepted_on="2026-11-26",
                                                  phone="13912345678"))
        assert r.status_code == 422 and "受理日期不能晚于今天" in r.text
        assert 'value="13912345678"' in r.text and 'value="2026-11-26"' in r.text
        assert len(_cases(o)) == 1


def test_open_cases_are_soonest_deadline_first_all_newest_first_with_type_due_soon_and_overdue_filters(hall):
    with office(hall, "business") as o:
        register(o, hall)  # 2026000001: promised, due Monday 11-30
        register(o, hall, "supplement", materials=GS1_MATERIALS[:1])  # 2026000002: no deadline yet
        register(o, hall, "immediate", service="GS-2", materials=[])  # 2026000003: due today
        assert list(_cases(o)) == ["2026000003", "2026000002", "2026000001"]  # all: the newest first
        assert list(_cases(o, "&due=open")) == ["2026000003", "2026000001", "2026000002"]  # open: by deadline
        supplement = _cases(o, "&case_type=supplement")
        assert list(supplement) == ["2026000002"]
        assert supplement["2026000002"]["status"] == "待补齐材料待补齐:公司章程、股东身份证明复印件"
        assert list(_cases(o, "&due=soon")) == ["2026000003"]
        assert _cases(o, "&due=overdue") == {}
        assert list(_cases(o, "&status=awaiting_materials")) == ["2026000002"]
        assert list(_cases(o, f"&window={hall.hall.windows[3]}")) == []

    hall.clock.advance(timedelta(days=6))  # Tuesday 12-01: the session of last week has ended
    with office(hall, "supervisor") as o:
        page = o.get("/office/cases?hall=1&due=overdue").text
        overdue = table_cells(page, "cases")
        assert list(overdue) == ["2026000003", "2026000001"]
        assert overdue["2026000003"]["overdue"] == "4" and overdue["2026000001"]["overdue"] == "1"
        assert all("已逾期" in row["deadline"] for row in overdue.values())  # said in words, not colour alone
        assert set(_row_classes(page).values()) == {"case-overdue"}
        assert "共显示 2 件" in page


def test_a_leader_reads_a_case_but_cannot_act_on_it(hall):
    with office(hall, "business") as o:
        case_id = register(o, hall)
    with office(hall, "leader") as o:
        home = o.get("/office/").text
        assert 'href="/office/cases"' in home and 'href="/office/calendar"' in home
        assert 'href="/office/cases/new"' not in home
        page = o.get(f"/office/cases/{case_id}")
        assert page.status_code == 200 and "办理过程" in page.text
        assert not re.search(r'id="(finish|extend|return|review|decide|materials)-form"', page.text)
        for path, data in ((f"/office/cases/{case_id}/finish", {}),
                           (f"/office/cases/{case_id}/extend", {"days": "2", "reason": "领导批示"}),
                           (f"/office/cases/{case_id}/return", {"reason": "不符合条件"})):
            r = o.post(path, data)
            assert r.status_code == 403 and "不属于您的岗位" in r.text, path
        assert o.get("/office/cases/new?hall=1").status_code == 403
        assert by_id(o.get(f"/office/cases/{case_id}").text, "case-status") == "办理中"


async def test_business_designates_an_urgent_case_sent_straight_to_the_lead_window(hall, kiosk, staff_client):
    svc = hall.hall.services["GS-1"]
    waiting = [await kiosk.issue_ticket(svc) for _ in range(2)]
    staff = await staff_client(1)
    with office(hall, "business") as o:
        key = form_key(o, hall)
        r = o.post("/office/cases/new", case_form(hall, key, "urgent", applicant=COMPANY))
        assert r.status_code == 422 and "急办件通知单" in r.text
        assert 'value="昆山示范科技有限公司"' in r.text and f'value="{key}"' in r.text  # kept, same key
        r = o.post("/office/cases/new", case_form(hall, key, "urgent", applicant=COMPANY,
                                                  urgent_note="市重点项目,当日办理"))
        assert r.status_code == 303
        page = o.get(r.headers["location"]).text
        assert by_id(page, "case-window").startswith("1号窗口")
        assert by_id(page, "case-urgent-note") == "市重点项目,当日办理"
        ticket = by_id(page, "case-ticket")
    called = await staff.call_next(hall.hall.windows[1])
    assert called["number"] == ticket and ticket not in [t["number"] for t in waiting]  # ahead of the queue


def test_business_records_a_review_of_a_returned_case_and_decides_it(hall):
    with office(hall, "business") as o:
        case_id = register(o, hall, "returned", materials=[], reason="主件《设立登记申请书》未提供")
        page = o.get(f"/office/cases/{case_id}").text
        assert by_id(page, "case-status") == "已退回" and by_id(page, "case-reason") == "主件《设立登记申请书》未提供"
        assert 'id="review-form"' in page and 'id="decide-form"' not in page
        r = o.post(f"/office/cases/{case_id}/review", {"note": "申请人持通知书申请复核"})
        assert r.status_code == 303 and r.headers["location"].endswith("?done=review")
        page = o.get(r.headers["location"]).text
        assert "复核申请已登记" in page and by_id(page, "case-review") == "已申请复核,待决定"
        r = o.post(f"/office/cases/{case_id}/review/decision", {"note": "材料已齐"})
        assert r.status_code == 422 and "请选择复核结果" in r.text and "材料已齐" in r.text
        r = o.post(f"/office/cases/{case_id}/review/decision", {"decision": "overturned", "note": "材料已齐,应予受理"})
        assert r.status_code == 303
        page = o.get(f"/office/cases/{case_id}").text
        assert by_id(page, "case-status") == "办理中" and by_id(page, "case-deadline").startswith("2026-11-30")
        steps = table_cells(page, "case-steps")
        assert [s["step"] for s in steps.values()] == ["已受理", "已退回", "已申请复核", "复核已决定"]
        assert steps["4"]["who"] == "business" and "撤销退回" in steps["4"]["detail"]
        assert "材料已齐,应予受理" in steps["4"]["detail"]


def test_supervision_extends_a_deadline_with_a_reason_and_nothing_else(hall):
    with office(hall, "business") as o:
        case_id = register(o, hall)
    with office(hall, "supervisor") as o:
        page = o.get(f"/office/cases/{case_id}").text
        assert 'id="extend-form"' in page and 'id="finish-form"' not in page and 'id="return-form"' not in page
        assert o.get("/office/cases/new?hall=1").status_code == 403
        r = o.post(f"/office/cases/{case_id}/extend", {"days": "2", "reason": " "})
        assert r.status_code == 422 and "请填写理由" in r.text and 'value="2"' in r.text
        r = o.post(f"/office/cases/{case_id}/extend", {"days": "two", "reason": "需要现场勘验"})
        assert r.status_code == 422 and "1至60" in r.text
        r = o.post(f"/office/cases/{case_id}/extend", {"days": "2", "reason": "需要现场勘验,经分管领导批准"})
        assert r.status_code == 303
        page = o.get(r.headers["location"]).text
        assert by_id(page, "case-deadline").startswith("2026-12-02")
        last = list(table_cells(page, "case-steps").values())[-1]
        assert last["step"] == "经批准延期" and last["who"] == "supervisor"
        assert "2026-11-30 改为 2026-12-02" in last["detail"] and "需要现场勘验,经分管领导批准" in last["detail"]
        assert o.post(f"/office/cases/{case_id}/finish", {}).status_code == 403


def test_a_double_submit_registers_once_and_a_forged_form_is_refused(hall):
    with office(hall, "business") as o:
        form = case_form(hall, form_key(o, hall))
        first = o.post("/office/cases/new", form)
        again = o.post("/office/cases/new", form)
        assert first.status_code == again.status_code == 303
        assert first.headers["location"] == again.headers["location"]
        case_id = int(first.headers["location"].split("/")[-1].split("?")[0])
        r = o.post("/office/cases/new", case_form(hall, form_key(o, hall)), csrf=False)
        assert r.status_code == 403
        r = o.post("/office/cases/new", case_form(hall, form_key(o, hall)), headers={"Origin": "http://evil.test"})
        assert r.status_code == 403
        r = o.post(f"/office/cases/{case_id}/finish", {}, csrf=False)
        assert r.status_code == 403
        r = o.post(f"/office/cases/{case_id}/finish", [("csrf", "0" * 40)], csrf=False)
        assert r.status_code == 403
        assert list(_cases(o)) == ["2026000001"]
        assert by_id(o.get(f"/office/cases/{case_id}").text, "case-status") == "办理中"


def test_the_notice_pdf_is_served_to_the_office_and_an_immediate_case_has_none(hall):
    with office(hall, "business") as o:
        promised = register(o, hall)
        immediate = register(o, hall, "immediate", service="GS-2", materials=[])
        assert 'id="notice-pdf"' not in o.get(f"/office/cases/{immediate}").text
        assert o.get(f"/office/cases/{immediate}/notice.pdf").status_code == 404
    with office(hall, "leader") as o:
        r = o.get(f"/office/cases/{promised}/notice.pdf")
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        assert r.content.startswith(b"%PDF")
    with office(hall) as o:  # not signed in: to the sign-in page, no PDF
        r = o.get(f"/office/cases/{promised}/notice.pdf")
        assert r.status_code == 303 and "/office/login" in r.headers["location"]


async def test_a_joint_case_shows_its_departments_and_their_sign_offs(hall, staff_client):
    with office(hall, "business") as o:
        departments = dict(re.findall(r'name="departments" value="(\d+)"[^>]*> ([^<\s]+)',
                                      o.get(f"/office/cases/new?hall=1&service={hall.hall.services['GS-1']}").text))
        tax = next(i for i, name in departments.items() if name == "税务局")
        case_id = register(o, hall, "joint", applicant=COMPANY, subject="individual", departments=[tax])
        page = o.get(f"/office/cases/{case_id}").text
        assert by_id(page, "case-department") == "市场监督管理局"  # 个体工商户: 工商 leads (RULES §2)
        parts = table_cells(page, "case-departments")
        assert parts[tax] == {"name": "税务局", "role": "协办部门", "deadline": "2026-11-30",
                              "signed": "办理中记录会签"}  # 业务科 may record it for the department
        r = o.post(f"/office/cases/{case_id}/finish", {})
        assert r.status_code == 409 and "税务局" in r.text  # the domain's refusal, shown on the page
    staff = await staff_client(3)
    await staff.sign_off_case(case_id)
    with office(hall, "leader") as o:
        page = o.get(f"/office/cases/{case_id}").text
        assert table_cells(page, "case-departments")[tax]["signed"] == "已办结 2026-11-25 10:00"
        assert [s["step"] for s in table_cells(page, "case-steps").values()] == ["已受理", "已送协办部门", "部门已办结"]


def test_the_business_section_records_a_departments_sign_off_and_the_leads_last(hall):
    with office(hall, "business") as o:
        departments = dict(re.findall(r'name="departments" value="(\d+)"[^>]*> ([^<\s]+)',
                                      o.get(f"/office/cases/new?hall=1&service={hall.hall.services['GS-1']}").text))
        tax = next(i for i, name in departments.items() if name == "税务局")
        case_id = register(o, hall, "joint", applicant=COMPANY, subject="individual", departments=[tax])
        lead = next(k for k, v in table_cells(o.get(f"/office/cases/{case_id}").text, "case-departments").items()
                    if v["role"] != "协办部门")
        r = o.post(f"/office/cases/{case_id}/sign-off", {"department_id": lead})
        assert r.status_code == 409 and "税务局" in r.text  # the lead signs last
        r = o.post(f"/office/cases/{case_id}/sign-off", {"department_id": tax}, csrf=False)
        assert r.status_code == 403  # a forged form
        assert o.post(f"/office/cases/{case_id}/sign-off", {"department_id": tax}).status_code == 303
        page = o.get(f"/office/cases/{case_id}").text
        assert table_cells(page, "case-departments")[tax]["signed"].startswith("已办结")
        o.post(f"/office/cases/{case_id}/sign-off", {"department_id": lead})
        page = o.get(f"/office/cases/{case_id}").text
        assert by_id(page, "case-status") == "已办结"
