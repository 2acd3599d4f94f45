"""The notices (通知书) a window hands out for a case, as plain data (RULES.md §2).

Pure: no database, no web framework. The window's caller program builds a ``Notice`` from the
case JSON the API returns and prints it on its receipt printer (``hardware.printer.notice``);
the server renders the same ``Notice`` as an A5 PDF (``hall_server.cases.notice_pdf``). Both
read the same lines, so the paper and the PDF never say different things.

Copies (联). RULES.md names the four copies of the 承诺件通知书 and only counts the others'. The
three-copy notices (补办件, 联办件, 退回件) keep the window's copy (its archive, which the monthly
assessment inspects), the applicant's copy (every notice carries one) and a copy for 业务科,
because 业务科 is the office the source gives these cases to: it coordinates joint cases, reviews
returned ones (复核) and keeps the statistics a supplement's restarted clock feeds. What the
three-copy set leaves out, against the 承诺件's four, is the department leader's copy: a
supplement or a returned case has not reached the department yet, and a joint case's departments
are told by its lead department. The 急办件通知单 is issued by the center, not by a window, and
goes straight to the window that handles it, so its copies are the center's stub (存中心业务科),
the handling window's (承办窗口) and the applicant's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from hall_queue.text import catalog_text

CASE_TYPES = ("immediate", "promised", "supplement", "joint", "returned", "urgent")

MESSAGES: dict[str, dict[str, str]] = {
    # Titles, one per case type that has a notice.
    "title.promised": {"zh": "承诺件通知书"},
    "title.supplement": {"zh": "补办件通知书"},
    "title.joint": {"zh": "联办件通知书"},
    "title.returned": {"zh": "退回件通知书"},
    "title.urgent": {"zh": "急办件通知单"},
    # Copies (联): ordinals and who keeps each.
    "copy.1": {"zh": "第一联"},
    "copy.2": {"zh": "第二联"},
    "copy.3": {"zh": "第三联"},
    "copy.4": {"zh": "第四联"},
    "holder.window": {"zh": "存窗口"},
    "holder.business_to_supervision": {"zh": "业务科转督查科"},
    "holder.department_leader": {"zh": "部门负责人"},
    "holder.business": {"zh": "业务科"},
    "holder.center_business": {"zh": "存中心业务科"},
    "holder.handling_window": {"zh": "承办窗口"},
    "holder.applicant": {"zh": "申请人"},
    # Field labels.
    "label.case_number": {"zh": "办件编号"},
    "label.applicant.person": {"zh": "申请人"},
    "label.applicant.company": {"zh": "申请单位"},
    "label.id_number.person": {"zh": "证件号码"},
    "label.id_number.company": {"zh": "统一社会信用代码"},
    "label.phone": {"zh": "联系电话"},
    "label.service": {"zh": "办理事项"},
    "label.department": {"zh": "承办部门"},
    "label.window": {"zh": "受理窗口"},
    "label.accepted_on": {"zh": "受理日期"},
    "label.promised_days": {"zh": "承诺时限"},
    "label.clock_started_on": {"zh": "材料补齐日期"},
    "label.deadline": {"zh": "承诺办结日期"},
    # Values.
    "value.window": {"zh": "{number}号窗口"},
    "value.promised_days": {"zh": "{days}个工作日"},
    "value.supplement_days": {"zh": "材料补齐之日起{days}个工作日"},
    "value.provisional": {"zh": "{date}(暂定)"},
    "value.date": {"zh": "{year}年{month}月{day}日"},
    # Sections.
    "section.missing": {"zh": "请补齐以下材料(一次性告知)"},
    "section.received": {"zh": "已收取的材料"},
    "section.returned_reason": {"zh": "退回原因"},
    "section.departments": {"zh": "联办部门"},
    "section.urgent_note": {"zh": "急办事由"},
    "item.lead": {"zh": "牵头部门(责任部门)：{name}"},
    "item.co": {"zh": "协办部门：{name}"},
    "item.due": {"zh": "，{date}前办结"},
    "item.signed_off": {"zh": "，已于{date}办结"},
    # Sentences.
    "note.provisional": {
        "zh": "办结日期为暂定：该日期所在年度的节假日安排尚未公布，公布后本中心将按工作日重新核定，"
        "如有变化会及时告知您。"
    },
    "note.promised": {
        "zh": "本件将在承诺时限内办结，不随意延长。如超过承诺办结日期仍未办结，您可向中心督查科反映。"
    },
    "note.supplement": {
        "zh": "以上是需要补齐的全部材料，请您备齐后一并交到受理窗口。办理时限自材料补齐之日起计算。"
    },
    "note.joint": {
        "zh": "本件需多个部门共同办理，由牵头部门负责协调并通知各协办部门，各部门在各自承诺时限内办结。"
    },
    "note.returned": {
        "zh": "对不起，本件暂不能办理。如您对退回原因有疑问，可持本通知书向中心业务科申请复核。"
    },
    "note.urgent": {"zh": "本件经中心确定为急办件，由承办窗口从急从快办理。"},
    "scan_hint": {"zh": "扫码查询办理进度、评价服务"},
    "closing": {"zh": "请保管好本通知书，谢谢您的合作。"},
    "error.no_notice": {"zh": "即办件当场办结，不出具通知书"},
    "error.unknown_type": {"zh": "未知的办件类型“{case_type}”"},
    "error.unknown_copy": {"zh": "没有“{which}”这一联；可选：{choices}"},
}

message = partial(catalog_text, MESSAGES)

# Which copies each notice has, in order: (the key a caller asks for, the holder's message key).
COPIES: dict[str, tuple[tuple[str, str], ...]] = {
    "promised": (
        ("window", "holder.window"),
        ("business", "holder.business_to_supervision"),
        ("department_leader", "holder.department_leader"),
        ("applicant", "holder.applicant"),
    ),
    "supplement": (("window", "holder.window"), ("business", "holder.business"), ("applicant", "holder.applicant")),
    "joint": (("window", "holder.window"), ("business", "holder.business"), ("applicant", "holder.applicant")),
    "returned": (("window", "holder.window"), ("business", "holder.business"), ("applicant", "holder.applicant")),
    "urgent": (
        ("center", "holder.center_business"),
        ("window", "holder.handling_window"),
        ("applicant", "holder.applicant"),
    ),
}


def has_notice(case_type: str) -> bool:
    """Whether a case of this type gets a notice: every type but 即办件, which ends at the window."""
    if case_type not in CASE_TYPES:
        raise ValueError(message("error.unknown_type", case_type=case_type))
    return case_type in COPIES


def notice_title(case_type: str) -> str:
    """The notice's name for a case type, e.g. 承诺件通知书."""
    if not has_notice(case_type):
        raise ValueError(message("error.no_notice"))
    return message(f"title.{case_type}")


