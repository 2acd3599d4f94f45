"""Case notices (通知书, RULES.md §2): what each type's notice says, its copies, and its A5 PDF
read back with pypdfium2 (text per page, QR code decoded with zxing-cpp, the CJK font embedded)."""

from __future__ import annotations

import ctypes
import re
from datetime import date
from importlib.resources import files
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp

from hall_server.cases.notice import CASE_TYPES, MESSAGES, Notice, chinese_date, has_notice
from hall_server.cases.notice_pdf import notice_pdf, typst_font
from hardware.printer.fonts import cjk_font_path

STATUS_URL = "https://hall.example.cn/c/Xy7-kQ2mZp9aLr4TqW"
HALL = "昆山市行政审批服务中心"
# RULES.md §10: words never to use, in any message.
FORBIDDEN = ("不知道", "你去问", "不行", "重填", "有牌子", "自己看", "快点", "要下班了", "已经告诉你了", "没看我正忙吗",
             "有意见找头头去")
COPY_NAMES = {
    "promised": ["第一联 存窗口", "第二联 业务科转督查科", "第三联 部门负责人", "第四联 申请人"],
    "supplement": ["第一联 存窗口", "第二联 业务科", "第三联 申请人"],
    "joint": ["第一联 存窗口", "第二联 业务科", "第三联 申请人"],
    "returned": ["第一联 存窗口", "第二联 业务科", "第三联 申请人"],
    "urgent": ["第一联 存中心业务科", "第二联 承办窗口", "第三联 申请人"],
}
TITLES = {"promised": "承诺件通知书", "supplement": "补办件通知书", "joint": "联办件通知书",
          "returned": "退回件通知书", "urgent": "急办件通知单"}
MISSING = ["经营场所平面图", "食品安全管理制度文本", "从业人员健康证明", "卫生许可证复印件（加盖公章）"]
REASON = "拟建项目位于生态保护红线范围内，不符合当地国土空间规划。"
URGENT_NOTE = "市重点项目，须于本月底前开工，请各部门从急从快办理。"

needs_cjk_font = pytest.mark.skipif(
    cjk_font_path() is None, reason="no CJK font: install fonts-wqy-microhei (scripts/system-packages.sh)"
)


def case_of(case_type: str, **changes: Any) -> dict[str, Any]:
    """A case as the API returns it, with what each type's notice needs filled in."""
    case: dict[str, Any] = {
        "id": 17, "case_number": "KS-2026-000123", "hall_id": 1, "case_type": case_type, "status": "accepted",
        "service_name": "食品经营许可证核发", "department_name": "市场监督管理局", "window_number": 12,
        "applicant": {"name": "张三", "kind": "person", "id_number_masked": "3205**********1234",
                      "phone_masked": "138****5678"},
        "accepted_on": "2026-10-09", "clock_started_on": "2026-10-09", "deadline": "2026-10-30",
        "deadline_provisional": False, "promised_days": 15, "materials_received": ["营业执照复印件"],
        "missing_materials": [], "reason": "", "urgent_note": "", "departments": [],
        "status_token": "Xy7-kQ2mZp9aLr4TqW", "status_url": STATUS_URL,
    }
    if case_type == "supplement":
        case.update(missing_materials=list(MISSING), clock_started_on=None, deadline=None)
    elif case_type == "returned":
        case.update(reason=REASON, deadline=None, promised_days=0)
    elif case_type == "joint":
        case.update(departments=[
            {"department_id": 3, "name": "住房和城乡建设局", "role": "co", "deadline": "2026-10-23",
             "signed_off_at": None},
            {"department_id": 1, "name": "发展和改革委员会", "role": "lead", "deadline": "2026-10-30",
             "signed_off_at": None},
            {"department_id": 2, "name": "自然资源和规划局", "role": "co", "deadline": "2026-10-20",
             "signed_off_at": "2026-10-15T16:30:00+00:00"},  # 00:30 on the 16th in the hall
        ])
    elif case_type == "urgent":
        case.update(urgent_note=URGENT_NOTE)
    case.update(changes)
    return case


def notice_of(case_type: str, **changes: Any) -> Notice:
    return Notice.from_case(case_of(case_type, **changes), hall_name=HALL)


def squeeze(text: str) -> str:
    """PDF text without the spaces and line breaks that layout puts in."""
    return re.sub(r"\s+", "", text)


