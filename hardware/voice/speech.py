"""espeak-ng, offline: which voice reads Mandarin, whether a sound card exists, and one sentence
rendered to 16-bit mono PCM. Shared by the hall's ``Announcer`` and the kiosk's ``Guide``.

espeak-ng 1.51 (Debian 12) reads many characters with the ``cmn`` voice as pinyin plus an
English tone digit ("qing three"); ``mandarin_voice()`` then picks ``cmn-latn-pinyin``, which
reads them correctly.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import wave
from pathlib import Path

ESPEAK = "espeak-ng"
MANDARIN_CANDIDATES = ("cmn", "cmn-latn-pinyin", "zh")
PROBE = "请到窗口办理"


def espeak_available() -> bool:
    return shutil.which(ESPEAK) is not None


def phonemes(text: str, voice: str) -> str:
    """espeak-ng's phoneme transcription, to check how a voice will read ``text``."""
    done = subprocess.run(
        [ESPEAK, "-q", "-x", "-v", voice, text], capture_output=True, text=True, timeout=30, check=True
    )
    return done.stdout


@functools.cache
def mandarin_voice() -> str:
    """The first Mandarin voice that reads Chinese without switching to English ("(en)")."""
    for voice in MANDARIN_CANDIDATES:
        try:
            if "(en)" not in phonemes(PROBE, voice):
                return voice
        except (OSError, subprocess.SubprocessError):
            continue
    return MANDARIN_CANDIDATES[0]


def voice_for(lang: str) -> str:
    """The espeak-ng voice for a language code: the checked Mandarin voice for "zh", else ``lang``."""
    return mandarin_voice() if lang == "zh" else lang


def sound_card_present() -> bool:
    """``aplay -l`` lists at least one card (a headless server has none)."""
    if shutil.which("aplay") is None:
        return False
    try:
        listing = subprocess.run(["aplay", "-l"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "card " in listing


def speech_pcm(text: str, voice: str, speed: int, scratch: Path) -> tuple[int, bytes]:
    """``text`` spoken by espeak-ng: (sample rate, 16-bit mono PCM). ``scratch`` is the WAV file
    espeak-ng writes; it is deleted afterwards."""
    try:
        subprocess.run(
            [ESPEAK, "-v", voice, "-s", str(speed), "-w", str(scratch), text],
            capture_output=True,
            timeout=60,
            check=True,
        )
        with wave.open(str(scratch), "rb") as speech:
            if speech.getnchannels() != 1 or speech.getsampwidth() != 2:
                raise ValueError("espeak-ng wrote audio that is not 16-bit mono")
            return speech.getframerate(), speech.readframes(speech.getnframes())
    finally:
        scratch.unlink(missing_ok=True)


def write_wav(path: Path, rate: int, pcm: bytes) -> float:
    """Write 16-bit mono PCM as a WAV file; returns its length in seconds."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm)
    return len(pcm) / 2 / rate
