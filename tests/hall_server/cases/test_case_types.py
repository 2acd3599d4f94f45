"""Each case type's rules (RULES.md §2, §12), through the API, on both databases.

The test hall's day is Wednesday 2026-11-25; GS-1 (企业设立登记) promises 3 working days and lists
three materials; windows 1 and 2 are 市场监督管理局's, window 3 税务局's.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from hall_server.client import ApiError, HallClient
from tests.hall_server.cases.support import COMPANY, GS1_MATERIALS, PERSON, serving, signed_in


async def test_a_promised_case_is_due_the_third_working_day_after_acceptance(hall, kiosk, staff_client):
    staff = await staff_client(1)
    wid, svc = hall.hall.windows[1], hall.hall.services["GS-1"]
    ticket = await serving(kiosk, staff, wid, svc)
    case = await staff.register_case(svc, "promised", PERSON, ticket_id=ticket["id"], window_id=wid,
                                     materials_received=GS1_MATERIALS)
    assert case["deadline"] == "2026-11-30" and case["deadline_provisional"] is False  # Wed → Thu Fri Mon
    assert case["status"] == "in_progress" and case["case_number"] == "2026000001"
    assert case["applicant"]["id_number_masked"] == "1101**********002X"
    assert case["applicant"]["phone_masked"] == "138****5678"
    assert "11010519491231002X" not in str(case)
    assert [s["kind"] for s in case["steps"]] == ["received"]
    assert case["status_url"].endswith("/s/" + case["status_token"]) and len(case["status_token"]) >= 32


async def test_a_promised_case_with_materials_missing_is_refused_and_told_to_register_a_supplement(
        hall, kiosk, staff_client):
    staff = await staff_client(1)
    wid, svc = hall.hall.windows[1], hall.hall.services["GS-1"]
    with pytest.raises(ApiError) as e:
        await staff.register_case(svc, "promised", PERSON, window_id=wid, materials_received=GS1_MATERIALS[:1])
    assert e.value.status == 422 and "公司章程" in e.value.message_zh and "补办件" in e.value.message_zh


async def test_an_immediate_case_open_after_its_day_is_flagged(hall, staff_client):
    staff = await staff_client(1)
    wid = hall.hall.windows[1]
    case = await staff.register_case(hall.hall.services["GS-2"], "immediate", PERSON, window_id=wid)
    assert case["deadline"] == "2026-11-25" and case["open_past_day"] is False
    hall.clock.advance(timedelta(days=1))
    staff = await staff_client(1)  # the next morning's sign-in
    later = await staff.get_case(case["id"])
    assert later["open_past_day"] is True and later["overdue"] is True and later["days_overdue"] == 1
    done = await staff.finish_case(case["id"])
    assert done["status"] == "finished" and done["open_past_day"] is False and done["days_overdue"] == 1


async def test_a_supplement_case_waits_for_its_materials_then_runs_as_promised(hall, staff_client):
    staff = await staff_client(1)
    wid, svc = hall.hall.windows[1], hall.hall.services["GS-1"]
    case = await staff.register_case(svc, "supplement", PERSON, window_id=wid, materials_received=GS1_MATERIALS[:1])
    assert case["status"] == "awaiting_materials" and case["deadline"] is None
    assert case["missing_materials"] == ["公司章程", "股东身份证明复印件"]  # every missing item, at once
    hall.clock.advance(timedelta(days=2))  # Friday the 27th
    staff = await staff_client(1)
    with pytest.raises(ApiError) as e:
        await staff.complete_materials(case["id"], "2026-11-24")  # before it was received
    assert e.value.status == 422
    done = await staff.complete_materials(case["id"], "2026-11-27")
    assert done["status"] == "in_progress" and done["clock_started_on"] == "2026-11-27"
    assert done["deadline"] == "2026-12-02"  # Mon Tue Wed
    assert [s["kind"] for s in done["steps"]] == ["received", "materials_completed"]
    assert await staff.complete_materials(case["id"], "2026-11-27") == done  # a retry changes nothing
    with pytest.raises(ApiError) as e:
        await staff.complete_materials(case["id"], "2026-11-26")  # the clock has started already
    assert e.value.status == 409


async def test_a_supplement_case_needs_its_missing_items(hall, staff_client):
    staff = await staff_client(1)
    with pytest.raises(ApiError) as e:
        await staff.register_case(hall.hall.services["GS-1"], "supplement", PERSON, window_id=hall.hall.windows[1],
                                  materials_received=GS1_MATERIALS)
    assert e.value.status == 422 and "一次性" in e.value.message_zh


async def test_a_joint_case_is_led_by_subject_and_finishes_when_every_department_signs(hall, staff_client):
    gs, sw = await staff_client(1), await staff_client(3)
    svc = hall.hall.services["GS-1"]
    depts = {d["code"]: d["id"] for d in await gs.list_departments(hall.hall.hall_id)}
    sw_id = depts["SW"]
    # 个体工商户 leads at 工商 (市场监督管理局) even though 税务局 approves last
    case = await gs.register_case(svc, "joint", COMPANY, window_id=hall.hall.windows[1], subject="individual",
                                  departments=[sw_id], materials_received=GS1_MATERIALS)
    assert case["department_id"] == depts["GS"]
    assert {(d["department_id"], d["role"]) for d in case["departments"]} == {(depts["GS"], "lead"), (sw_id, "co")}
    assert [s["kind"] for s in case["steps"]] == ["received", "sent"]  # the co-department notified at once
    assert all(d["deadline"] == "2026-11-30" for d in case["departments"])
    with pytest.raises(ApiError) as e:
        await gs.finish_case(case["id"])
    assert e.value.status == 409 and "税务局" in e.value.message_zh
    part = await sw.sign_off_case(case["id"])
    assert part["status"] == "in_progress"
    done = await gs.finish_case(case["id"])
    assert done["status"] == "finished"
    assert [s["kind"] for s in done["steps"]] == ["received", "sent", "signed_off", "signed_off", "finished"]
    # otherwise the last approving department leads
    other = await gs.register_case(svc, "joint", COMPANY, window_id=hall.hall.windows[1], subject="other",
                                   departments=[sw_id], materials_received=GS1_MATERIALS)
    assert other["department_id"] == sw_id


async def test_a_returned_case_needs_a_reason_and_may_be_reviewed_by_the_business_section(hall, staff_client):
    staff = await staff_client(1)
    wid, svc = hall.hall.windows[1], hall.hall.services["GS-1"]
    with pytest.raises(ApiError) as e:
        await staff.register_case(svc, "returned", PERSON, window_id=wid)
    assert e.value.status == 422 and "理由" in e.value.message_zh
    case = await staff.register_case(svc, "returned", PERSON, window_id=wid, reason="主件《设立登记申请书》未提供")
    assert case["status"] == "returned" and case["finished_on"] == "2026-11-25"
    with pytest.raises(ApiError) as e:
        await staff.request_review(case["id"], "申请人不服")
    assert e.value.status == 403  # review is 业务科's
    async with signed_in(hall, "business") as business:
        asked = await business.request_review(case["id"], "申请人持通知书申请复核")
        assert asked["review_status"] == "requested"
    hall.clock.advance(timedelta(days=1))
    async with signed_in(hall, "business") as business:
        decided = await business.decide_review(case["id"], True, "材料已齐,应予受理")
    assert decided["review_status"] == "overturned" and decided["status"] == "in_progress"
    assert decided["deadline"] == "2026-12-01"  # three working days from the decision (Thu 26th)
    assert [s["kind"] for s in decided["steps"]] == ["received", "returned", "review_requested", "review_decided"]


async def test_a_complex_return_is_decided_within_three_working_days(hall, staff_client):
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-1"], "returned", PERSON, window_id=hall.hall.windows[1],
                                     decided_now=False)
    assert case["status"] == "in_review" and case["deadline"] == "2026-11-30"
    done = await staff.return_case(case["id"], "现场核查不符合条件")
    assert done["status"] == "returned" and done["reason"] == "现场核查不符合条件"


async def test_urgent_cases_are_designated_by_the_center_and_called_ahead_of_the_window_queue(
        hall, kiosk, staff_client):
    staff = await staff_client(1)
    wid, svc = hall.hall.windows[1], hall.hall.services["GS-1"]
    with pytest.raises(ApiError) as e:
        await staff.register_case(svc, "urgent", PERSON, window_id=wid, urgent_note="市重点项目")
    assert e.value.status == 403
    waiting = [await kiosk.issue_ticket(svc) for _ in range(3)]
    async with signed_in(hall, "business") as business:
        with pytest.raises(ApiError) as e:
            await business.register_case(svc, "urgent", COMPANY, materials_received=GS1_MATERIALS)
        assert e.value.status == 422  # the 急办件通知单 says why
        case = await business.register_case(svc, "urgent", COMPANY, urgent_note="市重点项目,当日办理",
                                            materials_received=GS1_MATERIALS)
    assert case["window_id"] == wid and case["ticket_id"] is not None
    called = await staff.call_next(wid)
    assert called["id"] == case["ticket_id"] and called["number"] not in [t["number"] for t in waiting]


async def test_an_extension_needs_an_authorised_reason(hall, staff_client):
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-1"], "promised", PERSON, window_id=hall.hall.windows[1],
                                     materials_received=GS1_MATERIALS)
    with pytest.raises(ApiError) as e:
        await staff.extend_case(case["id"], 5, "需要现场勘验")
    assert e.value.status == 403
    async with signed_in(hall, "supervisor") as supervisor:
        longer = await supervisor.extend_case(case["id"], 2, "需要现场勘验,经分管领导批准")
    assert longer["deadline"] == "2026-12-02" and longer["steps"][-1]["kind"] == "extended"


async def test_back_entry_by_the_business_section_counts_from_the_real_date(hall, staff_client):
    staff = await staff_client(1)
    svc = hall.hall.services["GS-1"]
    with pytest.raises(ApiError) as e:
        await staff.register_case(svc, "promised", PERSON, window_id=hall.hall.windows[1], accepted_on="2026-11-20",
                                  materials_received=GS1_MATERIALS)
    assert e.value.status == 403
    async with signed_in(hall, "business") as business:
        case = await business.register_case(svc, "promised", PERSON, accepted_on="2026-11-20", channel="mail",
                                            materials_received=GS1_MATERIALS)
        assert case["accepted_on"] == "2026-11-20" and case["deadline"] == "2026-11-25"  # Fri → Mon Tue Wed
        assert case["channel"] == "mail" and case["window_id"] is None
        with pytest.raises(ApiError) as e:
            await business.register_case(svc, "promised", PERSON, accepted_on="2026-11-26")
        assert e.value.status == 422


async def test_staff_act_only_on_their_own_window_and_department(hall, staff_client):
    gs, sw = await staff_client(1), await staff_client(3)
    svc = hall.hall.services["GS-1"]
    with pytest.raises(ApiError) as e:
        await sw.register_case(svc, "promised", PERSON, window_id=hall.hall.windows[1],
                               materials_received=GS1_MATERIALS)
    assert e.value.status == 403  # not the window they are signed in at
    with pytest.raises(ApiError) as e:
        await sw.register_case(svc, "promised", PERSON, window_id=hall.hall.windows[3],
                               materials_received=GS1_MATERIALS)
    assert e.value.status == 409  # 税务 does not take 企业设立登记
    case = await gs.register_case(svc, "promised", PERSON, window_id=hall.hall.windows[1],
                                  materials_received=GS1_MATERIALS)
    with pytest.raises(ApiError) as e:
        await sw.finish_case(case["id"])
    assert e.value.status == 403


async def test_a_bad_id_number_is_refused_politely_and_nothing_is_registered(hall, staff_client):
    staff = await staff_client(1)
    wid = hall.hall.windows[1]
    for applicant, word in (({**PERSON, "id_number": "110105194912310021"}, "身份证"),
                            ({**COMPANY, "id_number": "91320583MA1M111107"}, "统一社会信用代码"),
                            ({**PERSON, "phone": "12345"}, "手机")):
        with pytest.raises(ApiError) as e:
            await staff.register_case(hall.hall.services["GS-2"], "immediate", applicant, window_id=wid)
        assert e.value.status == 422 and word in e.value.message_zh
    assert await staff.list_cases(hall.hall.hall_id) == []


async def test_a_retried_registration_gives_the_same_case(hall, staff_client):
    staff = await staff_client(1)
    args = (hall.hall.services["GS-2"], "immediate", PERSON)
    first = await staff.register_case(*args, window_id=hall.hall.windows[1], idempotency_key="k-1")
    again = await staff.register_case(*args, window_id=hall.hall.windows[1], idempotency_key="k-1")
    assert again["id"] == first["id"] and len(await staff.list_cases(hall.hall.hall_id)) == 1


async def test_window_staff_read_only_their_own_departments_cases(hall, staff_client):
    gs, sw = await staff_client(1), await staff_client(3)
    case = await gs.register_case(hall.hall.services["GS-2"], "immediate", PERSON, window_id=hall.hall.windows[1])
    with pytest.raises(ApiError) as e:
        await sw.get_case(case["id"])
    assert e.value.status == 403
    assert await sw.list_cases(hall.hall.hall_id) == []
    assert [c["id"] for c in await gs.list_cases(hall.hall.hall_id)] == [case["id"]]
    async with signed_in(hall, "leader") as leader:  # the center reads every case, and moves none
        assert (await leader.get_case(case["id"]))["case_number"] == case["case_number"]
        with pytest.raises(ApiError) as e:
            await leader.finish_case(case["id"])
        assert e.value.status == 403


async def test_a_lost_answer_retried_changes_nothing_twice(hall, staff_client):
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-1"], "supplement", PERSON, window_id=hall.hall.windows[1],
                                     materials_received=GS1_MATERIALS[:1])
    first = await staff.complete_materials(case["id"], "2026-11-25")
    assert await staff.complete_materials(case["id"], "2026-11-25") == first
    async with signed_in(hall, "supervisor") as supervisor:
        once = await supervisor.extend_case(case["id"], 2, "需要现场勘验")
        assert await supervisor.extend_case(case["id"], 2, "需要现场勘验") == once
    done = await staff.finish_case(case["id"])
    assert await staff.finish_case(case["id"]) == done
    assert [s["kind"] for s in done["steps"]] == ["received", "materials_completed", "extended", "finished"]


async def test_devices_and_strangers_cannot_touch_cases(hall, kiosk, staff_client):
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-2"], "immediate", PERSON, window_id=hall.hall.windows[1])
    with pytest.raises(ApiError) as e:
        await kiosk.register_case(hall.hall.services["GS-2"], "immediate", PERSON)
    assert e.value.status == 403
    for read in (kiosk.get_case(case["id"]), kiosk.list_cases(hall.hall.hall_id), kiosk.finish_case(case["id"])):
        with pytest.raises(ApiError) as e:
            await read
        assert e.value.status == 403
    async with HallClient(hall.url) as stranger:
        with pytest.raises(ApiError) as e:
            await stranger.get_case(case["id"])
        assert e.value.status == 401
