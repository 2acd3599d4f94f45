"""A ticket slip like the kiosk issues, and a skip for machines without a CJK font."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hardware.printer.fonts import cjk_font_path
from hardware.printer.ticket import TicketSlip

STATUS_URL = "https://hall.example.cn/s/Xy7-kQ2mZp9aLr4TqW"



@pytest.fixture
def cjk_font() -> None:
    """Skip where Chinese cannot be drawn (image-only printer profiles, the PNG preview)."""
    if cjk_font_path() is None:
        pytest.skip("no CJK font: install fonts-wqy-microhei (scripts/system-packages.sh)")


@pytest.fixture
def slip() -> TicketSlip:
    return TicketSlip(
        hall_name="江城市政务服务中心",
        service_name="不动产登记",
        number="A012",
        waiting_ahead=5,
        estimated_wait_seconds=900,
        issued_at=datetime(2024, 5, 6, 1, 30, tzinfo=UTC),
        where="二楼B区 12、13号窗口",
        status_url=STATUS_URL,
    )
