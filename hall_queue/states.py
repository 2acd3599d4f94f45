"""The ticket state machine: which action may move a ticket from which state, and where to.

Kept as a table so the server, the caller and the tests share one truth; every move the
table does not list is refused with :class:`IllegalTransition`.
"""

from __future__ import annotations

from enum import StrEnum


class TicketStatus(StrEnum):
    WAITING = "waiting"  # in line (also after a transfer or a put-back)
    CALLED = "called"  # called to a window, applicant on the way
    SERVING = "serving"  # applicant at the window
    HELD = "held"  # 挂起: set aside by the window, to be called back
    NO_SHOW = "no_show"  # 过号/未到: called, never came; called back or put back in line if they come late
    FINISHED = "finished"
    CANCELLED = "cancelled"


class TicketAction(StrEnum):
    CALL = "call"  # call next picked this ticket
    RECALL = "recall"  # 重呼
    START = "start"
    FINISH = "finish"
    SKIP = "skip"  # 过号/未到: the called applicant did not come
    HOLD = "hold"
    CALL_BACK = "call_back"
    REQUEUE = "requeue"  # a late arrival put back in line by staff
    TRANSFER = "transfer"
    CANCEL = "cancel"


S, A = TicketStatus, TicketAction

TRANSITIONS: dict[tuple[TicketStatus, TicketAction], TicketStatus] = {
    (S.WAITING, A.CALL): S.CALLED,
    (S.WAITING, A.CANCEL): S.CANCELLED,
    (S.CALLED, A.RECALL): S.CALLED,
    (S.CALLED, A.START): S.SERVING,
    # Pressing 办结 says the applicant was served, whether or not "start" was pressed first.
    (S.CALLED, A.FINISH): S.FINISHED,
    (S.CALLED, A.SKIP): S.NO_SHOW,
    (S.CALLED, A.HOLD): S.HELD,
    (S.CALLED, A.TRANSFER): S.WAITING,
    (S.CALLED, A.CANCEL): S.CANCELLED,
    (S.SERVING, A.FINISH): S.FINISHED,
    (S.SERVING, A.HOLD): S.HELD,
    (S.SERVING, A.TRANSFER): S.WAITING,
    (S.SERVING, A.CANCEL): S.CANCELLED,
    (S.HELD, A.CALL_BACK): S.CALLED,
    (S.HELD, A.TRANSFER): S.WAITING,
    (S.HELD, A.CANCEL): S.CANCELLED,
    (S.NO_SHOW, A.CALL_BACK): S.CALLED,
    (S.NO_SHOW, A.REQUEUE): S.WAITING,
    (S.NO_SHOW, A.CANCEL): S.CANCELLED,
}

# "Call next" ends the ticket still at the window by one of the table's moves: an applicant whose
# service was started was served (办结); one called and never started did not come (过号/未到).
# Only an explicit 办结 counts a service that was never started.
ENDED_BY_CALL_NEXT: dict[TicketStatus, TicketAction] = {S.CALLED: A.SKIP, S.SERVING: A.FINISH}

TERMINAL = frozenset({S.FINISHED, S.CANCELLED})
# States in which a ticket occupies its window (a window serves one applicant at a time).
AT_WINDOW = frozenset({S.CALLED, S.SERVING})


class IllegalTransition(ValueError):
    """An action that the ticket's current state does not allow."""

    def __init__(self, status: TicketStatus, action: TicketAction) -> None:
        super().__init__(f"cannot {action.value} a ticket that is {status.value}")
        self.status = status
        self.action = action


def next_status(status: TicketStatus, action: TicketAction) -> TicketStatus:
    """The state after ``action``, or :class:`IllegalTransition` if the table forbids it."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise IllegalTransition(status, action) from None


def after_call_next(status: TicketStatus) -> TicketStatus:
    """Where "call next" leaves the ticket at the window: finished if served, no-show if never started."""
    return next_status(status, ENDED_BY_CALL_NEXT[status])


def allowed_actions(status: TicketStatus) -> list[TicketAction]:
    """What a caller may offer for a ticket in ``status`` (for greying out buttons)."""
    return [a for (s, a) in TRANSITIONS if s == status]
