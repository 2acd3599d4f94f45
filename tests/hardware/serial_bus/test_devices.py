"""Every frame of docs/DEVICES.md, byte for byte, and what each one means once decoded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hardware.serial_bus.devices import (
    Ack,
    CardResult,
    CardSwipe,
    DeviceKind,
    DisplayMode,
    EventAck,
    Func,
    KeypadBeep,
    KeypadDisplay,
    KeypadKey,
    KeyPress,
    Nak,
    NakReason,
    NationalRatingKey,
    Ping,
    RatingIdle,
    RatingKey,
    RatingPress,
    RatingPrompt,
    RatingSkipped,
    RatingThanks,
    Status,
    ack_frame,
    card_frame,
    card_result,
    decode_device_frame,
    decode_host_frame,
    event_ack,
    key_frame,
    keypad_beep,
    keypad_display,
    nak_frame,
    ping,
    rating_frame,
    rating_idle,
    rating_prompt,
    rating_thanks,
    status_frame,
)
from hardware.serial_bus.frame import Frame, FrameParser, encode_frame


def one_frame(raw: bytes) -> Frame:
    (frame,) = FrameParser().feed(raw)
    return frame


HOST_COMMANDS = [
    (keypad_display(12, "A001"), "FF 68 07 07 68 0C 91 00 41 30 30 31 6F 16", KeypadDisplay(12, "A001")),
    (
        keypad_display(12, "5", DisplayMode.WAITING),
        "FF 68 04 04 68 0C 91 01 35 D3 16",
        KeypadDisplay(12, "5", DisplayMode.WAITING),
    ),
    (
        keypad_display(12, "----", DisplayMode.TEXT),
        "FF 68 07 07 68 0C 91 02 2D 2D 2D 2D 53 16",
        KeypadDisplay(12, "----", DisplayMode.TEXT),
    ),
    (keypad_beep(12, 2, 300), "FF 68 04 04 68 0C 92 02 1E BE 16", KeypadBeep(12, 2, 300)),
    (rating_prompt(12), "FF 68 04 04 68 0C A1 04 1E CF 16", RatingPrompt(12, 4, 30, "")),
    (
        rating_prompt(12, scale=5, timeout_s=20, text="工号1024"),
        "FF 68 0C 0C 68 0C A1 05 14 B9 A4 BA C5 31 30 32 34 69 16",
        RatingPrompt(12, 5, 20, "工号1024"),
    ),
    (rating_thanks(12), "FF 68 02 02 68 0C A2 AE 16", RatingThanks(12, "")),
    (rating_thanks(12, "谢谢"), "FF 68 06 06 68 0C A2 D0 BB D0 BB C4 16", RatingThanks(12, "谢谢")),
    (rating_idle(12), "FF 68 02 02 68 0C A3 AF 16", RatingIdle(12)),
    (card_result(12, True), "FF 68 03 03 68 0C B1 00 BD 16", CardResult(12, True)),
    (card_result(12, False), "FF 68 03 03 68 0C B1 01 BE 16", CardResult(12, False)),
    (
        event_ack(12, DeviceKind.KEYPAD, 7),
        "FF 68 03 03 68 0C 90 07 A3 16",
        EventAck(12, DeviceKind.KEYPAD, 7),
    ),
    (
        event_ack(12, DeviceKind.RATING_PAD, 3),
        "FF 68 03 03 68 0C A0 03 AF 16",
        EventAck(12, DeviceKind.RATING_PAD, 3),
    ),
    (
        event_ack(12, DeviceKind.CARD_READER, 9),
        "FF 68 03 03 68 0C B0 09 C5 16",
        EventAck(12, DeviceKind.CARD_READER, 9),
    ),
    (ping(12, DeviceKind.KEYPAD), "FF 68 02 02 68 0C 9F AB 16", Ping(12, DeviceKind.KEYPAD)),
    (ping(12, DeviceKind.RATING_PAD), "FF 68 02 02 68 0C AF BB 16", Ping(12, DeviceKind.RATING_PAD)),
    (ping(12, DeviceKind.CARD_READER), "FF 68 02 02 68 0C BF CB 16", Ping(12, DeviceKind.CARD_READER)),
]

DEVICE_FRAMES = [
    (key_frame(12, KeypadKey.CALL, 7), "FF 68 04 04 68 0C 10 07 01 24 16", KeyPress(12, KeypadKey.CALL)),
    (
        key_frame(12, KeypadKey.TRANSFER, 8, "5"),
        "FF 68 05 05 68 0C 10 08 05 35 5E 16",
        KeyPress(12, KeypadKey.TRANSFER, "5"),
    ),
    (
        key_frame(12, KeypadKey.CALL_BACK, 9, "A001"),
        "FF 68 08 08 68 0C 10 09 08 41 30 30 31 FF 16",
        KeyPress(12, KeypadKey.CALL_BACK, "A001"),
    ),
    (
        rating_frame(12, RatingKey.GOOD, 3),
        "FF 68 05 05 68 0C 20 03 04 01 34 16",
        RatingPress(12, RatingKey.GOOD),
    ),
    (
        rating_frame(12, RatingKey.POOR, 4),
        "FF 68 05 05 68 0C 20 04 04 04 38 16",
        RatingPress(12, RatingKey.POOR),
    ),
    (
        rating_frame(12, NationalRatingKey.VERY_SATISFIED, 5),
        "FF 68 05 05 68 0C 20 05 05 01 37 16",
        RatingPress(12, NationalRatingKey.VERY_SATISFIED),
    ),
    (rating_frame(12, None, 6), "FF 68 05 05 68 0C 20 06 04 00 36 16", RatingSkipped(12)),
    (
        card_frame(12, "CARD123", 9),
        "FF 68 0A 0A 68 0C 30 09 43 41 52 44 31 32 33 F5 16",
        CardSwipe(12, "CARD123"),
    ),
    (ack_frame(12, Func.KEYPAD_DISPLAY), "FF 68 03 03 68 0C 1E 91 BB 16", Ack(12, Func.KEYPAD_DISPLAY)),
    (ack_frame(12, Func.RATING_PROMPT), "FF 68 03 03 68 0C 2E A1 DB 16", Ack(12, Func.RATING_PROMPT)),
    (
        nak_frame(12, Func.KEYPAD_DISPLAY, NakReason.BAD_VALUE),
        "FF 68 04 04 68 0C 1D 91 02 BC 16",
        Nak(12, Func.KEYPAD_DISPLAY, NakReason.BAD_VALUE),
    ),
    (
        status_frame(12, DeviceKind.KEYPAD, 1),
        "FF 68 03 03 68 0C 1F 01 2C 16",
        Status(12, DeviceKind.KEYPAD, 1),
    ),
]


@pytest.mark.parametrize(("raw", "hex_", "meaning"), HOST_COMMANDS)
def test_host_commands_byte_for_byte(raw: bytes, hex_: str, meaning: object) -> None:
    assert raw == bytes.fromhex(hex_)
    frame = one_frame(raw)
    assert decode_host_frame(frame) == meaning
    assert decode_device_frame(frame) is None  # the host's own echo is never taken for a device


@pytest.mark.parametrize(("raw", "hex_", "meaning"), DEVICE_FRAMES)
def test_device_frames_byte_for_byte(raw: bytes, hex_: str, meaning: object) -> None:
    assert raw == bytes.fromhex(hex_)
    frame = one_frame(raw)
    assert decode_device_frame(frame) == meaning
    assert decode_host_frame(frame) is None


def test_sequence_numbers_travel_but_do_not_change_what_was_pressed() -> None:
    press = decode_device_frame(one_frame(key_frame(12, KeypadKey.CALL, 200)))
    assert isinstance(press, KeyPress) and press.seq == 200
    assert press == KeyPress(12, KeypadKey.CALL)


def test_every_keypad_key_round_trips() -> None:
    for seq, key in enumerate(KeypadKey):
        assert decode_device_frame(one_frame(key_frame(40, key, seq))) == KeyPress(40, key)


def test_ratings_map_to_the_servers_values() -> None:
    assert [k.rating for k in RatingKey] == ["good", "fairly_good", "average", "poor"]
    national = [k.rating for k in NationalRatingKey]
    assert national == ["good", "fairly_good", "average", "poor", "poor"]
    assert RatingPress(3, NationalRatingKey.VERY_DISSATISFIED).rating == "poor"


@pytest.mark.parametrize(
    "frame",
    [
        Frame(12, 0x10, b""),  # key event without sequence number
        Frame(12, 0x10, b"\x01\x0c"),  # no such key
        Frame(12, 0x10, b"\x01\x01\x07"),  # control byte in the key argument
        Frame(12, 0x20, b"\x01\x04\x05"),  # level 5 on a four-level pad
        Frame(12, 0x20, b"\x01\x06\x01"),  # no six-level pads
        Frame(12, 0x30, b"\x01"),  # empty card id
        Frame(12, 0x30, b"\x01CARD-1"),  # not letters and digits
        Frame(12, 0x1E, b"\xa1"),  # a keypad acking a rating pad command
        Frame(12, 0x1D, b"\x91\x09"),  # unknown nak reason
        Frame(12, 0x40, b"\x01\x01"),  # no device kind 4
    ],
)
def test_malformed_device_frames_mean_nothing(frame: Frame) -> None:
    assert decode_device_frame(frame) is None


@pytest.mark.parametrize(
    "frame",
    [
        Frame(12, 0x91, b"\x03A001"),  # no display mode 3
        Frame(12, 0x91, b"\x00A0001234X"),  # wider than the display
        Frame(12, 0x92, b"\x00\x14"),  # zero beeps
        Frame(12, 0xA1, b"\x06\x1e"),  # no six-level scale
        Frame(12, 0xA2, b"\xc7"),  # cut GB18030 character
        Frame(12, 0xA3, b"\x00"),
        Frame(12, 0xB1, b"\x02"),
        Frame(12, 0x9F, b"\x00"),  # ping with data
        Frame(12, 0x95, b""),  # unassigned keypad command
    ],
)
def test_malformed_host_frames_mean_nothing(frame: Frame) -> None:
    assert decode_host_frame(frame) is None


@pytest.mark.parametrize(
    "build",
    [
        lambda: keypad_display(12, "A00012345"),  # 9 characters on an 8-digit display
        lambda: keypad_display(12, "号"),
        lambda: keypad_beep(12, 0),
        lambda: rating_prompt(12, scale=3),
        lambda: rating_prompt(12, text="好" * 33),
        lambda: rating_thanks(12, "谢谢\n"),
        lambda: card_frame(12, "CARD 1", 1),
        lambda: key_frame(12, KeypadKey.TRANSFER, 1, "五"),
    ],
)
def test_encoders_refuse_what_a_device_would_reject(build) -> None:
    with pytest.raises(ValueError):
        build()


@given(st.integers(1, 254), st.integers(0, 255), st.binary(max_size=60))
def test_decoders_never_raise_on_any_frame(addr: int, func: int, data: bytes) -> None:
    frame = one_frame(encode_frame(addr, func, data))
    decode_device_frame(frame)
    decode_host_frame(frame)
