"""The hall's cases (办件) in the back office: the list by deadline, a case's record with what each
role may do to it, 业务科's registration of a case that came by mail or online or is designated
urgent, and the notice as a PDF.

Every move calls the cases domain (``cases/register.py``, ``cases/progress.py``) in one write, as the
API's routes do, so each rule of RULES §2 is in one place; the pages only ask and show. Roles: 业务科
(and the admin) act on cases, 督查科 may extend a deadline, leaders read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from hall_queue.working_days import WorkingCalendar
from hall_server.auth.models import Role, User
from hall_server.cases import progress, rules
from hall_server.cases.listing import CaseFilter, list_cases
from hall_server.cases.models import Case
from hall_server.cases.register import Registration, register_case
from hall_server.cases.rules import CaseStatus, CaseType, Subject
from hall_server.cases.views import STATUS_NAMES, STEP_NAMES, TYPE_NAMES, case_payload, mask_id, timing
from hall_server.catalog.models import Department, Hall, Service, Window
from hall_server.context import Context
from hall_server.deps import get_ctx
from hall_server.errors import HallError
from hall_server.office.catalog_forms import reader
from hall_server.office.render import render, text
from hall_server.office.scope import hall_of
from hall_server.office.session import Office, check_form, page_for
from hall_server.schemas import CaseIn
from hall_server.tickets.models import Ticket
from hall_server.tickets.queries import business_date

router = APIRouter(prefix="/office/cases", include_in_schema=False)
read_page = page_for(Role.BUSINESS, Role.SUPERVISION, Role.LEADER)
business_page = page_for(Role.BUSINESS)
extend_page = page_for(Role.BUSINESS, Role.SUPERVISION)  # no arbitrary extension: these two only (RULES §2)
SHOWN = 200  # the list's cap: the soonest deadlines first, so the urgent ones are never cut off
DUE = ("open", "soon", "overdue")
CHANNELS = ("mail", "online", "window")
DONE = ("registered", "materials", "finished", "returned", "review", "decided", "extended", "signed")


def _name(lang: str, names: Mapping[str, tuple[str, str]], key: str) -> str:
    zh, en = names.get(key, (key, key))
    return en if lang == "en" else zh


def _number(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _error(office: Office, err: HallError) -> str:
    return err.message_en if office.lang == "en" else err.message_zh


# --- the list -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """A case as the list shows it: the applicant's name, their number masked."""

    id: int
    case_number: str
    case_type: str
    service: str
    department: str
    applicant: str
    applicant_id: str
    accepted_on: date
    deadline: date | None
    provisional: bool
    days_overdue: int
    overdue: bool  # open and past its deadline: the row stands out
    due_soon: bool
    status: str
    missing: list[str]


def _row(case: Case, calendar: WorkingCalendar, today: date) -> Row:
    timed = timing(case, calendar, today)
    open_ = case.status in rules.OPEN
    return Row(case.id, case.case_number, case.case_type, case.service.name, case.department.name,
               case.applicant_name, mask_id(case.applicant_id_number), case.accepted_on, case.deadline,
               case.deadline_provisional, timed["days_overdue"], open_ and timed["overdue"], timed["due_soon"],
               case.status, list(case.missing_materials) if case.status == CaseStatus.AWAITING_MATERIALS else [])


