"""Statistics for 督查科 and the leaders: the figures of a real day and week, made through the API
(tickets issued, called, served, missed, transferred, rated), as the page and its XLSX show them."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from tests.hall_server.office.hall_days import a_monday, a_wednesday
from tests.hall_server.office.pages import by_id, table_cells
from tests.hall_server.office.support import office


async def test_a_supervisor_reads_the_days_figures_per_service_window_and_staff(hall, kiosk, staff_client):
    await a_monday(hall, kiosk, staff_client)
    await a_wednesday(hall, kiosk, staff_client)
    with office(hall, "supervisor") as o:
        r = o.get("/office/stats")  # today's by default
        assert r.status_code == 200
        page = r.text
    assert "统计期间:2026-11-25" in page
    assert (by_id(page, "total-issued"), by_id(page, "total-served"), by_id(page, "total-no-shows"),
            by_id(page, "total-transfers")) == ("5", "3", "1", "1")
    assert by_id(page, "total-wait-median") == "8.0"  # waits 4, 6, 10, 20 minutes
    assert by_id(page, "total-service-median") == "5.0"  # services 2, 5, 8

    services = table_cells(page, "table-service")
    pick = ("issued", "served", "no_shows", "transfers_out", "transfers_in", "waited", "wait_median")
    assert [services["GS-1"][c] for c in pick] == ["3", "1", "1", "0", "0", "2", "5.0"]
    assert [services["GS-2"][c] for c in pick] == ["1", "0", "0", "1", "0", "1", "10.0"]  # issued for, left
    assert [services["SW-1"][c] for c in pick] == ["1", "2", "0", "0", "1", "1", "20.0"]
    assert services["SW-1"]["service_median"] == "6.5" and services["SW-1"]["service_p90"] == "8.0"
    assert (services["SW-1"]["rating_poor"], services["SW-1"]["rating_fairly_good"]) == ("1", "1")
    total = services["total"]
    assert [total[c] for c in pick] == ["5", "3", "1", "1", "1", "4", "8.0"]
    assert total["wait_p90"] == "20.0" and total["service_p90"] == "8.0"
    assert [total[f"rating_{lvl}"] for lvl in ("good", "fairly_good", "average", "poor")] == ["1", "1", "0", "1"]

    windows = table_cells(page, "table-window")
    desk = ("served", "no_shows", "transfers_out", "waited", "wait_median", "service_median", "rating_good")
    assert [windows["1"][c] for c in desk] == ["1", "0", "1", "2", "7.0", "2.0", "1"]
    assert [windows["2"][c] for c in desk] == ["0", "1", "0", "1", "6.0", "—", "0"]
    assert [windows["3"][c] for c in desk] == ["2", "0", "0", "1", "20.0", "6.5", "0"]
    staff = table_cells(page, "table-staff")
    assert [staff["staff1"][c] for c in desk] == [windows["1"][c] for c in desk]
    assert [staff["staff3"][c] for c in desk] == [windows["3"][c] for c in desk]
    assert "table-day" not in page  # one day: no table by day


async def test_the_week_ending_on_a_day_adds_up_its_days(hall, kiosk, staff_client):
    await a_monday(hall, kiosk, staff_client)
    await a_wednesday(hall, kiosk, staff_client)
    with office(hall, "leader") as o:
        week = o.get("/office/stats?day=2026-11-25&span=week").text
        monday = o.get("/office/stats?day=2026-11-23").text
    assert "统计期间:2026-11-19 – 2026-11-25" in week
    days = table_cells(week, "table-day")
    assert list(days) == [f"2026-11-{d}" for d in range(19, 26)] + ["total"]
    assert (days["2026-11-23"]["issued"], days["2026-11-23"]["served"], days["2026-11-23"]["wait_median"]) == \
        ("1", "1", "3.0")
    assert (days["2026-11-25"]["issued"], days["2026-11-25"]["served"]) == ("5", "3")
    assert days["2026-11-24"]["issued"] == "0" and days["2026-11-24"]["wait_median"] == "—"
    assert (days["total"]["issued"], days["total"]["served"], days["total"]["rating_average"]) == ("6", "4", "1")
    assert table_cells(week, "table-window")["1"]["served"] == "2"  # Monday's and Wednesday's
    assert 'id="chart-days"' in week and "<svg" in week
    assert (by_id(monday, "total-issued"), by_id(monday, "total-served")) == ("1", "1")
    assert table_cells(monday, "table-service")["GS-1"]["rating_average"] == "1"


async def test_the_xlsx_holds_the_pages_numbers_with_chinese_and_english_headings(hall, kiosk, staff_client):
    await a_monday(hall, kiosk, staff_client)
    await a_wednesday(hall, kiosk, staff_client)
    with office(hall, "supervisor") as o:
        page = o.get("/office/stats?day=2026-11-25&span=week").text
        r = o.get("/office/stats.xlsx?day=2026-11-25&span=week")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in r.headers["content-disposition"]
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames[:5] == ["概况 Summary", "按事项 By service", "按窗口 By window",
                                   "按工作人员 By staff member", "按日 By day"]
    assert "等候时长分布 Waiting times" in book.sheetnames
    rows = list(book["按事项 By service"].iter_rows(values_only=True))
    head = rows[0]
    assert head[:3] == ("事项 Service", "取号 Issued", "办结 Served")
    assert "等候中位数(分钟) Median wait (min)" in head
    on_page = table_cells(page, "table-service")
    by_name = {row[0]: dict(zip(head, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"企业设立登记", "个体工商户登记", "发票申领", "合计 Total"}
    for code, name in (("GS-1", "企业设立登记"), ("SW-1", "发票申领"), ("total", "合计 Total")):
        for column, heading in (("issued", "取号 Issued"), ("served", "办结 Served"), ("no_shows", "未到 No-shows"),
                                ("wait_median", "等候中位数(分钟) Median wait (min)"),
                                ("rating_poor", "较差 Poor")):
            cell, shown = by_name[name][heading], on_page[code][column]
            assert (cell is None and shown == "—") or cell == float(shown), (name, column, cell, shown)
    total = by_name["合计 Total"]
    assert total["取号 Issued"] == 6 and total["等候中位数(分钟) Median wait (min)"] == 6.0  # 3, 4, 6, 10, 20
    windows = list(book["按窗口 By window"].iter_rows(values_only=True))
    assert windows[1][:2] == ("1 工商登记", 2)
    waits = dict(book["等候时长分布 Waiting times"].iter_rows(min_row=2, values_only=True))
    assert (waits["0–5"], waits["5–10"], waits["10–15"], waits["20–30"]) == (2, 1, 1, 1)  # 3, 4 | 6 | 10 | 20


async def test_an_empty_day_says_so_and_a_bad_date_is_explained(hall):
    with office(hall, "supervisor") as o:
        r = o.get("/office/stats?day=2026-11-20")
        assert r.status_code == 200 and "还没有取号记录" in r.text and by_id(r.text, "total-issued") == "0"
        r = o.get("/office/stats?day=yesterday")
        assert r.status_code == 422 and "请选择一个日期" in r.text
        assert o.get("/office/stats.xlsx?day=0001-01-02&span=week").status_code == 422


async def test_a_late_applicant_called_back_is_served_once_and_waited_until_the_first_call(hall, kiosk, staff_client):
    """A no-show called back, and one put back in line, are served (not no-shows), and their wait
    ends at their first call: being late is not waiting."""
    s, w = hall.hall.services, hall.hall.windows
    late = await kiosk.issue_ticket(s["GS-1"])
    requeued = await kiosk.issue_ticket(s["GS-1"])
    w1, w2 = await staff_client(1), await staff_client(2)
    hall.clock.advance(timedelta(minutes=2))
    await w1.call_next(w[1])
    await w1.skip_ticket(w[1])  # 过号
    await w2.call_next(w[2])
    await w2.skip_ticket(w[2])
    hall.clock.advance(timedelta(minutes=5))
    await w1.call_back_ticket(w[1], late["id"])  # came at last: called back at window 1
    await w2.requeue_ticket(w[2], requeued["id"])  # came at last: back in line in the old place
    hall.clock.advance(timedelta(minutes=1))
    assert (await w2.call_next(w[2]))["number"] == requeued["number"]
    hall.clock.advance(timedelta(minutes=3))
    await w1.finish_service(w[1])
    await w2.finish_service(w[2])
    with office(hall, "supervisor") as o:
        page = o.get("/office/stats").text
    total = table_cells(page, "table-service")["total"]
    assert [total[c] for c in ("issued", "served", "no_shows", "waited", "wait_median", "wait_p90")] == \
        ["2", "2", "0", "2", "2.0", "2.0"]
    assert (total["service_median"], table_cells(page, "table-window")["2"]["service_median"]) == ("3.5", "3.0")
