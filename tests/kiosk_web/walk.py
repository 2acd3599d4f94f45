"""A walk through every screen of the web kiosk, as an applicant would tap it: the measuring test
stops at each screen to measure it, the gallery (``python -m tests.kiosk_web.gallery``) to
photograph it. One walk serves both, so the pictures in the docs are of the screens measured."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from hall_server.client import HallClient
from tests.harness import RunningHall
from tests.kiosk_web.conftest import WebKiosk, shows, tap, tap_keys, type_number_and_code, wait_for_text

# every screen the walk stops at, in order: (name, what it shows)
SCREENS = (
    ("home", "首页 Home"),
    ("guide", "办事指南 Service guide"),
    ("guide-keys", "拼音首字母搜索 Search by pinyin initials"),
    ("item", "九公开 One service item"),
    ("take", "取号:选择业务 Take a ticket: choose"),
    ("confirm", "确认取号 Confirm"),
    ("priority", "优先号 Priority"),
    ("green", "绿色通道 Green channel"),
    ("green-refused", "未能出号 No ticket (a wrong code)"),
    ("ticket", "取号成功 The ticket"),
    ("find", "查询:票号与核对码 Find by number and check code"),
    ("status", "进度 Status"),
    ("rate", "评价 Rate"),
    ("rate-poor", "较差:原因 Poor: reasons"),
    ("rate-thanks", "感谢 Thanks"),
)


async def prefer(page, lang: str, large: bool) -> None:
    """The language and text size the walk is in (a finished visit falls back to the kiosk's own)."""
    if (await page.get_attribute("html", "lang") or "zh").startswith("zh") != (lang == "zh"):
        await tap(page, "top-lang")
        await page.wait_for_function("lang => document.documentElement.lang.startsWith(lang)", arg=lang)
    if ("large" in (await page.get_attribute("body", "class") or "").split()) != large:
        await tap(page, "top-large")
        await page.wait_for_function("want => document.body.classList.contains('large') === want", arg=large)


async def walk(page, kiosk: WebKiosk, hall: RunningHall, lang: str, large: bool,
               at: Callable[[str], Awaitable[None]]) -> None:
    """Tap through every screen of ``SCREENS`` in ``lang`` and text size, calling ``at(name)`` on each."""
    service = hall.hall.services["GS-1"]
    async with HallClient(hall.url, hall.hall.kiosk_token) as kiosk_client, HallClient(hall.url) as staff:
        await staff.login(hall.hall.staff[1], hall.hall.password)
        await staff.sign_in_window(hall.hall.windows[1])
        served = await kiosk_client.issue_ticket(service)  # someone served before us, to rate
        await staff.call_next(hall.hall.windows[1])
        await staff.finish_service(hall.hall.windows[1])

        async def stop(name: str, kind: str) -> None:
            await shows(page, kind)
            await page.wait_for_function("document.fonts.status === 'loaded'")
            await at(name)

        await page.goto(kiosk.url)
        await shows(page, "home")
        await prefer(page, lang, large)
        await stop("home", "home")
        await tap(page, "go-guide")
        await stop("guide", "guide")
        await tap(page, "toggle-keys")
        await tap_keys(page, "qysl")
        await stop("guide-keys", "guide")
        await tap(page, f"svc-{service}")
        await shows(page, "item")
        await page.wait_for_selector('[data-part="item-materials"]')
        await stop("item", "item")
        await tap(page, "top-home")
        await tap(page, "go-take")
        await stop("take", "guide")
        await tap(page, f"svc-{service}")
        await page.wait_for_selector('[data-part="confirm-where"]')
        await stop("confirm", "confirm")
        await tap(page, "confirm-priority")
        await stop("priority", "priority")
        await tap(page, "top-back")
        await tap(page, "confirm-green")
        await stop("green", "green")
        await tap_keys(page, "G0000000")
        await tap(page, "green-submit")
        await page.wait_for_selector('button[data-choice="issue-back"]')
        await stop("green-refused", "issuing")
        await tap(page, "issue-back")
        await tap(page, "top-back")
        await shows(page, "confirm")
        await tap(page, "confirm-normal")
        await shows(page, "ticket")
        await page.wait_for_selector(".text.printed")
        await stop("ticket", "ticket")
        number = (await page.inner_text(".text.number")).strip()
        code = (await page.inner_text('[data-part="ticket-code"]')).split(":")[-1].split(":")[-1].strip()
        await tap(page, "ticket-done")
        await shows(page, "home")
        await prefer(page, lang, large)
        await tap(page, "go-status")
        await shows(page, "find")
        await type_number_and_code(page, number, code)
        await stop("find", "find")
        await tap(page, "find-submit")
        await stop("status", "status")
        await tap(page, "top-home")
        await tap(page, "go-rate")
        await shows(page, "find")
        await type_number_and_code(page, served["number"], served["check_code"])
        await tap(page, "find-submit")
        await stop("rate", "rate")
        await tap(page, "rate-poor")
        await tap(page, "reason-slow")
        await wait_for_text(page, "服务态度" if lang == "zh" else "Attitude")
        await stop("rate-poor", "rate")
        await tap(page, "rate-submit")
        await page.wait_for_selector('button[data-choice="rate-done"]')
        await stop("rate-thanks", "rate")