@router.get("", response_class=HTMLResponse)
def cases_page(request: Request, hall: int | None = None, case_type: str = "", status: str = "",
               department: str = "", window: str = "", due: str = "", office: Office = Depends(read_page),
               ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    """The hall's cases, soonest deadline first (those without one last), at most SHOWN."""
    hall_id, choices = hall_of(ctx, office, hall)
    chosen = {"case_type": case_type if case_type in TYPE_NAMES else "",
              "status": status if status in STATUS_NAMES else "", "department": _number(department),
              "window": _number(window), "due": due if due in DUE else ""}
    wanted = CaseFilter(chosen["case_type"] or None, chosen["status"] or None, chosen["department"],
                        chosen["window"], chosen["due"] or None, limit=SHOWN + 1)

    def load(s: Session, now: datetime):
        found = s.get(Hall, hall_id)
        if found is None:
            raise HallError("hall_not_found", 404)
        calendar, today = ctx.calendars.get(s, hall_id), business_date(found, now)
        rows = [_row(c, calendar, today) for c in list_cases(s, hall_id, wanted, calendar, today)]
        departments = [(d.id, d.name) for d in s.scalars(
            select(Department).where(Department.hall_id == hall_id).order_by(Department.id))]
        windows = [(w.id, w.number, w.name) for w in s.scalars(
            select(Window).where(Window.hall_id == hall_id).order_by(Window.number))]
        return today, rows, departments, windows

    today, rows, departments, windows = ctx.read(load)
    return render(request, "cases.html", office, hall_id=hall_id, halls=choices, today=today, rows=rows[:SHOWN],
                  more=len(rows) > SHOWN, shown=SHOWN, chosen=chosen, departments=departments, windows=windows,
                  types=list(TYPE_NAMES), statuses=list(STATUS_NAMES), dues=DUE, may_register=office.may(Role.BUSINESS),
                  type_name=lambda k: _name(office.lang, TYPE_NAMES, k),
                  status_name=lambda k: _name(office.lang, STATUS_NAMES, k))


# --- registering (业务科) ----------------------------------------------------------------------

def _services(s: Session, hall_id: int) -> list[Service]:
    return list(s.scalars(select(Service).where(Service.hall_id == hall_id, Service.active).order_by(Service.code)))


def _form_page(request: Request, ctx: Context, office: Office, hall: int | None, v: dict[str, Any],
               **extra: Any) -> HTMLResponse:
    """The registration form: an item chosen first (its materials make the checklist), then the case."""
    hall_id, choices = hall_of(ctx, office, hall)

    def load(s: Session, now: datetime):
        found = s.get(Hall, hall_id)
        if found is None:
            raise HallError("hall_not_found", 404)
        services = [(x.id, x.code, x.name) for x in _services(s, hall_id)]
        service = s.get(Service, v["service"]) if v.get("service") else None
        if service is not None and (service.hall_id != hall_id or not service.active):
            service = None
        item = None if service is None else {
            "id": service.id, "name": service.name, "department_id": service.department_id,
            "department": service.department.name, "promised_days": service.promised_days,
            "materials": [(m["name"], m.get("kind") == "main") for m in service.materials if m.get("name")]}
        departments = [(d.id, d.name) for d in s.scalars(
            select(Department).where(Department.hall_id == hall_id, Department.active).order_by(Department.id))]
        return business_date(found, now), services, item, departments

    today, services, item, departments = ctx.read(load)
    v = {"case_type": "promised", "applicant_kind": "person", "channel": "mail", "accepted_on": today.isoformat(),
         "materials": [], "departments": [], "subject": Subject.OTHER.value} | v
    v["key"] = v.get("key") or uuid.uuid4().hex  # one key per form shown: a double submit registers once
    return render(request, "case_new.html", office, hall_id=hall_id, halls=choices, today=today, services=services,
                  item=item, departments=departments, v=v, types=list(TYPE_NAMES), subjects=[x.value for x in Subject],
                  channels=CHANNELS, type_name=lambda k: _name(office.lang, TYPE_NAMES, k),
                  status=extra.pop("status", 200), **extra)


@router.get("/new", response_class=HTMLResponse)
def new_case_page(request: Request, hall: int | None = None, service: str = "",
                  office: Office = Depends(business_page), ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    return _form_page(request, ctx, office, hall, {"service": _number(service)})


def _typed(form: Mapping[str, Any], getlist: Callable[[str], list[Any]]) -> dict[str, Any]:
    """The form as typed, to be shown again when something needs correcting."""
    field = reader(form)
    return {
        "service": _number(field("service")), "case_type": field("case_type"),
        "applicant_kind": field("applicant_kind") or "person", "name": field("name"), "id_number": field("id_number"),
        "phone": field("phone"), "channel": field("channel"), "accepted_on": field("accepted_on"),
        "materials": [str(m) for m in getlist("materials")], "other_missing": field("other_missing"),
        "reason": field("reason"), "decided_later": bool(field("decided_later")), "subject": field("subject"),
        "departments": [str(d) for d in getlist("departments")], "lead": field("lead"),
        "urgent_note": field("urgent_note"), "key": field("key")[:100],
    }


FIELD_KEYS = {("applicant", "name"): "field_name", ("applicant", "id_number"): "field_id_number",
              ("applicant", "phone"): "field_phone", ("applicant", "kind"): "field_applicant_kind",
              ("accepted_on",): "field_accepted_on", ("case_type",): "field_case_type", ("channel",): "field_channel",
              ("reason",): "field_reason", ("urgent_note",): "field_urgent_note", ("subject",): "field_subject",
              ("materials_received",): "field_materials", ("missing_materials",): "field_materials",
              ("departments",): "field_departments", ("lead_department_id",): "field_lead",
              ("service_id",): "field_service"}


def _field_names(lang: str, exc: ValidationError) -> str:
    names: list[str] = []
    for e in exc.errors():
        loc = tuple(str(p) for p in e["loc"])
        key = FIELD_KEYS.get(loc[:2]) or FIELD_KEYS.get(loc[:1]) or "field_other"
        if (name := text(lang, key)) not in names:
            names.append(name)
    return "、".join(names) if lang == "zh" else ", ".join(names)


def _registration(v: dict[str, Any], materials: list[dict]) -> Registration:
    """The typed form checked by the API's own schema (``CaseIn``), then as the API registers it."""
    received = [m for m in v["materials"] if m]
    missing: list[str] = []
    if v["case_type"] == CaseType.SUPPLEMENT:  # every missing item at once: the unticked ones and any typed
        missing = rules.materials_missing(materials, received)
        missing += [m.strip() for m in v["other_missing"].splitlines() if m.strip() and m.strip() not in missing]
    body = CaseIn.model_validate({
        "service_id": v["service"], "case_type": v["case_type"],
        "applicant": {"name": v["name"], "kind": v["applicant_kind"], "id_number": v["id_number"],
                      "phone": v["phone"]},
        "accepted_on": v["accepted_on"] or None, "channel": v["channel"] or "mail", "materials_received": received,
        "missing_materials": missing, "reason": v["reason"] if v["case_type"] == CaseType.RETURNED else "",
        "decided_now": not v["decided_later"],
        "subject": v["subject"] or Subject.OTHER.value,
        "departments": [int(d) for d in v["departments"] if d.isdigit()] if v["case_type"] == CaseType.JOINT else [],
        "lead_department_id": _number(v["lead"]) if v["case_type"] == CaseType.JOINT else None,
        "urgent_note": v["urgent_note"] if v["case_type"] == CaseType.URGENT else "",
        "idempotency_key": v["key"] or None,
    })
    return Registration(
        service_id=body.service_id, case_type=body.case_type, applicant_name=body.applicant.name,
        applicant_kind=body.applicant.kind, id_number=body.applicant.id_number, phone=body.applicant.phone,
        accepted_on=body.accepted_on, channel=body.channel, materials_received=body.materials_received,
        missing_materials=body.missing_materials, reason=body.reason, decided_now=body.decided_now,
        subject=body.subject, departments=body.departments, lead_department_id=body.lead_department_id,
        urgent_note=body.urgent_note, idempotency_key=body.idempotency_key)


@router.post("/new")
async def new_case_post(request: Request, office: Office = Depends(business_page),
                        ctx: Context = Depends(get_ctx)) -> Response:
    """Register; a second submit of the same form (its idempotency key) finds the case of the first."""
    form = await request.form()
    check_form(request, office, str(form.get("csrf", "")))
    hall_id, _ = hall_of(ctx, office, _number(str(form.get("hall", ""))))
    v = _typed(form, form.getlist)
    if not v["name"]:
        return _form_page(request, ctx, office, hall_id, v, status=422,
                          problems=[text(office.lang, "case_name_needed")])
    if v["service"] is None:
        return _form_page(request, ctx, office, hall_id, v, status=422,
                          problems=[text(office.lang, "case_pick_item")])

    def work(s: Session, now: datetime) -> int:
        service = s.get(Service, v["service"])
        if service is None or service.hall_id != hall_id:
            raise HallError("service_not_found", 404)
        case = register_case(s, now, office.actor, _registration(v, service.materials),
                             lambda h: ctx.calendars.get(s, h), ctx.settings.public_base_url)
        return case.id

    try:
        case_id = await ctx.write_async(work, conflict=HallError("idempotency_conflict", 409))
    except ValidationError as exc:
        return _form_page(request, ctx, office, hall_id, v, status=422,
                          problems=[text(office.lang, "case_fields_invalid", fields=_field_names(office.lang, exc))])
    except HallError as err:
        found = _registered(ctx, office, v["key"]) if err.code == "idempotency_conflict" else None
        if found is None:
            return _form_page(request, ctx, office, hall_id, v, status=err.status, problems=[_error(office, err)])
        case_id = found  # the same form sent twice at once: the first one registered it
    return RedirectResponse(f"/office/cases/{case_id}?done=registered", status_code=303)


def _registered(ctx: Context, office: Office, key: str) -> int | None:
    if not key:
        return None
    return ctx.read(lambda s, now: s.scalar(select(Case.id).where(
        Case.registered_by_token_id == office.actor.token_id, Case.idempotency_key == key)))


# --- one case -------------------------------------------------------------------------------

@dataclass(frozen=True)
class StepLine:
    at: datetime
    on_day: date
    name: str
    who: str
    department: str
    detail: str


def _detail_text(lang: str, kind: str, detail: Mapping[str, Any], departments: Mapping[int, str]) -> str:
    """A step's recorded detail in words: the reason, the note, the days, the decision."""
    parts: list[str] = []
    if kind == "received" and detail.get("case_type"):
        parts.append(_name(lang, TYPE_NAMES, str(detail["case_type"])))
    if detail.get("missing"):
        parts.append(text(lang, "step_missing", names="、".join(map(str, detail["missing"]))))
    if kind == "extended":
        parts.append(text(lang, "step_extended", days=detail.get("days", ""), before=detail.get("before", ""),
                          after=detail.get("after", "")))
    if kind == "deadline_recounted":
        parts.append(text(lang, "step_recounted", year=detail.get("year", ""), before=detail.get("before", ""),
                          after=detail.get("after", "")))
    if kind == "materials_completed" and detail.get("deadline"):
        parts.append(text(lang, "step_deadline", day=detail["deadline"]))
    if kind == "review_decided" and detail.get("decision"):
        parts.append(text(lang, f"review_{detail['decision']}"))
    if kind == "notice_printed" and detail.get("copies"):
        parts.append(text(lang, "step_copies", n=detail["copies"]))
    for key in ("reason", "note"):
        if detail.get(key):
            parts.append(text(lang, f"step_{key}", text=detail[key]))
    return ";".join(parts) if lang == "zh" else "; ".join(parts)


def _read_case(ctx: Context, office: Office, case_id: int) -> dict[str, Any]:
    """The case as ``case_payload`` gives it, with its steps' people and details, its window and ticket."""

    def load(s: Session, now: datetime) -> dict[str, Any]:
        case = progress.load_case(s, case_id, lock=False)
        office.actor.require_hall(case.hall_id)
        hall = s.get(Hall, case.hall_id)
        calendar, today = ctx.calendars.get(s, case.hall_id), business_date(hall, now)
        data = case_payload(s, case, calendar, today, ctx.settings.public_base_url)
        signed = {d.department_id: d.signed_off_at for d in case.departments}
        departments_shown = [d | {"signed_off_at": signed.get(d["department_id"])} for d in data["departments"]]
        people = {u.id: u.display_name or u.username for u in s.scalars(
            select(User).where(User.id.in_({x.actor_id for x in case.steps if x.actor_id})))}
        departments = {d.id: d.name for d in s.scalars(select(Department).where(Department.hall_id == case.hall_id))}
        steps = [StepLine(x.at, x.on_day, _name(office.lang, STEP_NAMES, x.kind), people.get(x.actor_id, ""),
                          departments.get(x.department_id, "") if x.department_id else "",
                          _detail_text(office.lang, x.kind, x.detail or {}, departments)) for x in case.steps]
        window = s.get(Window, case.window_id) if case.window_id else None
        ticket = s.get(Ticket, case.ticket_id) if case.ticket_id else None
        return {"case": data, "departments": departments_shown, "steps": steps, "zone": hall.timezone,
                "hall_name": hall.name, "window": (window.location or window.name) if window else "",
                "ticket": ticket.number if ticket else "", "today": today}

    return ctx.read(load)


def _actions(office: Office, case: Mapping[str, Any]) -> dict[str, bool]:
    """What this role may do to the case as it stands (the domain refuses anything else anyway)."""
    business, status = office.may(Role.BUSINESS), case["status"]
    return {
        "materials": business and status == CaseStatus.AWAITING_MATERIALS,
        "finish": business and status == CaseStatus.IN_PROGRESS,
        "return": business and status in rules.OPEN,
        "extend": office.may(Role.BUSINESS, Role.SUPERVISION) and status == CaseStatus.IN_PROGRESS
        and case["deadline"] is not None,
        "review": business and status == CaseStatus.RETURNED and not case["review_status"],
        "decide": business and case["review_status"] == "requested",
        "sign": business and status == CaseStatus.IN_PROGRESS and bool(case["departments"]),
    }


def _detail_page(request: Request, ctx: Context, office: Office, case_id: int, **extra: Any) -> HTMLResponse:
    from hall_server.cases.notice import has_notice

    found = _read_case(ctx, office, case_id)
    case = found["case"]
    all_co_signed = all(d["signed_off_at"] for d in case["departments"] if d["role"] == "co")
    return render(request, "case.html", office, **found, actions=_actions(office, case), all_co_signed=all_co_signed,
                  notice_pdf=has_notice(case["case_type"]), form=extra.pop("form", {}),
                  type_name=_name(office.lang, TYPE_NAMES, case["case_type"]),
                  status_name=_name(office.lang, STATUS_NAMES, case["status"]),
                  status=extra.pop("status", 200), **extra)


@router.get("/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, case_id: int, done: str = "", office: Office = Depends(read_page),
              ctx: Context = Depends(get_ctx)) -> HTMLResponse:
    notice = text(office.lang, f"case_done_{done}") if done in DONE else None
    return _detail_page(request, ctx, office, case_id, notice=notice)


@router.get("/{case_id}/notice.pdf")
def notice_pdf_page(request: Request, case_id: int, office: Office = Depends(read_page),
                    ctx: Context = Depends(get_ctx)) -> Response:
    """The notice as the API renders it (``Notice.from_case``, ``notice_pdf``), for an office session."""
    from hall_server.cases.notice import Notice, has_notice
    from hall_server.cases.notice_pdf import notice_pdf
    from hardware.printer.fonts import NoCjkFontError

    found = _read_case(ctx, office, case_id)
    data = found["case"]
    if not has_notice(data["case_type"]):
        raise HallError("case_no_notice", 404)
    try:
        pdf = notice_pdf(Notice.from_case(data, hall_name=found["hall_name"], timezone=found["zone"]))
    except NoCjkFontError:
        return render(request, "message.html", office, status=503, text=text(office.lang, "notice_no_font"))
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="notice-{data["case_number"]}.pdf"', "Cache-Control": "no-store"})


def _act(request: Request, ctx: Context, office: Office, case_id: int, done: str, typed: dict[str, str],
         act: Callable[[Session, datetime, Case, WorkingCalendar], Case]) -> Response:
    """One move in one write; a refusal is shown on the case's page with what was typed kept."""

    def work(s: Session, now: datetime) -> None:
        case = progress.load_case(s, case_id)
        office.actor.require_hall(case.hall_id)
        act(s, now, case, ctx.calendars.get(s, case.hall_id))

    try:
        ctx.write(work)
    except HallError as err:
        return _detail_page(request, ctx, office, case_id, error=_error(office, err), form=typed, status=err.status)
    return RedirectResponse(f"/office/cases/{case_id}?done={done}", status_code=303)  # a reload does not move it twice


@router.post("/{case_id}/materials")
def materials_post(request: Request, case_id: int, completed_on: str = Form(""), csrf: str = Form(""),
                   office: Office = Depends(business_page), ctx: Context = Depends(get_ctx)) -> Response:
    """补办件: the last missing item arrived (by mail too); the clock starts that day."""
    check_form(request, office, csrf)
    try:
        day = date.fromisoformat(completed_on.strip())
    except ValueError:
        return _detail_page(request, ctx, office, case_id, error=text(office.lang, "case_bad_date"), status=422,
                            form={"completed_on": completed_on})
    return _act(request, ctx, office, case_id, "materials", {"completed_on": completed_on},
                lambda s, now, c, cal: progress.complete_materials(s, now, office.actor, c, day, cal))


@router.post("/{case_id}/finish")
def finish_post(request: Request, case_id: int, note: str = Form("", max_length=300), csrf: str = Form(""),
                office: Office = Depends(business_page), ctx: Context = Depends(get_ctx)) -> Response:
    check_form(request, office, csrf)
    return _act(request, ctx, office, case_id, "finished", {"finish_note": note},
                lambda s, now, c, cal: progress.finish_case(s, now, office.actor, c, ctx.settings.public_base_url,
                                                            note))


@router.post("/{case_id}/return")
def return_post(request: Request, case_id: int, reason: str = Form("", max_length=1000), csrf: str = Form(""),
                office: Office = Depends(business_page), ctx: Context = Depends(get_ctx)) -> Response:
    check_form(request, office, csrf)
    return _act(request, ctx, office, case_id, "returned", {"return_reason": reason},
                lambda s, now, c, cal: progress.return_case(s, now, office.actor, c, reason,
                                                            ctx.settings.public_base_url))


@router.post("/{case_id}/sign-off")
def sign_off_post(request: Request, case_id: int, department_id: str = Form(""), csrf: str = Form(""),
                  office: Office = Depends(business_page), ctx: Context = Depends(get_ctx)) -> Response:
    """业务科 record a joint case's department's sign-off for it (its papers came back by hand); the
    lead's part last, which finishes the case."""
    check_form(request, office, csrf)
    dept = _number(department_id)
    return _act(request, ctx, office, case_id, "signed", {},
                lambda s, now, c, cal: progress.sign_off(s, now, office.actor, c, dept or -1,
                                                         ctx.settings.public_base_url))


@router.post("/{case_id}/review")
def review_post(request: Request, case_id: int, note: str = Form("", max_length=1000), csrf: str = Form(""),
                office: Office = Depends(business_page), ctx: Context = Depends(get_ctx)) -> Response:
    """The applicant brought the 退回件通知书 and asks for review (复核)."""
    check_form(request, office, csrf)
    return _act(request, ctx, office, case_id, "review", {"review_note": note},
                lambda s, now, c, cal: progress.request_review(s, now, office.actor, c, note))


@router.post("/{case_id}/review/decision")
def decide_post(request: Request, case_id: int, decision: str = Form(""), note: str = Form("", max_length=1000),
                csrf: str = Form(""), office: Office = Depends(business_page),
                ctx: Context = Depends(get_ctx)) -> Response:
    check_form(request, office, csrf)
    typed = {"decision": decision, "decide_note": note}
    if decision not in ("upheld", "overturned"):
        return _detail_page(request, ctx, office, case_id, error=text(office.lang, "review_choose"), status=422,
                            form=typed)
    return _act(request, ctx, office, case_id, "decided", typed,
                lambda s, now, c, cal: progress.decide_review(s, now, office.actor, c, decision == "overturned",
                                                              note, cal))


@router.post("/{case_id}/extend")
def extend_post(request: Request, case_id: int, days: str = Form(""), reason: str = Form("", max_length=1000),
                csrf: str = Form(""), office: Office = Depends(extend_page),
                ctx: Context = Depends(get_ctx)) -> Response:
    """An extension by 业务科 or 督查科, with its reason recorded (RULES §2: no arbitrary extension)."""
    check_form(request, office, csrf)
    typed = {"days": days, "extend_reason": reason}
    n = _number(days)
    if n is None:
        return _detail_page(request, ctx, office, case_id, error=_error(office, HallError("case_extension_days", 422)),
                            status=422, form=typed)
    return _act(request, ctx, office, case_id, "extended", typed,
                lambda s, now, c, cal: progress.extend_case(s, now, office.actor, c, n, reason, cal))
