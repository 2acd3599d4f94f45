"""The ticket state machine: legal moves go where the table says, everything else is refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from hall_queue.states import (
    AT_WINDOW,
    TERMINAL,
    TRANSITIONS,
    IllegalTransition,
    TicketAction,
    TicketStatus,
    allowed_actions,
    next_status,
)

S, A = TicketStatus, TicketAction


def test_a_ticket_is_called_served_and_finished():
    s = next_status(S.WAITING, A.CALL)
    s = next_status(s, A.START)
    assert next_status(s, A.FINISH) == S.FINISHED


def test_a_finished_ticket_cannot_be_called_again():
    with pytest.raises(IllegalTransition) as exc:
        next_status(S.FINISHED, A.CALL_BACK)
    assert "finished" in str(exc.value)


def test_a_waiting_ticket_cannot_be_finished_without_being_called():
    with pytest.raises(IllegalTransition):
        next_status(S.WAITING, A.FINISH)


def test_terminal_states_allow_nothing():
    for status in TERMINAL:
        assert allowed_actions(status) == []


@given(st.sampled_from(list(S)), st.sampled_from(list(A)))
def test_every_pair_is_either_in_the_table_or_refused(status, action):
    if (status, action) in TRANSITIONS:
        assert next_status(status, action) == TRANSITIONS[(status, action)]
    else:
        with pytest.raises(IllegalTransition):
            next_status(status, action)


class WindowWithTickets(RuleBasedStateMachine):
    """A model of one window and its tickets driven by random actions.

    Invariants: at most one ticket occupies the window; a terminal ticket never moves again;
    recalls keep a ticket called; a skipped ticket is never at the window.
    """

    def __init__(self):
        super().__init__()
        self.tickets: list[TicketStatus] = []
        self.ended: set[int] = set()

    @rule()
    def issue(self):
        self.tickets.append(S.WAITING)

    @rule(i=st.integers(0, 30), action=st.sampled_from(list(A)))
    def act(self, i, action):
        if not self.tickets:
            return
        i %= len(self.tickets)
        before = self.tickets[i]
        occupied = any(s in AT_WINDOW for j, s in enumerate(self.tickets) if j != i)
        if action in (A.CALL, A.CALL_BACK) and occupied:
            return  # the server refuses to call into a busy window (tested in the API tests)
        try:
            after = next_status(before, action)
        except IllegalTransition:
            assert (before, action) not in TRANSITIONS
            return
        assert i not in self.ended, "a finished or cancelled ticket moved"
        self.tickets[i] = after
        if after in TERMINAL:
            self.ended.add(i)

    @precondition(lambda self: any(s == S.CALLED for s in self.tickets))
    @rule()
    def recall_keeps_it_called(self):
        i = next(j for j, s in enumerate(self.tickets) if s == S.CALLED)
        assert next_status(self.tickets[i], A.RECALL) == S.CALLED

    @invariant()
    def one_applicant_at_the_window(self):
        assert sum(s in AT_WINDOW for s in self.tickets) <= 1

    @invariant()
    def terminal_stays_terminal(self):
        for i in self.ended:
            assert self.tickets[i] in TERMINAL


TestWindowWithTickets = WindowWithTickets.TestCase
