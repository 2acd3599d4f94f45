"""What a hall board shows, computed once: a snapshot of the hall, then its events, in order.

Pure: no I/O and no clock. ``from_snapshot(hall_board(...), filter)`` gives a board that opens
mid-day the present at once; ``apply(state, event)`` moves it on by one event and ignores an
event it has already seen, so a board that reconnects and is sent an event twice shows it once.
``view(state)`` is the JSON-able picture both boards draw: the terminal board runs this model
itself, and the server runs it once for all the TVs that show the same (display/web/live.py),
whose page only draws the view it is sent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

CALL_KINDS = frozenset({"ticket.called", "ticket.recalled", "ticket.called_back"})
AT_WINDOW = frozenset({"called", "serving"})
RECENT = 10
# How each kind changes the number waiting for the ticket's service (after the event).
WAITING_DELTA = {"ticket.issued": 1, "ticket.called": -1, "ticket.requeued": 1, "ticket.transferred": 1}


@dataclass(frozen=True)
class BoardFilter:
    """A board limited to an area (e.g. 二楼) or to some window numbers; empty shows the whole hall."""

    area: str | None = None
    windows: frozenset[int] | None = None

    @classmethod
    def parse(cls, area: str | None = None, windows: str | None = None) -> BoardFilter:
        """``windows`` as ``"1,2,3"`` or ``"10-20,3"``."""
        numbers: set[int] = set()
        for part in (windows or "").split(","):
            low, _, high = part.strip().partition("-")
            if low.strip():
                numbers.update(range(int(low), int(high or low) + 1))
        return cls((area or "").strip() or None, frozenset(numbers) or None)

    @property
    def everything(self) -> bool:
        return self.area is None and self.windows is None

    def admits(self, window: Mapping[str, Any]) -> bool:
        if self.area is not None and window.get("area") != self.area:
            return False
        return self.windows is None or window.get("number") in self.windows


@dataclass(frozen=True)
class Call:
    event_id: int
    kind: str
    number: str
    window_number: int


@dataclass(frozen=True)
class Announcement:
    """A call for the board's voice to speak: 请{number}号到{window}号窗口."""

    event_id: int
    number: str
    window: str
    recall: bool


@dataclass(frozen=True)
class WindowView:
    id: int
    number: int
    location: str
    state: str
    pause_reason: str
    ticket_id: int | None = None
    ticket_number: str | None = None
    ticket_status: str | None = None
    call_seq: int = 0  # id of the event that last called someone here; 0 when older than we know
    call_kind: str = ""


@dataclass(frozen=True)
class QueueView:
    service_id: int
    name: str
    prefix: str
    waiting: int
    window_ids: frozenset[int]


@dataclass(frozen=True)
class BoardState:
    hall_id: int
    name: str
    name_en: str
    notice: str
    notice_en: str
    timezone: str
    windows: Mapping[int, WindowView]  # admitted windows by id
    queues: Mapping[int, QueueView]  # by service id
    recent: tuple[Call, ...]
    last_event_id: int
    filter: BoardFilter = field(default_factory=BoardFilter)


def replace(obj: Any, **changes: Any) -> Any:
    """A copy of a frozen view with some fields changed.

    ``dataclasses.replace`` runs the constructor with every field looked up again: 6 µs here, and
    a board applies about four per event, so 50 boards following 80 events of a burst spent
    more on it than on anything else. The views have no ``__post_init__`` to skip; a misspelt
    field would add an attribute nobody draws (the model's tests compare whole views).
    """
    return _view(type(obj), obj.__dict__, **changes)


def _view(cls: type, fields: Mapping[str, Any], **changes: Any) -> Any:
    """A frozen view of ``cls`` with these fields, made without its constructor (see ``replace``)."""
    new = object.__new__(cls)
    new.__dict__.update(fields, **changes)
    return new


