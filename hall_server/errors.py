"""Errors the API returns: a stable code, an HTTP status, and the message in both languages."""

from __future__ import annotations

from hall_server.messages import MESSAGES


class HallError(Exception):
    """Raised by services; the app turns it into ``{"error": {code, message_zh, message_en}}``."""

    def __init__(self, code: str, status: int = 400, **values: object) -> None:
        self.code = code
        self.status = status
        self.values = values
        msg = MESSAGES[code]
        self.message_zh = msg["zh"].format(**values)
        self.message_en = msg["en"].format(**values)
        super().__init__(f"{code}: {self.message_en}")

    def body(self) -> dict:
        return {"error": {"code": self.code, "message_zh": self.message_zh, "message_en": self.message_en}}
