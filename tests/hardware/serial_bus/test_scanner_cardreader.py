"""Line devices: the kiosk's QR scanner and a stand-alone staff card reader."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hardware.serial_bus.cardreader import CardLineParser, card_line
from hardware.serial_bus.devices import CardSwipe
from hardware.serial_bus.scanner import Scan, ScanParser, scan_line


def test_each_terminator_ends_one_scan_and_a_split_crlf_gives_no_empty_one() -> None:
    parser = ScanParser()
    assert parser.feed(b"https://hall.example.cn/s/abc\r") == [Scan("https://hall.example.cn/s/abc")]
    assert parser.feed(b"\nA001\nB") == [Scan("A001")]
    assert parser.feed(b"002\r\n") == [Scan("B002")]


def test_chinese_content_from_utf8_and_gb18030_scanners() -> None:
    parser = ScanParser()
    assert parser.feed("营业执照 91440000\r\n".encode()) == [Scan("营业执照 91440000")]
    assert parser.feed("营业执照\r\n".encode("gb18030")) == [Scan("营业执照")]


def test_noise_lines_are_dropped() -> None:
    parser = ScanParser()
    assert parser.feed(b"\x00\x01\x02\r\n   \r\n") == []
    assert parser.feed(b"x" * 5000 + b"\r\nOK\r\n") == [Scan("OK")]  # an endless line never grows the buffer


codes = st.text(
    st.characters(min_codepoint=0x21, exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1
)


@given(st.lists(codes, max_size=6), st.lists(st.integers(0, 2000), max_size=20))
def test_any_split_of_the_stream_gives_the_same_scans(scans: list[str], cuts: list[int]) -> None:
    stream = b"".join(scan_line(code) for code in scans)
    points = sorted({c % (len(stream) + 1) for c in cuts})
    parser = ScanParser()
    got = [
        s for a, b in zip([0, *points], [*points, len(stream)], strict=True) for s in parser.feed(stream[a:b])
    ]
    assert got == [Scan(code) for code in scans]


def test_card_reader_lines_with_and_without_stx_etx() -> None:
    parser = CardLineParser(addr=12)
    assert parser.feed(b"0012345678\r\n") == [CardSwipe(12, "0012345678")]
    assert parser.feed(b"\x0204A1B2C3D4\x03\r\n") == [CardSwipe(12, "04A1B2C3D4")]
    assert parser.feed(card_line("CARD123")) == [CardSwipe(12, "CARD123")]


def test_card_reader_drops_what_is_not_a_card_number() -> None:
    parser = CardLineParser()
    assert parser.feed(b"12 34\r\n\xff\xfe\r\n" + b"9" * 40 + b"\r\n") == []
    assert parser.feed(b"77\n") == [CardSwipe(None, "77")]
