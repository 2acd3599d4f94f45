"""Call-next taken past FastAPI (a known token) answers exactly as the documented route does.

Each case is asked twice, once with the token cache emptied first (FastAPI's way: the token is
read, checked and cached) and once with the token known (the hot path), and the two answers
must be the same: status, content type and body, refusals included.
"""

from __future__ import annotations

import httpx
import pytest

from hall_server.tickets import hot_path


@pytest.fixture
def hot_answers(monkeypatch) -> list[int]:
    """The statuses the hot path has answered with, in order."""
    answered: list[int] = []
    send = hot_path._send

    async def counted(asgi_send, status: int, body: bytes) -> None:
        answered.append(status)
        await send(asgi_send, status, body)

    monkeypatch.setattr(hot_path, "_send", counted)
    return answered


async def _both_ways(hall, token: str, window_id: int) -> tuple[tuple, tuple]:
    async with httpx.AsyncClient(base_url=hall.url, headers={"Authorization": f"Bearer {token}"}) as http:
        hall.ctx.actors.clear()
        documented = await http.post(f"/api/v1/windows/{window_id}/call-next")
        hot = await http.post(f"/api/v1/windows/{window_id}/call-next")

    def seen(r: httpx.Response) -> tuple:
        return r.status_code, r.headers.get("content-type"), r.json() if r.content else None

    return seen(documented), seen(hot)


async def test_a_call_a_refusal_and_an_empty_queue_answer_alike_both_ways(hall, kiosk, staff_client, hot_answers):
    h = hall.hall
    staff = await staff_client(1)
    for _ in range(2):
        await kiosk.issue_ticket(h.services["GS-1"])
    documented, hot = await _both_ways(hall, staff.token, h.windows[1])
    assert documented[:2] == hot[:2] == (200, "application/json")
    assert documented[2]["number"] == "A001" and hot[2]["number"] == "A002"  # the next applicant each time
    assert set(documented[2]) == set(hot[2]) and hot[2]["window_number"] == 1 and hot[2]["status"] == "called"

    assert await _both_ways(hall, staff.token, h.windows[1]) == ((204, None, None),) * 2  # no one waiting

    other = await staff_client(2)  # window 1 is not theirs
    documented, hot = await _both_ways(hall, other.token, h.windows[1])
    assert documented == hot and hot[0] == 403 and hot[2]["error"]["code"] == "not_your_window"

    await staff.pause_window(h.windows[1], "会议")
    documented, hot = await _both_ways(hall, staff.token, h.windows[1])
    assert documented == hot and hot[0] == 409 and hot[2]["error"]["message_zh"]
    assert hot_answers == [200, 204, 403, 409]  # each second ask went the hot way, and only those


async def test_what_the_hot_path_does_not_know_goes_on_to_fastapi(hall, staff_client, hot_answers):
    staff = await staff_client(1)
    async with httpx.AsyncClient(base_url=hall.url) as http:
        anonymous = await http.post(f"/api/v1/windows/{hall.hall.windows[1]}/call-next")
        unknown = await http.post(f"/api/v1/windows/{hall.hall.windows[1]}/call-next",
                                  headers={"Authorization": "Bearer not-a-token"})
        too_big = await http.post("/api/v1/windows/99999999999/call-next",
                                  headers={"Authorization": f"Bearer {staff.token}"})
    assert (anonymous.status_code, unknown.status_code, too_big.status_code) == (401, 401, 422)
    assert anonymous.json()["error"]["message_en"] and too_big.json()["error"]["code"] == "invalid_request"
    assert hot_answers == []
