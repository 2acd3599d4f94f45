"""The preview draws what the printer would print: tests read the ticket's text from the render ops
and its QR code from the PNG, for text and image-only printers, native and raster QR codes."""

from __future__ import annotations

from dataclasses import replace

import pytest
import zxingcpp
from escpos.printer import Dummy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from hardware.printer.escpos_commands import iter_commands
from hardware.printer.preview import (
    ImageRun,
    LineOp,
    QrOp,
    RasterOp,
    ops_text,
    preview_ticket,
    profile_decoding,
    render_escpos,
    render_escpos_ops,
)
from hardware.printer.profile import PROFILES, escpos_capabilities
from hardware.printer.ticket import TicketSlip, ticket_bytes

from .conftest import STATUS_URL

TEXT_PROFILES = ["gb18030-80mm", "gb18030-58mm", "gb18030-fs-80mm", "gbk-80mm", "gbk-58mm-rasterqr", "utf8-80mm"]
IMAGE_PROFILES = ["image-80mm", "image-58mm", "image-80mm-column"]


def qr_texts(image: Image.Image) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(image)]


def rendered(slip: TicketSlip, profile_name: str) -> tuple[list, Image.Image]:
    profile = PROFILES[profile_name]
    data = ticket_bytes(slip, profile)
    ops = render_escpos_ops(data, profile.width_dots, **profile_decoding(profile))
    return ops, render_escpos(data, profile.width_dots, **profile_decoding(profile))


@pytest.mark.usefixtures("cjk_font")
@pytest.mark.parametrize("profile_name", TEXT_PROFILES)
def test_text_printer_ticket_reads_back_number_service_and_qr(slip: TicketSlip, profile_name: str) -> None:
    ops, image = rendered(slip, profile_name)
    lines = ops_text(ops)
    assert "A012" in lines
    assert "不动产登记" in lines
    assert "江城市政务服务中心" in lines
    assert "取号时间：2024-05-06 09:30" in lines  # 01:30 UTC is 09:30 in the hall
    assert "请保管好您的票据，留意叫号与屏幕提示" in "".join(lines)  # wrapped on 58 mm paper
    assert qr_texts(image) == [STATUS_URL]


@pytest.mark.usefixtures("cjk_font")
def test_native_qr_is_drawn_from_the_stored_data(slip: TicketSlip) -> None:
    ops, image = rendered(slip, "gb18030-80mm")
    (qr,) = [op for op in ops if isinstance(op, QrOp)]
    assert qr.text == STATUS_URL and qr.align == "center"
    assert not [op for op in ops if isinstance(op, RasterOp)]


@pytest.mark.usefixtures("cjk_font")
def test_number_is_the_largest_text_and_centred(slip: TicketSlip) -> None:
    ops, _ = rendered(slip, "gb18030-80mm")
    lines = [op for op in ops if isinstance(op, LineOp) and op.text.strip()]
    number = next(op for op in lines if op.text == "A012")
    assert number.align == "center"
    assert number.height == max(op.height for op in lines)
    assert number.runs[0].height_scale >= 4 and number.runs[0].bold


@pytest.mark.usefixtures("cjk_font")
@pytest.mark.parametrize("profile_name", IMAGE_PROFILES)
def test_image_printer_ticket_has_no_printer_text_but_a_readable_qr(slip: TicketSlip, profile_name: str) -> None:
    ops, image = rendered(slip, profile_name)
    assert ops_text(ops) == []  # every word went as pixels
    assert any(isinstance(op, RasterOp) or (isinstance(op, LineOp) and op.runs) for op in ops)
    assert qr_texts(image) == [STATUS_URL]


@pytest.mark.usefixtures("cjk_font")
@pytest.mark.parametrize("profile_name", TEXT_PROFILES + IMAGE_PROFILES)
def test_full_width_punctuation_never_becomes_question_marks(slip: TicketSlip, profile_name: str) -> None:
    punctuated = replace(slip, hall_name="，。、：（）", where="“二楼”B区·12、13号窗口")
    data = ticket_bytes(punctuated, PROFILES[profile_name])
    text_bytes = b"".join(c.payload for c in iter_commands(data) if c.name == "text")
    assert b"?" not in text_bytes


def test_python_escpos_text_would_print_full_width_punctuation_as_question_marks() -> None:
    """Why the layout encodes text itself: the library's text() loses this line."""
    printer = Dummy()
    printer.text("，。、")
    assert b"?" in printer.output


@pytest.mark.usefixtures("cjk_font")
def test_fs_profile_wraps_chinese_in_fs_commands_and_decodes_only_inside_them(slip: TicketSlip) -> None:
    profile = PROFILES["gb18030-fs-80mm"]
    data = ticket_bytes(slip, profile)
    assert b"\x1c\x26" + "不动产登记".encode("gb18030") + b"\x1c\x2e" in data
    # A printer left in single-byte mode would print the same bytes as code-page garbage.
    outside = ops_text(render_escpos_ops(data.replace(b"\x1c\x26", b""), chinese_mode=False))
    assert "不动产登记" not in outside


