"""The FF 68 frame: exact bytes, checksum, and resynchronisation under noise and arbitrary reads."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from hardware.serial_bus.frame import MAX_DATA, Frame, FrameParser, encode_frame


def hexbytes(text: str) -> bytes:
    return bytes.fromhex(text)


def test_encodes_the_documented_layout() -> None:
    # keypad display "A001" at window 12: LEN = 2 + 5 data bytes, CHK = (0C+91+00+41+30+30+31) & FF
    assert encode_frame(12, 0x91, b"\x00A001") == hexbytes("FF 68 07 07 68 0C 91 00 41 30 30 31 6F 16")
    assert encode_frame(1, 0x9F) == hexbytes("FF 68 02 02 68 01 9F A0 16")


def test_checksum_wraps_modulo_256() -> None:
    frame = encode_frame(254, 0xFF, b"\xff\xff")
    assert frame[-2] == (254 + 0xFF * 3) % 256
    assert FrameParser().feed(frame) == [Frame(254, 0xFF, b"\xff\xff")]


@pytest.mark.parametrize(
    ("addr", "func", "data"),
    [(0, 0x10, b""), (255, 0x10, b""), (1, 256, b""), (1, 0x10, bytes(254))],
)
def test_refuses_to_encode_what_no_device_could_parse(addr: int, func: int, data: bytes) -> None:
    with pytest.raises(ValueError):
        encode_frame(addr, func, data)


def test_largest_frame_round_trips() -> None:
    data = bytes(range(MAX_DATA))
    assert MAX_DATA == 252  # LEN is at most FE: a LEN of FF would put FF 68 inside the header
    assert FrameParser().feed(encode_frame(7, 0x21, data)) == [Frame(7, 0x21, data)]


def corrupt(frame: bytes, index: int, value: int) -> bytes:
    return frame[:index] + bytes([value]) + frame[index + 1 :]


GOOD = encode_frame(12, 0x10, b"\x05\x01")


@pytest.mark.parametrize(
    "bad",
    [
        corrupt(GOOD, len(GOOD) - 2, (GOOD[-2] + 1) % 256),  # checksum
        corrupt(GOOD, len(GOOD) - 1, 0x17),  # end byte
        corrupt(GOOD, 3, GOOD[3] + 1),  # LEN copies disagree
        corrupt(GOOD, 4, 0x69),  # second start byte
        corrupt(GOOD, 7, 0x06),  # a data byte changed in transit
        corrupt(GOOD, 5, 0x00),  # reserved address 0
    ],
)
def test_rejects_damaged_frames_and_keeps_the_next(bad: bytes) -> None:
    parser = FrameParser()
    assert parser.feed(bad) + parser.line_idle() == []
    follow = encode_frame(3, 0x20, b"\x01\x04\x02")
    assert parser.feed(bad + follow) == [Frame(3, 0x20, b"\x01\x04\x02")]


def test_a_frame_split_byte_by_byte_arrives_once_complete() -> None:
    parser = FrameParser()
    out = [parser.feed(bytes([b])) for b in GOOD]
    assert out[:-1] == [[]] * (len(GOOD) - 1)
    assert out[-1] == [Frame(12, 0x10, b"\x05\x01")]


def test_merged_reads_give_every_frame_in_order() -> None:
    frames = [Frame(a, 0x10, bytes([a, 1])) for a in range(1, 30)]
    stream = b"".join(encode_frame(f.addr, f.func, f.data) for f in frames)
    assert FrameParser().feed(stream) == frames


def test_a_false_start_announcing_a_long_frame_does_not_hold_back_the_real_one() -> None:
    # noise that looks like a header announcing 200 bytes: the real frame's FF 68 ends it at once
    parser = FrameParser()
    assert parser.feed(hexbytes("FF 68 C8 C8 68 0C") + GOOD) == [Frame(12, 0x10, b"\x05\x01")]
    assert parser.pending == 0


# a frame of LEN 0x16 (20 data bytes): its FF 68 16 16 completes a cut frame in front of it
LEN_16 = Frame(5, 0x10, bytes(range(1, 21)))


def test_a_cut_frame_does_not_swallow_the_next_one_nor_invent_a_frame() -> None:
    """Issue 13, hole 7: the cut frame's header announces 4 bytes; the real frame's FF 68 would be
    its last two, the real LEN bytes its CHK (16 = 01 + AE + FF + 68 mod 256) and end byte."""
    parser = FrameParser()
    assert parser.feed(hexbytes("ff 68 04 04 68 01 ae") + encode_frame(5, 0x10, LEN_16.data)) == [LEN_16]
    assert parser.line_idle() == []


def test_a_cut_frame_whose_checksum_would_be_the_next_frames_68_is_no_frame() -> None:
    # 69 + FF = 168: the real FF as the last data byte, its 68 as CHK, its LEN 16 as the end byte
    parser = FrameParser()
    assert parser.feed(hexbytes("ff 68 02 02 68 69") + encode_frame(5, 0x10, LEN_16.data)) == [LEN_16]


def test_ff_in_function_code_or_data_is_stuffed_so_ff_68_only_ever_starts_a_frame() -> None:
    raw = encode_frame(1, 0xFF, b"\xff\x68\x00")
    assert raw == hexbytes("FF 68 05 05 68 01 FF 00 FF 00 68 00 67 16")
    assert raw.find(b"\xff\x68", 1) == -1
    assert FrameParser().feed(raw) == [Frame(1, 0xFF, b"\xff\x68\x00")]
    # a checksum of FF is followed by the end byte, never by 68: it is sent as is
    assert encode_frame(1, 0xFE) == hexbytes("FF 68 02 02 68 01 FE FF 16")
    # an FF inside a frame that is not followed by 00 ends that frame as noise
    assert FrameParser().feed(hexbytes("FF 68 03 03 68 01 FF 01 01 16")) == []


def test_buffer_stays_small_on_endless_noise() -> None:
    parser = FrameParser()
    for _ in range(100):
        parser.feed(bytes(range(256)) + b"\xff\x68")
    assert parser.pending <= 262


# ---- the property: noise between frames and any split of the stream -------------------------

frames_st = st.builds(
    Frame,
    addr=st.integers(1, 254),
    func=st.integers(0, 255),
    data=st.binary(max_size=40),
)


def wrong_checksum(frame: Frame) -> int:
    return (frame.addr + frame.func + sum(frame.data) + 1) & 0xFF


# noise, with the nastiest fragments mixed in: lone preambles, headers, cut and damaged frames
nasty = st.one_of(
    st.binary(max_size=12),
    st.just(b"\xff"),
    st.just(b"\xff\x68"),
    st.builds(lambda n: bytes([0xFF, 0x68, n, n, 0x68]), st.integers(0, 255)),
    st.builds(lambda f, cut: encode_frame(f.addr, f.func, f.data)[:cut], frames_st, st.integers(1, 8)),
    st.builds(
        lambda f: corrupt(
            encode_frame(f.addr, f.func, f.data), -2, 0x00 if f.addr + f.func + sum(f.data) & 0xFF else 1
        ),
        frames_st,
    ),
)


def holds_no_frame(noise: bytes) -> bool:
    parser = FrameParser()
    return parser.feed(noise) + parser.line_idle() == []


# noise is anything that is not itself a valid frame (hypothesis is good at building one from bytes)
garbage_st = st.lists(nasty, max_size=4).map(b"".join).filter(holds_no_frame)


def split(stream: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(stream) + 1) for c in cuts})
    return [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]


@given(
    frames=st.lists(frames_st, max_size=8),
    garbage=st.lists(garbage_st, min_size=9, max_size=9),
    cuts=st.lists(st.integers(0, 10_000), max_size=30),
)
def test_noise_never_loses_or_invents_a_frame_for_any_split(
    frames: list[Frame], garbage: list[bytes], cuts: list[int]
) -> None:
    stream = garbage[0] + b"".join(
        encode_frame(f.addr, f.func, f.data) + g for f, g in zip(frames, garbage[1:], strict=False)
    )
    parser = FrameParser()
    got = [frame for chunk in split(stream, cuts) for frame in parser.feed(chunk)]
    assert got + parser.line_idle() == frames


@given(frames=st.lists(frames_st, max_size=8), cuts=st.lists(st.integers(0, 10_000), max_size=30))
def test_clean_line_delivers_each_frame_as_soon_as_it_is_complete(frames: list[Frame], cuts: list[int]) -> None:
    stream = b"".join(encode_frame(f.addr, f.func, f.data) for f in frames)
    parser = FrameParser()
    got = [frame for chunk in split(stream, cuts) for frame in parser.feed(chunk)]
    assert got == frames
    assert parser.pending == 0


# ---- the property of issue 13, hole 7: garbage made of cut frames and stray start bytes -------

# addresses and function codes equal to the framing bytes are the interesting ones
byte_st = st.sampled_from([0x00, 0x01, 0x16, 0x68, 0xFE, 0xFF]) | st.integers(0, 255)
wire_frames_st = st.builds(
    Frame,
    addr=st.sampled_from([1, 0x16, 0x68, 254]) | st.integers(1, 254),
    func=byte_st,
    data=st.lists(byte_st, max_size=30).map(bytes),
)


def wire(frame: Frame) -> bytes:
    return encode_frame(frame.addr, frame.func, frame.data)


def is_exact_frame(raw: bytes) -> bool:
    """The frame rules of docs/DEVICES.md §2 read straight off the page, apart from the parser."""
    if len(raw) < 9 or raw[:2] != b"\xff\x68" or raw[2] != raw[3] or raw[4] != 0x68 or raw[-1] != 0x16:
        return False
    size, stuffed = raw[2], raw[5:-2]
    if not 2 <= size <= 0xFE or not 1 <= stuffed[0] <= 254:
        return False
    body, k = bytearray(), 0
    while k < len(stuffed):
        body.append(stuffed[k])
        if stuffed[k] == 0xFF:
            if stuffed[k + 1 : k + 2] != b"\x00":
                return False
            k += 1
        k += 1
    return len(body) == size and sum(body) % 256 == raw[-2]


def holds_a_frame(noise: bytes) -> bool:
    return any(is_exact_frame(noise[i:j]) for i in range(len(noise)) for j in range(i + 9, len(noise) + 1))


def cut(frame: Frame, at: int) -> bytes:
    raw = wire(frame)
    return raw[: 1 + at % (len(raw) - 1)]  # 1 .. all but the last byte


piece_st = st.one_of(
    st.sampled_from([b"\xff", b"\x68", b"\x01", b"\x16", b"\xff\x68"]),
    st.builds(cut, wire_frames_st, st.integers(0, 10_000)),
    st.builds(lambda n: bytes([0xFF, 0x68, n, n, 0x68]), st.integers(0, 255)),
    st.binary(max_size=6),
)


@st.composite
def swallower(draw: st.DrawFn, follower: bytes) -> bytes:
    """A cut frame whose header counts the whole next frame as its own body, with the checksum
    made to match: that next frame's checksum and end byte would complete it."""
    head = draw(st.lists(byte_st, min_size=1, max_size=6).map(bytes))
    body = bytes([draw(st.integers(1, 254))]) + head
    swallowed = follower[:-2]
    size = len(body) + 1 + len(swallowed)
    assume(size <= 0xFE)
    fix = (follower[-2] - sum(body) - sum(swallowed)) % 256
    return bytes([0xFF, 0x68, size, size, 0x68]) + body + bytes([fix])


@st.composite
def noisy_streams(draw: st.DrawFn) -> tuple[list[Frame], bytes]:
    frames = draw(st.lists(wire_frames_st, max_size=6))
    stream = b""
    for frame in [*frames, None]:
        noise = b"".join(draw(st.lists(piece_st, max_size=4)))
        if frame is not None and draw(st.booleans()):
            noise += draw(swallower(wire(frame)))
        assume(not holds_a_frame(noise))
        stream += noise + (wire(frame) if frame is not None else b"")
    return frames, stream


@given(sent=noisy_streams(), cuts=st.lists(st.integers(0, 10_000), max_size=30))
def test_cut_frames_and_stray_start_bytes_never_cost_or_invent_a_frame(
    sent: tuple[list[Frame], bytes], cuts: list[int]
) -> None:
    frames, stream = sent
    parser = FrameParser()
    got = [frame for chunk in split(stream, cuts) for frame in parser.feed(chunk)]
    assert got + parser.line_idle() == frames
