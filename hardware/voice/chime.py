"""A two-tone "ding-dong" made from sine waves, so the project ships no sound files.

It sounds before every announcement so that people look up before the number is said.
"""

from __future__ import annotations

import math
import sys
from array import array

DING_DONG = ((784.0, 0.45), (659.3, 0.7))  # G5 then E5, seconds


def chime_pcm(rate: int, tones: tuple[tuple[float, float], ...] = DING_DONG, volume: float = 0.5) -> bytes:
    """16-bit mono little-endian PCM at ``rate``: each tone struck like a bell and left to decay."""
    samples = array("h")
    peak = volume * 32767
    for freq, seconds in tones:
        count = int(rate * seconds)
        attack = max(1, int(rate * 0.005))
        for i in range(count):
            t = i / rate
            envelope = min(1.0, i / attack) * math.exp(-4.0 * t / seconds)
            wave = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(4 * math.pi * freq * t)
            samples.append(int(peak * envelope * wave / 1.3))
    if sys.byteorder == "big":
        samples.byteswap()  # WAV is little-endian
    return samples.tobytes()


def silence_pcm(rate: int, seconds: float) -> bytes:
    return bytes(2 * int(rate * seconds))
