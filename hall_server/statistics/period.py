"""The days a statistics page covers: one business day, or the week ending on it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SPANS = {"day": 1, "week": 7}


@dataclass(frozen=True)
class Period:
    """Business days ``first`` to ``last`` (both included) in the hall's zone."""

    first: date
    last: date
    timezone: str = "Asia/Shanghai"

    @classmethod
    def ending(cls, day: date, span: str, timezone: str) -> Period:
        """``span`` days ending on ``day``: "day" is that day, "week" the seven days up to it."""
        return cls(day - timedelta(days=SPANS[span] - 1), day, timezone)

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def start(self) -> datetime:
        """The first moment of the first day, in UTC (events are stored with their moment, not their day)."""
        return datetime.combine(self.first, time(), ZoneInfo(self.timezone)).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first moment after the last day, in UTC."""
        return datetime.combine(self.last + timedelta(days=1), time(), ZoneInfo(self.timezone)).astimezone(UTC)
