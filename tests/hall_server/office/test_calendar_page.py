"""The working-day calendar page (/office/calendar): 督查科 enter next year's holidays and adjusted
working days, a case registered afterwards counts with them and is no longer provisional; the others
read it. On both databases; the schedule's lines are read without a server."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from hall_server.cases.calendar import DayEntry
from hall_server.office.calendar import Unreadable, parse_schedule
from tests.hall_server.office.case_forms import register
from tests.hall_server.office.pages import table_cells
from tests.hall_server.office.support import office

NEAR_YEAR_END = datetime(2026, 12, 29, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
SCHEDULE_2027 = "2027-01-01 休 元旦\n2027-01-02 班 调休上班\n2027-02-06~2027-02-12 休 春节"


def _deadline(page: str) -> str:
    """The deadline as the case's page says it, with its marks (暂定, 即将到期), tags stripped."""
    start = page.index('id="case-deadline"')
    cell = page[page.index(">", start) + 1:page.index("</dd>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def test_supervision_enters_2027_and_the_cases_due_in_it_are_no_longer_provisional(hall):
    hall.clock.set(NEAR_YEAR_END)
    with office(hall, "business") as o:
        before = register(o, hall)
        shown = _deadline(o.get(f"/office/cases/{before}").text)
        assert shown.startswith("2027-01-01") and "暂定" in shown  # Wed Thu Fri, counted Monday to Friday

    with office(hall, "supervisor") as o:
        page = o.get("/office/calendar?hall=1").text
        assert 'data-missing-year="2027"' in page and "暂按周一至周五计算" in page
        assert 'id="calendar-form"' in page and 'name="year" value="2027"' in page
        # Every unreadable line is named at once, and the text stays to be corrected.
        bad = "2027-13-01 休 元旦\n元旦 2027-01-01\n2027-01-04 放 假"
        r = o.post("/office/calendar", {"hall": "1", "year": "2027", "schedule": bad})
        assert r.status_code == 422
        assert "第1行" in r.text and "第2行" in r.text and "第3行" in r.text and "2027-01-04 放 假" in r.text
        # A day that changes nothing is refused by the calendar's own rule.
        r = o.post("/office/calendar", {"hall": "1", "year": "2027", "schedule": "2027-01-09 休 周末"})
        assert r.status_code == 422 and "2027-01-09 本来就是这样" in r.text
        r = o.post("/office/calendar", {"hall": "1", "year": "2027", "schedule": SCHEDULE_2027})
        assert r.status_code == 200 and "2027年的安排已保存(共 7 天)" in r.text
        years = table_cells(r.text, "calendar-years")
        assert years["2027"]["source"] == "中心录入" and "supervisor" in years["2027"]["entered"]
        assert years["2027"]["days"] == "7" and years["2026"]["source"].startswith("国家公布")
        days = table_cells(o.get("/office/calendar?hall=1&year=2027").text, "calendar-days")
        assert days["2027-01-01"]["kind"] == "放假" and days["2027-01-02"]["kind"] == "上班"
        assert days["2027-01-02"]["weekday"] == "星期六" and "2027-02-06" not in days  # a Saturday off anyway
        assert 'data-missing-year="2027"' not in o.get("/office/calendar?hall=1").text

    with office(hall, "business") as o:
        after = register(o, hall)
        assert _deadline(o.get(f"/office/cases/{after}").text) == "2027-01-02"  # 1 January off, Saturday worked
        recounted = o.get(f"/office/cases/{before}").text  # provisional only until its year is entered
        assert _deadline(recounted) == "2027-01-02"
        assert "2027 年节假日安排录入后,2027-01-01 改为 2027-01-02" in recounted


def test_the_others_read_the_calendar_and_cannot_change_it(hall):
    for username in ("business", "leader"):
        with office(hall, username) as o:
            page = o.get("/office/calendar?hall=1")
            assert page.status_code == 200 and 'id="calendar-form"' not in page.text
            assert table_cells(page.text, "calendar-days")["2026-10-01"]["name"] == "国庆节"
            r = o.post("/office/calendar", {"hall": "1", "year": "2027", "schedule": "2027-01-01 休 元旦"})
            assert r.status_code == 403, username
    with office(hall, "supervisor") as o:
        r = o.post("/office/calendar", {"hall": "1", "year": "2027", "schedule": "2027-01-01 休 元旦"}, csrf=False)
        assert r.status_code == 403
        assert 'data-missing-year="2027"' in o.get("/office/calendar?hall=1").text  # nothing was entered
    with office(hall, "admin") as o:
        assert 'id="calendar-form"' in o.get("/office/calendar?hall=1").text


def test_a_schedules_lines_read_as_days_and_ranges_give_only_the_days_that_change():
    entries = parse_schedule("2027-01-01 休 元旦\n\u30002027/2/7　班\n# 春节\n2027-02-06 ~ 2027-02-12 休 春节\n")
    assert entries[:2] == [DayEntry(date(2027, 1, 1), False, "元旦"), DayEntry(date(2027, 2, 7), True, "调休上班")]
    assert [e.day.day for e in entries[2:]] == [8, 9, 10, 11, 12] and all(not e.working for e in entries[2:])
    with pytest.raises(Unreadable) as e:
        parse_schedule("2027-02-30 休\n2027-03-01 上 班\n2027-03-09~2027-03-01 休\nhello")
    assert [(n, key) for n, _line, key in e.value.lines] == [
        (1, "cal_line_date"), (2, "cal_line_kind"), (3, "cal_line_range"), (4, "cal_line_format")]
