"""One applicant's request for a ticket, and the paper slip made from the ticket they got.

The idempotency key is drawn once, when the applicant confirms, and travels with every retry
of that confirmation: however often the network fails and the kiosk asks again, the server
issues one ticket.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hardware.printer.ticket import TicketSlip
from kiosk.messages import localized, windows_line


@dataclass(frozen=True)
class TicketRequest:
    service_id: int
    service_name: str
    priority: str = "normal"  # normal | priority | green
    green_code: str | None = None
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)


def issued_moment(ticket: Mapping[str, Any]) -> datetime:
    """When the ticket was issued, timezone-aware (a naive time from the server is UTC)."""
    moment = datetime.fromisoformat(str(ticket["issued_at"]))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def ticket_slip(ticket: Mapping[str, Any], hall: Mapping[str, Any], service_name: str, lang: str) -> TicketSlip:
    """What goes on paper: the same facts the screen shows, in the applicant's language."""
    return TicketSlip(
        hall_name=localized(hall, "name", lang),
        service_name=service_name,
        number=str(ticket["number"]),
        waiting_ahead=int(ticket["waiting_ahead"]),
        estimated_wait_seconds=int(ticket["estimated_wait_seconds"]),
        issued_at=issued_moment(ticket),
        where=windows_line(ticket.get("where_to_go") or [], lang),
        status_url=str(ticket["status_url"]),
        lang=lang,
        timezone=str(hall.get("timezone") or "Asia/Shanghai"),
    )
