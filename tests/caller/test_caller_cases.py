"""Cases (办件) at the soft caller, against a real hall server: registered for the ticket being served
through the 登记办件 form (keys and mouse), the notice printed on the window's printer and read back
(its QR code to the case's status page), then moved on from the window's list.

The test hall's day is Wednesday 2026-11-25; GS-1 (企业设立登记) promises 3 working days and lists
three materials; GS-2 (个体工商户登记) is an immediate item with none; windows 1 and 2 are 市场监督管理局's,
window 3 税务局's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from caller.app import CallerApp, _parser, main
from caller.case_dialog import RegisterCaseDialog, typed_items
from caller.desk import DeskScreen
from hall_server.client import HallClient, Unreachable
from hardware.printer.device import PrinterConfig, open_printer, printer_from_options
from hardware.printer.fonts import cjk_font_path
from hardware.printer.preview import ops_text, render_escpos_ops
from hardware.printer.simulator import SimulatedPrinter
from hardware.printer.status import PrinterHealth
from tests.caller.support import make_caller, press_and_see, ready, says, shown, sign_in
from tests.display.support import until

SIZE = (120, 40)
PERSON_ID, PHONE = "11010519491231002X", "13812345678"


async def serving(pilot, hall, kiosk: HallClient, code: str) -> DeskScreen:
    """Signed in at window 1 with a ticket of ``code`` called and started: the applicant at the counter."""
    app = pilot.app
    await kiosk.issue_ticket(hall.hall.services[code])
    await sign_in(pilot, hall)
    screen = await ready(app)
    assert screen.query_one("#act-register_case").disabled  # no one to register a case for yet
    await press_and_see(pilot, "f1", "#message", "已呼叫 A001 号。")
    await press_and_see(pilot, "f3", "#message", "A001 号开始办理。")
    await until(lambda: not screen.query_one("#act-register_case").disabled)
    return screen


async def open_form(pilot) -> RegisterCaseDialog:
    await pilot.press("f11")
    await until(lambda: isinstance(pilot.app.screen, RegisterCaseDialog))
    return pilot.app.screen


async def type_applicant(pilot, name: str = "张三", id_number: str = PERSON_ID, phone: str = PHONE) -> None:
    """Name, ID number and phone, Enter moving on from one to the next, as staff type them."""
    await pilot.click("#applicant-name")
    await pilot.press(*name, "enter", *id_number, "enter", *phone, "enter")


def listed(app: CallerApp) -> list[str]:
    options = app.screen.query_one("#case-list")
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def paper_of(folder: Path, case_number: str) -> tuple[list[str], list[str]]:
    """The lines and the QR codes of the notice the preview printer kept."""
    (job,) = folder.glob(f"notice-{case_number}-*.bin")
    (png,) = folder.glob(f"notice-{case_number}-*.png")
    with Image.open(png) as image:
        codes = [code.text for code in zxingcpp.read_barcodes(image)]
    return ops_text(render_escpos_ops(job.read_bytes())), codes


@pytest.fixture
def cjk_font() -> None:
    if cjk_font_path() is None:
        pytest.skip("no CJK font: install fonts-wqy-microhei (scripts/system-packages.sh)")


@pytest.mark.usefixtures("cjk_font")
async def test_a_supplement_case_is_registered_its_notice_printed_then_completed_and_finished(
        hall, kiosk, staff_client, tmp_path):
    paper = tmp_path / "paper"
    app = make_caller(hall, printer=open_printer(PrinterConfig(kind="preview", target=str(paper))))
    async with app.run_test(size=SIZE) as pilot:
        await serving(pilot, hall, kiosk, "GS-1")
        form = await open_form(pilot)
        assert form.query_one(f"#service-{hall.hall.services['GS-1']}").value  # the ticket's item, chosen
        assert form.query_one("#type-promised").value  # GS-1 is a promised item
        assert "type-urgent" not in [b.id for b in form.query("RadioButton")]  # 急办件 is the center's
        await type_applicant(pilot)
        await pilot.click("#type-supplement")
        form.query_one("#materials").focus()
        await pilot.press("space")  # the application form was brought; the articles and the copy of ID were not
        await says(app, "#missing", "需补齐的材料(一次性告知):公司章程、股东身份证明复印件")
        await pilot.press("f11")
        await says(app, "#case-summary", "已登记办件 2026000001 · 补办件")
        assert "办理时限:材料补齐之日起计算" in shown(app, "#case-summary")
        await says(app, "#notice-status", "补办件通知书已打印,共 3 联。")
        await pilot.press("enter")  # 完成 has the cursor
        await until(lambda: isinstance(app.screen, DeskScreen))
        await says(app, "#message", "已登记办件 2026000001(补办件)。")
        await until(lambda: len(listed(app)) == 1)
        assert listed(app) == ["2026000001  补办件  张三  材料补齐之日起计算"]
        assert "需补齐:公司章程、股东身份证明复印件" in shown(app, "#case-detail")

        staff = await staff_client(1, sign_in=False)
        (case,) = await staff.list_cases(hall.hall.hall_id)
        assert case["ticket_id"] is not None and case["window_number"] == 1
        assert case["applicant"]["id_number_masked"] == "1101**********002X"
        assert case["materials_received"] == ["设立登记申请书"]
        assert [s["kind"] for s in case["steps"]] == ["received", "notice_printed"]
        lines, codes = paper_of(paper, "2026000001")
        assert lines.count("补办件通知书") == 3 and "第三联 申请人" in lines
        assert {"1. 公司章程", "2. 股东身份证明复印件"} <= set(lines)
        assert codes == [case["status_url"]] * 3  # every copy leads to the case's status page

        # The articles arrive: 补齐材料, today unless another day is typed; a date it cannot read is explained.
        await pilot.press("shift+f1")
        await until(lambda: app.screen.query("#answer"))
        answer = app.screen.query_one("#answer")
        assert answer.value == "2026-11-25"
        await pilot.press(*["backspace"] * 10, *"2026/11/25", "enter")
        await says(app, "#dialog-hint", "请按 年-月-日 填写日期,例如 2026-11-25。")
        await pilot.press(*["backspace"] * 10, *"2026-11-25", "enter")
        await says(app, "#message", "办件 2026000001 材料已补齐,办结期限 2026-11-30。")
        await until(lambda: listed(app) == ["2026000001  补办件  张三  期限 2026-11-30"])
        await press_and_see(pilot, "f14", "#message", "办件 2026000001 已办结。")  # ⇧F2 as terminals send it
        await until(lambda: listed(app) == [])
        await says(app, "#case-detail", "本窗口暂无未办结的办件")
    done = await staff.get_case(case["id"])
    assert done["status"] == "finished"
    assert [s["kind"] for s in done["steps"]] == ["received", "notice_printed", "materials_completed", "finished"]


@pytest.mark.usefixtures("cjk_font")
async def test_a_supplement_case_for_an_item_listing_no_materials_lists_the_missing_ones_typed(
        hall, kiosk, tmp_path):
    """GS-2 lists no materials: what the applicant has still to bring is typed, one a line or separated
    by 、, and goes on the case and on its notice as it would from the list."""
    paper = tmp_path / "paper"
    app = make_caller(hall, printer=open_printer(PrinterConfig(kind="preview", target=str(paper))))
    async with app.run_test(size=SIZE) as pilot:
        await serving(pilot, hall, kiosk, "GS-2")
        form = await open_form(pilot)
        await type_applicant(pilot, "李四")
        assert not form.query_one("#supplement-part").display  # only a 补办件 lists missing materials
        await pilot.click("#type-supplement")
        await says(app, "#missing", "补办件:本事项未列材料清单,请在下方填写需补齐的材料。")
        await pilot.press("f11")  # nothing missing yet: the server asks for every missing item at once
        await says(app, "#case-error", "补办件请一次性列明所有需补齐的材料。")
        assert form.focused is form.query_one("#other-missing")
        await pilot.press(*"经营场所使用证明", "enter", *"经营者身份证复印件")
        await says(app, "#missing", "需补齐的材料(一次性告知):经营场所使用证明、经营者身份证复印件")
        await pilot.press("f11")
        await says(app, "#case-summary", "已登记办件 2026000001 · 补办件")
        await says(app, "#notice-status", "补办件通知书已打印,共 3 联。")
        case = await app.client.get_case(form.case["id"])
        assert case["status"] == "awaiting_materials"
        assert case["missing_materials"] == ["经营场所使用证明", "经营者身份证复印件"]
        assert case["materials_received"] == []
        lines, _ = paper_of(paper, "2026000001")
        assert lines.count("补办件通知书") == 3
        assert {"1. 经营场所使用证明", "2. 经营者身份证复印件"} <= set(lines)


def test_the_other_missing_materials_are_one_a_line_or_separated_by_the_ideographic_comma():
    assert typed_items("经营场所使用证明\n 经营者身份证复印件、经营场所使用证明 \n\n、") == [
        "经营场所使用证明", "经营者身份证复印件"]  # each once, blanks left out


async def test_a_registration_whose_answer_was_lost_is_sent_again_with_its_key_and_gives_one_case(
        hall, kiosk, staff_client):
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await serving(pilot, hall, kiosk, "GS-2")
        register, keys = app.client.register_case, []

        async def answer_lost_once(*args, **kwargs) -> dict:
            keys.append(kwargs["idempotency_key"])
            case = await register(*args, **kwargs)
            if len(keys) == 1:
                raise Unreachable("the connection broke after the server registered it")
            return case

        app.client.register_case = answer_lost_once
        form = await open_form(pilot)
        assert form.query_one("#type-immediate").value  # GS-2 is an immediate item
        await type_applicant(pilot, "李四", "", "")
        await pilot.press("f11")
        await says(app, "#case-error", "暂时无法连接服务器,办件可能尚未登记。请稍后再按 F11 登记:同一次登记不会重复。")
        assert form.query_one("#applicant-name").value == "李四"
        await pilot.click("#case-register")
        await says(app, "#case-summary", "已登记办件 2026000001 · 即办件")
        assert "办结期限:2026-11-25" in shown(app, "#case-summary")
        await says(app, "#notice-status", "即办件当场办结,不出具通知书。")
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, DeskScreen) and len(listed(app)) == 1)
        assert listed(app) == ["2026000001  即办件  李四  期限 2026-11-25  即将到期"]  # due today
    assert len(keys) == 2 and keys[0] == keys[1]
    staff = await staff_client(1, sign_in=False)
    assert [c["case_number"] for c in await staff.list_cases(hall.hall.hall_id)] == ["2026000001"]


async def test_a_wrong_id_number_is_explained_in_the_form_which_keeps_what_was_typed(hall, kiosk, staff_client):
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await serving(pilot, hall, kiosk, "GS-2")
        form = await open_form(pilot)
        await type_applicant(pilot, "王五", "110105194912310021")  # the check digit is X
        await pilot.press("f11")
        await says(app, "#case-error", "身份证号码有误(应为18位,最后一位可为X),请核对证件后重新输入。")
        values = [form.query_one(f"#{f}").value for f in ("applicant-name", "id-number", "phone")]
        assert values == ["王五", "110105194912310021", PHONE]
        assert form.focused is form.query_one("#id-number")  # the cursor is back where the slip is
        staff = await staff_client(1, sign_in=False)
        assert await staff.list_cases(hall.hall.hall_id) == []
        await pilot.press("end", "backspace", "X", "f11")
        await says(app, "#case-summary", "已登记办件 2026000001 · 即办件")
    (case,) = await staff.list_cases(hall.hall.hall_id)
    assert case["applicant"]["name"] == "王五" and case["applicant"]["id_number_masked"] == "1101**********002X"


async def test_a_notice_the_printer_could_not_print_is_printed_again(hall, kiosk):
    with SimulatedPrinter() as printer:
        printer.health = PrinterHealth.PAPER_OUT
        config = PrinterConfig(kind="network", target=f"127.0.0.1:{printer.port}", timeout_seconds=2)
        app = make_caller(hall, printer=open_printer(config))
        async with app.run_test(size=SIZE) as pilot:
            await serving(pilot, hall, kiosk, "GS-1")
            form = await open_form(pilot)
            await type_applicant(pilot)
            form.query_one("#materials").focus()
            await pilot.press("space", "down", "space", "down", "space")  # all three brought: a promised case
            await says(app, "#missing", "")
            await pilot.press("f11")
            await says(app, "#notice-status", "通知书未打印:打印机缺纸。办件已登记;处理好打印机后请按“重打通知书”。")
            assert "办结期限:2026-11-30" in shown(app, "#case-summary")
            assert printer.jobs == []
            assert form.focused is form.query_one("#case-reprint")
            printer.health = PrinterHealth.OK  # paper put in
            await pilot.press("enter")
            await says(app, "#notice-status", "承诺件通知书已打印,共 4 联。")
            assert len(printer.jobs) == 1
            await pilot.press("enter")
            await until(lambda: isinstance(app.screen, DeskScreen) and len(listed(app)) == 1)
            await press_and_see(pilot, "shift+f5", "#message", "承诺件通知书已打印,共 4 联。")  # a spoilt copy
            assert len(printer.jobs) == 2
            assert ops_text(render_escpos_ops(printer.jobs[1])).count("承诺件通知书") == 4
            staff = HallClient(hall.url, app.client.token)
            try:
                (case,) = await staff.list_cases(hall.hall.hall_id)
            finally:
                await staff.aclose()
    assert [s["kind"] for s in case["steps"]] == ["received", "notice_printed", "notice_printed"]


async def test_a_joint_case_is_signed_off_by_the_co_department_at_its_own_window(hall, kiosk, staff_client):
    """Window 1 registers a joint case with 税务局 through the form; window 3 (税务局) sees it on its list
    as a co-department's and signs its part off; window 1 then finishes it."""
    app = make_caller(hall)
    async with app.run_test(size=SIZE) as pilot:
        await serving(pilot, hall, kiosk, "GS-1")
        form = await open_form(pilot)
        await type_applicant(pilot, "昆山示范科技有限公司", "", "")
        await pilot.click("#kind-company")
        assert form.query_one("#id-number").placeholder == "统一社会信用代码"
        form.query_one("#materials").focus()
        await pilot.press("space", "down", "space", "down", "space")
        await pilot.click("#type-joint")
        await pilot.press("f11")
        await says(app, "#case-error", "联办件请勾选至少一个协办部门。")
        assert form.focused is form.query_one("#co-departments")
        assert [str(o.prompt) for o in form.query_one("#co-departments").options] == ["税务局", "综合窗口"]
        await pilot.press("space")  # 税务局
        await pilot.click("#subject-individual")
        await pilot.press("f11")
        await says(app, "#case-summary", "已登记办件 2026000001 · 联办件")
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, DeskScreen) and len(listed(app)) == 1)
        assert "联办部门:市场监督管理局(牵头)、税务局(协办)" in shown(app, "#case-detail")

        tax = make_caller(hall, window=3)
        async with tax.run_test(size=SIZE) as tax_pilot:
            await sign_in(tax_pilot, hall, window=3)
            await ready(tax)
            await until(lambda: len(listed(tax)) == 1)
            assert listed(tax)[0].endswith("协办")  # its department helps; 市场监督管理局 leads
            await press_and_see(tax_pilot, "shift+f4", "#message", "办件 2026000001 本部门已会签。")
            await says(tax, "#case-detail", "税务局(已会签)")
        await says(app, "#case-detail", "税务局(已会签)")  # window 1 heard the case change
        await press_and_see(pilot, "shift+f2", "#message", "办件 2026000001 已办结。")
        await until(lambda: listed(app) == [])


def test_the_window_printer_is_given_as_the_kiosk_gives_its_own(capsys):
    window = ["--server", "http://127.0.0.1:8000", "--window", "1"]
    config = printer_from_options(_parser().parse_args(
        [*window, "--printer", "network", "--printer-target", "10.0.0.9:9100", "--printer-profile", "gb18030-58mm"]))
    assert (config.kind, config.target, config.profile.width_dots) == ("network", "10.0.0.9:9100", 384)
    assert printer_from_options(_parser().parse_args(window)).kind == "none"  # no printer: notices are not printed
    assert main([*window, "--printer", "preview", "--printer-profile", "no-such-printer"]) == 2
    assert "no-such-printer" in capsys.readouterr().err
