"""The web kiosk's page as an older applicant meets it: every sample screen (tests/kiosk_web/samples.py),
in Chinese and English, normal and 大字, drawn by headless Chromium at the kiosk's 1920×1080 and
at portrait 1080×1920 and 1280×1024, is held to the readability rules of tests/kiosk_web/measure.py.
Also: the Chinese really is drawn in WenQuanYi Micro Hei, the QR code scans from the screen, and
the page's script swaps screens and sends typed text the way the server expects.

The pages come from a small local server (the page, kiosk/web/static, the font), not the kiosk's:
this is the renderer's test. Screenshots of a few screens go to /tmp/kiosk-shots for a person.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from hardware.printer.fonts import cjk_font_path
from kiosk.web.render import STATIC, render_page, render_screen
from tests.browser import chromium_page
from tests.kiosk_web.measure import assert_readable, measure, summary
from tests.kiosk_web.samples import all_samples, home, ticket

pytestmark = [pytest.mark.browser, pytest.mark.asyncio(loop_scope="module")]

SHOTS = Path("/tmp/kiosk-shots")
SHOT_NAMES = {"home", "guide", "ticket", "rate", "item", "find", "confirm", "status", "ticket-printer"}
SHOT_EVERY_SIZE = {"home", "ticket", "guide", "find", "item"}  # in Chinese: also portrait and 1280×1024
SIZES = [(1920, 1080), (1080, 1920), (1280, 1024)]
CASES = all_samples()
FIGURES: dict[str, dict[str, float]] = {}  # each case's least figures, written beside the screenshots


class Site:
    """The pages under test by name, the assets beside them, and what the page's script posts."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.posts: list[tuple[str, dict[str, str]]] = []
        self.answers: dict[str, str] = {}  # "/touch" -> a fragment to answer with
        self.url = ""

    async def page(self, request: Request) -> Response:
        return HTMLResponse(self.pages[request.path_params["name"]])

    async def post(self, request: Request) -> Response:
        form = await request.form()
        self.posts.append((request.url.path, {k: str(v) for k, v in form.items()}))
        fragment = self.answers.get(request.url.path)
        if fragment and request.headers.get("X-Kiosk-Fragment") == "1":
            return HTMLResponse(fragment)
        return Response(status_code=204)

    async def font(self, request: Request) -> Response:
        return FileResponse(cjk_font_path() or "")

    async def changes(self, request: Request) -> Response:
        return Response(status_code=404)  # no live changes here: the script waits a second and asks again


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def site() -> AsyncIterator[Site]:
    site = Site()
    app = Starlette(routes=[
        Route("/view/{name}", site.page),
        Route("/static/fonts/wqy-microhei.ttc", site.font),
        Mount("/static", StaticFiles(directory=STATIC)),
        Route("/touch", site.post, methods=["POST"]),
        Route("/type", site.post, methods=["POST"]),
        Route("/changes", site.changes),
    ])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    site.url = f"http://127.0.0.1:{port}"
    yield site
    server.should_exit = True
    await task
    if FIGURES:
        SHOTS.mkdir(exist_ok=True)
        (SHOTS / "figures.json").write_text(json.dumps(FIGURES, indent=1, ensure_ascii=False))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def page(site: Site):
    """One browser and one page for the module: each test loads its screen into it."""
    async with chromium_page(1920, 1080) as page:
        yield page


async def show(site: Site, page, name: str, html: str, size: tuple[int, int] = (1920, 1080)) -> None:
    site.pages[name] = html
    await page.set_viewport_size({"width": size[0], "height": size[1]})
    await page.goto(f"{site.url}/view/{name}")
    await page.evaluate("document.fonts.ready.then(() => true)")


def case_id(case: tuple) -> str:
    name, lang, large, _ = case
    return f"{name}-{lang}-{'large' if large else 'normal'}"


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
async def test_readable_at_every_size(site: Site, page, case) -> None:
    """Text sizes, contrast, targets and fit, at the kiosk's landscape screen, in portrait and at 1280×1024."""
    name, lang, large, view = case
    key = case_id(case)
    failures = []
    for size in SIZES:
        await show(site, page, key, render_page(view), size)
        if name in SHOT_NAMES and size == (1920, 1080) or name in SHOT_EVERY_SIZE and lang == "zh":
            SHOTS.mkdir(exist_ok=True)
            await page.screenshot(path=str(SHOTS / f"{key}-{size[0]}x{size[1]}.png"))
        result = await measure(page)
        FIGURES[f"{key}@{size[0]}x{size[1]}"] = summary(result)
        try:
            assert_readable(result, large)
        except AssertionError as e:
            failures.append(f"at {size[0]}×{size[1]}:\n{e}")
        if size == (1920, 1080):
            assert result["texts"], "nothing readable on the page"
            if name.startswith("ticket"):
                assert result["number"], "no ticket number shown"
    assert not failures, f"{key}\n" + "\n".join(failures)


async def test_chinese_is_drawn_in_wenquanyi(site: Site, page) -> None:
    """The page names its font HallSans; Chromium must really draw the Chinese (and the ticket
    number) with WenQuanYi Micro Hei, not a fallback found elsewhere on the machine."""
    await show(site, page, "font", render_page(ticket("zh", False)))
    cdp = await page.context.new_cdp_session(page)
    await cdp.send("DOM.enable")
    await cdp.send("CSS.enable")
    root = (await cdp.send("DOM.getDocument"))["root"]["nodeId"]
    for selector in ('[data-part="ticket-service"]', '[data-part="ticket-number"]', ".choice.primary .label"):
        node = (await cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector}))["nodeId"]
        assert node, selector
        fonts = (await cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node}))["fonts"]
        families = {f["familyName"] for f in fonts}
        assert families == {"WenQuanYi Micro Hei"}, f"{selector} drawn with {families}"


