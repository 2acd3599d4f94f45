"""The chime: two tones, the higher first, loud enough to be heard."""

from __future__ import annotations

from array import array

from hardware.voice.chime import DING_DONG, chime_pcm


def crossings(samples: array) -> int:
    return sum(1 for a, b in zip(samples, samples[1:], strict=False) if (a < 0) != (b < 0))


def test_ding_then_dong() -> None:
    rate = 22050
    samples = array("h", chime_pcm(rate))
    (ding_freq, ding_s), (dong_freq, dong_s) = DING_DONG
    assert len(samples) == int(rate * ding_s) + int(rate * dong_s)
    ding, dong = (
        samples[: int(rate * 0.2)],
        samples[int(rate * ding_s) : int(rate * ding_s) + int(rate * 0.2)],
    )
    # zero crossings over 0.2 s: about 2 x 0.2 x frequency (the octave overtone adds none)
    assert abs(crossings(ding) - 2 * 0.2 * ding_freq) < 10
    assert abs(crossings(dong) - 2 * 0.2 * dong_freq) < 10
    assert max(abs(s) for s in samples) > 10_000
