"""The serial QR scanner's line: codes arrive once each, and a scanner unplugged and plugged in
again is read again without restarting the kiosk."""

from __future__ import annotations

import time
from collections.abc import Callable

from hardware.serial_bus.simulator import SimScanner, SocketEndpoint
from kiosk.scanner import ScannerLine
from tests.kiosk.conftest import attached

PATIENCE = 20.0


def wait(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


def test_codes_arrive_and_the_line_reopens_after_an_unplug() -> None:
    codes: list[str] = []
    first = SimScanner()
    first.start()
    port = first.endpoint.port
    line = ScannerLine(first.url, codes.append, backoff=(0.05, 0.2)).start()
    try:
        wait(lambda: line.connected.is_set() and attached(first), "the scanner line to open")
        first.scan("http://hall.test/s/TokenOneTokenOne1234")
        first.scan("G1A2B3C4")
        wait(lambda: len(codes) == 2, "two codes")
        first.stop()  # the cable is pulled
        wait(lambda: not line.connected.is_set(), "the line to notice")
        again = SimScanner(SocketEndpoint(port=port))
        again.start()  # and plugged in again
        try:
            wait(lambda: line.connected.is_set() and attached(again), "the line to reopen")
            again.scan("扫码测试")
            wait(lambda: len(codes) == 3, "the code after the replug")
        finally:
            again.stop()
    finally:
        line.stop()
    assert codes == ["http://hall.test/s/TokenOneTokenOne1234", "G1A2B3C4", "扫码测试"]
