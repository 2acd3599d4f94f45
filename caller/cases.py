"""Cases (办件) at the window: how a case reads in the desk's list, and its notice (通知书) printed on
the window's receipt printer with the print recorded on the case.

The notice is built from the case exactly as the API returns it (``Notice.from_case``), so the
paper says what the server's PDF says; printing runs off the screen's loop (a printer that does
not answer takes seconds to say so) and never raises: a failure is a sentence and an offer to
print again, the case stays registered.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from rich.text import Text

from caller.messages import MESSAGES, t
from hall_server.cases.notice import Notice, has_notice
from hall_server.client import ApiError, Unreachable

if TYPE_CHECKING:
    from caller.app import CallerApp

# What a window registers; 急办件 is designated by the center only (急办件通知单), never at a window.
WINDOW_CASE_TYPES = ("immediate", "promised", "supplement", "joint", "returned")
SUBJECTS = ("construction", "renovation", "utilities", "individual", "other")


def type_name(case_type: str, lang: str) -> str:
    return t(f"case_type_{case_type}", lang)


def deadline_text(case: dict[str, Any], lang: str) -> str:
    """The deadline's date, 暂定 when the year's holidays are not entered yet; a 补办件 waiting for
    its materials has none until they are complete."""
    if case.get("deadline") is None:
        if case.get("status") == "awaiting_materials":
            return t("deadline_from_materials", lang)
        return t("deadline_none", lang)
    shown = case["deadline"]
    return shown + t("provisional", lang) if case.get("deadline_provisional") else shown


def case_marks(case: dict[str, Any], lang: str, department_id: int | None = None) -> list[tuple[str, str]]:
    """(text, style) of what 督查科 watches: overdue, due soon, an 即办件 open past its day; and whether
    the window's department takes part only as a co-department."""
    marks = []
    if case.get("overdue"):
        marks.append((t("mark_overdue", lang, days=case["days_overdue"]), "bold red"))
    elif case.get("due_soon"):
        marks.append((t("mark_due_soon", lang), "bold yellow"))
    if case.get("open_past_day"):
        marks.append((t("mark_open_past_day", lang), "bold red"))
    if department_id is not None and case.get("department_id") != department_id:
        marks.append((t("mark_co", lang), "cyan"))
    return marks


def case_line(case: dict[str, Any], lang: str, department_id: int | None = None) -> Text:
    """One line of the desk's list: number, type, applicant, deadline, then the marks."""
    text = Text(t("case_line", lang, number=case["case_number"], type=type_name(case["case_type"], lang),
                  applicant=case["applicant"]["name"],
                  deadline=t("deadline_on", lang, date=deadline_text(case, lang)) if case.get("deadline")
                  else deadline_text(case, lang)))
    for mark, style in case_marks(case, lang, department_id):
        text.append("  ")
        text.append(mark, style)
    return text


def case_detail(case: dict[str, Any], lang: str) -> str:
    """The highlighted case in a few words: item and status, what is missing, who takes part."""
    status = case["status_name_zh"] if lang == "zh" else case["status_name_en"]
    lines = [t("case_detail", lang, service=case["service_name"], status=status)]
    if case.get("status") == "awaiting_materials" and case.get("missing_materials"):
        lines.append(t("case_missing", lang, names="、".join(case["missing_materials"])))
    if case.get("departments"):
        parts = []
        for d in case["departments"]:
            key = "dept_signed" if d.get("signed_off_at") else "dept_lead" if d["role"] == "lead" else "dept_co"
            parts.append(t(key, lang, name=d["name"]))
        lines.append(t("case_departments", lang, names="、".join(parts)))
    if case.get("reason"):
        lines.append(t("case_reason_shown", lang, reason=case["reason"]))
    return "\n".join(lines)


def hall_today(app: CallerApp) -> date:
    """The hall's business day now (a date in the hall's zone, as the server counts it)."""
    return app.clock().astimezone(ZoneInfo(app.hall.get("timezone") or "Asia/Shanghai")).date()


@dataclass(frozen=True)
class NoticeOutcome:
    """What became of a notice: ``text`` says it to the staff; ``retry`` offers 重打."""

    printed: bool
    text: str
    retry: bool = False


async def print_notice(app: CallerApp, case: dict[str, Any]) -> NoticeOutcome:
    """Print every copy (联) of the case's notice on the window's printer and record it on the case."""
    lang = app.lang
    if not has_notice(case["case_type"]):
        return NoticeOutcome(False, t("case_no_notice", lang))
    if app.printer is None:
        return NoticeOutcome(False, t("notice_no_printer", lang))
    notice = Notice.from_case(case, hall_name=app.hall.get("name", ""),
                              timezone=app.hall.get("timezone") or "Asia/Shanghai")
    result = await asyncio.to_thread(app.printer.print_notice, notice)
    if not result.printed:
        key = f"printer_{result.health.value}"
        problem = t(key if key in MESSAGES else "printer_error", lang)
        return NoticeOutcome(False, t("notice_not_printed", lang, problem=problem), retry=True)
    copies = len(notice.copies)
    try:
        await app.client.notice_printed(case["id"], copies)
    except (ApiError, Unreachable):  # the paper is in the applicant's hand; the record is the lesser part
        return NoticeOutcome(True, t("notice_printed_unrecorded", lang, title=notice.title, copies=copies))
    return NoticeOutcome(True, t("notice_printed", lang, title=notice.title, copies=copies))
