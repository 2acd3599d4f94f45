"""Who is called next: priority classes and a call policy that lets no one starve.

Urgent (急办件) and green-channel (绿色通道) tickets go first. Priority applicants (elderly,
disabled, pregnant) and normal applicants alternate by a ratio (by default two priority
calls, then one normal), and a normal ticket that has waited longer than ``max_wait`` is
called before any priority ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Priority(StrEnum):
    NORMAL = "normal"
    PRIORITY = "priority"  # 老、弱、病、残、孕
    GREEN = "green"  # 绿色通道
    URGENT = "urgent"  # 急办件


# Classes that always go before the priority/normal rotation, strongest first.
FIRST_CLASSES = (Priority.URGENT, Priority.GREEN)


@dataclass(frozen=True)
class CallPolicy:
    priority_run: int = 2  # priority calls in a row before one normal call
    max_wait: timedelta = timedelta(minutes=30)  # a normal ticket older than this goes first

    def __post_init__(self) -> None:
        if self.priority_run < 1:
            raise ValueError("priority_run must be at least 1")


@dataclass(frozen=True)
class Candidate:
    """A waiting ticket as the policy sees it; ``arrived_at`` survives transfers."""

    ticket_id: int
    priority: Priority
    arrived_at: datetime


@dataclass(frozen=True)
class Choice:
    ticket_id: int
    priority_streak: int  # the window's new count of priority calls in a row


def choose_next(
    candidates: list[Candidate], policy: CallPolicy, priority_streak: int, now: datetime
) -> Choice | None:
    """Pick the ticket a window calls next, or None when no one waits.

    ``priority_streak`` is how many priority tickets this window has called in a row since its
    last normal call; the returned choice carries the updated streak to store.
    """
    if not candidates:
        return None
    oldest: dict[Priority, Candidate] = {}
    for c in sorted(candidates, key=lambda c: (c.arrived_at, c.ticket_id)):
        oldest.setdefault(c.priority, c)
    for cls in FIRST_CLASSES:
        if cls in oldest:
            return Choice(oldest[cls].ticket_id, priority_streak)
    normal, prio = oldest.get(Priority.NORMAL), oldest.get(Priority.PRIORITY)
    if normal and (not prio or now - normal.arrived_at >= policy.max_wait):
        return Choice(normal.ticket_id, 0)
    if prio and (not normal or priority_streak < policy.priority_run):
        return Choice(prio.ticket_id, priority_streak + 1)
    assert normal is not None
    return Choice(normal.ticket_id, 0)


def call_order(candidates: list[Candidate], policy: CallPolicy, priority_streak: int, now: datetime) -> list[int]:
    """The order in which one window would call everyone now waiting (for 'people ahead')."""
    remaining = list(candidates)
    order: list[int] = []
    streak = priority_streak
    while remaining:
        choice = choose_next(remaining, policy, streak, now)
        assert choice is not None
        order.append(choice.ticket_id)
        streak = choice.priority_streak
        remaining = [c for c in remaining if c.ticket_id != choice.ticket_id]
    return order
