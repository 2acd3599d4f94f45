"""The board model against a real hall: events bring a board exactly to what a fresh snapshot shows."""

from __future__ import annotations

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from display.board_model import BoardFilter, announcement, apply, apply_all, from_snapshot, view
from hall_server.events.hub import board_view
from tests.display.scenario import first_hour, second_hour

FILTERS = [BoardFilter(), BoardFilter.parse(area="二楼"), BoardFilter.parse(windows="1,2"),
           BoardFilter.parse(area="一楼", windows="2-3")]


async def _morning(hall, kiosk, staff_client):
    start = await kiosk.hall_board(hall.hall.hall_id)
    staff = await first_hour(hall, kiosk, staff_client)
    middle = await kiosk.hall_board(hall.hall.hall_id)
    await second_hour(hall, staff)
    end = await kiosk.hall_board(hall.hall.hall_id)
    events = await kiosk.list_events(after=start["last_event_id"], hall_id=hall.hall.hall_id)
    return start, middle, end, events


async def test_events_bring_a_board_to_the_snapshot_and_a_late_board_sees_the_present(hall, kiosk, staff_client):
    start, middle, end, events = await _morning(hall, kiosk, staff_client)
    assert {e["kind"] for e in events} >= {
        "ticket.issued", "ticket.called", "ticket.recalled", "ticket.started", "ticket.skipped", "ticket.held",
        "ticket.called_back", "ticket.finished", "ticket.requeued", "ticket.transferred", "window.paused",
        "window.signed_in", "window.signed_out"}
    for flt in FILTERS:
        fresh = view(from_snapshot(end, flt))
        assert view(apply_all(from_snapshot(start, flt), events)) == fresh, flt
        late = from_snapshot(middle, flt)  # opened mid-morning: the present at once, then what follows
        assert view(apply_all(late, events)) == fresh, flt


async def test_what_the_board_shows_after_the_morning(hall, kiosk, staff_client):
    *_, end, events = await _morning(hall, kiosk, staff_client)
    v = view(from_snapshot(end))
    assert [c["window"] for c in v["calls"]] == [1, 3]  # newest first; window 2 signed out after finishing
    no_show = [e["payload"]["ticket"] for e in events if e["kind"] == "ticket.skipped"][-1]
    assert no_show["status"] == "no_show" and no_show["window_number"] == 1  # called next over at window 1
    assert no_show["number"] not in [c["number"] for c in v["calls"]]  # it left the window
    assert v["calls"][0]["newest"] and not v["calls"][1]["newest"]
    assert v["recent"][0]["window"] == 1 and v["recent"][0]["newest"]
    assert any(r["recalled"] for r in v["recent"])
    assert v["paused"] == [{"window": 3, "reason": "会议"}]
    assert 2 in v["closed"] and 10 in v["closed"]
    groups = {g["prefix"]: g for g in v["groups"]}
    assert groups["A"]["names"] == ["企业设立登记", "个体工商户登记"]
    assert groups["C"]["waiting"] == 1
    upstairs = view(from_snapshot(end, BoardFilter.parse(area="二楼")))
    assert [c["window"] for c in upstairs["calls"]] == [3]
    assert [g["prefix"] for g in upstairs["groups"]] == ["B"]
    assert all(r["window"] == 3 for r in upstairs["recent"])


async def test_repeated_and_replayed_events_show_once(hall, kiosk, staff_client):
    start, _middle, end, events = await _morning(hall, kiosk, staff_client)
    clean = view(apply_all(from_snapshot(start), events))

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.integers(1, 3), st.integers(0, len(events))), min_size=len(events),
                    max_size=len(events)))
    def replayed(plan):
        # Each event arrives 1-3 times, and after it some earlier events are sent again (a reconnect's replay).
        fed = []
        for i, (times, back) in enumerate(plan):
            fed += [events[i]] * times + events[max(0, i - back):i]
        assert view(apply_all(from_snapshot(start), fed)) == clean

    replayed()


async def test_events_taken_a_message_at_a_time_show_and_speak_as_one_at_a_time(hall, kiosk, staff_client):
    """However the server groups events into messages (a burst of calls is one), the board ends the
    same at every message's end, and speaks the same calls in the same order."""
    start, _middle, _end, events = await _morning(hall, kiosk, staff_client)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(FILTERS), st.lists(st.integers(0, len(events)), max_size=12))
    def grouped(flt, cuts):
        bounds = [0, *sorted(cuts), len(events)]
        one, many = from_snapshot(start, flt), from_snapshot(start, flt)
        spoken_one, spoken_many = [], []
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            for ev in events[lo:hi]:
                if (call := announcement(one, ev)) is not None:
                    spoken_one.append(call)
                one = apply(one, ev)
            many = apply_all(many, events[lo:hi], spoken_many)
            assert view(many) == view(one)
        assert spoken_many == spoken_one

    grouped()


async def test_a_board_fed_board_views_of_events_shows_and_speaks_as_one_fed_the_events(hall, kiosk, staff_client):
    """Boards follow ``/events?view=board``: the views must hold everything the board model reads."""
    start, _middle, _end, events = await _morning(hall, kiosk, staff_client)
    briefs = [board_view(e) for e in events]
    assert len(orjson.dumps(briefs)) < 0.6 * len(orjson.dumps(events))
    for flt in FILTERS:
        full_calls, brief_calls = [], []
        assert view(apply_all(from_snapshot(start, flt), events, full_calls)) == view(
            apply_all(from_snapshot(start, flt), briefs, brief_calls)), flt
        assert brief_calls == full_calls


async def test_each_call_is_spoken_once_and_a_recall_again(hall, kiosk, staff_client):
    start, _middle, _end, events = await _morning(hall, kiosk, staff_client)
    state, spoken = from_snapshot(start), []
    for ev in events + events:  # the second pass is a full replay: nothing more is spoken
        if (call := announcement(state, ev)) is not None:
            spoken.append((call.number, call.window, call.recall))
        state = apply(state, ev)
    calls = [e for e in events if e["kind"] in ("ticket.called", "ticket.recalled", "ticket.called_back")]
    assert spoken == [(e["payload"]["ticket"]["number"], str(e["payload"]["window"]["number"]),
                       e["kind"] == "ticket.recalled") for e in calls]
    assert spoken[0] == ("A001", "1", False) and spoken[1] == ("A001", "1", True)
    upstairs, only3 = from_snapshot(start, BoardFilter.parse(area="二楼")), []
    for ev in events:
        if (call := announcement(upstairs, ev)) is not None:
            only3.append((call.number, call.window, call.recall))
        upstairs = apply(upstairs, ev)
    assert only3 and all(w == "3" for _, w, _ in only3)


@pytest.mark.parametrize(("area", "windows", "expected"), [
    (None, "1,2,3", (None, {1, 2, 3})), (" 二楼 ", None, ("二楼", None)), (None, "10-12, 3", (None, {3, 10, 11, 12})),
    ("", "", (None, None)),
])
def test_board_filter_parsing(area, windows, expected):
    flt = BoardFilter.parse(area, windows)
    assert (flt.area, set(flt.windows) if flt.windows else None) == expected
