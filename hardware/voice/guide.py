"""Spoken guidance (语音引导) at the touch kiosk: each screen's title and choices, and the result
("您的号码是 A 零 零 一 号,请到3号窗口附近等候"), read aloud in Mandarin or English.

It is for applicants who cannot read the screen easily, most of them elderly. Unlike the hall's
``Announcer``, where every call must be heard in order, here **the newest sentence wins**: an
applicant who has moved to the next screen must not hear the old one. A sentence not yet started
when a newer one arrives is dropped, and a newer sentence stops the playback in progress, so the
new screen's guidance starts at once. One worker thread renders each sentence with espeak-ng
(offline) into a WAV file and plays it with aplay where a sound card exists; ``say`` only hands
the sentence over, so the kiosk's screen never waits for speech, and a missing espeak-ng is
logged and recorded, never raised.
"""

from __future__ import annotations

import logging
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from hardware.voice.speech import ESPEAK, espeak_available, sound_card_present, speech_pcm, voice_for, write_wav

log = logging.getLogger(__name__)

PLAY_TIMEOUT = 120.0  # seconds: no screen's guidance is this long; a hung aplay is killed


@dataclass
class Guidance:
    """One sentence, as given to ``say`` and then as produced (times are ``time.monotonic()``)."""

    text: str
    lang: str
    path: Path | None = None
    seconds: float = 0.0
    error: str | None = None
    started: float | None = None
    finished: float | None = None
    played: bool = False  # played to the end
    interrupted: bool = False  # a newer sentence stopped it, or arrived before it could play


class Guide:
    """The kiosk's voice, newest sentence first; use as a context manager or ``close()``."""

    def __init__(
        self,
        output_dir: Path | str | None = None,
        *,
        speed: int = 150,
        play: bool | None = None,
        keep: int = 50,
    ) -> None:
        """``play`` None plays where a sound card exists; ``keep`` bounds how many WAV files stay
        on disk."""
        if keep < 1:
            raise ValueError("keep is at least 1")
        self.output_dir = (
            Path(output_dir) if output_dir is not None else Path(tempfile.mkdtemp(prefix="kiosk-voice-"))
        )
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self.speed = speed
        self.play = sound_card_present() if play is None else play
        self.keep = keep
        self.produced: list[Guidance] = []  # rendered (or failed), in order
        self.dropped: list[Guidance] = []  # superseded before they were started
        self._session = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self._count = 0
        self._lock = threading.Condition()
        self._pending: Guidance | None = None  # the newest sentence not yet started
        self._busy = False  # the worker is rendering or playing a sentence
        self._player: subprocess.Popen[bytes] | None = None
        self._current: Guidance | None = None
        self._closed = False
        self._worker = threading.Thread(target=self._work, name="kiosk-voice", daemon=True)
        self._worker.start()

    # ---- the interface ------------------------------------------------------------------------

    def say(self, text: str, lang: str = "zh") -> None:
        """Speak ``text`` ("zh" or "en") instead of whatever is waiting or playing; returns at once."""
        text = text.strip()
        if not text:
            raise ValueError("there is nothing to say")
        item = Guidance(text, lang)
        with self._lock:
            if self._closed:
                raise RuntimeError("the guide is closed")
            if self._pending is not None:
                self.dropped.append(self._pending)
            self._pending = item
            self._stop_playing()
            self._lock.notify_all()

    def join(self, timeout: float | None = None) -> bool:
        """Wait until the newest sentence has been written (and played); False on timeout."""
        with self._lock:
            return self._lock.wait_for(lambda: self._pending is None and not self._busy, timeout)

    @property
    def files(self) -> list[Path]:
        """The WAV files produced, newest last (the older ones beyond ``keep`` are deleted)."""
        return [g.path for g in self.produced if g.path is not None]

    def close(self) -> None:
        """Finish the newest sentence, then stop the worker."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._lock.notify_all()
        self._worker.join()

    def __enter__(self) -> Guide:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the worker ---------------------------------------------------------------------------

    def _stop_playing(self) -> None:
        """Under the lock: stop the sentence being played, if any."""
        if self._player is not None and self._player.poll() is None:
            assert self._current is not None
            self._current.interrupted = True
            self._player.kill()  # SIGKILL: the new screen's guidance must not wait for it

    def _work(self) -> None:
        while True:
            with self._lock:
                self._lock.wait_for(lambda: self._pending is not None or self._closed)
                if self._pending is None:
                    return  # closed, nothing left to say
                item, self._pending, self._busy = self._pending, None, True
            item.started = time.monotonic()
            try:
                self._render(item)
                if self.play and item.path is not None:
                    self._play(item)
            except Exception as exc:  # one bad sentence must not silence the kiosk
                item.error = str(exc)
                log.warning("guidance %r failed: %s", item.text, exc)
            item.finished = time.monotonic()
            with self._lock:
                self.produced.append(item)
                self._prune()
                self._busy = False
                self._lock.notify_all()

    def _render(self, item: Guidance) -> None:
        self._count += 1
        path = self.output_dir / f"{self._session}-{self._count:04d}-{item.lang}.wav"
        if not espeak_available():
            item.error = f"{ESPEAK} not found: nothing said"
            log.warning("guidance %r not spoken: %s not found", item.text, ESPEAK)
            return
        rate, pcm = speech_pcm(item.text, voice_for(item.lang), self.speed, path.with_suffix(".speech.wav"))
        item.seconds = write_wav(path, rate, pcm)
        item.path = path

    def _play(self, item: Guidance) -> None:
        with self._lock:
            if self._pending is not None:  # a newer sentence came while this one was rendered
                item.interrupted = True
                return
            player = self._player = subprocess.Popen(["aplay", "-q", str(item.path)])
            self._current = item
        try:
            code = player.wait(timeout=PLAY_TIMEOUT)  # on timeout, killed below
            if item.interrupted:
                return
            if code != 0:
                raise subprocess.CalledProcessError(code, player.args)
            item.played = True
        finally:
            with self._lock:
                self._player = self._current = None
            if player.poll() is None:
                player.kill()
                player.wait()

    def _prune(self) -> None:
        """Delete the file that just fell out of the last ``keep``."""
        files = self.files
        if len(files) > self.keep:
            files[-self.keep - 1].unlink(missing_ok=True)
