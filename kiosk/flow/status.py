"""查询: what a ticket's or a case's token reveals, and nothing personal beyond it.

The server answers a token with ``"kind": "ticket"`` or ``"kind": "case"`` (a case notice's QR
holds the same ``/s/{token}`` address as a ticket's). What the kiosk shows of either is worked out
here, once, as plain functions of that answer: the heading and state, the sections of lines
(``STATUS_SECTIONS``, each empty for the other kind), and whether and why it can be rated, which
the rating screen asks too. An open status is asked for again every few seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hall_server.client import ApiError
from kiosk.flow.effects import Effect, Find
from kiosk.flow.view import Choice, Group, Lines, Part, Text
from kiosk.flow.visit import Screen, Visit
from kiosk.messages import day_line, localized, moment_line, text, wait_line, windows_line

CLOSED_CASE = ("finished", "returned")  # a case served to its end, well or not: it may be rated
DEFAULT_ZONE = "Asia/Shanghai"

Section = Callable[[Mapping[str, Any], str, tzinfo], list[str]]


def is_case(status: Mapping[str, Any]) -> bool:
    return status.get("kind") == "case"


def named(status: Mapping[str, Any], field: str, lang: str) -> str:
    """A name the server gives in both languages as ``field_zh`` / ``field_en``."""
    return str(status.get(f"{field}_{lang}") or status.get(f"{field}_zh") or "")


def hall_zone(status: Mapping[str, Any], hall: Mapping[str, Any] | None) -> tzinfo:
    """The zone a case's steps are shown in: the one in the answer if the server sends it, else
    the kiosk's own hall's (a notice is scanned in the hall that issued it)."""
    name = status.get("timezone") or (hall or {}).get("timezone") or DEFAULT_ZONE
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def heading(status: Mapping[str, Any], lang: str) -> str:
    service = localized(status, "service_name", lang)
    if is_case(status):
        return text("case.heading", lang, number=status["case_number"], service=service)
    return text("status.heading", lang, number=status["number"], service=service)


def state_line(status: Mapping[str, Any], lang: str) -> str:
    state = named(status, "status_name", lang) if is_case(status) else text(f"state.{status['status']}", lang)
    return text("status.state", lang, state=state)


def can_rate(status: Mapping[str, Any]) -> bool:
    return bool(status.get("ratable") if is_case(status) else status.get("can_rate"))


def rate_question(status: Mapping[str, Any], lang: str) -> str:
    service = localized(status, "service_name", lang)
    if is_case(status):
        return text("rate.case_question", lang, number=status["case_number"], service=service)
    return text("rate.question", lang, number=status["number"], service=service)


def not_ratable(status: Mapping[str, Any], lang: str) -> str | None:
    """Why the rating screen offers no levels (rated already, not served yet), or None when it does."""
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    rating = status.get("rating")
    if is_case(status):
        if rating:
            return t("rate.case_already", rating=t(f"rating.{rating}"))
        return None if status.get("status") in CLOSED_CASE else t("rate.case_not_yet")
    if rating:
        return t("rate.already", rating=t(f"rating.{rating}"))
    if status.get("status") == "no_show":  # called, never came: nothing was served to rate
        return t("rate.no_show")
    return None if status.get("status") == "finished" else t("rate.not_yet")


CASE_REFUSALS = {"rating_already": "rate.case_refused_already", "rating_case_not_finished": "rate.case_not_yet"}


def refusal(status: Mapping[str, Any], err: ApiError, lang: str) -> str:
    """The server's refusal of a rating in words for what was scanned: its catalog speaks of a
    ticket ("这张票"), which would puzzle someone holding a case notice."""
    if is_case(status) and err.code in CASE_REFUSALS:
        return text(CASE_REFUSALS[err.code], lang)
    return err.message(lang)


# --- the sections -----------------------------------------------------------------------------


def ticket_lines(status: Mapping[str, Any], lang: str, zone: tzinfo) -> list[str]:
    """Where the ticket stands and what the applicant does next."""
    if is_case(status):
        return []
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    state = status["status"]
    window = {"number": status.get("window_number") or "", "location": localized(status, "window_location", lang)}
    if state == "waiting":
        ahead = int(status.get("waiting_ahead") or 0)
        lines = [t("ticket.ahead", count=ahead) if ahead else t("ticket.next")]
        if (wait := wait_line(status, lang)) is not None:
            lines.append(wait)
        lines.append(t("ticket.where", where=windows_line(status.get("where_to_go") or [], lang)))
        return lines
    if state == "finished":
        if status.get("rating"):
            return [t("status.finished_rated", rating=t(f"rating.{status['rating']}"))]
        return [t("status.finished")]
    if state in ("called", "serving", "held", "no_show"):
        return [t(f"status.{state}", **window)]
    return [t("status.cancelled")]


def _day(iso: str, lang: str) -> str:
    return day_line(date.fromisoformat(iso), lang)


def case_facts(status: Mapping[str, Any], lang: str, zone: tzinfo) -> list[str]:
    """The case's type, item and department, whose it is (masked), and its dates: accepted, promised
    (暂定 while the holidays it rests on are unpublished, 逾期 when past), finished or returned."""
    if not is_case(status):
        return []
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    service = localized(status, "service_name", lang)
    lines = [t("case.type", name=named(status, "type_name", lang)),
             t("case.item", service=service, department=localized(status, "department_name", lang)),
             t("case.applicant", name=status.get("applicant_name") or ""),
             t("case.accepted", day=_day(status["accepted_on"], lang))]
    open_ = status.get("status") not in CLOSED_CASE
    if status.get("deadline"):
        tags = (t("case.provisional_tag") if status.get("deadline_provisional") else "") + (
            t("case.overdue_tag") if status.get("overdue") else "")
        lines.append(t("case.deadline", day=_day(status["deadline"], lang)) + tags)
    elif status.get("status") == "awaiting_materials":
        lines.append(t("case.limit_later"))
    if status.get("finished_on"):
        key = "case.returned_on" if status.get("status") == "returned" else "case.finished_on"
        lines.append(t(key, day=_day(status["finished_on"], lang)))
    if status.get("deadline") and status.get("deadline_provisional") and open_:
        lines.append(t("case.provisional"))
    if status.get("overdue"):
        lines.append(t("case.overdue_open" if open_ else "case.overdue_done"))
    return lines


def case_materials(status: Mapping[str, Any], lang: str, zone: tzinfo) -> list[str]:
    """A 补办件 still waiting: every missing item at once (一次性告知), and when its time starts."""
    missing = status.get("missing_materials") or []
    if not is_case(status) or status.get("status") != "awaiting_materials" or not missing:
        return []
    return [text("case.missing", lang), *(f"  {i}. {name}" for i, name in enumerate(missing, 1)),
            text("case.missing_note", lang)]


def case_reason(status: Mapping[str, Any], lang: str, zone: tzinfo) -> list[str]:
    """A returned case: why, and that 业务科 reviews it (复核) on the applicant's request with the notice."""
    if not is_case(status) or status.get("status") != "returned" or not status.get("reason"):
        return []
    return [text("case.reason", lang, reason=status["reason"]), text("case.review", lang)]


