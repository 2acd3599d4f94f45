"""What the bus remembers of the hall and what it draws from it, without a server or a line."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from hardware.bus.messages import MESSAGES, REFUSALS
from hardware.bus.screens import keypad_notice, keypad_screen, led_frame, led_text, pad_prompt_text
from hardware.bus.state import Call, Effects, HallState, WindowState
from hardware.serial_bus.devices import DisplayMode, decode_host_frame, keypad_display, rating_prompt
from hardware.serial_bus.frame import FrameParser
from hardware.serial_bus.led import LedParser
from tests.display.support import FORBIDDEN, catalog_problems

BUS = Path(__file__).resolve().parents[3] / "hardware" / "bus"
W12, W13, W3 = 112, 113, 103  # window ids
BK, SW = 7, 8  # service ids


def board(last_event_id: int = 10, waiting_bk: int = 2) -> dict:
    return {
        "windows": [
            {"id": W3, "number": 3, "state": "closed", "pause_reason": "", "current": None},
            {"id": W12, "number": 12, "state": "open", "pause_reason": "", "current": None},
            {"id": W13, "number": 13, "state": "paused", "pause_reason": "午休", "current": None},
        ],
        "queues": [
            {"service_id": BK, "waiting": waiting_bk, "window_ids": [W12, W13]},
            {"service_id": SW, "waiting": 0, "window_ids": [W3]},
        ],
        "last_event_id": last_event_id,
    }


def ticket(tid: int, status: str, *, service: int = BK, recall: int = 0, called_at: str | None = "10:00") -> dict:
    return {"id": tid, "number": f"C{tid:03d}", "status": status, "service_id": service, "recall_count": recall,
            "called_at": called_at}


def window(wid: int, state: str = "open", current: int | None = None, reason: str = "") -> dict:
    return {"id": wid, "state": state, "pause_reason": reason, "current_ticket_id": current}


def event(eid: int, kind: str, **payload: object) -> dict:
    return {"id": eid, "kind": kind, "payload": payload}


def test_waiting_counts_follow_the_line_for_the_windows_that_serve_it() -> None:
    hall = HallState.from_board(board(), [12, 13])
    assert hall.waiting_for(12) == hall.waiting_for(13) == 2
    effects = hall.apply(event(11, "ticket.issued", ticket=ticket(5, "waiting", called_at=None)))
    assert hall.waiting_for(12) == 3 and effects.counts == {12, 13} and not effects.redraw
    effects = hall.apply(event(12, "ticket.called", ticket=ticket(5, "called"), window=window(W12, current=5)))
    assert hall.waiting_for(12) == 2
    assert effects.calls == {12} and hall.windows[12].current == Call(5, "C005", "called", "10:00", 0)
    hall.apply(event(13, "ticket.transferred", ticket=ticket(5, "waiting"), window=window(W12)))
    assert hall.waiting_for(13) == 3 and hall.windows[12].current is None
    assert not hall.apply(event(13, "ticket.issued", ticket=ticket(6, "waiting")))  # seen already
    assert hall.waiting_for(12) == 3


def test_a_call_is_announced_once_whether_its_answer_or_its_event_comes_first() -> None:
    hall = HallState.from_board(board(), [12])
    called = ticket(5, "called")
    assert hall.answered(12, called)  # the bus's own call: shown from the answer
    assert not hall.apply(event(11, "ticket.called", ticket=called, window=window(W12, current=5))).calls
    recalled = ticket(5, "called", recall=1)
    assert hall.apply(event(12, "ticket.recalled", ticket=recalled, window=window(W12, current=5))).calls == {12}
    assert not hall.answered(12, recalled)  # its answer came after the event
    hall.apply(event(13, "ticket.finished", ticket=ticket(5, "finished"), window=window(W12)))
    assert not hall.answered(12, recalled)  # a late answer does not bring a finished call back
    assert hall.windows[12].current is None


def test_a_message_s_events_add_up_to_one_drawing_per_screen() -> None:
    """A burst comes as one message: window 12 finished and called again, window 13 called."""
    hall = HallState.from_board(board(), [12, 13])
    hall.apply(event(11, "ticket.called", ticket=ticket(4, "called"), window=window(W12, current=4)))
    effects = Effects()
    for ev in (event(12, "ticket.finished", ticket=ticket(4, "finished"), window=window(W12)),
               event(13, "ticket.called", ticket=ticket(5, "called"), window=window(W12, current=5)),
               event(14, "ticket.called", ticket=ticket(6, "called"), window=window(W13, "open", current=6))):
        assert hall.apply(ev, effects) is effects
    assert effects.calls == {12, 13} and effects.finished == {12}  # 12: rated, then drawn once, with C005
    assert hall.windows[12].current.number == "C005" and hall.waiting_for(12) == 0


def test_a_finished_service_asks_for_a_rating_and_an_unknown_current_ticket_asks_for_a_snapshot() -> None:
    hall = HallState.from_board(board(), [12, 13])
    effects = hall.apply(event(11, "ticket.finished", ticket=ticket(4, "finished"), window=window(W12)))
    assert effects.finished == {12} and not effects.stale
    effects = hall.apply(event(12, "window.signed_in", window=window(W13, current=99), staff_name="王芳"))
    assert effects.stale and hall.windows[13].staff_name == "王芳"


def test_a_no_show_leaving_the_window_asks_for_no_rating_until_a_service_finishes() -> None:
    hall = HallState.from_board(board(), [12])
    hall.apply(event(11, "ticket.called", ticket=ticket(4, "called"), window=window(W12, current=4)))
    effects = hall.apply(event(12, "ticket.skipped", ticket=ticket(4, "no_show"), window=window(W12)))
    assert not effects.finished and hall.windows[12].current is None and hall.windows[12].no_show == "C004"
    assert hall.refresh(board(last_event_id=20)) is not None and hall.windows[12].no_show == "C004"
    hall.apply(event(21, "ticket.called", ticket=ticket(5, "called"), window=window(W12, current=5)))
    effects = hall.apply(event(22, "ticket.finished", ticket=ticket(5, "finished"), window=window(W12)))
    assert effects.finished == {12} and hall.windows[12].no_show is None


def test_a_snapshot_replaces_the_state_only_when_it_is_not_older() -> None:
    hall = HallState.from_board(board(), [12, 13])
    hall.apply(event(11, "ticket.issued", ticket=ticket(5, "waiting")))
    assert hall.refresh(board(last_event_id=10, waiting_bk=9)) == set()
    assert hall.waiting_for(12) == 3
    newer = board(last_event_id=20, waiting_bk=0)
    newer["windows"][1]["state"] = "paused"
    assert hall.refresh(newer) == {12, 13}
    assert hall.waiting_for(12) == 0 and hall.windows[12].state == "paused" and hall.last_event_id == 20


def test_what_the_screens_and_keypads_show_in_each_state() -> None:
    w = WindowState(W12, 12, "open")
    assert led_text(w) == "12号窗口 欢迎您" and keypad_screen(w, 7) == ("7", DisplayMode.WAITING)
    w.current = Call(5, "C005", "called")
    assert led_text(w) == "请C005号到12号窗口" and keypad_screen(w, 7) == ("C005", DisplayMode.NUMBER)
    assert led_text(w, "en") == "No. C005 to window 12"
    w.current = Call(5, "C005", "serving")
    assert led_text(w) == "12号窗口 正在办理C005号"
    w.state, w.pause_reason = "paused", "暂停服务"  # the keypad's own reason adds nothing
    assert led_text(w) == "12号窗口暂停服务,请到其他窗口办理" and keypad_screen(w, 7) == ("----", DisplayMode.TEXT)
    w.pause_reason = "午休 13:00 回来"
    assert led_text(w) == "12号窗口暂停服务:午休 13:00 回来"
    w.pause_reason = "很长的原因" * 40  # longer than a screen frame holds
    assert led_text(w) == "12号窗口暂停服务,请到其他窗口办理"


@given(reason=st.text(max_size=200), staff=st.text(max_size=80), state=st.sampled_from(["open", "paused", "closed"]))
def test_any_pause_reason_or_staff_name_makes_clean_frames(reason: str, staff: str, state: str) -> None:
    """Staff type reasons and names freely; the frames must still be what a screen and a pad take."""
    w = WindowState(W12, 12, state, reason, staff_name=staff)
    text = led_text(w)
    assert [line.text for line in LedParser().feed(led_frame(12, text))] == [text]
    prompt = pad_prompt_text(w)
    (frame,) = FrameParser().feed(rating_prompt(12, text=prompt))
    assert decode_host_frame(frame).text == prompt


def test_the_catalog_is_complete_polite_and_fits_the_keypad() -> None:
    assert catalog_problems(MESSAGES) == []
    assert set(REFUSALS.values()) <= set(MESSAGES)
    for key in [k for k in MESSAGES if k.startswith("keypad_")]:
        text, mode = keypad_notice(key, number="C0001", status=409)
        keypad_display(12, text, mode)  # ASCII, at most eight characters: the keypad takes it
        assert MESSAGES[key]["zh"] == MESSAGES[key]["en"]  # the same seven-segment text either way


def test_no_forbidden_phrase_in_the_bus() -> None:
    for path in BUS.rglob("*.py"):
        assert not [p for p in FORBIDDEN if p in path.read_text(encoding="utf-8")], path