def page_texts(pdf: bytes) -> list[str]:
    return [squeeze(page.get_textpage().get_text_range()) for page in pdfium.PdfDocument(pdf)]


def page_qr(pdf: bytes, index: int) -> list[str]:
    image = pdfium.PdfDocument(pdf)[index].render(scale=2).to_pil()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def page_fonts(pdf: bytes, index: int) -> set[tuple[str, bool]]:
    """(base font name, embedded) of every text object on the page."""
    fonts = set()
    page = pdfium.PdfDocument(pdf)[index]
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
        font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
        size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
        name = ctypes.create_string_buffer(size)
        pdfium_c.FPDFFont_GetBaseFontName(font, name, size)
        fonts.add((name.value.decode(), bool(pdfium_c.FPDFFont_GetIsEmbedded(font))))
    return fonts


# -- what the notices say ------------------------------------------------------------------------


def test_every_type_but_immediate_has_a_notice() -> None:
    assert {t: has_notice(t) for t in CASE_TYPES} == {
        "immediate": False, "promised": True, "supplement": True, "joint": True, "returned": True, "urgent": True}
    with pytest.raises(ValueError, match="即办件"):
        notice_of("immediate")
    with pytest.raises(ValueError):
        has_notice("overnight")


@pytest.mark.parametrize("case_type", COPY_NAMES)
def test_each_notice_has_its_title_and_copies(case_type: str) -> None:
    notice = notice_of(case_type)
    assert notice.title == TITLES[case_type]
    assert [copy.name for copy in notice.copies] == COPY_NAMES[case_type]
    assert notice.copies[-1].key == "applicant"


def test_a_copy_is_found_by_key_name_ordinal_or_holder() -> None:
    notice = notice_of("promised")
    ways = ("applicant", "第四联 申请人", "第四联", "申请人")
    assert {notice.copy(which).name for which in ways} == {"第四联 申请人"}
    with pytest.raises(ValueError, match="第一联 存窗口"):  # the message lists the choices
        notice.copy("第五联")


@pytest.mark.parametrize("case_type", COPY_NAMES)
def test_body_names_the_case_applicant_item_and_department(case_type: str) -> None:
    lines = notice_of(case_type).body_lines()
    assert "办件编号：KS-2026-000123" in lines
    assert "申请人：张三" in lines and "证件号码：3205**********1234" in lines
    assert "办理事项：食品经营许可证核发" in lines and "承办部门：市场监督管理局" in lines
    assert "受理日期：2026年10月9日" in lines


def test_company_applicant_is_named_as_a_company() -> None:
    applicant = {"name": "昆山某某精密机械有限公司", "kind": "company", "id_number_masked": "913205**********7X",
                 "phone_masked": ""}
    lines = notice_of("promised", applicant=applicant).body_lines()
    assert "申请单位：昆山某某精密机械有限公司" in lines
    assert "统一社会信用代码：913205**********7X" in lines
    assert not [line for line in lines if line.startswith("联系电话")]


def test_dates_are_written_in_chinese() -> None:
    assert chinese_date(date(2026, 10, 9)) == "2026年10月9日"


def test_promised_notice_states_the_deadline_and_where_to_complain() -> None:
    notice = notice_of("promised")
    assert "承诺时限：15个工作日" in notice.body_lines()
    assert "承诺办结日期：2026年10月30日" in notice.body_lines()
    assert any("督查科" in note for note in notice.notes)
    assert not any("暂定" in text for text in notice.texts())


def test_provisional_deadline_is_marked_and_explained() -> None:
    notice = notice_of("promised", deadline="2027-01-22", deadline_provisional=True)
    assert "承诺办结日期：2027年1月22日(暂定)" in notice.body_lines()
    assert any(note.startswith("办结日期为暂定") for note in notice.notes)


def test_supplement_lists_every_missing_item_at_once() -> None:
    notice = notice_of("supplement")
    lines = notice.body_lines()
    (missing,) = [section for section in notice.sections if section.heading == "请补齐以下材料(一次性告知)"]
    assert missing.items == tuple(MISSING)
    assert "\n".join(["请补齐以下材料(一次性告知)：", *(f"{n}. {item}" for n, item in enumerate(MISSING, 1))]) in (
        "\n".join(lines))
    assert any("办理时限自材料补齐之日起计算" in note for note in notice.notes)
    assert "承诺时限：材料补齐之日起15个工作日" in lines
    assert not [line for line in lines if line.startswith("承诺办结日期")]  # no deadline before the clock starts


