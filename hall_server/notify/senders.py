"""Where texts go: a gateway over HTTP, a file of JSON lines (halls without a gateway), or nowhere.

A sender sends one text and answers with the gateway's id for it, or raises :class:`SendFailed`.
Senders are called by the sending loop outside any database transaction, one text at a time.
"""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import httpx
from sqlalchemy.engine import make_url

from hall_server.config import Settings
from hall_server.db import normalise_url

FILE_NAME = "text-messages.jsonl"
GATEWAY_TIMEOUT = 10.0  # seconds; well under the first retry delay, which is also the claim's lease


class SendFailed(Exception):
    """The text was not sent. ``permanent``: trying again cannot help (texts are off), so no retries."""

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class TextSender(Protocol):
    def send(self, phone: str, text: str) -> str:
        """Send one text; the provider's id for it, or SendFailed."""
        ...


class FileSender:
    """One JSON line per text, appended: the log backend for halls without a gateway, and what
    the demo and the tests read. The file is opened per text, so it can be rotated at any time."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def send(self, phone: str, text: str) -> str:
        message_id = f"file-{uuid.uuid4().hex[:16]}"
        line = json.dumps({"id": message_id, "at": datetime.now(UTC).isoformat(), "phone": phone, "text": text},
                          ensure_ascii=False)
        try:
            with self._lock, self.path.open("a", encoding="utf-8") as f:
                f.write(line + "\n")
        except OSError as exc:
            raise SendFailed(f"{self.path}: {exc.strerror or exc}") from None
        return message_id


class HttpGatewaySender:
    """POST ``{"phone", "text"}`` as JSON with a Bearer key; a 2xx answer is sent, its JSON ``id``
    the provider's id. Any other answer, or no answer in time, is a failure to try again later."""

    def __init__(self, url: str, api_key: str, timeout: float = GATEWAY_TIMEOUT) -> None:
        self.url = url
        self._client = httpx.Client(timeout=timeout, headers={"Authorization": f"Bearer {api_key}"} if api_key else {})

    def send(self, phone: str, text: str) -> str:
        try:
            r = self._client.post(self.url, json={"phone": phone, "text": text})
        except httpx.HTTPError as exc:
            raise SendFailed(f"{exc.__class__.__name__}: {exc}"[:300]) from None
        if not r.is_success:
            raise SendFailed(f"HTTP {r.status_code}: {r.text[:200]}")
        try:
            answer = r.json()
        except ValueError:
            return ""  # accepted all the same: sending it again would send it twice
        return str(answer.get("id", "")) if isinstance(answer, dict) else ""

    def close(self) -> None:
        self._client.close()


class OffSender:
    """Texts are off in this hall: each queued text is recorded as failed at once, saying why, so the
    office sees which applicants were not told (and can send them once a backend is set)."""

    def send(self, phone: str, text: str) -> str:
        raise SendFailed("短信发送未开通 / text messages are off (HALL_SMS_BACKEND=off)", permanent=True)


def default_file(database_url: str) -> Path:
    """``text-messages.jsonl`` beside a SQLite database file, else in the working directory."""
    url = make_url(normalise_url(database_url))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).resolve().with_name(FILE_NAME)
    return Path.cwd() / FILE_NAME


def sender_from_settings(settings: Settings) -> TextSender:
    """The sender the settings name; ValueError for a gateway without an address (found at start-up)."""
    if settings.sms_backend == "off":
        return OffSender()
    if settings.sms_backend == "http":
        if not settings.sms_gateway_url:
            raise ValueError("HALL_SMS_BACKEND=http needs HALL_SMS_GATEWAY_URL")
        return HttpGatewaySender(settings.sms_gateway_url, settings.sms_gateway_key)
    return FileSender(settings.sms_file or default_file(settings.database_url))
