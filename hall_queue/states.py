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
    SKIPPED = "skipped"  # 过号: did not come when called
    FINISHED = "finished"
    CANCELLED = "cancelled"


class TicketAction(StrEnum):
    CALL = "call"  # call next picked this ticket
    RECALL = "recall"  # 重呼
    START = "start"
    FINISH = "finish"
    SKIP = "skip"
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
    # Calling the next applicant, or pressing finish, ends a called ticket's service too:
    # many windows never press "start".
    (S.CALLED, A.FINISH): S.FINISHED,
    (S.CALLED, A.SKIP): S.SKIPPED,
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
    (S.SKIPPED, A.CALL_BACK): S.CALLED,
    (S.SKIPPED, A.REQUEUE): S.WAITING,
    (S.SKIPPED, A.CANCEL): S.CANCELLED,
}

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


def allowed_actions(status: TicketStatus) -> list[TicketAction]:
    """What a caller may offer for a ticket in ``status`` (for greying out buttons)."""
    return [a for (s, a) in TRANSITIONS if s == status]
