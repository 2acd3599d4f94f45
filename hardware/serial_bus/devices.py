"""What the bytes of an FF 68 frame mean: function codes, keys, and typed events and commands.

A function code's high nibble names the device kind and its top bit the direction, so a keypad,
a rating pad and a card reader of the same window share the window's address on the bus and
each answers only its own codes:

    device -> host: 0x10 keypad, 0x20 rating pad, 0x30 card reader (+0 event, +D nak, +E ack, +F status)
    host -> device: 0x90 keypad, 0xA0 rating pad, 0xB0 card reader (+0 event ack, +1.. commands, +F ping)

Every device event carries a sequence number; the device repeats the event until the host acks
that number, and the host drops repeats it has already seen. Every host command is answered by
an ack (or a nak); the host repeats it until then. docs/DEVICES.md has the byte tables.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TypeVar

from hardware.serial_bus.frame import Frame, encode_frame
from hardware.serial_bus.led import is_clean_text

# Link timing (seconds), shared by the host's line reader and the simulators; see docs/DEVICES.md.
ANSWER_TIMEOUT = 0.2  # a command or an event not answered within this is sent again
COMMAND_RETRIES = 3  # the host sends a command at most 1 + 3 times, then reports NoAnswer
EVENT_RETRIES = 4  # a device sends an event at most 1 + 4 times, then drops it
DUPLICATE_WINDOW = 3.0  # a repeated event sequence number within this is the same event
LINE_IDLE = 0.1  # silence that ends any partial frame


class DeviceKind(enum.IntEnum):
    KEYPAD = 1  # 物理叫号器
    RATING_PAD = 2  # 评价器
    CARD_READER = 3  # 考勤刷卡器


class Func(enum.IntEnum):
    """Function codes on the wire."""

    KEYPAD_KEY = 0x10
    KEYPAD_NAK = 0x1D
    KEYPAD_ACK = 0x1E
    KEYPAD_STATUS = 0x1F
    RATING_RESULT = 0x20
    RATING_NAK = 0x2D
    RATING_ACK = 0x2E
    RATING_STATUS = 0x2F
    CARD_SWIPE = 0x30
    CARD_NAK = 0x3D
    CARD_ACK = 0x3E
    CARD_STATUS = 0x3F

    KEYPAD_EVENT_ACK = 0x90
    KEYPAD_DISPLAY = 0x91
    KEYPAD_BEEP = 0x92
    KEYPAD_PING = 0x9F
    RATING_EVENT_ACK = 0xA0
    RATING_PROMPT = 0xA1
    RATING_THANKS = 0xA2
    RATING_IDLE = 0xA3
    RATING_PING = 0xAF
    CARD_EVENT_ACK = 0xB0
    CARD_RESULT = 0xB1
    CARD_PING = 0xBF


HOST = 0x80
EVENT, NAK, ACK, STATUS = 0x0, 0xD, 0xE, 0xF  # device -> host low nibbles
EVENT_ACK, PING = 0x0, 0xF  # host -> device low nibbles


def func_of(kind: DeviceKind, low: int, *, host: bool) -> int:
    return (HOST if host else 0) | kind << 4 | low


def kind_of(func: int) -> DeviceKind | None:
    try:
        return DeviceKind(func >> 4 & 0x7)
    except ValueError:
        return None


def is_host_func(func: int) -> bool:
    return bool(func & HOST)


def expects_answer(func: int) -> bool:
    """Host commands a device must answer (an event ack is itself the answer to an event)."""
    return is_host_func(func) and kind_of(func) is not None and func & 0xF != EVENT_ACK


class KeypadKey(enum.IntEnum):
    """Keys of the window caller keypad. TRANSFER carries the target window, CALL_BACK a ticket number."""

    CALL = 0x01  # 呼叫
    RECALL = 0x02  # 重呼
    PAUSE = 0x03  # 暂停
    RESUME = 0x04  # 恢复
    TRANSFER = 0x05  # 转移
    SKIP = 0x06  # 过号
    HOLD = 0x07  # 挂起
    CALL_BACK = 0x08  # 回呼 (特呼)
    START = 0x09  # 开始办理
    FINISH = 0x0A  # 办结
    RATE = 0x0B  # 请评价

    @property
    def action(self) -> str:
        return self.name.lower()


class RatingKey(enum.IntEnum):
    """The hall's four-level pad (RULES §4); values on the wire, ``.rating`` as the server names it."""

    GOOD = 1  # 好
    FAIRLY_GOOD = 2  # 较好
    AVERAGE = 3  # 一般
    POOR = 4  # 较差

    @property
    def rating(self) -> str:
        return self.name.lower()


