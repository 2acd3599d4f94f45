"""The ticket state machine: legal moves go where the table says, everything else is refused."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from hall_queue.states import (
    AT_WINDOW,
    ENDED_BY_CALL_NEXT,
    TERMINAL,
    TRANSITIONS,
    IllegalTransition,
    TicketAction,
    TicketStatus,
    after_call_next,
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


def test_call_next_ends_a_started_service_as_finished_and_a_ticket_never_started_as_a_no_show():
    assert after_call_next(S.SERVING) == S.FINISHED
    assert after_call_next(S.CALLED) == S.NO_SHOW
    assert set(ENDED_BY_CALL_NEXT) == AT_WINDOW  # whatever is at the window, call next knows how it ends


def test_a_no_show_is_never_finished_unless_called_back_and_served():
    for action in (A.FINISH, A.START, A.RECALL):
        with pytest.raises(IllegalTransition):
            next_status(S.NO_SHOW, action)
    s = next_status(S.NO_SHOW, A.CALL_BACK)  # the applicant came late after all
    assert next_status(next_status(s, A.START), A.FINISH) == S.FINISHED
    assert next_status(S.NO_SHOW, A.REQUEUE) == S.WAITING


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
    recalls keep a ticket called; call next finishes only a started service and makes a
    ticket never started a no-show; a no-show is never at the window and never finished
    unless called back.
    """

    def __init__(self):
        super().__init__()
        self.tickets: list[TicketStatus] = []
        self.ended: set[int] = set()
        self.started: set[int] = set()  # tickets whose service started since they were last called

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
        self._moved(i, before, action, after)

    def _moved(self, i, before, action, after):
        if after in TERMINAL:
            self.ended.add(i)
        if action in (A.CALL, A.CALL_BACK):
            self.started.discard(i)
        if action == A.START:
            self.started.add(i)
        if after == S.FINISHED:  # served: started, or an explicit 办结 of the called ticket
            assert i in self.started or (before == S.CALLED and action == A.FINISH)

    @rule()
    def call_next(self):
        """End whatever is at the window as call next does, then call the first waiting ticket."""
        at_window = [j for j, s in enumerate(self.tickets) if s in AT_WINDOW]
        for j in at_window:
            before, action = self.tickets[j], ENDED_BY_CALL_NEXT[self.tickets[j]]
            self.tickets[j] = after_call_next(before)
            assert self.tickets[j] == (S.FINISHED if j in self.started else S.NO_SHOW)
            self._moved(j, before, action, self.tickets[j])
        waiting = [j for j, s in enumerate(self.tickets) if s == S.WAITING]
        if waiting:
            self.tickets[waiting[0]] = next_status(S.WAITING, A.CALL)
            self._moved(waiting[0], S.WAITING, A.CALL, S.CALLED)

    @precondition(lambda self: any(s == S.CALLED for s in self.tickets))
    @rule()
    def recall_keeps_it_called(self):
        i = next(j for j, s in enumerate(self.tickets) if s == S.CALLED)
        assert next_status(self.tickets[i], A.RECALL) == S.CALLED

    @invariant()
    def one_applicant_at_the_window(self):
        assert sum(s in AT_WINDOW for s in self.tickets) <= 1

    @invariant()
    def a_no_show_is_away_from_the_window_and_not_served(self):
        for i, s in enumerate(self.tickets):
            if s == S.NO_SHOW:
                assert s not in AT_WINDOW and i not in self.started

    @invariant()
    def terminal_stays_terminal(self):
        for i in self.ended:
            assert self.tickets[i] in TERMINAL


TestWindowWithTickets = WindowWithTickets.TestCase
