"""The kiosk's QR scanner in serial mode, read on its own thread and reopened when it comes back.

A scanner is plugged in and out by people who do not restart the kiosk, so the port is
reopened with a growing pause until it answers again; every code read goes to ``on_scan``
(called from this thread: the app forwards it with ``post_message``, which is thread-safe).
A scanner in keyboard mode needs none of this: it types into the focused input.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import serial

from hardware.serial_bus.scanner import ScanParser
from hardware.serial_bus.transport import open_line

log = logging.getLogger(__name__)

READ_TIMEOUT = 0.2  # seconds; how quickly stop() is noticed


class ScannerLine:
    def __init__(self, url: str, on_scan: Callable[[str], None], *, baudrate: int = 9600,
                 backoff: tuple[float, float] = (0.2, 5.0)) -> None:
        self.url, self.baudrate = url, baudrate
        self._on_scan = on_scan
        self._backoff = backoff
        self._stopping = threading.Event()
        self.connected = threading.Event()  # set while the port is open (tests wait for it)
        self._thread = threading.Thread(target=self._run, name=f"scanner {url}", daemon=True)

    def start(self) -> ScannerLine:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)

    def _run(self) -> None:
        delay = self._backoff[0]
        while not self._stopping.is_set():
            try:
                port = open_line(self.url, self.baudrate)
            except (serial.SerialException, OSError, ValueError) as exc:
                log.info("scanner %s not available: %s", self.url, exc)
                self._stopping.wait(delay)
                delay = min(delay * 2, self._backoff[1])
                continue
            delay = self._backoff[0]
            port.timeout = READ_TIMEOUT
            self.connected.set()
            try:
                self._read(port)
            except (serial.SerialException, OSError) as exc:
                log.info("scanner %s lost: %s", self.url, exc)
            finally:
                self.connected.clear()
                port.close()

    def _read(self, port: serial.SerialBase) -> None:
        parser = ScanParser()
        while not self._stopping.is_set():
            data = port.read(256)
            for scan in parser.feed(data):
                try:
                    self._on_scan(scan.code)
                except Exception:
                    log.exception("handling a scanned code failed")
