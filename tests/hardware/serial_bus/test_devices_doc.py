"""Every hex example in docs/DEVICES.md is a frame the software makes and understands, so the
document a vendor builds to cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hardware.serial_bus.devices import decode_device_frame, decode_host_frame
from hardware.serial_bus.frame import FrameParser, encode_frame
from hardware.serial_bus.led import LedParser, encode_led

DOC = Path(__file__).resolve().parents[3] / "docs" / "DEVICES.md"


def hex_examples() -> list[str]:
    blocks = re.findall(r"```hex\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return [line.split("#")[0].strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_the_document_has_examples() -> None:
    assert len(hex_examples()) >= 30


@pytest.mark.parametrize("example", hex_examples())
def test_each_example_is_one_valid_message(example: str) -> None:
    raw = bytes.fromhex(example)
    if raw[0] == 0xFF:
        (frame,) = FrameParser().feed(raw)
        assert encode_frame(frame.addr, frame.func, frame.data) == raw
        assert (decode_device_frame(frame) or decode_host_frame(frame)) is not None
    else:
        (line,) = LedParser().feed(raw)
        speed = line.scroll_speed or 5
        assert (
            encode_led(
                line.addr, line.text, scroll=line.scroll, brightness=line.brightness, scroll_speed=speed
            )
            == raw
        )
