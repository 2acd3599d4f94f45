"""Shared by the case tests: applicants with valid numbers, a 业务科 client, the materials of GS-1."""

from __future__ import annotations

from contextlib import asynccontextmanager

from hall_server.client import HallClient

PERSON = {"name": "张三", "kind": "person", "id_number": "11010519491231002X", "phone": "13812345678"}
COMPANY = {"name": "昆山示范科技有限公司", "kind": "company", "id_number": "91320583MA1M111106", "phone": ""}
GS1_MATERIALS = ["设立登记申请书", "公司章程", "股东身份证明复印件"]


@asynccontextmanager
async def signed_in(hall, username: str):
    async with HallClient(hall.url) as c:
        await c.login(username, hall.hall.password)
        yield c


async def serving(kiosk, staff, window_id: int, service_id: int) -> dict:
    """A ticket taken at the kiosk, called and started at the window: the applicant at the counter."""
    ticket = await kiosk.issue_ticket(service_id)
    called = await staff.call_next(window_id)
    assert called["number"] == ticket["number"]
    await staff.start_service(window_id)
    return ticket
