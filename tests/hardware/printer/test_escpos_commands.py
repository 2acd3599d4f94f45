"""The command reader finds where every command ends, so neither the preview nor the simulator
mistakes image bits for commands, and it never fails on garbage."""

from __future__ import annotations

from escpos.printer import Dummy
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from hardware.printer.escpos_commands import iter_commands, read_command


def test_raster_image_length_hides_status_query_inside_image_bits() -> None:
    bits = b"\x10\x04\x01" * 4  # looks like DLE EOT 1, but is picture data
    data = b"\x1dv0\x00\x02\x00\x06\x00" + bits + b"\x10\x04\x01"
    commands = list(iter_commands(data))
    assert [c.name for c in commands] == ["GS v 0", "DLE EOT"]
    assert commands[0].payload == bits


def test_incomplete_command_waits_for_more_bytes() -> None:
    assert read_command(b"\x1dv0\x00\x02\x00\x06\x00\x00") is None
    assert read_command(b"\x1b") is None
    assert read_command(b"\x1d(k\x07\x001P0ab") is None


def test_text_runs_stop_at_control_bytes_and_keep_gb18030_pairs() -> None:
    data = "前面还有".encode("gb18030") + b"\n" + b"A012"
    assert [(c.name, c.payload) for c in iter_commands(data)] == [
        ("text", "前面还有".encode("gb18030")),
        ("LF", b""),
        ("text", b"A012"),
    ]


def test_python_escpos_output_splits_into_known_commands() -> None:
    printer = Dummy()
    printer.hw("INIT")
    printer.set(align="center", bold=True, custom_size=True, width=3, height=3)
    printer.qr("https://hall.example.cn/s/x", native=True, size=6)
    printer.image(Image.new("1", (40, 30), 0), impl="bitImageColumn")
    printer.cut()
    names = [c.name for c in iter_commands(printer.output)]
    assert "GS ( k" in names and "ESC *" in names and "GS V" in names
    assert not [n for n in names if n.startswith(("ESC 0x", "GS 0x"))]


def test_unknown_escape_is_two_bytes_long() -> None:
    assert [c.name for c in iter_commands(b"\x1b\x99ok")] == ["ESC 0x99", "text"]


@given(st.binary(max_size=600))
def test_reader_always_advances_and_never_raises(data: bytes) -> None:
    pos = 0
    while pos < len(data):
        parsed = read_command(data, pos)
        if parsed is None:
            break
        _, end = parsed
        assert pos < end <= len(data)
        pos = end
