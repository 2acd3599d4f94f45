"""A case notice on the window's receipt printer, read back through the ESC/POS preview: its copy
names and lines from the render ops, its QR code from the rendered paper, one cut per copy."""

from __future__ import annotations

from typing import Any

import pytest
import zxingcpp
from escpos.printer import Dummy

from hall_server.cases.notice import Notice
from hardware.printer.notice import layout_notice, notice_job
from hardware.printer.preview import CutOp, LineOp, ops_text, profile_decoding, render_escpos, render_escpos_ops
from hardware.printer.profile import PROFILES

from .conftest import STATUS_URL

TEXT_PROFILES = ["gb18030-80mm", "gb18030-58mm", "gb18030-fs-80mm", "gbk-58mm-rasterqr", "utf8-80mm"]
IMAGE_PROFILES = ["image-80mm", "image-58mm"]
FORBIDDEN = ("不知道", "你去问", "不行", "重填", "有牌子", "自己看", "快点", "要下班了", "已经告诉你了", "没看我正忙吗",
             "有意见找头头去")
MISSING = ["经营场所平面图", "食品安全管理制度文本（须加盖公章并由法定代表人签字）", "从业人员健康证明"]
REASON = "拟建项目位于生态保护红线范围内，不符合当地国土空间规划。"


def case_of(case_type: str, **changes: Any) -> dict[str, Any]:
    """A case as the API returns it (the keys of hall_server.cases), built by hand."""
    case: dict[str, Any] = {
        "id": 5, "case_number": "KS-2026-000045", "hall_id": 1, "case_type": case_type, "status": "accepted",
        "service_name": "食品经营许可证核发", "department_name": "市场监督管理局", "window_number": 12,
        "applicant": {"name": "李四", "kind": "person", "id_number_masked": "3205**********5678",
                      "phone_masked": "139****1234"},
        "accepted_on": "2026-10-09", "clock_started_on": "2026-10-09", "deadline": "2026-10-30",
        "deadline_provisional": False, "promised_days": 15, "materials_received": [], "missing_materials": [],
        "reason": "", "urgent_note": "", "departments": [], "status_token": "Xy7-kQ2mZp9aLr4TqW",
        "status_url": STATUS_URL,
    }
    case.update(changes)
    return case


def notice_of(case_type: str, **changes: Any) -> Notice:
    return Notice.from_case(case_of(case_type, **changes), hall_name="江城市政务服务中心")


def printed(notice: Notice, profile_name: str, copy: str | None = None) -> tuple[list, list[str]]:
    """(render ops, decoded QR codes) of the job as the printer with that profile would print it."""
    profile = PROFILES[profile_name]
    data = notice_job(notice, profile, copy)
    decoding = profile_decoding(profile)
    ops = render_escpos_ops(data, profile.width_dots, **decoding)
    image = render_escpos(data, profile.width_dots, **decoding)
    return ops, [code.text for code in zxingcpp.read_barcodes(image)]


@pytest.mark.usefixtures("cjk_font")
@pytest.mark.parametrize("profile_name", TEXT_PROFILES)
def test_every_copy_prints_with_its_name_its_qr_and_a_cut(profile_name: str) -> None:
    notice = notice_of("promised")
    ops, codes = printed(notice, profile_name)
    lines = ops_text(ops)
    names = ["第一联 存窗口", "第二联 业务科转督查科", "第三联 部门负责人", "第四联 申请人"]
    assert [line for line in lines if line.startswith("第") and "联 " in line] == names
    assert lines.count("承诺件通知书") == 4
    assert lines.count("扫码查询办理进度、评价服务") == 4
    assert codes == [STATUS_URL] * 4
    assert sum(isinstance(op, CutOp) for op in ops) == 4


@pytest.mark.usefixtures("cjk_font")
@pytest.mark.parametrize("profile_name", IMAGE_PROFILES)
def test_printer_without_chinese_font_still_prints_every_copy_with_a_readable_qr(profile_name: str) -> None:
    ops, codes = printed(notice_of("returned", reason=REASON), profile_name)
    assert codes == [STATUS_URL] * 3
    assert sum(isinstance(op, CutOp) for op in ops) == 3


@pytest.mark.usefixtures("cjk_font")
def test_one_copy_alone_for_the_applicant() -> None:
    ops, codes = printed(notice_of("supplement", missing_materials=MISSING), "gb18030-58mm", "applicant")
    lines = ops_text(ops)
    assert "第三联 申请人" in lines and not [line for line in lines if line.startswith(("第一联", "第二联"))]
    assert codes == [STATUS_URL]
    assert sum(isinstance(op, CutOp) for op in ops) == 1


@pytest.mark.usefixtures("cjk_font")
@pytest.mark.parametrize("profile_name", ["gb18030-80mm", "gb18030-58mm"])
def test_supplement_prints_every_missing_item(profile_name: str) -> None:
    ops, _ = printed(notice_of("supplement", missing_materials=MISSING), profile_name, "applicant")
    paper = "".join(ops_text(ops))  # long items wrap on narrow paper
    for n, item in enumerate(MISSING, 1):
        assert f"{n}. {item}" in paper
    assert "办理时限自材料补齐之日起计算。" in paper


@pytest.mark.usefixtures("cjk_font")
def test_returned_prints_the_reason_and_the_review() -> None:
    ops, _ = printed(notice_of("returned", reason=REASON), "gb18030-80mm", "申请人")
    paper = "".join(ops_text(ops))
    assert REASON in paper
    assert "可持本通知书向中心业务科申请复核" in paper


@pytest.mark.usefixtures("cjk_font")
def test_title_is_centred_and_the_body_flush_left() -> None:
    ops, _ = printed(notice_of("urgent", urgent_note="市重点项目，须于本月底前开工。"), "gb18030-80mm", "申请人")
    by_text = {op.text: op for op in ops if isinstance(op, LineOp) and op.text.strip()}
    assert by_text["急办件通知单"].align == "center" and by_text["第三联 申请人"].align == "center"
    assert by_text["办件编号：KS-2026-000045"].align == "left"
    assert by_text["市重点项目，须于本月底前开工。"].align == "left"
    assert by_text["扫码查询办理进度、评价服务"].align == "center"


@pytest.mark.usefixtures("cjk_font")
@pytest.mark.parametrize("case_type", ["promised", "supplement", "joint", "returned", "urgent"])
def test_no_forbidden_words_on_paper(case_type: str) -> None:
    notice = notice_of(case_type, deadline_provisional=True, missing_materials=MISSING, reason=REASON,
                       departments=[{"department_id": 1, "name": "发展和改革委员会", "role": "lead",
                                     "deadline": "2026-10-30", "signed_off_at": None}])
    paper = "".join(ops_text(printed(notice, "gb18030-80mm")[0]))
    assert not [word for word in FORBIDDEN if word in paper]


def test_layout_goes_through_any_python_escpos_printer() -> None:
    printer = Dummy()  # python-escpos's default capabilities do not know the paper width
    layout_notice(printer, notice_of("joint"), PROFILES["gb18030-80mm"], "第一联")
    ops = render_escpos_ops(printer.output)
    assert "第一联 存窗口" in ops_text(ops)
    assert printer.profile.profile_data["media"]["width"]["pixels"] == 576
