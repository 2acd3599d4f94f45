"""Case endpoints: register at the window or by 业务科, move a case on, list and read cases, the
notice as a PDF, and each hall's working-day calendar."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from hall_server.auth.models import Role
from hall_server.auth.service import Actor
from hall_server.cases import progress
from hall_server.cases.calendar import DayEntry, set_calendar_days, year_days
from hall_server.cases.listing import CaseFilter, list_cases
from hall_server.cases.models import Case
from hall_server.cases.register import Registration, register_case
from hall_server.cases.views import case_payload, case_payloads
from hall_server.catalog.models import Hall
from hall_server.context import Context
from hall_server.deps import get_actor, get_ctx
from hall_server.errors import HallError
from hall_server.schemas import (
    CalendarYearIn,
    CaseIn,
    ExtendIn,
    FinishIn,
    MaterialsCompleteIn,
    NoticePrintedIn,
    PathId,
    ReasonIn,
    ReviewDecisionIn,
    ReviewIn,
    SignOffIn,
)
from hall_server.tickets.queries import business_date

router = APIRouter(prefix="/api/v1", tags=["cases"])


def payload(ctx: Context, session: Session, case: Case, now) -> dict:
    hall = session.get(Hall, case.hall_id)
    return case_payload(session, case, ctx.calendars.get(session, case.hall_id), business_date(hall, now),
                        ctx.settings.public_base_url)


@router.post("/cases", operation_id="register_case", status_code=201)
def register(body: CaseIn, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)) -> dict:
    """Register a case (受理). Answers with its number, status token and deadline (null while a 补办件
    waits for its materials; ``deadline_provisional`` when the year is not in the hall's calendar)."""
    reg = Registration(
        service_id=body.service_id, case_type=body.case_type, applicant_name=body.applicant.name,
        applicant_kind=body.applicant.kind, id_number=body.applicant.id_number, phone=body.applicant.phone,
        ticket_id=body.ticket_id, window_id=body.window_id, accepted_on=body.accepted_on, channel=body.channel,
        materials_received=body.materials_received, missing_materials=body.missing_materials, reason=body.reason,
        decided_now=body.decided_now, subject=body.subject, departments=body.departments,
        lead_department_id=body.lead_department_id, urgent_note=body.urgent_note,
        idempotency_key=body.idempotency_key,
    )

    def work(s: Session, now) -> dict:
        case = register_case(s, now, actor, reg, lambda hall_id: ctx.calendars.get(s, hall_id),
                             ctx.settings.public_base_url)
        return payload(ctx, s, case, now)

    try:
        return ctx.write(work, conflict=HallError("idempotency_conflict", 409))
    except HallError as error:
        if error.code != "idempotency_conflict" or not body.idempotency_key:
            raise
        # the same key sent twice at once: the other request registered it; answer with that case
        return ctx.read(lambda s, now: payload(ctx, s, _registered(s, actor, body), now))


def _registered(s: Session, actor: Actor, body: CaseIn) -> Case:
    case = s.scalar(select(Case).where(Case.registered_by_token_id == actor.token_id,
                                       Case.idempotency_key == body.idempotency_key))
    if case is None or case.service_id != body.service_id:
        raise HallError("idempotency_conflict", 409)
    return case


def _move(ctx: Context, actor: Actor, case_id: int, act: Callable[..., Case]) -> dict:
    def work(s: Session, now) -> dict:
        case = progress.load_case(s, case_id)
        actor.require_hall(case.hall_id)
        return payload(ctx, s, act(s, now, case, ctx.calendars.get(s, case.hall_id)), now)

    return ctx.write(work)


@router.post("/cases/{case_id}/materials-complete", operation_id="complete_materials")
def complete_materials(case_id: PathId, body: MaterialsCompleteIn, ctx: Context = Depends(get_ctx),
                       actor: Actor = Depends(get_actor)) -> dict:
    """补办件: the last missing item arrived on ``completed_on``; answers with the new ``deadline``."""
    return _move(ctx, actor, case_id,
                 lambda s, now, c, cal: progress.complete_materials(s, now, actor, c, body.completed_on, cal))


@router.post("/cases/{case_id}/finish", operation_id="finish_case")
def finish(case_id: PathId, body: FinishIn | None = None, ctx: Context = Depends(get_ctx),
           actor: Actor = Depends(get_actor)) -> dict:
    """办结. A joint case finishes once every co-department has signed off."""
    note = body.note if body else ""
    return _move(ctx, actor, case_id, lambda s, now, c, cal: progress.finish_case(
        s, now, actor, c, ctx.settings.public_base_url, note))


@router.post("/cases/{case_id}/sign-off", operation_id="sign_off_case")
def sign_off(case_id: PathId, body: SignOffIn | None = None, ctx: Context = Depends(get_ctx),
             actor: Actor = Depends(get_actor)) -> dict:
    """A department of a joint case (联办件) finishes its part; the last one finishes the case."""
    dept = body.department_id if body else None
    return _move(ctx, actor, case_id, lambda s, now, c, cal: progress.sign_off(
        s, now, actor, c, dept, ctx.settings.public_base_url))


@router.post("/cases/{case_id}/return", operation_id="return_case")
def return_case(case_id: PathId, body: ReasonIn, ctx: Context = Depends(get_ctx),
                actor: Actor = Depends(get_actor)) -> dict:
    """退回, with the reason the notice states; the applicant may ask 业务科 for review."""
    return _move(ctx, actor, case_id, lambda s, now, c, cal: progress.return_case(
        s, now, actor, c, body.reason, ctx.settings.public_base_url))


@router.post("/cases/{case_id}/review", operation_id="request_review")
def request_review(case_id: PathId, body: ReviewIn | None = None, ctx: Context = Depends(get_ctx),
                   actor: Actor = Depends(get_actor)) -> dict:
    """业务科 records the applicant's request for review (复核) of a returned case."""
    note = body.note if body else ""
    return _move(ctx, actor, case_id, lambda s, now, c, cal: progress.request_review(s, now, actor, c, note))


@router.post("/cases/{case_id}/review/decision", operation_id="decide_review")
def decide_review(case_id: PathId, body: ReviewDecisionIn, ctx: Context = Depends(get_ctx),
                  actor: Actor = Depends(get_actor)) -> dict:
    return _move(ctx, actor, case_id, lambda s, now, c, cal: progress.decide_review(
        s, now, actor, c, body.overturned, body.note, cal))


@router.post("/cases/{case_id}/extend", operation_id="extend_case")
def extend(case_id: PathId, body: ExtendIn, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)) -> dict:
    """An extension authorised by 业务科 or 督查科, with its reason recorded (no arbitrary extension)."""
    return _move(ctx, actor, case_id, lambda s, now, c, cal: progress.extend_case(
        s, now, actor, c, body.days, body.reason, cal))


