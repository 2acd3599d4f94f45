"""What the flow's screens say and do, without a server: hours in the applicant's terms, the guide
listing a bounded number of services, a late touch dropped, the ticket said digit by digit."""

from __future__ import annotations

from kiosk.flow.effects import Issue, Speak
from kiosk.flow.guide import SHOWN_RESULTS
from kiosk.flow.hall import HallInfo
from kiosk.flow.view import Group, Text
from kiosk.flow.visit import Visit
from tests.kiosk.flow.test_visit_machine import HALL, TICKET


def hall_with(**changes: object) -> HallInfo:
    return HallInfo.of(dict(HALL.hall) | changes, HALL.departments, HALL.services)


def text_of(visit: Visit, part_id: str) -> str:
    part = visit.view().part(part_id)
    assert isinstance(part, Text), part_id
    return part.text


def test_a_24_hour_hall_says_so_and_others_give_hours_and_lunch() -> None:
    assert text_of(Visit(hall=hall_with(hours="00:00-00:00")), "hours") == "开放时间:全天24小时"
    assert text_of(Visit(hall=hall_with(hours="00:00-00:00"), lang="en"), "hours") == "Open 24 hours, every day"
    assert text_of(Visit(hall=HALL), "hours") == "开放时间:工作日 09:00-17:00(午休 12:00-13:00)"


def test_the_guide_lists_a_bounded_number_of_services_and_says_how_to_find_the_rest() -> None:
    many = [{"id": i, "name": f"事项{i}", "department_id": 1, "theme": "personal"} for i in range(1, 501)]
    visit = Visit(hall=HallInfo.of(HALL.hall, HALL.departments, many))
    visit.touch("go-take")
    results = visit.view().part("results")
    assert isinstance(results, Group) and len(results.choices) == SHOWN_RESULTS
    assert text_of(visit, "result-count") == f"共 500 项,先列出 {SHOWN_RESULTS} 项;请按部门查找,或用拼音键盘输入首字母"
    visit.type("search", "sx499")
    assert text_of(visit, "result-count").startswith("共 1 项")


def test_a_touch_aimed_at_a_screen_already_left_is_dropped() -> None:
    visit = Visit(hall=HALL)
    visit.touch("go-take")
    visit.touch("svc-1")
    shown = visit.version
    visit.touch("confirm-normal", shown)
    visit.touch("confirm-normal", shown)  # the second tap of a double tap, from the same page
    visit.touch("top-back", shown)  # and a tap on the confirmation's back button, too late
    assert [type(e) for e in visit.take_effects() if isinstance(e, Issue)] == [Issue]
    assert visit.view().kind == "issuing"


def test_guidance_is_silent_until_asked_then_says_the_ticket_digit_by_digit() -> None:
    visit = Visit(hall=HALL)
    visit.touch("go-take")
    assert not [e for e in visit.take_effects() if isinstance(e, Speak)]
    visit.touch("top-voice")
    [said] = [e for e in visit.take_effects() if isinstance(e, Speak)]
    assert said.text.startswith("取号:请选择要办理的业务。请点击要办理的事项")
    visit.touch("svc-1")
    visit.touch("confirm-normal")
    issue = next(e for e in visit.take_effects() if isinstance(e, Issue))
    visit.arrived(issue, TICKET)
    ticket = [e for e in visit.take_effects() if isinstance(e, Speak)][-1]
    assert ticket.text.startswith("您的号码是 A 零 零 一 号。前面还有 2 人等候")
    assert "请到以下窗口附近等候叫号:1号窗口 一楼A区1号窗口" in ticket.text
    visit.touch("ticket-done")  # the visit ends: the next applicant starts silent
    assert not visit.voice
