"""Median, 90th percentile and histogram of durations: what a supervisor reads of waits and services.

Exact, from every ticket's seconds (SQLite has no percentile function, so they are not computed
in SQL; a month of a busy hall is some 150,000 numbers, sorted in milliseconds).
"""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

# Bucket edges in minutes; the last bucket is open-ended.
WAIT_EDGES = (0, 5, 10, 15, 20, 30, 45, 60)
SERVICE_EDGES = (0, 2, 5, 10, 15, 20, 30)


@dataclass(frozen=True)
class Summary:
    """Durations in minutes: how many, the median, the 90th percentile (None when there are none)."""

    count: int
    median: float | None
    p90: float | None


def summary(seconds: Sequence[float]) -> Summary:
    """The median (middle value, or the mean of the two middle ones) and the 90th percentile by
    nearest rank (the smallest duration that at least 90% of the tickets did not exceed)."""
    if not seconds:
        return Summary(0, None, None)
    ordered = sorted(seconds)
    p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]
    return Summary(len(ordered), round(statistics.median(ordered) / 60, 1), round(p90 / 60, 1))


def histogram(seconds: Sequence[float], edges: Sequence[int]) -> list[int]:
    """How many durations fall in each bucket [edges[i], edges[i+1]) minutes; the last is edges[-1] and
    over, the first takes anything below edges[1]. Sorted once, then cut at each edge by bisection."""
    ordered = sorted(seconds)
    below = [bisect_left(ordered, edge, key=lambda s: s / 60) for edge in edges[1:]]  # under each upper edge
    return [high - low for low, high in zip([0, *below], [*below, len(ordered)], strict=True)]


def bucket_labels(edges: Sequence[int]) -> list[str]:
    """"0–5", "5–10", …, "60+" (minutes)."""
    return [f"{a}–{b}" for a, b in zip(edges, edges[1:], strict=False)] + [f"{edges[-1]}+"]