@router.post("/cases/{case_id}/notice-printed", operation_id="notice_printed")
def notice_printed(case_id: PathId, body: NoticePrintedIn | None = None, ctx: Context = Depends(get_ctx),
                   actor: Actor = Depends(get_actor)) -> dict:
    copies = body.copies if body else 1
    return _move(ctx, actor, case_id, lambda s, now, c, cal: progress.notice_printed(s, now, actor, c, copies))


def _readable(s: Session, actor: Actor, case_id: int) -> Case:
    """The center's offices read every case of their hall; window staff their own department's."""
    actor.require(Role.STAFF, Role.BUSINESS, Role.SUPERVISION, Role.LEADER)
    case = progress.load_case(s, case_id, lock=False)
    actor.require_hall(case.hall_id)
    progress.check_case_actor(s, actor, case, reading=True)
    return case


@router.get("/cases/{case_id}", operation_id="get_case")
def get_case(case_id: PathId, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)) -> dict:
    return ctx.read(lambda s, now: payload(ctx, s, _readable(s, actor, case_id), now))


@router.get("/cases/{case_id}/notice.pdf", operation_id="case_notice_pdf",
            responses={200: {"content": {"application/pdf": {}}}})
def notice_pdf(case_id: PathId, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor)) -> Response:
    """The case's notice (通知书) as an A5 PDF, one page per copy; 404 for a 即办件, which has none."""
    from hall_server.cases.notice import Notice, has_notice
    from hall_server.cases.notice_pdf import notice_pdf as render

    def read(s: Session, now) -> tuple[dict, Hall]:
        case = _readable(s, actor, case_id)
        return payload(ctx, s, case, now), s.get(Hall, case.hall_id)

    data, hall = ctx.read(read)
    if not has_notice(data["case_type"]):
        raise HallError("case_no_notice", 404)
    pdf = render(Notice.from_case(data, hall_name=hall.name, timezone=hall.timezone))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="notice-{data["case_number"]}.pdf"', "Cache-Control": "no-store"})


