"""How long an applicant will wait: people ahead times the service's pace, shared by windows."""

from __future__ import annotations

import math
from dataclasses import dataclass

from hall_queue.policy import FIRST_CLASSES, Priority


@dataclass(frozen=True)
class WaitEstimate:
    waiting_ahead: int
    estimated_wait_seconds: int | None  # None: no window serving the service is open, no time to promise


def people_ahead(mine: Priority, counts_by_priority: dict[Priority, int], earlier_same_class: int) -> int:
    """Who will be called before a new ticket: every stronger class, plus earlier ones of its own.

    For a normal ticket, priority tickets waiting are counted too (they go first in the
    rotation); for a priority ticket, normal tickets are not counted. The estimate errs on
    the side of more people, which an applicant forgives more easily than fewer.
    """
    stronger = set(FIRST_CLASSES)
    if mine == Priority.NORMAL:
        stronger.add(Priority.PRIORITY)
    elif mine == Priority.GREEN:
        stronger = {Priority.URGENT}
    elif mine == Priority.URGENT:
        stronger = set()
    return earlier_same_class + sum(n for p, n in counts_by_priority.items() if p in stronger)


def estimate_wait(ahead: int, average_service_seconds: float, open_windows: int) -> WaitEstimate:
    """Seconds until this ticket is likely called: rounds of the serving windows, rounded up.

    With no serving window open, nobody can say: the estimate is None, never "no wait".
    """
    if open_windows <= 0:
        return WaitEstimate(ahead, None)
    rounds = math.ceil(ahead / open_windows) if ahead else 0
    return WaitEstimate(ahead, int(round(rounds * max(average_service_seconds, 0.0))))
