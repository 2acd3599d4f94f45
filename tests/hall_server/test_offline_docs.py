"""A hall's network is often closed to the internet: the API's documentation pages must work
with every request outside loopback refused (Swagger UI served from local assets)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)]


async def _offline(page) -> list[str]:
    """Refuse every request that would leave the machine; return the addresses asked for."""
    asked: list[str] = []

    async def route(r) -> None:
        host = urlsplit(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            await r.continue_()
        else:
            asked.append(r.request.url)
            await r.abort()

    await page.route("**/*", route)
    return asked


async def test_the_api_documentation_works_without_internet(hall):
    async with chromium_page() as page:
        asked = await _offline(page)
        await page.goto(f"{hall.url}/docs")
        await page.locator(".swagger-ui .info .title").wait_for(timeout=15000)
        assert "政务服务大厅" in await page.locator(".swagger-ui .info .title").inner_text()
        await page.get_by_text("/api/v1/tickets", exact=True).first.wait_for(timeout=15000)
    assert asked == [], f"asked outside the hall's network: {asked}"