@router.get("/halls/{hall_id}/cases", operation_id="list_cases")
def cases_of_hall(hall_id: PathId, ctx: Context = Depends(get_ctx), actor: Actor = Depends(get_actor),
                  case_type: str | None = Query(default=None, max_length=12),
                  status: str | None = Query(default=None, max_length=20),
                  department_id: int | None = Query(default=None, ge=1),
                  window_id: int | None = Query(default=None, ge=1),
                  due: str | None = Query(default=None, pattern="^(overdue|soon|open)$"),
                  limit: int = Query(default=100, ge=1, le=500),
                  offset: int = Query(default=0, ge=0, le=1_000_000)) -> dict:
    """A hall's cases by deadline, with filters: type, status, department, window, overdue or due soon."""
    actor.require(Role.STAFF, Role.BUSINESS, Role.SUPERVISION, Role.LEADER)
    actor.require_hall(hall_id)

    def read(s: Session, now) -> dict:
        hall = s.get(Hall, hall_id)
        if hall is None:
            raise HallError("hall_not_found", 404)
        calendar, today = ctx.calendars.get(s, hall_id), business_date(hall, now)
        department = department_id
        if actor.role == Role.STAFF:  # window staff see their own department's cases only
            department = progress.staff_department(s, actor)
            if department is None:
                raise HallError("case_window_required", 403)
        found = list_cases(s, hall_id, CaseFilter(case_type, status, department, window_id, due, limit, offset),
                           calendar, today)
        return {"cases": case_payloads(s, found, calendar, today, ctx.settings.public_base_url)}

    return ctx.read(read)


@router.get("/halls/{hall_id}/calendar/{year}", operation_id="get_calendar_days")
def get_calendar(hall_id: PathId, year: int, ctx: Context = Depends(get_ctx),
                 actor: Actor = Depends(get_actor)) -> dict:
    actor.require_hall(hall_id)
    if not 2000 <= year <= 2100:
        raise HallError("invalid_request", 422, detail="year")

    def read(s: Session, now) -> dict:
        entry, days = year_days(s, hall_id, year)
        return {"year": year, "entered": entry is not None, "source": entry.source if entry else None,
                "days": [{"day": d.day.isoformat(), "working": d.working, "name": d.name} for d in days]}

    return ctx.read(read)


@router.put("/halls/{hall_id}/calendar/{year}", operation_id="set_calendar_days")
def put_calendar(hall_id: PathId, year: int, body: CalendarYearIn, ctx: Context = Depends(get_ctx),
                 actor: Actor = Depends(get_actor)) -> dict:
    """督查科 or an admin enter a year's official schedule (the holidays on weekdays and the weekend
    days worked); the open cases whose deadline reaches into the year are counted again on it, and
    stop being provisional."""
    actor.require(Role.SUPERVISION)
    actor.require_hall(hall_id)
    if not 2000 <= year <= 2100:
        raise HallError("invalid_request", 422, detail="year")

    def work(s: Session, now) -> dict:
        if s.get(Hall, hall_id) is None:
            raise HallError("hall_not_found", 404)
        set_calendar_days(s, now, hall_id, year, [DayEntry(d.day, d.working, d.name) for d in body.days],
                          actor.user_id)
        return {"year": year, "entered": True, "days": len(body.days)}

    result = ctx.write(work)
    ctx.calendars.forget(hall_id)
    return result
