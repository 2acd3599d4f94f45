"""Device health: a change of state is reported once as an event; supervisors see every device."""

import pytest

from hall_server.client import ApiError, HallClient


async def test_a_printer_running_out_of_paper_is_an_event_and_visible(hall, kiosk):
    hid = hall.hall.hall_id
    await kiosk.report_device_health("kiosk 1/printer", "printer", "ok")
    await kiosk.report_device_health("kiosk 1/printer", "printer", "paper_out", detail="纸将用尽")
    await kiosk.report_device_health("kiosk 1/printer", "printer", "paper_out")  # repeated: no new event
    kinds = [e["payload"]["device"]["state"] for e in await kiosk.list_events(hall_id=hid)
             if e["kind"] == "device.health"]
    assert kinds == ["ok", "paper_out"]
    async with HallClient(hall.url) as supervisor:
        await supervisor.login("supervisor", hall.hall.password)
        (row,) = await supervisor.list_device_health(hid)
        assert row["state"] == "paper_out" and row["kind"] == "printer"


async def test_only_devices_report_health(hall, staff_client):
    staff = await staff_client(1)
    with pytest.raises(ApiError) as exc:
        await staff.report_device_health("x", "printer", "ok")
    assert exc.value.status == 403
    async with HallClient(hall.url, hall.hall.bus_token) as bus:
        with pytest.raises(ApiError) as exc:
            await bus.report_device_health("bus/line", "line", "ok", window_id=987654)
        assert exc.value.code == "window_not_found"
        await bus.report_device_health("bus/window 1/keypad", "keypad", "unplugged", window_id=hall.hall.windows[1])