class NationalRatingKey(enum.IntEnum):
    """The national five-level pad (好差评); mapped onto the hall's four levels for assessment."""

    VERY_SATISFIED = 1  # 非常满意
    SATISFIED = 2  # 满意
    BASICALLY_SATISFIED = 3  # 基本满意
    DISSATISFIED = 4  # 不满意
    VERY_DISSATISFIED = 5  # 非常不满意

    @property
    def rating(self) -> str:
        return _NATIONAL_TO_HALL[self].rating


_NATIONAL_TO_HALL = {
    NationalRatingKey.VERY_SATISFIED: RatingKey.GOOD,
    NationalRatingKey.SATISFIED: RatingKey.FAIRLY_GOOD,
    NationalRatingKey.BASICALLY_SATISFIED: RatingKey.AVERAGE,
    NationalRatingKey.DISSATISFIED: RatingKey.POOR,
    NationalRatingKey.VERY_DISSATISFIED: RatingKey.POOR,
}
SCALES: dict[int, type[RatingKey] | type[NationalRatingKey]] = {4: RatingKey, 5: NationalRatingKey}


class DisplayMode(enum.IntEnum):
    """What the keypad's digit display shows; the keypad may light a different marker for each."""

    NUMBER = 0  # the ticket being served, e.g. "A001"
    WAITING = 1  # how many wait for this window, e.g. "12"
    TEXT = 2  # a status such as "----" (paused)


class NakReason(enum.IntEnum):
    BAD_LENGTH = 1
    BAD_VALUE = 2
    UNSUPPORTED = 3


KEYPAD_DISPLAY_WIDTH = 8
CARD_ID_MAX = 32
GB18030_TEXT_MAX = 64


# ---- device -> host -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KeyPress:
    addr: int
    key: KeypadKey
    arg: str = ""
    seq: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class RatingPress:
    addr: int
    key: RatingKey | NationalRatingKey
    seq: int = field(default=0, compare=False)

    @property
    def rating(self) -> str:
        """The server's rating value ("good", "fairly_good", "average", "poor")."""
        return self.key.rating


@dataclass(frozen=True, slots=True)
class RatingSkipped:
    """The prompt timed out with no key pressed."""

    addr: int
    seq: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class CardSwipe:
    """A staff card at the reader of window ``addr`` (``None`` for a stand-alone reader)."""

    addr: int | None
    card_id: str
    seq: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Ack:
    addr: int
    func: int  # the command acknowledged


@dataclass(frozen=True, slots=True)
class Nak:
    addr: int
    func: int
    reason: NakReason


@dataclass(frozen=True, slots=True)
class Status:
    """A device's answer to a ping: it is there, with this firmware version."""

    addr: int
    kind: DeviceKind
    version: int


DeviceEvent = KeyPress | RatingPress | RatingSkipped | CardSwipe
DeviceReply = Ack | Nak | Status


# ---- host -> device -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EventAck:
    addr: int
    kind: DeviceKind
    seq: int


@dataclass(frozen=True, slots=True)
class KeypadDisplay:
    addr: int
    text: str
    mode: DisplayMode = DisplayMode.NUMBER


@dataclass(frozen=True, slots=True)
class KeypadBeep:
    addr: int
    count: int = 1
    length_ms: int = 200


@dataclass(frozen=True, slots=True)
class RatingPrompt:
    addr: int
    scale: int = 4
    timeout_s: int = 30
    text: str = ""


@dataclass(frozen=True, slots=True)
class RatingThanks:
    addr: int
    text: str = ""


@dataclass(frozen=True, slots=True)
class RatingIdle:
    addr: int


