"""Boards' tests run against a hall server that also serves the TV page (``/board``)."""

from __future__ import annotations

import pytest

from tests.display.support import start_board_hall


@pytest.fixture
def hall(database_url, clock):
    running = start_board_hall(database_url, clock)
    yield running
    running.server.stop()
