"""What the flow asks the kiosk's core to do: reach the server, print, speak.

Each effect names the screen that asked (``sid``); its answer goes back to that screen only if it
is still open, so an answer arriving after the applicant went home changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from hardware.printer.ticket import TicketSlip
from kiosk.ticketing import TicketRequest


@dataclass(frozen=True)
class Effect:
    sid: int


@dataclass(frozen=True)
class LoadService(Effect):
    """An item's whole 九公开 (materials, fees, windows)."""

    service_id: int


@dataclass(frozen=True)
class Issue(Effect):
    """Issue one ticket; retried with the request's one idempotency key until the server answers."""

    request: TicketRequest


@dataclass(frozen=True)
class Print(Effect):
    slip: TicketSlip


@dataclass(frozen=True)
class Find(Effect):
    """A ticket or case by its status token, or a ticket by its number and check code."""

    token: str | None = None
    number: str = ""
    code: str = ""


@dataclass(frozen=True)
class Rate(Effect):
    token: str
    rating: str
    reasons: tuple[str, ...] = ()
    comment: str = ""


@dataclass(frozen=True)
class Speak(Effect):
    """Say ``text`` (already as espeak-ng should read it) in ``lang`` through the kiosk's speakers."""

    text: str
    lang: str = "zh"
