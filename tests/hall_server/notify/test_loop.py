"""The server sends the texts by itself: a text queued in a request's transaction reaches the
file backend's log within moments, through the loop started with the server."""

from __future__ import annotations

import json
import time

import pytest

from hall_server.notify.models import TextMessage
from hall_server.notify.outbox import queue_text
from tests.hall_server.notify.test_messages import ZH


@pytest.fixture
def sms_env(tmp_path) -> dict[str, str]:
    return {"HALL_SMS_FILE": str(tmp_path / "sent-texts.jsonl")}  # never the working directory (PostgreSQL)


def wait_for(check, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while not (result := check()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)
    return result


def test_the_servers_loop_sends_a_queued_text_to_the_file(hall, tmp_path):
    ctx = hall.ctx
    message_id = ctx.write(lambda s, now: queue_text(s, now, hall_id=hall.hall.hall_id, case_id=None,
                                                     phone="13800135678", kind="materials_needed", values=ZH).id)
    log = tmp_path / "sent-texts.jsonl"
    line = wait_for(lambda: log.exists() and log.read_text(encoding="utf-8").strip())
    sent = json.loads(line)
    m = wait_for(lambda: (m := ctx.read(lambda s, now: s.get(TextMessage, message_id))).status == "sent" and m)
    assert sent["phone"] == "13800135678" and "还需补齐以下材料" in sent["text"] and m.provider_id == sent["id"]
