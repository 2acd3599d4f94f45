"""What 业务科 changes reaches a running kiosk at once, through the hall's events, without a restart:
new hours and notices on the home screen, a retired service gone from the list being read."""

from __future__ import annotations

from tests.kiosk.conftest import SIZE, ready, screen_text, tap, wait_for_text, wait_until


async def test_new_hours_and_notice_show_on_a_running_kiosk(make_kiosk, hall, business) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "开放时间:工作日 09:00-17:00" in screen_text(app) and "午休 12:00-13:00" in screen_text(app)
        await business.update_hall(hall.hall.hall_id, hours="08:30-17:30", lunch="", notice="即日起提前半小时开门。")
        await wait_for_text(pilot, "开放时间:工作日 08:30-17:30", "即日起提前半小时开门。")
        assert "午休" not in screen_text(app)


async def test_a_retired_service_leaves_the_list_on_screen_and_comes_back(make_kiosk, hall, business) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-take")
        await wait_for_text(pilot, "发票申领")
        await business.update_service(hall.hall.services["SW-1"], active=False)
        await wait_until(pilot, lambda: "发票申领" not in (shown := screen_text(app)) and "企业设立登记" in shown,
                         "the retired service to leave the list")
        await business.update_service(hall.hall.services["SW-1"], active=True)
        await wait_for_text(pilot, "发票申领")


async def test_an_import_reaches_a_running_kiosk(make_kiosk, hall, business) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        exported = await business.export_catalog()
        await business.import_catalog(exported.replace("请携带身份证件原件办理业务。", "本周六正常上班。"))
        await wait_for_text(pilot, "本周六正常上班。")
