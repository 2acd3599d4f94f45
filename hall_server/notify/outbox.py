"""Queuing texts in the transaction of the change, and sending the due ones with retries.

A text is a row queued by the cases code in its own transaction, so it exists exactly when the
change that caused it was committed. It is sent later, by the server's loop (``loop.py``):

1. **claim** (one short write transaction): the oldest due text, ``status = 'queued' AND
   next_attempt_at <= now``, taken with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, gets
   ``attempts + 1`` and ``next_attempt_at`` pushed to the retry moment of this attempt. That moment
   is its lease: no other server process takes it before then, and a process that dies while
   sending leaves it to be tried again then. (SQLite is one writer at a time: the claim is atomic.)
2. **send**, with no transaction open: waiting on the gateway never holds a lock.
3. **record** (another short transaction): sent, with the gateway's id; or queued again after a
   delay growing fourfold (30 s, 2 min, 8 min, 32 min, …); or failed, with the last error, once
   ``sms_max_attempts`` are spent, until the office presses 重发 (:func:`retry`).

A text is sent at least once: a process killed after the gateway accepted it and before the
record sends it again after the lease. The gateway's timeout (10 s) is well within the shortest
lease (30 s), so a live sender's text is never taken by another process.

**Texts off** (``sms_backend = "off"``): :func:`queue_text` cannot see the settings inside the
cases code's transaction and queues all the same; the loop's sender then records each as failed at
once ("短信发送未开通"), so the office sees whom no text reached and can send them once a backend is
set. :func:`queue_text` returns None only when there is no mobile number to send to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from hall_server.context import Context
from hall_server.errors import HallError
from hall_server.notify.messages import compose
from hall_server.notify.models import FAILED, QUEUED, SENT, TextMessage
from hall_server.notify.senders import SendFailed, TextSender

FIRST_DELAY = timedelta(seconds=30)
LONGEST_DELAY = timedelta(hours=2)
_PHONE = re.compile(r"\+?\d{5,19}")
_SEPARATORS = re.compile(r"[\s\-()()]")


def retry_delay(attempt: int) -> timedelta:
    """How long after its ``attempt``-th try (from 1) a text is tried again: 30 s × 4^(attempt−1), at most 2 h."""
    return min(FIRST_DELAY * 4 ** max(attempt - 1, 0), LONGEST_DELAY)


def normalise_phone(phone: str | None) -> str:
    """The number as a gateway takes it (separators dropped, a mainland mobile without +86), or "" when
    it is no number a text can reach."""
    number = _SEPARATORS.sub("", phone or "")
    if re.fullmatch(r"(\+86|0086|86)1\d{10}", number):
        number = number[-11:]
    return number if _PHONE.fullmatch(number) else ""


def queue_text(session: Session, now: datetime, *, hall_id: int, case_id: int | None, phone: str | None,
               kind: str, values: Mapping[str, object], lang: str = "zh") -> TextMessage | None:
    """Queue a text in the caller's transaction (committed or rolled back with it); None when the
    applicant left no number a text can reach. ``values`` fill the kind's template (messages.TEXTS)."""
    number = normalise_phone(phone)
    if not number:
        return None
    message = TextMessage(hall_id=hall_id, case_id=case_id, phone=number, kind=kind, text=compose(kind, values, lang),
                          status=QUEUED, attempts=0, next_attempt_at=now, last_error="", created_at=now,
                          provider_id="")
    session.add(message)
    session.flush()
    return message


def retry(session: Session, now: datetime, message_id: int, *, hall_id: int | None = None) -> bool:
    """A failed text queued again, due now, its tries from zero (the office's 重发); True when it was.
    A text not failed (queued again already by a second press, or sent) is left as it is; a text of
    another hall is not found (HallError 404)."""
    message = session.get(TextMessage, message_id, with_for_update=True)
    if message is None or (hall_id is not None and message.hall_id != hall_id):
        raise HallError("text_message_not_found", 404)
    if message.status != FAILED:
        return False
    message.status, message.attempts, message.next_attempt_at, message.sent_at = QUEUED, 0, now, None
    return True


def _due(now: datetime):
    return (TextMessage.status == QUEUED) & (TextMessage.next_attempt_at <= now)


def _claim(session: Session, now: datetime) -> tuple[int, str, str, int] | None:
    """The oldest due text, taken for one attempt (see the module's docstring), or None."""
    row = session.execute(
        select(TextMessage.id, TextMessage.phone, TextMessage.text, TextMessage.attempts).where(_due(now))
        .order_by(TextMessage.next_attempt_at, TextMessage.id).limit(1).with_for_update(skip_locked=True)).first()
    if row is None:
        return None
    attempt = row.attempts + 1
    session.execute(update(TextMessage).where(TextMessage.id == row.id)
                    .values(attempts=attempt, next_attempt_at=now + retry_delay(attempt))
                    .execution_options(synchronize_session=False))
    return row.id, row.phone, row.text, attempt


def _record(session: Session, now: datetime, message_id: int, attempt: int, provider_id: str | None,
            error: SendFailed | None, max_attempts: int) -> None:
    """The attempt's outcome, unless the text was taken again since (its lease ran out)."""
    mine = (TextMessage.id == message_id) & (TextMessage.attempts == attempt) & (TextMessage.status == QUEUED)
    if error is None:
        values: dict[str, object] = {"status": SENT, "sent_at": now, "provider_id": (provider_id or "")[:100]}
        mine = TextMessage.id == message_id  # it was sent: say so whatever happened meanwhile
    elif error.permanent or attempt >= max_attempts:
        values = {"status": FAILED, "last_error": error.reason[:300]}
    else:
        values = {"last_error": error.reason[:300], "next_attempt_at": now + retry_delay(attempt)}
    session.execute(update(TextMessage).where(mine).values(**values).execution_options(synchronize_session=False))


def send_due(ctx: Context, sender: TextSender, *, limit: int = 20) -> int:
    """Send up to ``limit`` due texts, one at a time, claimed and recorded in short transactions of
    their own; the number tried (sent or not). Safe to run in several processes at once."""
    max_attempts = max(ctx.settings.sms_max_attempts, 1)
    tried = 0
    while tried < limit:
        if not ctx.read(lambda s, now: s.scalar(select(exists().where(_due(now))))):
            break  # nothing due: no write transaction (on SQLite, no turn at the write lock)
        claimed = ctx.write(_claim)
        if claimed is None:
            break  # another process took the last ones
        message_id, phone, text, attempt = claimed
        provider_id, error = None, None
        try:
            provider_id = sender.send(phone, text)
        except SendFailed as exc:
            error = exc
        except Exception as exc:  # a sender's bug must not stop the others' texts
            error = SendFailed(f"{exc.__class__.__name__}: {exc}")
        ctx.write(lambda s, now, m=message_id, a=attempt, p=provider_id, e=error:
                  _record(s, now, m, a, p, e, max_attempts))
        tried += 1
    return tried
