"""The service guide (九公开): browse by department and theme, search by words or pinyin
initials, read an item, and take a ticket for it in one touch."""

from __future__ import annotations

from hall_server.client import HallClient
from tests.kiosk.conftest import SIZE, ready, screen_text, tap, wait_for_screen, wait_for_text, wait_until


def listed(app) -> list[str]:
    return [b.id for b in app.screen.query(".service")]


async def test_search_by_pinyin_initials_on_the_screen_keys(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-guide")
        assert len(listed(app)) == 4
        await tap(pilot, "#toggle-keys")
        for key in "FPSL":  # 发票申领
            await tap(pilot, f"#key-{key}")
        await wait_for_text(pilot, "共 1 项")
        assert listed(app) == [f"svc-{hall.hall.services['SW-1']}"]
        await tap(pilot, "#key-clear")
        await wait_for_text(pilot, "共 4 项")
        for key in "QQQ":
            await tap(pilot, f"#key-{key}")
        await wait_for_text(pilot, "没有找到相关事项,请换个关键词试试,或到导办台咨询。")


async def test_search_by_chinese_words_typed(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-guide")
        app.screen.query_one("#search").value = "登记"
        await wait_for_text(pilot, "共 2 项")
        assert set(listed(app)) == {f"svc-{hall.hall.services['GS-1']}", f"svc-{hall.hall.services['GS-2']}"}


async def test_browse_by_theme_and_department(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-guide")
        await tap(pilot, "#theme-enterprise")
        assert listed(app) == [f"svc-{hall.hall.services['GS-1']}"]  # the only 企业 item of the test hall
        await tap(pilot, "#theme-all")
        departments = {d["name"]: d["id"] for d in app.hall.departments}
        await tap(pilot, f"#dept-{departments['市场监督管理局']}")
        assert set(listed(app)) == {f"svc-{hall.hall.services['GS-1']}", f"svc-{hall.hall.services['GS-2']}"}
        await tap(pilot, f"#dept-{departments['税务局']}")
        assert listed(app) == [f"svc-{hall.hall.services['SW-1']}"]


async def test_an_item_shows_what_where_how_long_and_what_it_costs(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-guide")
        await tap(pilot, f"#svc-{hall.hall.services['GS-1']}")
        await wait_for_text(pilot, "申请材料")
        shown = screen_text(app)
        for words in ("企业设立登记", "办理部门:市场监督管理局", "承诺件(在承诺时限内办结)", "承诺时限:3 个工作日",
                      "法定时限:15 个工作日", "主件", "设立登记申请书", "不收费", "申请 → 受理 → 审查 → 发照",
                      "1号窗口 一楼A区1号窗口", "2号窗口 一楼A区2号窗口"):
            assert words in shown, words


async def test_an_item_in_english(make_kiosk, hall) -> None:
    app = make_kiosk(language="en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-guide")
        await tap(pilot, f"#svc-{hall.hall.services['GS-2']}")
        await wait_for_text(pilot, "Documents to bring")
        shown = screen_text(app)
        for words in ("Sole trader registration", "Immediate (finished on the spot or the same day)",
                      "Free of charge", "No documents are needed", "Window 1"):
            assert words in shown, words


async def test_one_touch_from_an_item_takes_a_ticket_for_it(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-guide")
        await tap(pilot, f"#svc-{hall.hall.services['SW-1']}")
        await tap(pilot, "#item-take")
        await wait_for_screen(pilot, "TicketScreen")
        assert "您的号码\nB001" in screen_text(app)
        token = app.visit.screen.ticket["status_token"]
    async with HallClient(hall.url) as public:
        assert (await public.lookup_status(token))["service_name"] == "发票申领"


async def test_language_switch_keeps_the_search(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-guide")
        app.screen.query_one("#search").value = "fp"
        await wait_for_text(pilot, "共 1 项")
        await tap(pilot, "#top-lang")
        await wait_for_text(pilot, "Services found: 1", "Invoice request")
        assert app.screen.query_one("#search").value == "fp"
        await tap(pilot, "#top-home")
        await wait_for_screen(pilot, "HomeScreen")
        assert "Take a ticket" in screen_text(app)


async def test_large_text_mode_makes_every_target_taller(make_kiosk, hall) -> None:
    app = make_kiosk()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await tap(pilot, "#go-guide")
        before = (app.screen.query_one(".service").region.height, app.screen.query_one("#top-home").region.height)
        await tap(pilot, "#top-large")
        await wait_until(pilot, lambda: app.has_class("-large")
                         and app.screen.query_one("#top-large").has_class("-selected"), "大字 to be on")
        await pilot.pause()
        after = (app.screen.query_one(".service").region.height, app.screen.query_one("#top-home").region.height)
        assert after[0] > before[0] and after[1] > before[1]
        assert app.theme == "textual-dark"  # light on dark: the highest contrast
