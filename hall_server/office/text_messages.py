"""The hall's texts to applicants (短信告知) for the admin, 业务科 and 督查科: newest first, with
their state, tries and last error, numbers masked, and 重发 for a text that failed every try."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select

from hall_server.auth.models import Role
from hall_server.cases.views import mask_phone
from hall_server.catalog.models import Hall
from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.notify.models import FAILED, QUEUED, SENT, TextMessage
from hall_server.notify.outbox import retry
from hall_server.notify.senders import default_file
from hall_server.office.messages import MESSAGES
from hall_server.office.render import render, text
from hall_server.office.scope import hall_of
from hall_server.office.session import Office, check_form, page_for

router = APIRouter(prefix="/office/messages", include_in_schema=False)
messages_page = page_for(Role.BUSINESS, Role.SUPERVISION)
STATUSES = (QUEUED, SENT, FAILED)
PAGE_SIZE = 100


@dataclass(frozen=True)
class Row:
    """A text as the page lists it: nothing of the number but its ends."""

    id: int
    created_at: datetime
    phone: str
    kind: str
    case_id: int | None
    status: str
    attempts: int
    when: datetime | None  # sent at, or the next try of a queued text
    last_error: str
    text: str


def _kind(lang: str, kind: str) -> str:
    key = f"sms_kind_{kind}"
    return text(lang, key) if key in MESSAGES else kind  # a kind the catalog does not name yet: as stored


def _backend(ctx: Context, lang: str) -> str:
    settings = ctx.settings
    if settings.sms_backend == "file":
        return text(lang, "sms_backend_file", path=settings.sms_file or default_file(settings.database_url))
    return text(lang, f"sms_backend_{settings.sms_backend}")


def _page(request: Request, ctx: Context, office: Office, hall: int | None, status: str, before: int | None,
          **extra) -> HTMLResponse:
    hall_id, choices = hall_of(ctx, office, hall)
    status = status if status in STATUSES else ""

    def load(s, now) -> tuple[str, list[Row]]:
        q = select(TextMessage).where(TextMessage.hall_id == hall_id)
        if status:
            q = q.where(TextMessage.status == status)
        if before is not None:
            q = q.where(TextMessage.id < before)
        found = s.scalars(q.order_by(TextMessage.id.desc()).limit(PAGE_SIZE + 1)).all()
        rows = [Row(m.id, m.created_at, mask_phone(m.phone), _kind(office.lang, m.kind), m.case_id, m.status,
                    m.attempts, m.sent_at if m.status == SENT else m.next_attempt_at if m.status == QUEUED else None,
                    m.last_error, m.text) for m in found]
        return s.get(Hall, hall_id).timezone, rows

    zone, rows = ctx.read(load)
    older = rows[PAGE_SIZE - 1].id if len(rows) > PAGE_SIZE else None
    return render(request, "text_messages.html", office, hall_id=hall_id, halls=choices, rows=rows[:PAGE_SIZE],
                  zone=zone, chosen=status, statuses=STATUSES, older=older, backend=_backend(ctx, office.lang),
                  status=extra.pop("http_status", 200), **extra)


@router.get("", response_class=HTMLResponse)
def messages_list(request: Request, hall: int | None = None, status: str = "", before: int | None = None,
                  office: Office = Depends(messages_page), ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    return _page(request, ctx, office, hall, status, before)


@router.post("/{message_id}/retry")
def retry_post(request: Request, message_id: int, hall: int = Form(), status: str = Form(""), csrf: str = Form(""),
               office: Office = Depends(messages_page), ctx: Context = Depends(get_ctx)) -> Response:
    """A text that failed every try, queued again with its tries from zero; the loop sends it within seconds."""
    check_form(request, office, csrf)
    hall_id, _ = hall_of(ctx, office, hall)
    queued = ctx.write(lambda s, now: retry(s, now, message_id, hall_id=hall_id))
    notice = text(office.lang, "sms_retried" if queued else "sms_not_failed")
    return _page(request, ctx, office, hall_id, status, None, notice=notice)
