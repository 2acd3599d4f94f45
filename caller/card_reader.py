"""The window's stand-alone staff card reader: one card number per line on a serial URL.

A thread keeps the port open (reopening with backoff when the reader is unplugged) and hands
each swipe to ``on_card`` from that thread; the caller forwards it to its event loop. The line
format is parsed by the hardware layer (``hardware.serial_bus.cardreader``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import serial

from hardware.serial_bus.cardreader import CardLineParser
from hardware.serial_bus.transport import open_line

READ_TIMEOUT = 0.1


class CardReader:
    def __init__(self, url: str, on_card: Callable[[str], None], *,
                 on_health: Callable[[bool], None] | None = None, baudrate: int = 9600,
                 backoff: tuple[float, float] = (0.2, 5.0)) -> None:
        self.url = url
        self.baudrate = baudrate
        self.online = False
        self._on_card = on_card
        self._on_health = on_health
        self._backoff = backoff
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"card reader {url}", daemon=True)

    def start(self) -> CardReader:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _health(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            if self._on_health is not None:
                self._on_health(online)

    def _run(self) -> None:
        delay = self._backoff[0]
        while not self._stopping.is_set():
            try:
                port = open_line(self.url, self.baudrate)
            except (serial.SerialException, OSError, ValueError):
                self._health(False)
                self._stopping.wait(delay)
                delay = min(delay * 2, self._backoff[1])
                continue
            delay = self._backoff[0]
            port.timeout = READ_TIMEOUT
            parser = CardLineParser()
            self._health(True)
            try:
                with port:
                    while not self._stopping.is_set():
                        for swipe in parser.feed(port.read(256)):
                            self._on_card(swipe.card_id)
            except (serial.SerialException, OSError):
                self._health(False)
