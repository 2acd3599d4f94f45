"""What the ticket says and how its lines are encoded for each kind of printer."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from hardware.printer.escpos_commands import iter_commands
from hardware.printer.preview import RasterOp, ops_text, profile_decoding, render_escpos_ops
from hardware.printer.profile import PROFILES, PrinterProfile
from hardware.printer.ticket import TicketSlip, encode_line, number_scale, printer_text_width, ticket_bytes, wrap


def test_issued_time_must_carry_a_zone(slip: TicketSlip) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        replace(slip, issued_at=datetime(2024, 5, 6, 9, 30))


def test_full_width_punctuation_alone_is_encoded_as_gb18030() -> None:
    profile = PROFILES["gb18030-80mm"]
    assert encode_line("，。、：", profile) == "，。、：".encode("gb18030")
    assert b"?" not in encode_line("请保管好您的票据,留意叫号与屏幕提示", profile)


def test_fs_profile_switches_chinese_mode_only_around_chinese() -> None:
    profile = PROFILES["gb18030-fs-80mm"]
    assert encode_line("A012", profile) == b"A012"
    assert encode_line("，", profile) == b"\x1c\x26" + "，".encode("gb18030") + b"\x1c\x2e"


@pytest.mark.usefixtures("cjk_font")
def test_character_outside_gbk_is_drawn_not_lost(slip: TicketSlip) -> None:
    profile = PROFILES["gbk-80mm"]
    rare = replace(slip, hall_name="𠮷城政务服务中心")  # U+20BB7 is in GB18030 but not in GBK
    assert encode_line(rare.hall_name, profile) is None
    data = ticket_bytes(rare, profile)
    assert b"?" not in b"".join(c.payload for c in iter_commands(data) if c.name == "text")
    ops = render_escpos_ops(data, 576, **profile_decoding(profile))
    assert any(isinstance(op, RasterOp) for op in ops)  # the hall name went as a picture
    assert "不动产登记" in ops_text(ops)  # the rest is still printer text


@pytest.mark.parametrize("number", ["A1", "A012", "VIP1024", "B12345678"])
@pytest.mark.parametrize("width", [384, 576])
def test_ticket_number_fits_on_one_line(number: str, width: int) -> None:
    assert printer_text_width(number) * number_scale(number, width) <= width


def test_wrap_breaks_after_punctuation_rather_than_inside_a_phrase() -> None:
    polite = wrap("请保管好您的票据，留意叫号与屏幕提示", 384, printer_text_width)
    assert polite == ["请保管好您的票据，", "留意叫号与屏幕提示"]
    assert wrap("Please keep this ticket and watch the screens", 288, printer_text_width) == [
        "Please keep this ticket",
        "and watch the screens",
    ]


@pytest.mark.usefixtures("cjk_font")
def test_nobody_ahead_and_no_estimate(slip: TicketSlip) -> None:
    first = replace(slip, waiting_ahead=0, estimated_wait_seconds=0)
    lines = ops_text(render_escpos_ops(ticket_bytes(first, PrinterProfile())))
    assert "前面暂无等候，请留意叫号" in lines
    assert not [line for line in lines if line.startswith("预计等候")]


def test_profile_rejects_what_no_ticket_printer_is() -> None:
    with pytest.raises(ValueError):
        PrinterProfile(encoding="big5")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        PrinterProfile(width_dots=20)
