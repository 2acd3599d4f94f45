"""One applicant's request for a ticket.

The idempotency key is drawn once, when the applicant confirms, and travels with every retry
of that confirmation: however often the network fails and the kiosk asks again, the server
issues one ticket.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TicketRequest:
    service_id: int
    service_name: str
    priority: str = "normal"  # normal | priority | green
    green_code: str | None = None
    idempotency_key: str = field(default_factory=lambda: uuid.uuid4().hex)