@dataclass(frozen=True, slots=True)
class CardResult:
    addr: int
    accepted: bool


@dataclass(frozen=True, slots=True)
class Ping:
    addr: int
    kind: DeviceKind


HostCommand = (
    EventAck | KeypadDisplay | KeypadBeep | RatingPrompt | RatingThanks | RatingIdle | CardResult | Ping
)


# ---- encoders: host -> device ---------------------------------------------------------------


def _ascii(text: str, limit: int, what: str) -> bytes:
    if not text.isascii() or not is_clean_text(text) or len(text) > limit:
        raise ValueError(f"{what} must be at most {limit} printable ASCII characters: {text!r}")
    return text.encode("ascii")


def _gb18030(text: str) -> bytes:
    if not is_clean_text(text):
        raise ValueError(f"device text may not contain control characters: {text!r}")
    data = text.encode("gb18030")
    if len(data) > GB18030_TEXT_MAX:
        raise ValueError(f"device text is {len(data)} bytes in GB18030; at most {GB18030_TEXT_MAX}")
    return data


def event_ack(addr: int, kind: DeviceKind, seq: int) -> bytes:
    return encode_frame(addr, func_of(kind, EVENT_ACK, host=True), bytes([seq]))


def ping(addr: int, kind: DeviceKind) -> bytes:
    return encode_frame(addr, func_of(kind, PING, host=True))


def keypad_display(addr: int, text: str, mode: DisplayMode = DisplayMode.NUMBER) -> bytes:
    return encode_frame(
        addr, Func.KEYPAD_DISPLAY, bytes([mode]) + _ascii(text, KEYPAD_DISPLAY_WIDTH, "display")
    )


