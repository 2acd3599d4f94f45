"""Sending the queued texts: once each, through the file or a gateway, retried with growing delays,
failed after the last try and queued again by 重发; two senders at once never send one twice."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from hall_server.db import Database
from hall_server.notify.models import TextMessage
from hall_server.notify.outbox import queue_text, retry, send_due
from hall_server.notify.senders import FileSender, HttpGatewaySender, OffSender, default_file
from tests.hall_server.notify.support import gateway
from tests.hall_server.notify.test_messages import ZH

PHONE = "13800135678"


def queue(texts, phone: str = PHONE, kind: str = "finished") -> int | None:
    """A text queued as the cases code queues one, in a write transaction; its id."""
    def work(s, now):
        m = queue_text(s, now, hall_id=texts.hall.hall_id, case_id=None, phone=phone, kind=kind, values=ZH)
        return m.id if m else None

    return texts.ctx().write(work)


def row(texts, message_id: int) -> TextMessage:
    return texts.ctx().read(lambda s, now: s.get(TextMessage, message_id))


def test_a_text_is_queued_only_with_its_transaction_and_a_number(texts):
    ctx = texts.ctx()
    assert queue(texts, phone="") is None and queue(texts, phone="无") is None

    def rolled_back(s, now):
        queue_text(s, now, hall_id=texts.hall.hall_id, case_id=None, phone=PHONE, kind="returned", values=ZH)
        raise RuntimeError("the case's change failed")

    with pytest.raises(RuntimeError):
        ctx.write(rolled_back)
    assert ctx.read(lambda s, now: s.scalars(select(TextMessage)).all()) == []
    m = row(texts, queue(texts, phone="+86 138 0013 5678"))
    assert (m.status, m.attempts, m.phone, m.kind, m.next_attempt_at) == ("queued", 0, PHONE, "finished",
                                                                           texts.clock.now())


def test_queued_then_sent_with_the_file_backend(texts, tmp_path):
    path = tmp_path / "texts.jsonl"
    message_id = queue(texts)
    ctx = texts.ctx()
    assert send_due(ctx, FileSender(path)) == 1
    assert send_due(ctx, FileSender(path)) == 0  # sent once
    (line,) = path.read_text(encoding="utf-8").splitlines()
    sent = json.loads(line)
    m = row(texts, message_id)
    assert sent["phone"] == PHONE and sent["text"] == m.text and "已办结" in sent["text"]
    assert (m.status, m.attempts, m.sent_at, m.provider_id) == ("sent", 1, texts.clock.now(), sent["id"])


def test_the_file_is_beside_a_sqlite_database_or_in_the_working_directory(tmp_path, monkeypatch):
    assert default_file(f"sqlite:///{tmp_path}/var/hall.db") == tmp_path / "var" / "text-messages.jsonl"
    monkeypatch.chdir(tmp_path)
    assert default_file("postgresql://hall@db/hall") == tmp_path / "text-messages.jsonl"


def test_a_gateway_failing_twice_is_retried_with_growing_delays_until_it_accepts(texts):
    answers = {1: (500, {"error": "busy"}), 2: (503, {"error": "busy"})}
    with gateway(lambda n: answers.get(n, (200, {"id": "gw-0042"}))) as gw:
        sender = HttpGatewaySender(gw.url, "key-123")
        ctx = texts.ctx()
        message_id = queue(texts)
        start = texts.clock.now()

        assert send_due(ctx, sender) == 1
        m = row(texts, message_id)
        assert (m.status, m.attempts, m.next_attempt_at) == ("queued", 1, start + timedelta(seconds=30))
        assert m.last_error.startswith("HTTP 500")
        texts.clock.advance(timedelta(seconds=29))
        assert send_due(ctx, sender) == 0  # not due yet

        texts.clock.advance(timedelta(seconds=1))
        assert send_due(ctx, sender) == 1
        m = row(texts, message_id)
        assert (m.status, m.attempts) == ("queued", 2) and m.last_error.startswith("HTTP 503")
        assert m.next_attempt_at == texts.clock.now() + timedelta(minutes=2)

        texts.clock.advance(timedelta(minutes=2))
        assert send_due(ctx, sender) == 1
        m = row(texts, message_id)
        assert (m.status, m.attempts, m.provider_id, m.sent_at) == ("sent", 3, "gw-0042", texts.clock.now())
        assert send_due(ctx, sender) == 0
        sender.close()
    assert [p["body"] for p in gw.posts] == [{"phone": PHONE, "text": m.text}] * 3
    assert {p["authorization"] for p in gw.posts} == {"Bearer key-123"}


def test_a_gateway_always_failing_ends_failed_and_retry_queues_it_again(texts):
    with gateway(lambda n: (500, {"error": "down"})) as gw:
        sender = HttpGatewaySender(gw.url, "key-123")
        ctx = texts.ctx(sms_max_attempts=3)
        message_id = queue(texts)
        for delay in (0, 30, 120):
            texts.clock.advance(timedelta(seconds=delay))
            assert send_due(ctx, sender) == 1
        texts.clock.advance(timedelta(hours=3))
        assert send_due(ctx, sender) == 0  # given up
        m = row(texts, message_id)
        assert (m.status, m.attempts) == ("failed", 3) and m.last_error.startswith("HTTP 500")
        assert len(gw.posts) == 3

        assert ctx.write(lambda s, now: retry(s, now, message_id, hall_id=texts.hall.hall_id)) is True
        assert ctx.write(lambda s, now: retry(s, now, message_id)) is False  # a second press: already queued
        m = row(texts, message_id)
        assert (m.status, m.attempts, m.next_attempt_at) == ("queued", 0, texts.clock.now())
        assert send_due(ctx, sender) == 1 and len(gw.posts) == 4
        sender.close()


def test_an_unreachable_gateway_is_a_failure_to_try_again(texts):
    with gateway(lambda n: (200, {})) as gw:
        url = gw.url  # closed below: nothing listens there any more
    message_id = queue(texts)
    assert send_due(texts.ctx(), HttpGatewaySender(url, "k", timeout=2)) == 1
    m = row(texts, message_id)
    assert (m.status, m.attempts) == ("queued", 1) and "ConnectError" in m.last_error


def test_texts_off_fail_at_once_saying_why_and_a_senders_bug_is_a_failure(texts):
    off, broken = queue(texts), queue(texts, kind="returned")

    class Broken:
        def send(self, phone: str, text: str) -> str:
            raise KeyError("oops")

    assert send_due(texts.ctx(), OffSender(), limit=1) == 1
    m = row(texts, off)
    assert (m.status, m.attempts) == ("failed", 1) and "未开通" in m.last_error
    assert send_due(texts.ctx(), Broken()) == 1
    m = row(texts, broken)
    assert (m.status, m.attempts) == ("queued", 1) and m.last_error.startswith("KeyError")


def test_a_text_of_another_hall_cannot_be_retried(texts):
    from hall_server.errors import HallError

    message_id = queue(texts)
    with pytest.raises(HallError) as exc:
        texts.ctx().write(lambda s, now: retry(s, now, message_id, hall_id=texts.hall.hall_id + 1))
    assert exc.value.status == 404


class Recorder:
    """A gateway slow enough for two senders to overlap, counting what it is given."""

    def __init__(self) -> None:
        self.sent: Counter[str] = Counter()
        self.lock = threading.Lock()

    def send(self, phone: str, text: str) -> str:
        time.sleep(0.005)
        with self.lock:
            self.sent[text] += 1
        return "ok"


def test_two_senders_at_once_never_send_a_text_twice(texts):
    """Two server processes' loops (each its own engines) on one database: every text sent exactly once."""
    n = 60

    def work(s, now):
        for i in range(n):
            queue_text(s, now, hall_id=texts.hall.hall_id, case_id=None, phone=PHONE, kind="returned",
                       values={**ZH, "reason": f"原因{i}"})

    texts.ctx().write(work)
    other = Database(texts.db.url)
    recorder, tried = Recorder(), []
    start = threading.Barrier(2)

    def sender(ctx) -> None:
        start.wait()
        tried.append(send_due(ctx, recorder, limit=n))

    threads = [threading.Thread(target=sender, args=(c,)) for c in (texts.ctx(), texts.ctx(other))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    other.dispose()
    assert sum(tried) == n and len(recorder.sent) == n and set(recorder.sent.values()) == {1}
    statuses = texts.ctx().read(lambda s, now: Counter(s.scalars(select(TextMessage.status)).all()))
    assert statuses == {"sent": n}
