"""The statistics' own pieces: medians and percentiles, histograms, the SVG charts, and finding a
period's events in a long history without reading it all."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from hall_server.catalog.models import Hall
from hall_server.db import Database
from hall_server.events.models import Event
from hall_server.statistics.charts import bar_chart, nice_top
from hall_server.statistics.distribution import Summary, bucket_labels, histogram, summary
from hall_server.statistics.history import MARGIN, id_range
from hall_server.statistics.period import Period

MIN = 60.0


def test_median_and_90th_percentile_in_minutes():
    assert summary([]) == Summary(0, None, None)
    one = summary([3 * MIN])
    assert (one.count, one.median, one.p90) == (1, 3.0, 3.0)
    four = summary([4 * MIN, 1 * MIN, 3 * MIN, 2 * MIN])
    assert (four.median, four.p90) == (2.5, 4.0)  # the mean of the middle two; nine in ten took no longer than 4
    ten = summary([n * MIN for n in range(1, 11)])
    assert (ten.median, ten.p90) == (5.5, 9.0)


def test_histogram_buckets_start_at_their_lower_edge():
    edges = (0, 5, 10)
    assert histogram([0, 299.9, 300, 599, 600, 7200, -1], edges) == [3, 2, 2]
    assert bucket_labels(edges) == ["0–5", "5–10", "10+"]


def test_axis_tops_are_round_and_counts_get_whole_steps():
    assert nice_top(0) == (1.0, 1.0)
    assert nice_top(3) == (3.0, 1.0)
    assert nice_top(17) == (20.0, 5.0)
    assert nice_top(230) == (300.0, 100.0)


def test_a_chart_is_well_formed_svg_with_its_values_and_escaped_words():
    svg = bar_chart("等候 <分钟>", ["0–5", "a&b"], [("取号", [3, 0]), ("办结", [1, 2])], chart_id="c1")
    root = ET.fromstring(str(svg))
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(f"{ns}rect") if r.get("data-value") is not None]
    assert [(r.get("data-label"), r.get("data-value")) for r in bars] == [("0–5", "3"), ("0–5", "1"), ("a&b", "0"),
                                                                         ("a&b", "2")]
    assert root.get("aria-label") == "等候 <分钟>" and root.get("id") == "c1"
    assert "style" not in str(svg)  # the office's CSP allows no inline style


def test_period_bounds_are_the_halls_midnights_in_utc():
    week = Period.ending(date(2026, 11, 25), "week", "Asia/Shanghai")
    assert (week.first, week.last, len(week.days)) == (date(2026, 11, 19), date(2026, 11, 25), 7)
    assert week.start == datetime(2026, 11, 18, 16, 0, tzinfo=UTC)
    assert week.end == datetime(2026, 11, 25, 16, 0, tzinfo=UTC)


def test_a_periods_events_are_found_by_bisection_even_a_little_out_of_order(database_url):
    """Two halls' events interleaved hourly over 30 days; one read its clock before the event
    before it committed (23:59 written after 00:00): each day's id range holds all its events."""
    db = Database(database_url)
    db.migrate()
    start = datetime(2026, 10, 1, tzinfo=UTC)
    late = start + timedelta(days=10) - timedelta(minutes=1)  # of day 9, written after day 10's first event
    with db.writing() as s:
        for key in ("one", "two"):
            s.add(Hall(key=key, name=key))
        s.flush()
        rows = []
        for hour in range(30 * 24):
            for hall in (1, 2):
                at = late if hall == 1 and hour == 24 * 10 + 1 else start + timedelta(hours=hour)
                rows.append({"hall_id": hall, "kind": "ticket.issued", "at": at, "payload": {}})
        s.execute(insert(Event), rows)
        s.commit()
    with db.read_session() as s:
        conn = s.connection()
        ones = s.query(Event.id, Event.at).filter(Event.hall_id == 1).order_by(Event.id).all()
        for day, expected in ((9, 25), (10, 23), (0, 24), (29, 24)):
            day_start, day_end = start + timedelta(days=day), start + timedelta(days=day + 1)
            low, high = id_range(conn, 1, day_start, day_end)
            inside = [i for i, at in ones if day_start <= at < day_end]
            assert len(inside) == expected and all(low <= i < high for i in inside), day
            assert sum(1 for i, _ in ones if low <= i < high) <= expected + 2 * (MARGIN // timedelta(hours=1) + 2)
        assert id_range(conn, 3, start, start + timedelta(days=1)) is None  # a hall without events
    db.dispose()


def test_events_written_before_migration_0008_are_given_their_ticket(database_url):
    """The statistics find a ticket's events by ``events.ticket_id``: the migration that adds it fills
    it for the history already written (a ticket event's ticket, a rating's ticket_id, else none)."""
    from alembic import command

    from hall_server.migrations import alembic_config

    db = Database(database_url)
    db.migrate()
    with db.writer.connect() as conn:
        cfg = alembic_config(db.url)
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0007")
        conn.commit()
    at = datetime(2026, 10, 1, tzinfo=UTC)
    with db.writing() as s:
        s.add(Hall(key="one", name="one"))
        s.flush()
        s.execute(insert(Event), [  # no ticket_id: the table as 0007 left it
            {"hall_id": 1, "kind": kind, "at": at, "payload": payload} for kind, payload in (
                ("ticket.called", {"ticket": {"id": 7, "service_id": 2}, "window": {"id": 3}, "actor_id": 4}),
                ("rating.submitted", {"ticket_id": 8, "level": "good"}),
                ("window.paused", {"window": {"id": 3}, "actor_id": 4}),
                ("catalog.changed", {"change": "import"}))])
        s.commit()
    db.migrate()
    with db.read_session() as s:
        assert s.execute(select(Event.kind, Event.ticket_id).order_by(Event.id)).all() == [
            ("ticket.called", 7), ("rating.submitted", 8), ("window.paused", None), ("catalog.changed", None)]
    db.dispose()
