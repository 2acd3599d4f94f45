"""The kiosk's spoken guidance: audible speech in Mandarin and English, the newest sentence wins."""

from __future__ import annotations

import math
import os
import threading
import time
import wave
from array import array
from pathlib import Path

import pytest

from hardware.voice import guide as guide_module
from hardware.voice.guide import Guide
from hardware.voice.speech import espeak_available, sound_card_present
from tests.hardware.voice.fakes import fake_aplay

needs_espeak = pytest.mark.skipif(
    not espeak_available(), reason="espeak-ng is not installed (scripts/system-packages.sh)"
)
WAIT = 120.0
RESULT = "您的号码是 A 零 零 一 号,请到3号窗口附近等候"


def speech_of(path: Path) -> tuple[float, float]:
    """(seconds, RMS) of a 16-bit mono WAV file."""
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        pcm = array("h", wav.readframes(wav.getnframes()))
        rate = wav.getframerate()
    return len(pcm) / rate, math.sqrt(sum(s * s for s in pcm) / max(1, len(pcm)))


@needs_espeak
def test_a_chinese_sentence_is_audible_speech(tmp_path: Path) -> None:
    with Guide(tmp_path, play=False) as guide:
        guide.say(RESULT)
        assert guide.join(WAIT)
    (said,) = guide.produced
    assert said.error is None and said.path is not None and said.path.parent == tmp_path
    assert (said.text, said.lang) == (RESULT, "zh")
    seconds, loudness = speech_of(said.path)
    assert 2.0 <= seconds <= 15.0 and abs(seconds - said.seconds) < 0.01
    assert loudness > 500  # somebody speaks, not silence
    assert guide.files == [said.path]
    assert list(tmp_path.iterdir()) == [said.path]  # espeak-ng's scratch file is gone


@needs_espeak
def test_english(tmp_path: Path) -> None:
    with Guide(tmp_path, play=False) as guide:
        guide.say("Please choose a service.", lang="en")
        assert guide.join(WAIT)
    (said,) = guide.produced
    assert said.error is None and said.lang == "en" and said.path is not None
    seconds, loudness = speech_of(said.path)
    assert 0.8 <= seconds <= 6.0 and loudness > 500


@needs_espeak
def test_sentences_said_at_once_leave_only_the_newest(tmp_path: Path) -> None:
    with Guide(tmp_path, play=False) as guide:
        for text in ("请选择业务", "请选择办理方式", "请放入身份证"):
            guide.say(text)
        assert guide.join(WAIT)
    assert guide.produced[-1].text == "请放入身份证" and guide.produced[-1].path == guide.files[-1]
    said = [g.text for g in guide.produced] + [g.text for g in guide.dropped]
    assert sorted(said) == sorted(("请选择业务", "请选择办理方式", "请放入身份证"))  # each either said or dropped
    assert all(g.path is None and g.started is None for g in guide.dropped)


@needs_espeak
def test_a_sentence_not_yet_started_is_dropped_for_a_newer_one(tmp_path: Path, monkeypatch) -> None:
    """While the first is rendered, two more come: the middle one is never rendered."""
    entered, release = threading.Event(), threading.Event()
    real = guide_module.speech_pcm
    rendered: list[str] = []

    def gated(text: str, *args: object) -> tuple[int, bytes]:
        rendered.append(text)
        if len(rendered) == 1:
            entered.set()
            assert release.wait(WAIT)
        return real(text, *args)

    monkeypatch.setattr(guide_module, "speech_pcm", gated)
    with Guide(tmp_path, play=False) as guide:
        guide.say("请选择业务")
        assert entered.wait(WAIT)
        guide.say("请选择办理方式")
        guide.say("Please insert your ID card.", lang="en")
        release.set()
        assert guide.join(WAIT)
    assert rendered == ["请选择业务", "Please insert your ID card."]
    assert [g.text for g in guide.produced] == rendered
    assert [g.text for g in guide.dropped] == ["请选择办理方式"]
    assert len(guide.files) == 2 and all(f.exists() for f in guide.files)


def test_without_espeak_an_error_is_recorded_not_raised(tmp_path: Path, monkeypatch, caplog) -> None:
    monkeypatch.setattr(guide_module, "espeak_available", lambda: False)
    with Guide(tmp_path, play=True) as guide:
        guide.say(RESULT)
        assert guide.join(WAIT)
        guide.say("Please choose a service.", lang="en")
        assert guide.join(WAIT)
    assert [g.text for g in guide.produced] == [RESULT, "Please choose a service."]
    assert all("espeak-ng not found" in (g.error or "") and g.path is None for g in guide.produced)
    assert guide.files == [] and not guide.produced[0].played
    assert "not found" in caplog.text


def test_a_failing_sentence_does_not_stop_the_next(tmp_path: Path, monkeypatch) -> None:
    def broken(*args: object) -> tuple[int, bytes]:
        raise OSError("espeak-ng crashed")

    monkeypatch.setattr(guide_module, "espeak_available", lambda: True)
    monkeypatch.setattr(guide_module, "speech_pcm", broken)
    with Guide(tmp_path, play=False) as guide:
        guide.say("一")
        assert guide.join(WAIT)
        monkeypatch.setattr(guide_module, "speech_pcm", lambda *a: (16000, bytes(3200)))
        guide.say("二")
        assert guide.join(WAIT)
    assert [g.error for g in guide.produced] == ["espeak-ng crashed", None]
    assert guide.files == [guide.produced[1].path]


def test_a_newer_sentence_stops_the_one_playing(tmp_path: Path, monkeypatch) -> None:
    log = fake_aplay(tmp_path, seconds=1)
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(guide_module, "espeak_available", lambda: True)
    monkeypatch.setattr(guide_module, "speech_pcm", lambda *a: (16000, bytes(3200)))  # fast, no espeak
    assert sound_card_present()
    with Guide(tmp_path / "out", keep=1) as guide:
        assert guide.play
        guide.say("请选择业务")
        deadline = time.monotonic() + WAIT
        while not (log.exists() and "start" in log.read_text()):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        guide.say("请放入身份证")
        assert guide.join(WAIT)
    first, second = guide.produced
    assert first.interrupted and not first.played and first.error is None
    assert second.played and not second.interrupted
    assert first.finished - first.started < 0.9  # cut off, not played to its end (1 s)
    assert log.read_text().split("\n")[:-1] == [
        f"start {first.path}",
        f"start {second.path}",
        f"end {second.path}",
    ]
    assert not first.path.exists() and second.path.exists()  # keep=1


def test_say_checks_its_input(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(guide_module, "espeak_available", lambda: False)
    guide = Guide(tmp_path, play=False)
    with pytest.raises(ValueError):
        guide.say("  ")
    guide.close()
    with pytest.raises(RuntimeError):
        guide.say("请选择业务")
    with pytest.raises(ValueError):
        Guide(tmp_path, keep=0)
