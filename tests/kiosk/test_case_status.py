"""A case (办件) at the kiosk: its notice's QR code scanned for its status and for its one rating.

The pilot tests drive the app against a real hall; the view model's words for the states a real
hall does not reach on its frozen Wednesday (a provisional or an overdue deadline) are checked on
the server's answer with those facts set.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from hall_server.client import HallClient
from kiosk.flow.status import STATUS_SECTIONS, can_rate, heading, not_ratable, state_line
from tests.hall_server.cases.support import GS1_MATERIALS, PERSON
from tests.kiosk.conftest import SIZE, ready, screen_text, tap, wait_for_screen, wait_for_text
from tests.kiosk.test_kiosk_parts import FORBIDDEN
from tests.kiosk.test_rating_and_status import scan_into

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def supplement_case(hall, staff_client) -> tuple[object, dict]:
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-1"], "supplement", PERSON, window_id=hall.hall.windows[1],
                                     materials_received=GS1_MATERIALS[:1])
    return staff, case


async def test_scanning_a_case_notice_shows_the_case_and_rates_it_once_finished(
        make_kiosk, hall, staff_client) -> None:
    staff, case = await supplement_case(hall, staff_client)
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-status")
        await scan_into(pilot, case["status_url"])  # the notice's QR: {public base URL}/s/{token}
        await wait_for_screen(pilot, "StatusScreen")
        shown = screen_text(app)
        assert "办件编号 2026000001 · 企业设立登记" in shown and "状态:待补齐材料" in shown
        assert "办件类型:补办件" in shown and "办理事项:企业设立登记(市场监督管理局)" in shown
        assert "申请人:张*" in shown and "张三" not in shown
        assert "  1. 公司章程\n  2. 股东身份证明复印件" in shown
        assert "办理时限自材料全部补齐之日起计算" in shown
        assert "2026年11月25日 10:00  已受理" in shown
        assert not app.screen.query("#status-rate")
        await staff.complete_materials(case["id"], "2026-11-25")
        await staff.finish_case(case["id"])
        await tap(pilot, "#status-refresh")
        await wait_for_text(pilot, "状态:已办结", "材料已补齐", "欢迎您对本次办件的服务进行评价")
        assert "请补齐以下材料" not in screen_text(app)
        assert "承诺办结日期:2026年11月30日(星期一)" in screen_text(app)
        await tap(pilot, "#status-rate")
        await wait_for_screen(pilot, "RatingScreen")
        assert "办件编号 2026000001 · 企业设立登记\n您对本次办件的服务满意吗?" in screen_text(app)
        await tap(pilot, "#rate-good")
        await tap(pilot, "#rate-submit")
        await wait_for_text(pilot, "感谢您的评价")
    async with HallClient(hall.url) as phone:
        assert (await phone.lookup_status(case["status_token"]))["rating"] == "good"
    app = make_kiosk(language="en")
    async with app.run_test(size=SIZE) as pilot:  # the same notice scanned again: rated once
        await ready(pilot)
        await tap(pilot, "#go-rate")
        await scan_into(pilot, case["status_url"])
        await wait_for_screen(pilot, "RatingScreen")
        await wait_for_text(pilot, "This case has already been rated (Good)")
        assert not app.screen.query(".rating")


async def test_a_case_not_finished_is_not_rated_yet_and_a_second_rating_is_refused_kindly(
        make_kiosk, hall, staff_client) -> None:
    staff, case = await supplement_case(hall, staff_client)
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-rate")
        await scan_into(pilot, case["status_url"])
        await wait_for_screen(pilot, "RatingScreen")
        await wait_for_text(pilot, "这件办件还没有办结,办结后欢迎您再来评价")
        assert not app.screen.query(".rating")
    await staff.complete_materials(case["id"], "2026-11-25")
    await staff.finish_case(case["id"])
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-rate")
        await scan_into(pilot, case["status_url"])
        await wait_for_screen(pilot, "RatingScreen")
        async with HallClient(hall.url) as phone:  # rated on the phone while the applicant stood here
            await phone.submit_rating(case["status_token"], "average")
        await tap(pilot, "#rate-good")
        await tap(pilot, "#rate-submit")
        await wait_for_text(pilot, "这件办件已经评价过了,感谢您的评价")
        assert "这张票" not in screen_text(app)


# --- the view model, on answers a frozen Wednesday does not give ---------------------------------

CASE = {
    "kind": "case", "case_number": "2026000007", "case_type": "promised", "type_name_zh": "承诺件",
    "type_name_en": "Promised", "status": "in_progress", "status_name_zh": "办理中", "status_name_en": "In progress",
    "service_name": "企业设立登记", "service_name_en": "Company registration", "department_name": "市场监督管理局",
    "applicant_name": "张*", "accepted_on": "2026-12-28", "deadline": "2027-01-04", "deadline_provisional": True,
    "finished_on": None, "missing_materials": [], "reason": "",
    "steps": [{"kind": "received", "name_zh": "已受理", "name_en": "Received", "at": "2026-12-28T01:05:00+00:00"}],
    "ratable": False, "rating": None, "overdue": False, "hall_name": "测试行政服务中心",
}


def lines(status: dict, lang: str) -> str:
    return "\n".join(line for section in STATUS_SECTIONS for line in section(status, lang, SHANGHAI))


def test_a_provisional_deadline_is_marked_and_explained() -> None:
    shown = lines(CASE, "zh")
    assert "承诺办结日期:2027年1月4日(星期一)(暂定)" in shown and "暂按周一至周五工作日计算" in shown
    assert "2026年12月28日 09:05  已受理" in shown  # 01:05 UTC on the hall's clock
    assert heading(CASE, "en") == "Case 2026000007 · Company registration" and state_line(CASE, "en") == \
        "Status: In progress"
    assert "Promised by: Mon 4 Jan 2027 (provisional)" in lines(CASE, "en")
    assert not can_rate(CASE) and "还没有办结" in not_ratable(CASE, "zh")


def test_an_overdue_case_apologises_and_names_the_supervision_section() -> None:
    late = CASE | {"deadline_provisional": False, "overdue": True}
    shown = lines(late, "zh")
    assert "(逾期)" in shown and "深表歉意" in shown and "督查科" in shown and "暂定" not in shown
    done = late | {"status": "finished", "status_name_zh": "已办结", "finished_on": "2027-01-06", "ratable": True}
    shown = lines(done, "zh")
    assert "办结日期:2027年1月6日(星期三)" in shown and "晚于承诺办结日期办结" in shown
    assert can_rate(done) and not_ratable(done, "zh") is None


def test_a_returned_case_gives_its_reason_and_the_review_and_may_be_rated() -> None:
    returned = CASE | {"case_type": "returned", "type_name_zh": "退回件", "status": "returned",
                       "status_name_zh": "已退回", "deadline": None, "deadline_provisional": False,
                       "finished_on": "2026-12-28", "reason": "主件未提供", "ratable": True}
    shown = lines(returned, "zh")
    assert "退回理由:主件未提供" in shown and "持退回件通知书向服务中心业务科申请复核" in shown
    assert "退回日期:2026年12月28日(星期一)" in shown and "承诺办结日期" not in shown
    assert can_rate(returned)
    assert "review (复核)" in lines(returned, "en")


def test_a_ticket_s_lines_are_unchanged_and_no_case_line_joins_them() -> None:
    ticket = {"kind": "ticket", "number": "A001", "status": "finished", "service_name": "企业设立登记",
              "rating": "good", "can_rate": False}
    assert lines(ticket, "zh") == "您的业务已办理完成,您的评价是:好。感谢您的评价,请慢走。"
    assert heading(ticket, "zh") == "A001号 · 企业设立登记"


def test_no_case_line_says_a_forbidden_phrase() -> None:
    for status in (CASE, CASE | {"overdue": True}, CASE | {"status": "returned", "reason": "x", "ratable": True}):
        for lang in ("zh", "en"):
            shown = lines(status, lang) + (not_ratable(status, lang) or "")
            assert not any(phrase in shown for phrase in FORBIDDEN)
