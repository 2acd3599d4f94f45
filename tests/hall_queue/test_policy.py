"""The call policy: urgent and green first, priority and normal by ratio, nobody starves."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from hall_queue.policy import CallPolicy, Candidate, Priority, call_order, choose_next

T0 = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
P = Priority


def c(i, p, minutes=0):
    return Candidate(i, p, T0 + timedelta(minutes=minutes))


def test_no_one_waiting_means_no_call():
    assert choose_next([], CallPolicy(), 0, T0) is None


def test_urgent_then_green_go_before_everyone():
    waiting = [c(1, P.NORMAL), c(2, P.PRIORITY), c(3, P.GREEN, 5), c(4, P.URGENT, 9)]
    assert call_order(waiting, CallPolicy(), 0, T0 + timedelta(minutes=10))[:2] == [4, 3]


def test_two_priority_calls_then_one_normal():
    waiting = [c(i, P.PRIORITY, i) for i in range(1, 6)] + [c(i, P.NORMAL, i) for i in range(10, 13)]
    order = call_order(waiting, CallPolicy(priority_run=2, max_wait=timedelta(hours=9)), 0, T0)
    assert order == [1, 2, 10, 3, 4, 11, 5, 12]


def test_a_normal_ticket_waiting_too_long_goes_first():
    waiting = [c(1, P.NORMAL, 0), c(2, P.PRIORITY, 20)]
    now = T0 + timedelta(minutes=31)
    assert choose_next(waiting, CallPolicy(max_wait=timedelta(minutes=30)), 0, now).ticket_id == 1


def test_same_class_is_first_come_first_served():
    waiting = [c(5, P.NORMAL, 3), c(7, P.NORMAL, 1), c(6, P.NORMAL, 2)]
    assert call_order(waiting, CallPolicy(), 0, T0) == [7, 6, 5]


@settings(max_examples=200)
@given(
    classes=st.lists(st.sampled_from([P.NORMAL, P.PRIORITY]), min_size=1, max_size=40),
    run=st.integers(1, 4),
)
def test_no_normal_ticket_waits_behind_more_than_the_ratio_allows(classes, run):
    """Among normal and priority tickets, a normal ticket is passed by at most ``run`` priority
    tickets per normal ticket ahead of it: the ratio holds, so no one starves."""
    waiting = [c(i, p, i) for i, p in enumerate(classes)]
    order = call_order(waiting, CallPolicy(priority_run=run, max_wait=timedelta(days=1)), 0, T0)
    assert sorted(order) == list(range(len(classes)))
    kinds = {i: p for i, p in enumerate(classes)}
    streak = 0
    for i, tid in enumerate(order):
        if kinds[tid] == P.PRIORITY:
            streak += 1
            normals_left = any(kinds[t] == P.NORMAL for t in order[i + 1:])
            assert streak <= run or not normals_left
        else:
            streak = 0