def _window(w: Mapping[str, Any], current: Mapping[str, Any] | None = None, call_seq: int = 0,
            call_kind: str = "") -> WindowView:
    return WindowView(
        id=w["id"], number=w["number"], location=w.get("location") or "", state=w.get("state") or "closed",
        pause_reason=w.get("pause_reason") or "",
        ticket_id=current["id"] if current else None, ticket_number=current["number"] if current else None,
        ticket_status=current["status"] if current else None, call_seq=call_seq if current else 0,
        call_kind=call_kind if current else "",
    )


def from_snapshot(snapshot: Mapping[str, Any], board_filter: BoardFilter | None = None) -> BoardState:
    """The board as the hall is now (``GET /api/v1/halls/{id}/board``)."""
    flt = board_filter or BoardFilter()
    hall = snapshot["hall"]
    admitted = [w for w in snapshot["windows"] if flt.admits(w)]
    ids = {w["id"] for w in admitted}
    recent_calls = [c for c in snapshot["recent_calls"] if c.get("window_id") in ids]
    seqs: dict[int, tuple[int, str]] = {}
    for c in reversed(recent_calls):  # oldest first, so the newest call of a ticket wins
        seqs[c["id"]] = (c["event_id"], c["kind"])
    windows = {}
    for w in admitted:
        cur = w.get("current")
        seq, kind = seqs.get(cur["id"], (0, "")) if cur else (0, "")
        windows[w["id"]] = _window(w, cur, seq, kind)
    queues = {
        q["service_id"]: QueueView(q["service_id"], q["name"], q["prefix"], q["waiting"], frozenset(q["window_ids"]))
        for q in snapshot["queues"]
    }
    recent = tuple(Call(c["event_id"], c["kind"], c["number"], c["window_number"]) for c in recent_calls[:RECENT])
    return BoardState(
        hall_id=hall["id"], name=hall["name"], name_en=hall.get("name_en") or "", notice=hall.get("notice") or "",
        notice_en=hall.get("notice_en") or "", timezone=hall.get("timezone") or "Asia/Shanghai",
        windows=windows, queues=queues, recent=recent, last_event_id=snapshot["last_event_id"], filter=flt,
    )


def _move_window(fields: dict[str, Any], w: Mapping[str, Any], ticket: Mapping[str, Any] | None,
                 event_id: int, kind: str) -> None:
    """Move a window (its view's fields) by an event that carries it (and perhaps the ticket it is about)."""
    fields["location"] = w.get("location") or fields["location"]
    fields["state"] = w.get("state") or fields["state"]
    fields["pause_reason"] = w.get("pause_reason") or ""
    current_id = w.get("current_ticket_id")
    if current_id is None or (ticket is not None and ticket["id"] == current_id and ticket["status"] not in AT_WINDOW):
        fields.update(ticket_id=None, ticket_number=None, ticket_status=None, call_seq=0, call_kind="")
    elif ticket is not None and ticket["id"] == current_id:
        called, same = kind in CALL_KINDS, fields["ticket_id"] == ticket["id"]
        fields.update(ticket_id=ticket["id"], ticket_number=ticket["number"], ticket_status=ticket["status"],
                      call_seq=event_id if called else (fields["call_seq"] if same else 0),
                      call_kind=kind if called else (fields["call_kind"] if same else ""))
    # else: about another ticket; what is at the window stays as it was


def apply(state: BoardState, event: Mapping[str, Any]) -> BoardState:
    """The board after one more event; events of other halls and events already seen change nothing."""
    return apply_all(state, (event,))


