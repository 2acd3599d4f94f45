"""The hall as the bus process knows it: each window's state and current call, and who waits.

It starts from the board snapshot (``hall_board``) and follows the hall's events, so the LED
screens and keypad displays can be drawn from memory at any moment (a repaint every minute, a
line that comes back) without asking the server. Waiting counts are kept per service from the
snapshot's queues and moved by the events that put a ticket into the line or take it out;
``refresh`` with a newer snapshot corrects any drift (e.g. the daily reset). Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

CALL_KINDS = frozenset({"ticket.called", "ticket.recalled", "ticket.called_back"})
AT_WINDOW = frozenset({"called", "serving"})
INTO_LINE = frozenset({"ticket.issued", "ticket.requeued", "ticket.transferred"})  # the ticket waits again
OUT_OF_LINE = frozenset({"ticket.called"})  # taken from the line by call-next


@dataclass(frozen=True, slots=True)
class Call:
    """The ticket at a window, as far as the screens are concerned."""

    id: int
    number: str
    status: str  # "called" or "serving"
    called_at: str | None = None
    recall_count: int = 0

    @property
    def key(self) -> tuple[int, str | None, int]:
        """Which call this is: a recall or a call-back is a new call of the same ticket."""
        return self.id, self.called_at, self.recall_count

    @classmethod
    def of(cls, ticket: dict[str, Any]) -> Call | None:
        if ticket.get("status") not in AT_WINDOW:
            return None
        return cls(ticket["id"], ticket["number"], ticket["status"], ticket.get("called_at"),
                   ticket.get("recall_count", 0))


@dataclass(slots=True)
class WindowState:
    id: int
    number: int
    state: str = "closed"  # "open", "paused" or "closed" (nobody signed in)
    pause_reason: str = ""
    current: Call | None = None
    services: frozenset[int] = frozenset()
    staff_name: str = ""
    last_call: tuple[int, str | None, int] | None = None  # the latest call announced (events or answers)
    no_show: str | None = None  # the number of the ticket that last left as a no-show: nothing to rate

    def announce(self, call: Call | None) -> bool:
        """Make ``call`` the window's current call; True if it was not announced yet."""
        if call is None or call.key == self.last_call:
            return False
        self.current, self.last_call = call, call.key
        return True


@dataclass(slots=True)
class Effects:
    """What an event means for the devices: screens to redraw, calls to announce, ratings to ask for."""

    redraw: set[int] = field(default_factory=set)  # window numbers
    counts: set[int] = field(default_factory=set)  # only the waiting count changed
    calls: set[int] = field(default_factory=set)
    finished: set[int] = field(default_factory=set)
    stale: bool = False  # the event named something this state does not know: read a snapshot

    def __bool__(self) -> bool:
        return bool(self.redraw or self.counts or self.calls or self.finished or self.stale)


@dataclass(slots=True)
class HallState:
    windows: dict[int, WindowState]  # the bus's windows, by number
    window_ids: dict[int, int]  # every window of the hall: number -> id (transfer targets)
    waiting: dict[int, int]  # service id -> tickets waiting
    last_event_id: int = 0

    @classmethod
    def from_board(cls, board: dict[str, Any], numbers: Iterable[int] | None = None) -> HallState:
        wanted = set(numbers) if numbers is not None else None
        served: dict[int, set[int]] = {}
        for queue in board["queues"]:
            for wid in queue["window_ids"]:
                served.setdefault(wid, set()).add(queue["service_id"])
        windows = {
            w["number"]: WindowState(
                w["id"], w["number"], w["state"], w.get("pause_reason") or "",
                Call.of(w["current"]) if w.get("current") else None, frozenset(served.get(w["id"], ())),
            )
            for w in board["windows"]
            if wanted is None or w["number"] in wanted
        }
        for w in windows.values():
            w.last_call = w.current.key if w.current else None
        return cls(
            windows,
            {w["number"]: w["id"] for w in board["windows"]},
            {q["service_id"]: q["waiting"] for q in board["queues"]},
            board["last_event_id"],
        )

    def waiting_for(self, number: int) -> int:
        """How many wait for the services of this window (as the soft caller's desk counts them)."""
        return sum(self.waiting.get(s, 0) for s in self.windows[number].services)

    def _by_id(self, window_id: int | None) -> WindowState | None:
        for w in self.windows.values():
            if w.id == window_id:
                return w
        return None

    def apply(self, event: dict[str, Any], effects: Effects | None = None) -> Effects:
        """Follow one event; events already reflected (by id) change nothing.

        ``effects`` gathers the effects of several events (a message's), so a window finished
        and called again in the same burst is drawn once, with its call.
        """
        effects = Effects() if effects is None else effects
        if event["id"] <= self.last_event_id:
            return effects
        self.last_event_id = event["id"]
        kind, payload = event["kind"], event["payload"]
        ticket = payload.get("ticket")
        if ticket is not None:
            self._move_line(kind, ticket, effects)
        window = payload.get("window")
        w = self._by_id(window["id"]) if window else None
        if w is None:
            return effects
        w.state, w.pause_reason = window["state"], window.get("pause_reason") or ""
        if kind == "window.signed_in":
            w.staff_name = payload.get("staff_name", "")
        current_id = window.get("current_ticket_id")
        if current_id is None:
            w.current = None
        elif ticket is not None and ticket["id"] == current_id:
            w.current = Call.of(ticket)
        elif w.current is None or w.current.id != current_id:
            w.current, effects.stale = None, True
        effects.redraw.add(w.number)
        if kind in CALL_KINDS and w.announce(w.current):
            effects.calls.add(w.number)
        if kind == "ticket.finished":
            effects.finished.add(w.number)
            w.no_show = None
        elif ticket is not None and ticket.get("status") == "no_show":  # called, never came: no rating
            w.no_show = ticket["number"]
        return effects

    def _move_line(self, kind: str, ticket: dict[str, Any], effects: Effects) -> None:
        service = ticket.get("service_id")
        if kind in INTO_LINE and ticket.get("status") == "waiting":
            delta = 1
        elif kind in OUT_OF_LINE:
            delta = -1
        else:
            return
        self.waiting[service] = max(0, self.waiting.get(service, 0) + delta)
        effects.counts.update(w.number for w in self.windows.values() if service in w.services)

    def answered(self, number: int, ticket: dict[str, Any]) -> bool:
        """A call answered to this bus's own request, perhaps before its event: True if it is news."""
        return self.windows[number].announce(Call.of(ticket))

    def refresh(self, board: dict[str, Any]) -> set[int]:
        """Take a snapshot that is at least as new as what the events told; the windows it changed."""
        if board["last_event_id"] < self.last_event_id:
            return set()
        fresh = HallState.from_board(board, self.windows)
        changed = set()
        for number, w in fresh.windows.items():
            old = self.windows[number]
            w.staff_name, w.last_call, w.no_show = old.staff_name, old.last_call, old.no_show
            if (w.state, w.pause_reason, w.current, w.services) != (old.state, old.pause_reason, old.current,
                                                                     old.services):
                changed.add(number)
        changed |= {n for n in self.windows if fresh.waiting_for(n) != self.waiting_for(n)}
        self.windows, self.window_ids, self.waiting = fresh.windows, fresh.window_ids, fresh.waiting
        self.last_event_id = board["last_event_id"]
        return changed