def chinese_date(day: date) -> str:
    """``2026年10月9日``: how a notice writes a date (no zero padding, as on official paper)."""
    return message("value.date", year=day.year, month=day.month, day=day.day)


def _day(value: str | None, zone: ZoneInfo) -> date | None:
    """A date from the API's ISO text: a plain date as is, a moment as its day in the hall's zone
    (a sign-off at 23:30 UTC is the next morning in Shanghai)."""
    if not value:
        return None
    if len(value) == 10:
        return date.fromisoformat(value)
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(zone)
    return moment.date()


@dataclass(frozen=True)
class NoticeCopy:
    """One copy (联) of a notice: ``key`` is what a caller asks for (``"applicant"``)."""

    key: str
    ordinal: str
    holder: str

    @property
    def name(self) -> str:
        """As printed at the head of the copy: ``第一联 存窗口``."""
        return f"{self.ordinal} {self.holder}"


@dataclass(frozen=True)
class NoticeField:
    label: str
    value: str

    @property
    def line(self) -> str:
        return f"{self.label}：{self.value}"


@dataclass(frozen=True)
class NoticeSection:
    """A heading and its items; numbered items are the ones an applicant ticks off (materials)."""

    heading: str
    items: tuple[str, ...]
    numbered: bool = False

    @property
    def item_lines(self) -> tuple[str, ...]:
        if self.numbered:
            return tuple(f"{n}. {item}" for n, item in enumerate(self.items, 1))
        return self.items