def apply_all(state: BoardState, events: Iterable[Mapping[str, Any]],
              calls: list[Announcement] | None = None) -> BoardState:
    """The board after these events, in order (``apply`` one by one, with one copy of the board for them all).

    A burst of 40 windows calling reaches a board as one message of 80 events: the windows and
    queues it moves are followed as plain fields and made views once, at the end, and the
    board's maps are copied once per message, not once per event; this keeps 50 boards on one
    machine cheap. The calls to speak are appended to ``calls``, if given (see ``announcement``).
    """
    moved: dict[int, dict[str, Any]] = {}  # the windows this message moves: their fields, as they go
    waiting: dict[int, int] = {}  # the queues it moves: their counts
    new_queues: dict[int, QueueView] = {}
    recent = list(state.recent)
    last = state.last_event_id
    for event in events:
        if event["hall_id"] != state.hall_id or event["id"] <= last:
            continue
        kind, payload, eid = event["kind"], event.get("payload") or {}, event["id"]
        last = eid
        ticket, w = payload.get("ticket"), payload.get("window")
        admitted = w is not None and (w["id"] in state.windows or state.filter.admits(w))
        if admitted:
            fields = moved.get(w["id"])
            if fields is None:
                old = state.windows.get(w["id"])
                fields = moved[w["id"]] = dict((old or _window(w)).__dict__)
            _move_window(fields, w, ticket, eid, kind)
        delta = WAITING_DELTA.get(kind, 0)
        if ticket is not None and delta:
            sid = ticket["service_id"]
            if sid not in waiting:
                q = state.queues.get(sid)
                if q is None:
                    q = new_queues[sid] = QueueView(sid, ticket.get("service_name") or "", ticket.get("series") or "",
                                                    0, frozenset())
                waiting[sid] = q.waiting
            waiting[sid] = max(0, waiting[sid] + delta)
        if kind in CALL_KINDS and admitted and ticket is not None:
            recent.insert(0, Call(eid, kind, ticket["number"], w["number"]))
            if calls is not None:
                calls.append(Announcement(eid, ticket["number"], str(w["number"]), kind == "ticket.recalled"))
    if last == state.last_event_id:
        return state
    windows, queues = state.windows, state.queues
    if moved:
        windows = dict(windows)
        for wid, fields in moved.items():
            windows[wid] = _view(WindowView, fields)
    if waiting:
        queues = dict(queues)
        for sid, count in waiting.items():
            queues[sid] = replace(queues.get(sid) or new_queues[sid], waiting=count)
    return replace(state, windows=windows, queues=queues, recent=tuple(recent[:RECENT]), last_event_id=last)


def announcement(state: BoardState, event: Mapping[str, Any]) -> Announcement | None:
    """The call to speak when ``event`` is one this board shows, else None.

    ``state`` is the board before the event, so a replayed call (already seen) is not spoken twice.
    """
    calls: list[Announcement] = []
    apply_all(state, (event,), calls)
    return calls[0] if calls else None


def view(state: BoardState) -> dict[str, Any]:
    """The picture to draw, as plain JSON.

    Each call carries the id of the event that made it (0 for a call older than the board
    knows), so a renderer that is sent whole views flashes or speaks only the calls newer than
    the last it showed.
    """
    newest = state.recent[0].event_id if state.recent else 0
    at_window = [w for w in state.windows.values() if w.ticket_number is not None]
    at_window.sort(key=lambda w: (-w.call_seq, w.number))
    admitted_ids = set(state.windows)
    groups: dict[str, dict[str, Any]] = {}
    for q in sorted(state.queues.values(), key=lambda q: q.service_id):
        if not state.filter.everything and not (q.window_ids & admitted_ids):
            continue
        g = groups.setdefault(q.prefix, {"prefix": q.prefix, "names": [], "waiting": 0})
        g["names"].append(q.name)
        g["waiting"] += q.waiting
    by_number = sorted(state.windows.values(), key=lambda w: w.number)
    return {
        "hall": {"name": state.name, "name_en": state.name_en, "timezone": state.timezone},
        "notice": state.notice,
        "notice_en": state.notice_en,
        "calls": [
            {"number": w.ticket_number, "window": w.number, "location": w.location, "status": w.ticket_status,
             "recalled": w.call_kind == "ticket.recalled", "newest": w.call_seq != 0 and w.call_seq == newest,
             "event_id": w.call_seq}
            for w in at_window
        ],
        "recent": [
            {"number": c.number, "window": c.window_number, "recalled": c.kind == "ticket.recalled",
             "newest": c.event_id == newest, "event_id": c.event_id}
            for c in state.recent
        ],
        "groups": [groups[p] for p in sorted(groups)],
        "paused": [{"window": w.number, "reason": w.pause_reason} for w in by_number if w.state == "paused"],
        "closed": [w.number for w in by_number if w.state == "closed"],
        "last_event_id": state.last_event_id,
    }