@pytest.mark.usefixtures("cjk_font")
def test_preview_ticket_writes_a_png_a_phone_can_scan(slip: TicketSlip, tmp_path) -> None:
    path = preview_ticket(slip, tmp_path / "ticket.png")
    with Image.open(path) as image:
        assert image.width == 576
        assert qr_texts(image) == [STATUS_URL]


@pytest.mark.usefixtures("cjk_font")
def test_english_ticket_uses_english_labels(slip: TicketSlip) -> None:
    ops, _ = rendered(replace(slip, lang="en"), "gb18030-80mm")
    lines = ops_text(ops)
    assert "5 ahead of you" in lines
    assert "Issued: 2024-05-06 09:30" in lines


def test_sizes_alignment_bold_and_gb18030_from_raw_commands() -> None:
    data = (
        b"\x1b@\x1ba\x01\x1d!\x32\x1bE\x01" + "号".encode("gb18030") + b"7\n"
        b"\x1ba\x02\x1d!\x00\x1bE\x00right\n"
    )
    first, second = (op for op in render_escpos_ops(data, 576) if isinstance(op, LineOp))
    assert first.text == "号7" and first.align == "center"
    run = first.runs[0]
    assert (run.width_scale, run.height_scale, run.bold, run.cells) == (4, 3, True, (24, 12))
    assert second.text == "right" and second.align == "right" and not second.runs[0].bold


def test_long_lines_wrap_at_the_paper_edge() -> None:
    ops = render_escpos_ops(("办" * 20).encode("gb18030") + b"\n", 384)
    assert ops_text(ops) == ["办" * 16, "办" * 4]


def test_unknown_commands_are_skipped_without_losing_text() -> None:
    data = b"\x1b\x99\x1d\x99\x1c\x99\x1b(A\x02\x00xx" + "窗口".encode("gb18030") + b"\n"
    assert ops_text(render_escpos_ops(data)) == ["窗口"]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.integers(1, 200),
    st.integers(1, 60),
    st.sampled_from(["bitImageRaster", "bitImageColumn", "graphics"]),
    st.randoms(use_true_random=False),
)
def test_pictures_come_back_dot_for_dot(width: int, height: int, impl: str, rnd) -> None:
    picture = Image.frombytes("1", (width, height), rnd.randbytes(((width + 7) // 8) * height))
    printer = Dummy(profile=escpos_capabilities(PROFILES["gb18030-58mm"]))
    printer.image(picture, impl=impl)
    ops = render_escpos_ops(printer.output, 384)
    if impl == "bitImageColumn":  # stacked 24-dot stripes, the last one padded with paper
        stripes = [run.image for op in ops if isinstance(op, LineOp) for run in op.runs if isinstance(run, ImageRun)]
        back = Image.new("1", (width, 24 * len(stripes)), 1)
        for i, stripe in enumerate(stripes):
            back.paste(stripe, (0, 24 * i))
    else:
        (op,) = [op for op in ops if isinstance(op, RasterOp)]
        back = op.image
    assert back.crop((0, 0, width, height)).tobytes() == picture.tobytes()


COMMAND_PIECES = [
    b"\x1b@", b"\x1ba\x01", b"\x1d!\x77", b"\x1d!", b"\x1b!\xff", b"\x1c&", b"\x1c.", b"\x1bt\x11", b"\n", b"\t",
    b"\x1dv0\x03\x02\x00\x03\x00", b"\x1b*\x21\x02\x00", b"\x1d(k\x03\x001C\x10", b"\x1d(k\x03\x001Q0",
    b"\x1d(k\x06\x001P0abc", b"\x1d(L\x0b\x000p0\x02\x021\x08\x00\x01\x00", b"\x1d(L\x02\x0002", b"\x1bd\xff",
    b"\x1dV\x41\x03", b"\x1b3\x00", "中文，".encode("gb18030"), "中文".encode(), b"\x81\x30", b"\xff\x80",
]


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.one_of(st.sampled_from(COMMAND_PIECES), st.binary(max_size=12)), max_size=40),
       st.sampled_from([("gb18030", True), ("gbk", True), ("utf-8", True), ("gb18030", False)]),
       st.sampled_from([384, 576]))
def test_renderer_never_crashes_on_random_bytes(pieces: list[bytes], decoding: tuple[str, bool], width: int) -> None:
    encoding, chinese = decoding
    image = render_escpos(b"".join(pieces), width, encoding=encoding, chinese_mode=chinese)
    assert image.width == width and image.height >= 1