def test_returned_notice_gives_the_reason_and_the_way_to_review() -> None:
    notice = notice_of("returned")
    assert REASON in notice.body_lines()
    assert any("业务科" in note and "复核" in note and "本通知书" in note for note in notice.notes)
    assert not [line for line in notice.body_lines() if line.startswith("承诺")]


def test_joint_notice_names_the_lead_then_each_co_department_with_its_deadline() -> None:
    (departments,) = [s for s in notice_of("joint").sections if s.heading == "联办部门"]
    assert departments.items == (
        "牵头部门(责任部门)：发展和改革委员会，2026年10月30日前办结",
        "协办部门：住房和城乡建设局，2026年10月23日前办结",
        "协办部门：自然资源和规划局，2026年10月20日前办结，已于2026年10月16日办结",
    )


def test_urgent_notice_carries_the_urgent_note() -> None:
    notice = notice_of("urgent")
    assert URGENT_NOTE in notice.body_lines()
    assert "承诺办结日期：2026年10月30日" in notice.body_lines()


@pytest.mark.parametrize("case_type", COPY_NAMES)
def test_no_forbidden_words_in_any_notice(case_type: str) -> None:
    texts = notice_of(case_type, deadline_provisional=True).texts()
    texts += [text for entry in MESSAGES.values() for text in entry.values()]
    assert not [(word, text) for text in texts for word in FORBIDDEN if word in text]


# -- the PDF -------------------------------------------------------------------------------------


@needs_cjk_font
@pytest.mark.parametrize("case_type", COPY_NAMES)
def test_pdf_has_one_page_per_copy_headed_by_title_and_copy_with_a_readable_qr(case_type: str) -> None:
    notice = notice_of(case_type)
    pdf = notice_pdf(notice)
    texts = page_texts(pdf)
    assert len(texts) == len(COPY_NAMES[case_type])
    for text, copy_name in zip(texts, COPY_NAMES[case_type], strict=True):
        assert text.startswith(squeeze(HALL + TITLES[case_type] + copy_name))
        assert "扫码查询办理进度、评价服务" in text
        for line in notice.body_lines():  # every line, Chinese included, reads back: no tofu
            assert squeeze(line) in text
    assert page_qr(pdf, 0) == [STATUS_URL]
    assert page_qr(pdf, len(texts) - 1) == [STATUS_URL]  # the applicant's copy


@needs_cjk_font
def test_pdf_is_a5_with_the_cjk_font_embedded() -> None:
    pdf = notice_pdf(notice_of("joint"))
    width, height = pdfium.PdfDocument(pdf)[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (148, 210)
    fonts = page_fonts(pdf, 0)
    _, family = typst_font(cjk_font_path())
    # Subset fonts are named "ABCDEF+WenQuanYiMicroHei": only the CJK font, no fallback font.
    assert fonts == {(name, True) for name, _ in fonts}
    assert {name.split("+")[-1] for name, _ in fonts} == {family.replace(" ", "")}


@needs_cjk_font
def test_pdf_lists_every_missing_item_and_the_returned_reason() -> None:
    supplement = page_texts(notice_pdf(notice_of("supplement")))[-1]  # the applicant's copy
    assert all(squeeze(f"{n}. {item}") in supplement for n, item in enumerate(MISSING, 1))
    returned = page_texts(notice_pdf(notice_of("returned")))[-1]
    assert squeeze(REASON) in returned and "复核" in returned


@needs_cjk_font
def test_applicant_text_is_printed_as_text_never_read_as_markup() -> None:
    odd = '张*三* #pagebreak() $x$ "引号" \\ <x> @ref'
    pdf = notice_pdf(notice_of("promised", applicant={"name": odd, "kind": "person", "id_number_masked": "",
                                                      "phone_masked": ""}))
    texts = page_texts(pdf)
    assert len(texts) == 4
    assert squeeze(odd) in texts[0]


def test_template_ships_with_the_package() -> None:
    assert files("hall_server.cases").joinpath("notice.typ").is_file()