def keypad_beep(addr: int, count: int = 1, length_ms: int = 200) -> bytes:
    if not 1 <= count <= 9 or not 10 <= length_ms <= 2550:
        raise ValueError("a beep is 1..9 times, 10..2550 ms each")
    return encode_frame(addr, Func.KEYPAD_BEEP, bytes([count, length_ms // 10]))


def rating_prompt(addr: int, *, scale: int = 4, timeout_s: int = 30, text: str = "") -> bytes:
    """Ask the applicant to rate; ``text`` (e.g. the staff member's name) shows on the pad's screen."""
    if scale not in SCALES or not 1 <= timeout_s <= 255:
        raise ValueError("scale is 4 or 5, timeout 1..255 s")
    return encode_frame(addr, Func.RATING_PROMPT, bytes([scale, timeout_s]) + _gb18030(text))


def rating_thanks(addr: int, text: str = "") -> bytes:
    """Show thanks; an empty text means the pad's own 谢谢您的评价."""
    return encode_frame(addr, Func.RATING_THANKS, _gb18030(text))


def rating_idle(addr: int) -> bytes:
    """Withdraw a prompt (the service was cancelled); the pad goes dark."""
    return encode_frame(addr, Func.RATING_IDLE)


def card_result(addr: int, accepted: bool) -> bytes:
    return encode_frame(addr, Func.CARD_RESULT, bytes([0 if accepted else 1]))


# ---- encoders: device -> host (simulators and vendors' test benches) ------------------------


def key_frame(addr: int, key: KeypadKey, seq: int, arg: str = "") -> bytes:
    return encode_frame(addr, Func.KEYPAD_KEY, bytes([seq, key]) + _ascii(arg, 16, "key argument"))


def rating_frame(addr: int, key: RatingKey | NationalRatingKey | None, seq: int) -> bytes:
    """A rating, or ``None`` for a prompt that timed out unanswered (level 0)."""
    scale = 5 if isinstance(key, NationalRatingKey) else 4
    return encode_frame(addr, Func.RATING_RESULT, bytes([seq, scale, 0 if key is None else key]))


def card_frame(addr: int, card_id: str, seq: int) -> bytes:
    if not card_id.isascii() or not card_id.isalnum() or len(card_id) > CARD_ID_MAX:
        raise ValueError(f"a card id is 1..{CARD_ID_MAX} ASCII letters and digits")
    return encode_frame(addr, Func.CARD_SWIPE, bytes([seq]) + card_id.encode("ascii"))


def ack_frame(addr: int, func: int) -> bytes:
    kind = kind_of(func)
    assert kind is not None
    return encode_frame(addr, func_of(kind, ACK, host=False), bytes([func]))


def nak_frame(addr: int, func: int, reason: NakReason) -> bytes:
    kind = kind_of(func)
    assert kind is not None
    return encode_frame(addr, func_of(kind, NAK, host=False), bytes([func, reason]))


def status_frame(addr: int, kind: DeviceKind, version: int = 1) -> bytes:
    return encode_frame(addr, func_of(kind, STATUS, host=False), bytes([version]))


# ---- decoders -------------------------------------------------------------------------------

E = TypeVar("E", bound=enum.IntEnum)


def _text(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if is_clean_text(text) else None


def _member(keys: type[E], value: int) -> E | None:
    try:
        return keys(value)
    except ValueError:
        return None


def decode_device_frame(frame: Frame) -> DeviceEvent | DeviceReply | None:
    """A device's frame as a typed event or reply; None for host frames and malformed data."""
    kind, low, data, addr = kind_of(frame.func), frame.func & 0xF, frame.data, frame.addr
    if is_host_func(frame.func) or kind is None:
        return None
    if low == ACK:
        acked = len(data) == 1 and is_host_func(data[0]) and kind_of(data[0]) == kind
        return Ack(addr, data[0]) if acked else None
    if low == NAK:
        reason = _member(NakReason, data[1]) if len(data) == 2 and kind_of(data[0]) == kind else None
        return Nak(addr, data[0], reason) if reason is not None else None
    if low == STATUS:
        return Status(addr, kind, data[0]) if len(data) == 1 else None
    if low != EVENT or not data:
        return None
    seq, rest = data[0], data[1:]
    if kind is DeviceKind.KEYPAD:
        key = _member(KeypadKey, rest[0]) if rest else None
        arg = _text(rest[1:], "ascii")
        return KeyPress(addr, key, arg, seq) if key is not None and arg is not None else None
    if kind is DeviceKind.RATING_PAD:
        if len(rest) != 2 or rest[0] not in SCALES:
            return None
        if rest[1] == 0:
            return RatingSkipped(addr, seq)
        rating = _member(SCALES[rest[0]], rest[1])
        return RatingPress(addr, rating, seq) if rating is not None else None
    card = _text(rest, "ascii") if 1 <= len(rest) <= CARD_ID_MAX else None
    return CardSwipe(addr, card, seq) if card is not None and card.isalnum() else None


def decode_host_frame(frame: Frame) -> HostCommand | None:
    """A host's frame as the command a device carries out; None for device frames and malformed data."""
    kind, low, data, addr = kind_of(frame.func), frame.func & 0xF, frame.data, frame.addr
    if not is_host_func(frame.func) or kind is None:
        return None
    if low == EVENT_ACK:
        return EventAck(addr, kind, data[0]) if len(data) == 1 else None
    if low == PING:
        return Ping(addr, kind) if not data else None
    func = _member(Func, frame.func)
    if func is Func.KEYPAD_DISPLAY:
        mode = _member(DisplayMode, data[0]) if data else None
        text = _text(data[1:], "ascii")
        if mode is not None and text is not None and len(text) <= KEYPAD_DISPLAY_WIDTH:
            return KeypadDisplay(addr, text, mode)
    elif func is Func.KEYPAD_BEEP:
        if len(data) == 2 and 1 <= data[0] <= 9 and data[1]:
            return KeypadBeep(addr, data[0], data[1] * 10)
    elif func is Func.RATING_PROMPT:
        text = _text(data[2:], "gb18030")
        if len(data) >= 2 and data[0] in SCALES and data[1] and text is not None:
            return RatingPrompt(addr, data[0], data[1], text)
    elif func is Func.RATING_THANKS:
        text = _text(data, "gb18030")
        return None if text is None else RatingThanks(addr, text)
    elif func is Func.RATING_IDLE:
        return RatingIdle(addr) if not data else None
    elif func is Func.CARD_RESULT and len(data) == 1 and data[0] in (0, 1):
        return CardResult(addr, data[0] == 0)
    return None
