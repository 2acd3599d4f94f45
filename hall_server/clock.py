"""The server's clock, injected so tests and the demo can run a whole day in seconds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class Clock:
    """Real time, optionally shifted or frozen (``set``/``advance``) for tests and the demo."""

    def __init__(self) -> None:
        self._offset = timedelta(0)
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        return self._frozen if self._frozen is not None else datetime.now(UTC) + self._offset

    def set(self, moment: datetime, *, frozen: bool = True) -> None:
        if frozen:
            self._frozen = moment.astimezone(UTC)
        else:
            self._frozen = None
            self._offset = moment - datetime.now(UTC)

    def advance(self, delta: timedelta) -> None:
        if self._frozen is not None:
            self._frozen += delta
        else:
            self._offset += delta
