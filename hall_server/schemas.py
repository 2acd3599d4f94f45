"""Request and response bodies of the API, shared by the routes and the typed client.

Field names here are a contract other programs rely on (see the issue's operation ids).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from hall_queue.policy import Priority
from hall_server.cases.rules import CaseType, Subject
from hall_server.evaluation.models import RatingLevel

# Ids are 32-bit integers in the database: anything else cannot exist, so it is refused as
# invalid input (422) before it reaches the database.
MAX_ID = 2_147_483_647
DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(BaseModel):
    code: str
    message_zh: str
    message_en: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class LoginIn(Body):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)


class CardLoginIn(Body):
    card_id: str = Field(min_length=1, max_length=80)
    window_id: DbId


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    role: str
    user_id: int | None = None
    hall_id: int | None = None
    display_name: str = ""


class IssueIn(Body):
    service_id: DbId
    priority: Priority = Priority.NORMAL
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=100)
    green_code: str | None = Field(default=None, max_length=40)


class TicketOut(BaseModel):
    id: int
    number: str
    status: str
    priority: str
    service_id: int
    service_name: str
    hall_id: int
    status_token: str
    status_url: str
    check_code: str
    waiting_ahead: int
    estimated_wait_seconds: int | None = Field(
        description="Seconds until the ticket is likely called; null while no window serving its service is open")
    issued_at: str
    where_to_go: list[dict]


class TicketRef(Body):
    ticket_id: DbId | None = None


class TicketRequired(Body):
    ticket_id: DbId


class TransferIn(Body):
    ticket_id: DbId | None = None
    service_id: DbId | None = None
    window_id: DbId | None = None
    note: str = Field(default="", max_length=300)


class PauseIn(Body):
    reason: str = Field(default="", max_length=200)


class WindowTicketOut(BaseModel):
    """A ticket as a window sees it (no status token)."""

    id: int
    number: str
    status: str
    priority: str
    service_id: int
    service_name: str
    series: str
    window_id: int | None
    window_number: int | None
    window_location: str | None
    area: str | None
    target_window_id: int | None
    recall_count: int
    arrived_at: str
    called_at: str | None


class WindowOut(BaseModel):
    id: int
    number: int
    name: str
    location: str
    area: str
    state: str
    pause_reason: str
    current_ticket_id: int | None


class RatingIn(Body):
    status_token: str = Field(min_length=8, max_length=64)
    rating: RatingLevel
    reasons: list[str] = Field(default=[], max_length=6)
    comment: str = Field(default="", max_length=500)
    channel: str = Field(default="qr", pattern="^(qr|kiosk)$")


class PadRatingIn(Body):
    rating: RatingLevel


class RatingOut(BaseModel):
    id: int
    ticket_id: int | None
    case_id: int | None = None
    rating: str
    message_zh: str
    message_en: str


class EventOut(BaseModel):
    id: int
    hall_id: int
    kind: str
    at: str
    payload: dict


class DeviceIn(Body):
    role: str = Field(pattern="^(kiosk|bus|display)$")
    name: str = Field(default="", max_length=80)


class DeviceOut(BaseModel):
    token: str
    role: str
    hall_id: int
    name: str


class UserIn(Body):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=200)  # the policy is checked with the user name
    role: str = Field(pattern="^(staff|business|supervision|leader|admin)$")
    hall_id: DbId | None = None
    display_name: str = Field(default="", max_length=80)
    card_id: str | None = Field(default=None, max_length=80)


class CatalogIn(Body):
    yaml: str = Field(min_length=1, max_length=5_000_000)


class GreenPassIn(Body):
    label: str = Field(default="", max_length=200)
    valid_days: int = Field(default=90, ge=1, le=3650)


def omittable(**constraints) -> Any:
    """A PATCH field that may be left out (left unchanged) but not sent as null: its column always
    holds a value, and a null would reach the database as a NOT NULL violation. Typed without
    ``| None``, so pydantic refuses an explicit null (422) while the unset default stays None."""
    return Field(default=None, json_schema_extra=_no_default, **constraints)


def _no_default(schema: dict) -> None:
    schema.pop("default", None)  # the document says "may be left out", not "null by default"


class ServicePatch(Body):
    name: str = omittable(min_length=1, max_length=200)
    name_en: str = omittable(max_length=200)
    daily_cap: int = omittable(ge=1, le=100000)
    avg_service_minutes: int = omittable(ge=1, le=600)
    guide: str = omittable(max_length=20000)
    guide_en: str = omittable(max_length=20000)
    promised_days: int = omittable(ge=0, le=3650)
    active: bool = omittable()


class WindowPatch(Body):
    name: str = omittable(min_length=1, max_length=200)
    location: str = omittable(max_length=200)
    area: str = omittable(max_length=60)
    service_ids: list[DbId] = omittable()  # [] for none
    active: bool = omittable()  # false: retired (kept for its history), true: back in service


class HallPatch(Body):
    hours: str = omittable(pattern=r"^\d\d:\d\d-\d\d:\d\d$")
    lunch: str | None = Field(default=None, pattern=r"^(\d\d:\d\d-\d\d:\d\d)?$")  # null or "": no lunch break
    notice: str = omittable(max_length=2000)
    notice_en: str = omittable(max_length=2000)
    priority_run: int = omittable(ge=1, le=20)
    max_wait_minutes: int = omittable(ge=1, le=1440)
    recall_limit: int = omittable(ge=0, le=20)


# --- cases (办件) -----------------------------------------------------------------------------

class ApplicantIn(Body):
    name: str = Field(min_length=1, max_length=100)
    kind: str = Field(default="person", pattern="^(person|company)$")
    id_number: str = Field(default="", max_length=30)  # ID card number, or a company's credit code
    phone: str = Field(default="", max_length=20)


class CaseIn(Body):
    """``register_case``: at a window (``window_id``, ``ticket_id`` of the applicant served), or by 业务科
    for a case that came by mail or online (``accepted_on``, ``channel``) or designated urgent."""

    service_id: DbId
    case_type: CaseType
    applicant: ApplicantIn
    ticket_id: DbId | None = None
    window_id: DbId | None = None
    accepted_on: date | None = None
    channel: str = Field(default="window", pattern="^(window|mail|online)$")
    materials_received: list[Annotated[str, Field(max_length=200)]] | None = Field(default=None, max_length=60)
    missing_materials: list[Annotated[str, Field(max_length=200)]] = Field(default=[], max_length=60)
    reason: str = Field(default="", max_length=1000)
    decided_now: bool = True  # 退回件: told on the spot; False: decided within 3 working days
    subject: Subject = Subject.OTHER  # 联办件: what the lead department is chosen by
    departments: list[DbId] = Field(default=[], max_length=20)  # 联办件: the co-departments
    lead_department_id: DbId | None = None  # 联办件: set by 业务科 instead of the rule
    urgent_note: str = Field(default="", max_length=1000)
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=100)


class MaterialsCompleteIn(Body):
    completed_on: date  # the day the last missing item arrived


class FinishIn(Body):
    note: str = Field(default="", max_length=300)


class ReasonIn(Body):
    reason: str = Field(min_length=1, max_length=1000)


class SignOffIn(Body):
    department_id: DbId | None = None  # staff: their own window's department


class ReviewIn(Body):
    note: str = Field(default="", max_length=1000)


class ReviewDecisionIn(Body):
    overturned: bool
    note: str = Field(min_length=1, max_length=1000)


class ExtendIn(Body):
    days: int = Field(ge=1, le=60)
    reason: str = Field(min_length=1, max_length=1000)


class NoticePrintedIn(Body):
    copies: int = Field(default=1, ge=1, le=10)


class CalendarDayIn(Body):
    day: date
    working: bool
    name: str = Field(default="", max_length=40)


class CalendarYearIn(Body):
    """``set_calendar_days``: a year's official schedule, as the days that differ from Monday to Friday."""

    days: list[CalendarDayIn] = Field(max_length=120)