@dataclass(frozen=True)
class Notice:
    """Everything printed on a notice, the same on every copy but the copy's name."""

    case_type: str
    title: str
    hall_name: str
    case_number: str
    copies: tuple[NoticeCopy, ...]
    fields: tuple[NoticeField, ...]
    sections: tuple[NoticeSection, ...]
    notes: tuple[str, ...]
    status_url: str
    issued_on: str  # the acceptance date in Chinese, under the hall's name at the foot
    scan_hint: str = message("scan_hint")
    closing: str = message("closing")

    @classmethod
    def from_case(cls, case: Mapping[str, Any], *, hall_name: str, timezone: str = "Asia/Shanghai") -> Notice:
        """The notice for a case as the API returns it; ValueError for a 即办件 (it has none)."""
        case_type = case["case_type"]
        if not has_notice(case_type):
            raise ValueError(message("error.no_notice"))
        zone = ZoneInfo(timezone)
        applicant = case.get("applicant") or {}
        kind = "company" if applicant.get("kind") == "company" else "person"
        accepted = _day(case.get("accepted_on"), zone)
        if accepted is None:
            raise ValueError("case has no accepted_on date")

        fields = [
            NoticeField(message("label.case_number"), case["case_number"]),
            NoticeField(message(f"label.applicant.{kind}"), applicant.get("name", "")),
        ]
        if applicant.get("id_number_masked"):
            fields.append(NoticeField(message(f"label.id_number.{kind}"), applicant["id_number_masked"]))
        if applicant.get("phone_masked"):
            fields.append(NoticeField(message("label.phone"), applicant["phone_masked"]))
        fields.append(NoticeField(message("label.service"), case["service_name"]))
        fields.append(NoticeField(message("label.department"), case["department_name"]))
        if case.get("window_number") is not None:
            fields.append(NoticeField(message("label.window"), message("value.window", number=case["window_number"])))
        fields.append(NoticeField(message("label.accepted_on"), chinese_date(accepted)))

        sections: list[NoticeSection] = []
        notes: list[str] = []
        deadline = _day(case.get("deadline"), zone)
        provisional = bool(case.get("deadline_provisional")) and deadline is not None
        days = case.get("promised_days")

        if case_type == "supplement":
            if days:
                fields.append(NoticeField(message("label.promised_days"), message("value.supplement_days", days=days)))
            started = _day(case.get("clock_started_on"), zone)
            if started is not None:
                fields.append(NoticeField(message("label.clock_started_on"), chinese_date(started)))
        elif case_type != "returned" and days:
            fields.append(NoticeField(message("label.promised_days"), message("value.promised_days", days=days)))
        if case_type != "returned" and deadline is not None:
            shown = chinese_date(deadline)
            if provisional:
                shown = message("value.provisional", date=shown)
            fields.append(NoticeField(message("label.deadline"), shown))

        if case_type == "supplement":
            received = tuple(case.get("materials_received") or ())
            if received:
                sections.append(NoticeSection(message("section.received"), received, numbered=True))
            missing = tuple(case.get("missing_materials") or ())
            sections.append(NoticeSection(message("section.missing"), missing, numbered=True))
            notes.append(message("note.supplement"))
        elif case_type == "returned":
            sections.append(NoticeSection(message("section.returned_reason"), (case.get("reason") or "",)))
            notes.append(message("note.returned"))
        elif case_type == "joint":
            sections.append(NoticeSection(message("section.departments"), _department_items(case, zone)))
            notes.append(message("note.joint"))
        elif case_type == "urgent":
            if case.get("urgent_note"):
                sections.append(NoticeSection(message("section.urgent_note"), (case["urgent_note"],)))
            notes.append(message("note.urgent"))
        else:
            notes.append(message("note.promised"))
        if provisional:
            notes.append(message("note.provisional"))

        copies = tuple(NoticeCopy(key, message(f"copy.{n}"), message(holder))
                       for n, (key, holder) in enumerate(COPIES[case_type], 1))
        return cls(
            case_type=case_type, title=message(f"title.{case_type}"), hall_name=hall_name,
            case_number=case["case_number"], copies=copies, fields=tuple(fields), sections=tuple(sections),
            notes=tuple(notes), status_url=case["status_url"], issued_on=chinese_date(accepted),
        )

    def copy(self, which: str) -> NoticeCopy:
        """A copy by its key (``applicant``), its full name (``第四联 申请人``), its ordinal
        (``第四联``) or its holder (``申请人``), so a window can reprint just one."""
        for candidate in self.copies:
            if which in (candidate.key, candidate.name, candidate.ordinal, candidate.holder):
                return candidate
        choices = "、".join(c.name for c in self.copies)
        raise ValueError(message("error.unknown_copy", which=which, choices=choices))

    def body_lines(self) -> list[str]:
        """The body as printed lines: fields, each section's heading and items, then the notes."""
        lines = [field.line for field in self.fields]
        for section in self.sections:
            lines.append(f"{section.heading}：")
            lines.extend(section.item_lines)
        lines.extend(self.notes)
        return lines

    def texts(self) -> list[str]:
        """Every piece of text any copy carries (for checks of wording)."""
        return [self.hall_name, self.title, *(c.name for c in self.copies), *self.body_lines(), self.scan_hint,
                self.closing, self.issued_on]


def _department_items(case: Mapping[str, Any], zone: ZoneInfo) -> tuple[str, ...]:
    """The lead department first, then each co-department, each with its own deadline."""
    departments = sorted(case.get("departments") or (), key=lambda d: d.get("role") != "lead")
    items = []
    for department in departments:
        key = "item.lead" if department.get("role") == "lead" else "item.co"
        text = message(key, name=department["name"])
        due = _day(department.get("deadline"), zone)
        if due is not None:
            text += message("item.due", date=chinese_date(due))
        signed = _day(department.get("signed_off_at"), zone)
        if signed is not None:
            text += message("item.signed_off", date=chinese_date(signed))
        items.append(text)
    return tuple(items)
