async def test_issue_and_call(hall, kiosk, staff_client):
    svc = hall.hall.services["GS-1"]
    t = await kiosk.issue_ticket(svc)
    assert t["number"] == "A001"
    w = await staff_client(1)
    called = await w.call_next(hall.hall.windows[1])
    assert called["number"] == "A001"