def case_steps(status: Mapping[str, Any], lang: str, zone: tzinfo) -> list[str]:
    """The steps so far, each at its time on the hall's clock."""
    steps = status.get("steps") or []
    if not is_case(status) or not steps:
        return []
    lines = [text("case.steps", lang)]
    for step in steps:
        at = moment_line(datetime.fromisoformat(step["at"]).astimezone(zone), lang)
        lines.append(f"  {at}  {step['name_en'] if lang == 'en' else step['name_zh']}")
    return lines


def case_rating(status: Mapping[str, Any], lang: str, zone: tzinfo) -> list[str]:
    """The case's one rating (given here, on the phone, or on the window's pad), or the invitation."""
    if not is_case(status):
        return []
    if status.get("rating"):
        return [text("case.rated", lang, rating=text(f"rating.{status['rating']}", lang))]
    return [text("case.rate_invite", lang)] if status.get("ratable") else []


STATUS_SECTIONS: tuple[Section, ...] = (ticket_lines, case_facts, case_materials, case_reason, case_steps,
                                        case_rating)


class StatusScreen(Screen):
    kind = "status"
    TITLE_KEY = "find.status_title"

    def __init__(self, token: str, status: Mapping[str, Any]) -> None:
        super().__init__()
        self.token = token
        self.status = status

    def parts(self, v: Visit) -> list[Part]:
        status, lang = self.status, v.lang
        zone = hall_zone(status, v.hall.hall if v.hall else None)
        parts: list[Part] = [Text("status-heading", heading(status, lang), "heading"),
                             Text("status-state", state_line(status, lang))]
        for section in STATUS_SECTIONS:
            if lines := section(status, lang, zone):
                parts.append(Lines(f"status-{section.__name__}", "", tuple(lines)))
        actions = [Choice("status-rate", v.t("status.rate_now"), role="primary")] if can_rate(status) else []
        actions.append(Choice("status-refresh", v.t("status.refresh")))
        parts.append(Group("status-actions", tuple(actions), area="foot"))
        return parts

    def tick(self, v: Visit) -> bool:
        v.request(Find(self.sid, token=self.token))
        return False  # drawn again when the answer arrives

    def touch(self, v: Visit, choice: str) -> None:
        from kiosk.flow.rating import RatingScreen

        if choice == "status-refresh":
            v.request(Find(self.sid, token=self.token))
        elif choice == "status-rate" and can_rate(self.status):
            v.replace(RatingScreen(self.token, self.status))

    def arrived(self, v: Visit, effect: Effect, result: object) -> None:
        assert isinstance(result, Mapping)
        self.status = result

    def refused(self, v: Visit, effect: Effect, err: ApiError) -> None:
        """Asked again and refused (the hall forgot an old ticket): what was shown stays."""
