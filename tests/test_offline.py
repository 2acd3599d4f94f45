"""Every page of the product works on a hall network closed to the internet.

Each page in ``PAGES`` is opened in headless Chromium with every request to a host other than
this machine refused, and the test fails on any such attempt (a font, a script, a stylesheet,
an image or a WebSocket) as well as on a page that does not draw. A new page (the back office's,
``/office/…``) is covered by appending it to ``PAGES``: its address, what shows it is drawn, and,
if it needs one, a step before (signing in).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hall_server.client import HallClient
from tests.browser import chromium_page
from tests.conftest import sqlite_only
from tests.hall_server.cases.support import GS1_MATERIALS, PERSON
from tests.harness import RunningHall
from tests.kiosk_web.test_command import web_kiosk_command

pytestmark = pytest.mark.browser
database_url = sqlite_only()  # what a page loads does not depend on the database
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


class Site:
    """The running product the pages are opened on: the hall server, and what a page needs of it,
    started the first time a page asks (the browser kiosk's own server, a ticket to look up)."""

    def __init__(self, hall: RunningHall, folder: Path, stack: contextlib.ExitStack) -> None:
        self.hall = hall
        self.url = hall.url
        self.folder = folder
        self._stack = stack
        self._kiosk: str | None = None

    @property
    def hall_id(self) -> int:
        return self.hall.hall.hall_id

    def kiosk(self) -> str:
        """The browser kiosk (``hall kiosk --web``) for this hall."""
        if self._kiosk is None:
            self._kiosk = self._stack.enter_context(web_kiosk_command(self.hall, self.folder))
        return self._kiosk

    async def ticket(self) -> dict:
        """A ticket issued now, as the kiosk gets it (with the status page's address its QR code holds)."""
        async with HallClient(self.url, self.hall.hall.kiosk_token) as kiosk:
            return await kiosk.issue_ticket(self.hall.hall.services["GS-1"])

    async def case(self) -> dict:
        """A case received at window 1 now (a 补办件), with the status page's address its notice's QR holds."""
        async with HallClient(self.url) as staff:
            await staff.login(self.hall.hall.staff[1], self.hall.hall.password)
            await staff.sign_in_window(self.hall.hall.windows[1])
            return await staff.register_case(self.hall.hall.services["GS-1"], "supplement", PERSON,
                                             window_id=self.hall.hall.windows[1], materials_received=GS1_MATERIALS[:1])


async def _board(site: Site) -> str:
    return f"{site.url}/board?hall={site.hall_id}"


async def _kiosk(site: Site) -> str:
    return site.kiosk() + "/"


async def _status(site: Site) -> str:
    return (await site.ticket())["status_url"]


async def _case_status(site: Site) -> str:
    return (await site.case())["status_url"]


async def _docs(site: Site) -> str:
    return f"{site.url}/docs"


async def _signed_in(page, site: Site) -> None:
    """The back office's pages open for the admin, who may open every one."""
    await page.goto(f"{site.url}/office/login")
    await page.fill("input[name=username]", site.hall.hall.admin)
    await page.fill("input[name=password]", site.hall.hall.password)
    await page.click("button[type=submit].primary")
    await page.wait_for_url("**/office/")


def _office(path: str) -> Callable[[Site], Awaitable[str]]:
    async def address(site: Site) -> str:
        return f"{site.url}/office/{path}"

    return address


async def _case(site: Site) -> str:
    """A case's page in the back office: a promised case 业务科 registered as it came by mail."""
    async with HallClient(site.url) as business:
        await business.login(site.hall.hall.business, site.hall.hall.password)
        case = await business.register_case(site.hall.hall.services["GS-1"], "promised", {"name": "张三"},
                                            channel="mail", materials_received=["设立登记申请书", "公司章程",
                                                                                "股东身份证明复印件"])
    return f"{site.url}/office/cases/{case['id']}"


def _office_page(name: str, path: str, shows: str) -> Page:
    """A back office page, opened signed in; drawn once its heading (or ``shows``) is there."""
    return Page(name, _office(path), f"document.body.innerText.includes({shows!r})", _signed_in)


@dataclass(frozen=True)
class Page:
    """One page of the product: where it is, and a JavaScript condition that holds once it is drawn."""

    name: str
    address: Callable[[Site], Awaitable[str]]
    drawn: str
    before: Callable[[object, Site], Awaitable[None]] | None = None  # e.g. sign in, with the page
    long_poll: bool = False  # always has a request open (the web kiosk's /changes): never "network idle"


PAGES = [
    Page("the TV board", _board, "window.hallBoard && window.hallBoard.connected && "
         "document.getElementById('hall-name').textContent === '测试行政服务中心'"),
    Page("the browser kiosk", _kiosk, "!!document.querySelector('#screen[data-kind=home]') && "
         "document.body.innerText.includes('测试行政服务中心')", long_poll=True),
    Page("a ticket's status page (its QR code)", _status, "document.body.innerText.includes('A001')"),
    Page("a case's status page (its notice's QR code)", _case_status,
         "document.body.innerText.includes('2026000001') && document.body.innerText.includes('公司章程')"),
    Page("the API documentation", _docs, "!!document.querySelector('.swagger-ui .info .title') && "
         "document.querySelector('.swagger-ui .info .title').textContent.includes('政务服务大厅') && "
         "document.body.innerText.includes('/api/v1/tickets')"),
    Page("the back office's sign-in", _office("login"), "document.body.innerText.includes('用户名')"),
    *[_office_page(f"the back office: {path or 'home'}", path, shows) for path, shows in (
        ("", "欢迎"), ("users?hall=1", "新建账号"), ("users/1", "重置密码"), ("devices?hall=1", "发放设备令牌"),
        ("catalog?hall=1", "新增部门"), ("catalog/services/GS-1?hall=1", "申报材料"),
        ("catalog/windows/1?hall=1", "办理的事项"), ("catalog/yaml?hall=1", "下载本中心目录"),
        ("settings?hall=1", "叫号规则"), ("stats?hall=1", "统计"), ("hall?hall=1", "今日大厅"),
        ("messages?hall=1", "短信告知记录"))],
    *[_office_page(f"the back office: {path}", path, shows) for path, shows in (
        ("cases?hall=1", "办件管理"), ("cases/new?hall=1&service=1", "已收到的材料"), ("calendar?hall=1", "工作日历"))],
    Page("the back office: a case", _case, "document.body.innerText.includes('办理过程')", _signed_in),
]


@contextlib.asynccontextmanager
async def offline(page) -> AsyncIterator[list[str]]:
    """Refuse every request that would leave the machine; yields the addresses that were asked for."""
    asked: list[str] = []

    def outside(url: str) -> bool:
        return not url.startswith(("data:", "blob:")) and urlsplit(url).hostname not in LOOPBACK

    async def route(r) -> None:
        if outside(r.request.url):
            asked.append(r.request.url)
            await r.abort()
        else:
            await r.continue_()

    await page.route("**/*", route)
    page.on("websocket", lambda ws: outside(ws.url) and asked.append(ws.url))
    yield asked


@pytest.mark.parametrize("shown", PAGES, ids=[p.name for p in PAGES])
async def test_the_page_works_with_the_internet_out_of_reach(hall, tmp_path, shown: Page) -> None:
    with contextlib.ExitStack() as stack:
        site = Site(hall, tmp_path, stack)
        async with chromium_page(1280, 1024) as page, offline(page) as asked:
            if shown.before is not None:
                await shown.before(page, site)
            await page.goto(await shown.address(site))
            await page.wait_for_function(shown.drawn, timeout=30000)
            if shown.long_poll:
                await asyncio.sleep(2)  # what it loads after drawing (fonts, the first /changes) has been asked
            else:
                await page.wait_for_load_state("networkidle")
        assert asked == [], f"{shown.name} asked outside the hall's network: {asked}"