async def test_qr_code_scans_from_the_screen(site: Site, page) -> None:
    """The ticket's QR code is big (≥ 300 px) and a phone camera's decoder reads the status address."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    view = ticket("zh", False)
    await show(site, page, "qr", render_page(view))
    box = await page.locator(".qr-svg").bounding_box()
    assert box and box["width"] >= 300 and box["height"] >= 300, box
    shot = SHOTS / "qr.png"
    SHOTS.mkdir(exist_ok=True)
    await page.locator(".qr-code").screenshot(path=str(shot))
    codes = zxingcpp.read_barcodes(Image.open(shot))
    assert [c.text for c in codes] == [view.part("ticket-qr").data]  # type: ignore[union-attr]


async def test_script_swaps_the_screen_after_a_touch(site: Site, page) -> None:
    """A tap posts the button's touch with X-Kiosk-Fragment and puts the answer in place of the
    screen: the body's classes, the language and the version follow; a second tap while the first
    is under way is not sent."""
    site.posts.clear()
    before = home("zh", False)
    await show(site, page, "touch", render_page(before))
    after = replace(ticket("en", True), version=before.version + 1)  # the next change of the visit
    site.answers["/touch"] = render_screen(after)
    await page.click('[data-choice="go-take"]')
    await page.wait_for_selector("#screen.kind-ticket")
    assert await page.evaluate("document.body.className") == "kiosk kind-ticket large"
    assert await page.evaluate("document.documentElement.lang") == "en"
    assert await page.evaluate("document.getElementById('screen').dataset.version") == str(after.version)
    assert site.posts == [("/touch", {"touch": "go-take", "v": str(before.version)})]  # the version it touched
    site.answers.clear()


async def test_script_sends_typing_and_keeps_the_field(site: Site, page) -> None:
    """Focusing a field tells the server which one the keys type into; typing is sent (debounced),
    Enter sends enter=1; after a screen swap the field keeps the focus, the caret at the end, and
    what the applicant typed since rather than the older value in the answer."""
    from tests.kiosk_web.samples import find

    site.posts.clear()
    view = find("zh", False)
    await show(site, page, "typing", render_page(view))
    # The scan field has the focus from the start (a keyboard-mode scanner types into it).
    assert await page.evaluate("document.activeElement.dataset.field") == "find-scan"
    await page.click('[data-field="find-number"]')
    await page.keyboard.press("End")
    await page.keyboard.type("1", delay=30)
    await asyncio.sleep(0.4)
    typed = [p for p in site.posts if p[0] == "/type" and p[1]["field"] == "find-number"]
    assert typed[0][1] == {"field": "find-number", "value": "A0"}  # the focus
    assert typed[-1][1] == {"field": "find-number", "value": "A01"}
    await page.keyboard.type("23", delay=30)
    await asyncio.sleep(0.4)
    typed = [p for p in site.posts if p[0] == "/type" and p[1]["field"] == "find-number"]
    assert [p[1]["value"] for p in typed] == ["A0", "A01", "A0123"]  # debounced: not one post a key
    await page.keyboard.press("Backspace")
    await page.keyboard.press("Backspace")
    # The server answers an Enter with an older value: the page keeps what is in the field.
    old = replace(view, version=view.version + 1)
    site.answers["/type"] = render_screen(old)
    await page.keyboard.press("Enter")
    await page.keyboard.type("5")
    await asyncio.sleep(0.5)
    state = await page.evaluate("""() => { const f = document.activeElement;
        return [f.dataset.field, f.value, f.selectionStart, document.getElementById('screen').dataset.version]; }""")
    assert state == ["find-number", "A015", 4, str(old.version)]
    assert ("/type", {"field": "find-number", "value": "A01", "enter": "1"}) in site.posts
    site.answers.clear()


async def test_a_redrawn_screen_keeps_where_the_applicant_scrolled_and_a_new_one_starts_at_the_top(
        site: Site, page) -> None:
    """The same screen drawn again (the printer's answer, a status asked again) leaves the reader
    where they were in a long item; another screen opens at its top."""
    from tests.kiosk_web.samples import item, ticket

    view = item("zh", True)
    await show(site, page, "scroll", render_page(view), (1280, 1024))
    main = '#screen [data-area="main"]'
    assert await page.evaluate(f"document.querySelector('{main}').scrollHeight > "
                               f"document.querySelector('{main}').clientHeight"), "the long item scrolls"
    await page.evaluate(f"document.querySelector('{main}').scrollTop = 300")
    site.answers["/touch"] = render_screen(replace(view, version=view.version + 1))
    await page.click('[data-choice="top-voice"]')
    await page.wait_for_function(f"document.getElementById('screen').dataset.version === '{view.version + 1}'")
    assert await page.evaluate(f"document.querySelector('{main}').scrollTop") == 300
    other = ticket("zh", True)
    site.answers["/touch"] = render_screen(replace(other, version=view.version + 2))
    await page.click('[data-choice="top-voice"]')
    await page.wait_for_function("document.getElementById('screen').dataset.kind === 'ticket'")
    assert await page.evaluate(f"document.querySelector('{main}')?.scrollTop ?? 0") == 0
    site.answers.clear()
