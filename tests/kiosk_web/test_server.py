"""The web kiosk's server against a careless or hostile client on the kiosk's network: a post too
large, a touch on a choice the screen does not show, a field that is not there, a forged or old
visit cookie, and two browsers at once each with their own visit."""

from __future__ import annotations

import httpx
import pytest

from kiosk.web.server import COOKIE, MAX_BODY, MAX_VISITS
from tests.conftest import sqlite_only
from tests.kiosk_web.conftest import web_kiosk

database_url = sqlite_only()
FRAGMENT = {"X-Kiosk-Fragment": "1"}


def kind_of(html: str) -> str:
    return html.split('data-kind="', 1)[1].split('"', 1)[0]


@pytest.fixture
async def served(hall, tmp_path):
    async with web_kiosk(hall.url, hall.hall.kiosk_token, tmp_path) as kiosk:
        for _ in range(200):
            if kiosk.core.hall is not None:
                break
            import asyncio

            await asyncio.sleep(0.05)
        yield kiosk


async def test_a_post_too_large_is_refused_and_changes_nothing(served) -> None:
    async with httpx.AsyncClient(base_url=served.url) as browser:
        await browser.get("/")
        answer = await browser.post("/type", data={"field": "search", "value": "x" * (MAX_BODY + 1)})
        assert answer.status_code == 413
        assert kind_of((await browser.get("/")).text) == "home"


async def test_touches_the_screen_does_not_offer_and_unknown_fields_change_nothing(served) -> None:
    async with httpx.AsyncClient(base_url=served.url) as browser:
        home = (await browser.get("/")).text
        for choice in ("confirm-normal", "svc-999999", "dept-x", "rate-good", "key-A", "", "<script>"):
            answer = await browser.post("/touch", data={"touch": choice}, headers=FRAGMENT)
            assert answer.status_code == 200 and kind_of(answer.text) == "home"
        answer = await browser.post("/type", data={"field": "find-number", "value": "A001"}, headers=FRAGMENT)
        assert kind_of(answer.text) == "home"
        assert kind_of(home) == "home"


async def test_a_field_keeps_no_more_than_its_length(served, hall) -> None:
    async with httpx.AsyncClient(base_url=served.url) as browser:
        await browser.get("/")
        await browser.post("/touch", data={"touch": "go-status"}, headers=FRAGMENT)
        answer = await browser.post("/type", data={"field": "find-number", "value": "A0011111111111"}, headers=FRAGMENT)
        assert 'value="A0011111"' in answer.text


async def test_each_browser_has_its_own_visit_and_a_forged_cookie_gets_a_new_one(served) -> None:
    async with httpx.AsyncClient(base_url=served.url) as first, httpx.AsyncClient(base_url=served.url) as second:
        await first.get("/")
        await first.post("/touch", data={"touch": "go-take"})
        assert kind_of((await first.get("/")).text) == "guide"
        assert kind_of((await second.get("/")).text) == "home"
        forged = httpx.AsyncClient(base_url=served.url, cookies={COOKIE: "guessed"})
        async with forged:
            page = await forged.get("/")
            assert kind_of(page.text) == "home"
            assert page.cookies.get(COOKIE) not in (None, "guessed")  # a new visit, under a new name


async def test_visits_are_bounded(served) -> None:
    for _ in range(MAX_VISITS + 5):
        async with httpx.AsyncClient(base_url=served.url) as browser:
            await browser.get("/")
    assert len(served.core.visits) <= MAX_VISITS


async def test_a_touch_without_the_script_is_a_form_post_and_a_page_load(served) -> None:
    async with httpx.AsyncClient(base_url=served.url, follow_redirects=True) as browser:
        await browser.get("/")
        page = await browser.post("/touch", data={"touch": "go-take"})
        assert page.status_code == 200 and "<html" in page.text and kind_of(page.text) == "guide"
