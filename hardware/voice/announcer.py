"""The hall's voice: calls queued in order and spoken one at a time.

One worker thread renders each call (chime, then the sentence ``repeat`` times) into one WAV
file and, where a sound card exists, plays it to the end before taking the next, so calls never
overlap or cut each other off and come out in the order they were made. ``announce`` only
enqueues, so a caller on the event loop never waits for speech. espeak-ng itself (which voice
reads Mandarin, rendering a sentence) is in ``hardware.voice.speech``, shared with the kiosk's
``Guide``.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import re
import subprocess
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from hardware.voice.chime import chime_pcm, silence_pcm
from hardware.voice.messages import template as catalog_template
from hardware.voice.speech import (
    ESPEAK,
    espeak_available,
    phonemes,
    sound_card_present,
    speech_pcm,
    voice_for,
    write_wav,
)
from hardware.voice.spoken import spoken_ticket, spoken_window

__all__ = ["ESPEAK", "Announcement", "Announcer", "espeak_available", "phonemes", "sound_card_present"]

log = logging.getLogger(__name__)

GAP_AFTER_CHIME = 0.25
GAP_BETWEEN_REPEATS = 0.8
TAIL = 0.3
FALLBACK_RATE = 22050


@dataclass
class Announcement:
    """One call, as queued and then as produced (times are ``time.monotonic()``)."""

    number: str
    window: str
    recall: bool
    text: str  # as a person reads it: 请A001号到3号窗口办理
    spoken: str  # as espeak-ng is given it: 请A 零 零 一号到三号窗口办理
    path: Path | None = None
    seconds: float = 0.0
    started: float | None = None
    finished: float | None = None
    played: bool = False
    error: str | None = None


class Announcer:
    """Queued announcements, one after the other; use as a context manager or ``close()``."""

    def __init__(
        self,
        output_dir: Path | str | None = None,
        *,
        lang: str = "zh",
        template: str | None = None,
        recall_template: str | None = None,
        repeat: int = 2,
        voice: str | None = None,
        speed: int = 150,
        play: bool | None = None,
        keep: int | None = 500,
    ) -> None:
        """``template`` overrides the catalog's call ("请{number}号到{window}号窗口办理"); ``play``
        None plays when a sound card exists; ``keep`` bounds how many WAV files stay on disk."""
        if repeat < 1 or (keep is not None and keep < 1):
            raise ValueError("repeat and keep are at least 1")
        self.output_dir = (
            Path(output_dir) if output_dir is not None else Path(tempfile.mkdtemp(prefix="hall-voice-"))
        )
        self.output_dir.mkdir(parents=True, exist_ok=True)
        self.lang = lang
        self.templates = {
            False: template or catalog_template("call", lang),
            True: recall_template or catalog_template("recall", lang),
        }
        for text in self.templates.values():
            text.format(number="A001", window="1")  # a broken template fails here, not mid-day
        self.repeat = repeat
        self.voice = voice or voice_for(lang)
        self.speed = speed
        self.play = sound_card_present() if play is None else play
        self.keep = keep
        self.produced: list[Announcement] = []
        # unique per announcer: two announcers may share a folder (file names sort in call order)
        self._session = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
        self._count = 0
        self._queue: queue.Queue[Announcement | None] = queue.Queue()
        self._outstanding = 0
        self._idle = threading.Condition()
        self._closed = False
        self._worker = threading.Thread(target=self._work, name="voice", daemon=True)
        self._worker.start()

    # ---- the interface ------------------------------------------------------------------------

    def announce(self, number: str, window: str, *, recall: bool = False) -> None:
        """Queue a call; returns at once."""
        number, window = number.strip(), str(window).strip()
        if not number or not window:
            raise ValueError("an announcement needs a ticket number and a window")
        if self._closed:
            raise RuntimeError("the announcer is closed")
        item = Announcement(
            number,
            window,
            recall,
            text=self.templates[recall].format(number=number, window=window),
            spoken=self.templates[recall].format(
                number=spoken_ticket(number, self.lang), window=spoken_window(window, self.lang)
            ),
        )
        with self._idle:
            self._outstanding += 1
        self._queue.put(item)

    def join(self, timeout: float | None = None) -> bool:
        """Wait until every queued call has been written (and played); False on timeout."""
        with self._idle:
            return self._idle.wait_for(lambda: self._outstanding == 0, timeout)

    async def drain(self) -> None:
        await asyncio.to_thread(self.join)

    @property
    def files(self) -> list[Path]:
        return [a.path for a in self.produced if a.path is not None]

    def close(self) -> None:
        """Finish what is queued, then stop the worker."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._worker.join()

    def __enter__(self) -> Announcer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- the worker ---------------------------------------------------------------------------

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            item.started = time.monotonic()
            try:
                self._render(item)
                if self.play and item.path is not None:
                    subprocess.run(["aplay", "-q", str(item.path)], timeout=120, check=True)
                    item.played = True
            except Exception as exc:  # one bad call must not silence the hall for the rest of the day
                item.error = str(exc)
                log.warning("announcement %s failed: %s", item.text, exc)
            item.finished = time.monotonic()
            self.produced.append(item)
            self._prune()
            with self._idle:
                self._outstanding -= 1
                self._idle.notify_all()

    def _render(self, item: Announcement) -> None:
        """chime + (speech, pause) × repeat, concatenated into one WAV file."""
        self._count += 1
        safe = re.sub(r"[^0-9A-Za-z]+", "", f"{item.number}-w{item.window}") or "call"
        path = self.output_dir / f"{self._session}-{self._count:04d}-{safe}.wav"
        rate, speech = FALLBACK_RATE, b""
        if espeak_available():
            rate, speech = speech_pcm(item.spoken, self.voice, self.speed, path.with_suffix(".speech.wav"))
        else:
            item.error = f"{ESPEAK} not found: chime only"
        pcm = [chime_pcm(rate), silence_pcm(rate, GAP_AFTER_CHIME)]
        for i in range(self.repeat if speech else 0):
            pcm += [speech, silence_pcm(rate, GAP_BETWEEN_REPEATS if i < self.repeat - 1 else TAIL)]
        item.seconds = write_wav(path, rate, b"".join(pcm))
        item.path = path

    def _prune(self) -> None:
        """Delete the file that just fell out of the last ``keep`` (a day of calls is many megabytes)."""
        files = self.files
        if self.keep is not None and len(files) > self.keep:
            files[-self.keep - 1].unlink(missing_ok=True)
