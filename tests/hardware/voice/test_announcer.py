"""Announcements as heard: a non-silent WAV of plausible length, in order, never overlapping."""

from __future__ import annotations

import math
import os
import wave
from array import array
from pathlib import Path

import pytest

from hardware.voice import announcer as announcer_module
from hardware.voice.announcer import Announcer, espeak_available, phonemes, sound_card_present
from hardware.voice.chime import DING_DONG
from tests.hardware.voice.fakes import fake_aplay

needs_espeak = pytest.mark.skipif(
    not espeak_available(), reason="espeak-ng is not installed (scripts/system-packages.sh)"
)
WAIT = 120.0
CHIME_SECONDS = sum(seconds for _, seconds in DING_DONG) + announcer_module.GAP_AFTER_CHIME


def samples(path: Path) -> tuple[array, int]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return array("h", wav.readframes(wav.getnframes())), wav.getframerate()


def rms(part: array) -> float:
    return math.sqrt(sum(s * s for s in part) / max(1, len(part)))


@needs_espeak
def test_a_call_is_a_chime_then_audible_speech_of_plausible_length(tmp_path: Path) -> None:
    with Announcer(tmp_path, repeat=1, play=False) as voice:
        voice.announce("A001", "3")
        assert voice.join(WAIT)
    (call,) = voice.produced
    assert call.error is None and call.path is not None and call.path.parent == tmp_path
    assert call.text == "请A001号到3号窗口办理"
    pcm, rate = samples(call.path)
    seconds = len(pcm) / rate
    assert 1.5 <= seconds <= 8.0
    assert rms(pcm[: int(rate * CHIME_SECONDS)]) > 1000  # the chime
    assert rms(pcm[int(rate * CHIME_SECONDS) :]) > 500  # and then somebody speaks


@needs_espeak
def test_the_voice_reads_mandarin_not_english_tone_digits(tmp_path: Path) -> None:
    with Announcer(tmp_path, repeat=1, play=False) as voice:
        voice.announce("A001", "12")
        assert voice.join(WAIT)
    call = voice.produced[0]
    assert call.spoken == "请A 零 零 一号到十二号窗口办理"
    assert "(en)" not in phonemes(call.spoken, voice.voice)


@needs_espeak
def test_repeat_says_the_sentence_again(tmp_path: Path) -> None:
    with (
        Announcer(tmp_path, repeat=1, play=False) as once,
        Announcer(tmp_path, repeat=2, play=False) as twice,
    ):
        once.announce("A001", "3")
        twice.announce("A001", "3")
        assert once.join(WAIT) and twice.join(WAIT)
    speech = once.produced[0].seconds - CHIME_SECONDS
    assert twice.produced[0].seconds - once.produced[0].seconds > 0.8 * speech


@needs_espeak
def test_calls_queued_at_once_come_out_in_order_one_after_the_other(tmp_path: Path) -> None:
    with Announcer(tmp_path, repeat=1, play=False) as voice:
        voice.announce("A001", "3")
        voice.announce("A002", "5", recall=True)
        voice.announce("B001", "12")
        assert voice.join(WAIT)
    calls = voice.produced
    assert [c.number for c in calls] == ["A001", "A002", "B001"]
    assert voice.files == sorted(voice.files)  # file names keep the order too
    assert all(f.exists() for f in voice.files)
    for first, second in zip(calls, calls[1:], strict=False):
        assert first.finished <= second.started  # the second began only after the first ended
    assert calls[1].text == "再次呼叫,请A002号到5号窗口办理"


@needs_espeak
async def test_drain_waits_for_every_queued_call(tmp_path: Path) -> None:
    voice = Announcer(tmp_path, repeat=1, play=False)
    try:
        voice.announce("C007", "2")  # returns at once: nothing produced yet is allowed
        await voice.drain()
        assert [c.number for c in voice.produced] == ["C007"]
    finally:
        voice.close()


def test_where_a_sound_card_exists_calls_are_played_whole_and_in_turn(tmp_path: Path, monkeypatch) -> None:
    log = fake_aplay(tmp_path, seconds=0.2)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(announcer_module, "espeak_available", lambda: False)  # chime only: fast
    assert sound_card_present()
    with Announcer(tmp_path / "out") as voice:
        assert voice.play
        for number in ("A001", "A002", "A003"):
            voice.announce(number, "1")
        assert voice.join(WAIT)
    lines = log.read_text().split("\n")[:-1]
    files = [str(p) for p in voice.files]
    assert lines == [f"{edge} {f}" for f in files for edge in ("start", "end")]
    assert all(c.played for c in voice.produced)


def test_without_espeak_the_chime_still_sounds(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(announcer_module, "espeak_available", lambda: False)
    with Announcer(tmp_path, play=False, keep=2) as voice:
        for number in ("A001", "A002", "A003"):
            voice.announce(number, "1")
        assert voice.join(WAIT)
    assert all("chime only" in (c.error or "") for c in voice.produced)
    pcm, rate = samples(voice.files[-1])
    assert abs(len(pcm) / rate - CHIME_SECONDS - announcer_module.TAIL) < 0.5
    assert [f.exists() for f in voice.files] == [False, True, True]  # only the last `keep` stay on disk


def test_templates_are_configurable_and_checked_up_front(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(announcer_module, "espeak_available", lambda: False)
    with Announcer(tmp_path, template="{number}号请到{window}号窗口", play=False) as voice:
        voice.announce("A001", "3")
        voice.join(WAIT)
    assert voice.produced[0].text == "A001号请到3号窗口"
    assert voice.produced[0].spoken == "A 零 零 一号请到三号窗口"
    with pytest.raises(KeyError):
        Announcer(tmp_path, template="请{ticket}号", play=False)
    with pytest.raises(ValueError):
        Announcer(tmp_path, repeat=0, play=False)


def test_english_catalog(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(announcer_module, "espeak_available", lambda: False)
    with Announcer(tmp_path, lang="en", play=False) as voice:
        voice.announce("A001", "12")
        voice.join(WAIT)
    call = voice.produced[0]
    assert call.text == "Number A001, please go to window 12."
    assert call.spoken == "Number A, 0, 0, 1, please go to window 12."
