"""Working days (RULES §12): deadlines across the 2026 National Day and Spring Festival holidays
with their adjusted working days (调休), a year not yet entered, and the hall's opening days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hall_queue.working_days import Deadline, WorkingCalendar
from hall_server.cases import rules
from hall_server.cases.rules import CaseType
from hall_server.client import ApiError
from tests.hall_server.cases.support import GS1_MATERIALS, PERSON, signed_in

CAL_2026 = WorkingCalendar.official([2025, 2026])


def at_ten(day: date) -> datetime:
    """10:00 in Shanghai on ``day``: the hall is open, if the day is a working day."""
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def test_the_national_day_week_is_skipped_and_its_saturday_worked():
    # Wed 30 Sep + 3: 1–7 Oct off, Thu 8, Fri 9, Sat 10 (调休上班)
    assert CAL_2026.add_working_days(date(2026, 9, 30), 3) == Deadline(date(2026, 10, 10), False)


def test_the_spring_festival_is_skipped_and_its_saturdays_worked():
    # Fri 13 Feb + 3: Sat 14 (调休上班), 15–23 off, Tue 24, Wed 25
    assert CAL_2026.add_working_days(date(2026, 2, 13), 3) == Deadline(date(2026, 2, 25), False)


def test_a_deadline_in_a_year_not_entered_counts_weekdays_and_is_provisional():
    deadline = CAL_2026.add_working_days(date(2026, 12, 28), 5)
    assert deadline.day == date(2027, 1, 4) and deadline.provisional  # 1 Jan counted as a Friday


def test_days_overdue_are_working_days_after_the_deadline_up_to_the_day_finished():
    assert rules.days_overdue(CAL_2026, date(2026, 9, 30), date(2026, 10, 9), date(2026, 10, 20)) == 2
    assert rules.days_overdue(CAL_2026, date(2026, 9, 30), date(2026, 9, 30), date(2026, 10, 20)) == 0  # on time
    assert rules.days_overdue(CAL_2026, date(2026, 10, 9), None, date(2026, 10, 12)) == 2  # open: Sat 10 worked, Mon


def test_an_immediate_case_is_due_the_same_day_and_a_returned_one_is_decided_within_three():
    assert rules.deadline_for(CaseType.IMMEDIATE, CAL_2026, date(2026, 9, 30), 0).day == date(2026, 9, 30)
    assert rules.deadline_for(CaseType.RETURNED, CAL_2026, date(2026, 9, 30), 10).day == date(2026, 10, 10)
    assert rules.deadline_for(CaseType.SUPPLEMENT, CAL_2026, date(2026, 9, 30), 3) is None


days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 11, 30))


@given(days, st.integers(min_value=1, max_value=40))
def test_the_nth_working_day_after_is_a_working_day_with_n_working_days_up_to_it(start, n):
    deadline = CAL_2026.add_working_days(start, n)
    assert CAL_2026.is_working_day(deadline.day)
    assert CAL_2026.working_days_between(start, deadline.day) == n
    assert CAL_2026.add_working_days(start, n + 1).day > deadline.day


@given(days, st.integers(min_value=0, max_value=30))
def test_a_case_finished_k_working_days_late_is_k_days_overdue(deadline, k):
    finished = CAL_2026.add_working_days(deadline, k).day
    assert rules.days_overdue(CAL_2026, deadline, finished, finished) == k


async def test_a_case_accepted_before_national_day_is_due_on_the_adjusted_saturday(hall, staff_client):
    hall.clock.set(at_ten(date(2026, 9, 30)))
    staff = await staff_client(1)
    case = await staff.register_case(hall.hall.services["GS-1"], "promised", PERSON, window_id=hall.hall.windows[1],
                                     materials_received=GS1_MATERIALS)
    assert (case["deadline"], case["deadline_provisional"]) == ("2026-10-10", False)


async def test_next_years_schedule_entered_by_supervision_ends_every_provisional_deadline(hall, staff_client):
    hall.clock.set(at_ten(date(2026, 12, 28)))
    staff = await staff_client(1)
    svc, wid = hall.hall.services["GS-1"], hall.hall.windows[1]
    before = await staff.register_case(svc, "promised", PERSON, window_id=wid, materials_received=GS1_MATERIALS)
    assert (before["deadline"], before["deadline_provisional"]) == ("2026-12-31", False)
    async with signed_in(hall, "business") as business:
        long_one = await business.register_case(svc, "promised", PERSON, accepted_on="2026-12-28",
                                                materials_received=GS1_MATERIALS)
        await business.extend_case(long_one["id"], 2, "需专家论证,经中心批准")
        extended = await business.get_case(long_one["id"])
    assert (extended["deadline"], extended["deadline_provisional"]) == ("2027-01-04", True)
    with pytest.raises(ApiError) as e:
        await staff.set_calendar_days(hall.hall.hall_id, 2027, [])
    assert e.value.status == 403
    async with signed_in(hall, "supervisor") as supervisor:
        with pytest.raises(ApiError) as e:  # a weekday "worked" changes nothing: a slip
            await supervisor.set_calendar_days(hall.hall.hall_id, 2027, [{"day": "2027-01-04", "working": True}])
        assert e.value.status == 422
        await supervisor.set_calendar_days(hall.hall.hall_id, 2027, [
            {"day": "2027-01-01", "working": False, "name": "元旦"},
            {"day": "2027-02-06", "working": True, "name": "调休上班"},
        ])
        entered = await supervisor.get_calendar_days(hall.hall.hall_id, 2027)
    assert entered["entered"] and entered["source"] == "office" and len(entered["days"]) == 2
    async with signed_in(hall, "business") as business:
        after = await business.register_case(svc, "promised", PERSON, accepted_on="2026-12-28",
                                             materials_received=GS1_MATERIALS)
        recounted = await business.get_case(long_one["id"])  # provisional only until its year is entered
        assert (recounted["deadline"], recounted["deadline_provisional"]) == ("2027-01-05", False)
        assert recounted["steps"][-1]["kind"] == "deadline_recounted"
        await business.extend_case(after["id"], 2, "需专家论证,经中心批准")
        after = await business.get_case(after["id"])
    assert (after["deadline"], after["deadline_provisional"]) == ("2027-01-05", False)  # 1 Jan is a holiday


async def test_the_hall_issues_no_ticket_on_a_holiday_and_opens_on_an_adjusted_saturday(hall, kiosk):
    svc = hall.hall.services["GS-1"]
    hall.clock.set(at_ten(date(2026, 10, 5)))
    with pytest.raises(ApiError) as e:
        await kiosk.issue_ticket(svc)
    assert e.value.status == 409 and "10月8日" in e.value.message_zh
    hall.clock.set(at_ten(date(2026, 10, 10)))
    assert (await kiosk.issue_ticket(svc))["number"] == "A001"


async def test_a_day_off_the_center_enters_closes_the_hall(hall, kiosk):
    async with signed_in(hall, "supervisor") as supervisor:
        year = await supervisor.get_calendar_days(hall.hall.hall_id, 2026)
        days = [{"day": d["day"], "working": d["working"], "name": d["name"]} for d in year["days"]]
        await supervisor.set_calendar_days(hall.hall.hall_id, 2026,
                                           days + [{"day": "2026-11-26", "working": False, "name": "停电检修"}])
    hall.clock.set(at_ten(date(2026, 11, 26)))
    with pytest.raises(ApiError) as e:
        await kiosk.issue_ticket(hall.hall.services["GS-1"])
    assert e.value.status == 409
    hall.clock.advance(timedelta(days=1))
    assert (await kiosk.issue_ticket(hall.hall.services["GS-1"]))["number"]
