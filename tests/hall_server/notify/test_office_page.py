"""The office's list of texts (/office/messages): a text the gateway never took shows as failed,
with its tries and last error and a masked number, and 重发 queues it again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hall_server.notify.models import TextMessage
from hall_server.notify.outbox import queue_text
from tests.hall_server.notify.support import gateway
from tests.hall_server.notify.test_loop import wait_for
from tests.hall_server.notify.test_messages import ZH
from tests.hall_server.office.pages import table_cells
from tests.hall_server.office.support import office


@pytest.fixture
def failing_gateway():
    with gateway(lambda n: (500, {"error": "gateway down"})) as gw:
        yield gw


@pytest.fixture
def sms_env(failing_gateway) -> dict[str, str]:
    return {"HALL_SMS_BACKEND": "http", "HALL_SMS_GATEWAY_URL": failing_gateway.url,
            "HALL_SMS_GATEWAY_KEY": "k", "HALL_SMS_MAX_ATTEMPTS": "2"}


def test_a_text_failing_every_try_is_shown_and_sent_again(hall, failing_gateway):
    ctx = hall.ctx

    def text_row():
        return ctx.read(lambda s, now: s.get(TextMessage, message_id))

    message_id = ctx.write(lambda s, now: queue_text(s, now, hall_id=hall.hall.hall_id, case_id=None,
                                                     phone="13800135678", kind="returned", values=ZH).id)
    wait_for(lambda: text_row().last_error)  # the server's loop tried it once (and recorded it): again in 30 s
    hall.clock.advance(timedelta(seconds=30))
    wait_for(lambda: text_row().status == "failed")
    assert text_row().attempts == 2 and len(failing_gateway.posts) == 2

    with office(hall, "supervisor") as o:
        page = o.get("/office/messages")
        assert page.status_code == 200 and "短信告知记录" in page.text and "发送方式:短信网关" in page.text
        assert "13800135678" not in page.text
        cells = table_cells(page.text, "text-messages")[str(message_id)]
        assert cells["phone"] == "138****5678" and cells["status"] == "发送失败" and cells["attempts"] == "2"
        assert cells["kind"] == "退回通知" and cells["error"].startswith("HTTP 500")
        assert "业务科申请复核" in cells["text"]
        assert table_cells(o.get("/office/messages?status=sent").text, "text-messages") == {}

        r = o.post(f"/office/messages/{message_id}/retry", {"hall": str(hall.hall.hall_id), "status": "failed"})
        assert r.status_code == 200 and "短信已重新排队" in r.text
        assert str(message_id) not in table_cells(r.text, "text-messages")  # no longer failed
        cells = table_cells(o.get("/office/messages?status=queued").text, "text-messages")[str(message_id)]
        assert cells["status"] == "待发送"
        wait_for(lambda: len(failing_gateway.posts) == 3)  # the loop took it again at once
        r = o.post(f"/office/messages/{message_id}/retry", {"hall": str(hall.hall.hall_id)})
        assert "不是发送失败状态" in r.text  # a second press changes nothing
        assert o.post("/office/messages/999999/retry", {"hall": str(hall.hall.hall_id)}).status_code == 404
        assert o.post(f"/office/messages/{message_id}/retry", {"hall": str(hall.hall.hall_id)},
                      csrf=False).status_code == 403


def test_who_may_open_the_page(hall):
    for user, status in (("admin", 200), ("business", 200), ("supervisor", 200), ("leader", 403)):
        with office(hall, user) as o:
            r = o.get(f"/office/messages?hall={hall.hall.hall_id}")
            assert r.status_code == status, user
            assert ('href="/office/messages"' in o.get("/office/").text) == (status == 200), user
    with office(hall, "admin") as o:
        r = o.get("/office/messages?lang=en")
        assert "Text messages to applicants" in r.text and "No text messages." in r.text
