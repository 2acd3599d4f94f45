"""Opening hours, ticket numbers and the wait estimate."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from hall_queue.estimate import estimate_wait, people_ahead
from hall_queue.hours import OpeningHours
from hall_queue.numbering import format_number, parse_number
from hall_queue.policy import Priority

SH = ZoneInfo("Asia/Shanghai")


def at(h, m=0, day=25):
    return datetime(2026, 11, day, h, m, tzinfo=SH)


def test_nine_to_five_with_lunch():
    hours = OpeningHours.parse("09:00-17:00", "12:00-13:30")
    assert hours.is_open(at(9)) and hours.is_open(at(16, 59))
    assert not hours.is_open(at(8, 59)) and not hours.is_open(at(17))
    assert not hours.is_open(at(12, 30))
    assert hours.next_opening(at(12, 30)) == at(13, 30)
    assert hours.next_opening(at(18)) == at(9, day=26)
    assert hours.next_opening(at(7)) == at(9)


def test_around_the_clock():
    hours = OpeningHours.parse("00:00-00:00")
    assert hours.is_open(at(3)) and hours.around_the_clock


def test_bad_hours_are_refused():
    with pytest.raises(ValueError):
        OpeningHours(time(17), time(9))
    with pytest.raises(ValueError):
        OpeningHours(time(9), time(17), (time(18), time(19)))


def test_numbers_read_as_people_say_them():
    assert format_number("A", 1) == "A001"
    assert format_number("B", 1234) == "B1234"
    assert parse_number(" a7 ") == ("A", 7)
    assert parse_number("A0") is None and parse_number("7") is None


def test_people_ahead_counts_stronger_classes_and_earlier_same_class():
    counts = {Priority.PRIORITY: 2, Priority.GREEN: 1, Priority.URGENT: 1}
    assert people_ahead(Priority.NORMAL, counts | {Priority.NORMAL: 0}, 3) == 3 + 2 + 1 + 1
    assert people_ahead(Priority.PRIORITY, {Priority.NORMAL: 9, Priority.URGENT: 1}, 0) == 1
    assert people_ahead(Priority.URGENT, {Priority.NORMAL: 9}, 2) == 2


def test_estimate_shares_the_line_between_open_windows():
    assert estimate_wait(0, 600, 2).estimated_wait_seconds == 0
    assert estimate_wait(4, 600, 2).estimated_wait_seconds == 1200
    assert estimate_wait(5, 600, 2).estimated_wait_seconds == 1800
    no_window = estimate_wait(3, 600, 0)  # no window of the service open: no time to promise, not "no wait"
    assert no_window.waiting_ahead == 3 and no_window.estimated_wait_seconds is None
