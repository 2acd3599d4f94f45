"""Printing through real ESC/POS bytes to the simulated printer: faults come back as health states
with polite messages, never as exceptions, and printing resumes once the fault is cleared."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest
import zxingcpp
from PIL import Image
from pydantic import ValidationError

from hardware.printer import fonts
from hardware.printer.device import PrinterConfig, PrintResult, add_printer_options, open_printer, printer_from_options
from hardware.printer.messages import MESSAGES
from hardware.printer.notice import notice_job
from hardware.printer.preview import ops_text, render_escpos, render_escpos_ops
from hardware.printer.simulator import SimulatedPrinter, SimulatedSerialPrinter
from hardware.printer.status import PrinterHealth
from hardware.printer.ticket import TicketSlip

from .conftest import STATUS_URL
from .test_printer_notice import notice_of

FAULTS = [PrinterHealth.PAPER_OUT, PrinterHealth.COVER_OPEN, PrinterHealth.OFFLINE, PrinterHealth.ERROR]


@pytest.fixture
def simulator() -> Iterator[SimulatedPrinter]:
    with SimulatedPrinter() as printer:
        yield printer


def network_config(simulator: SimulatedPrinter, **extra) -> PrinterConfig:
    return PrinterConfig(kind="network", target=f"127.0.0.1:{simulator.port}", timeout_seconds=2, **extra)


def assert_polite_failure(result: PrintResult, health: PrinterHealth) -> None:
    assert (result.printed, result.health) == (False, health)
    assert result.message_zh == MESSAGES[f"health.{health.value}"]["zh"]
    assert result.message_en == MESSAGES[f"health.{health.value}"]["en"]


def test_ticket_reaches_the_printer_and_reads_back(simulator: SimulatedPrinter, slip: TicketSlip) -> None:
    result = open_printer(network_config(simulator)).print_ticket(slip)
    assert result == PrintResult.of(True, PrinterHealth.OK)
    (job,) = simulator.jobs
    assert {"A012", "不动产登记"} <= set(ops_text(render_escpos_ops(job)))
    assert [c.text for c in zxingcpp.read_barcodes(render_escpos(job))] == [STATUS_URL]


@pytest.mark.parametrize("fault", FAULTS)
def test_fault_is_reported_and_printing_resumes_when_cleared(
    simulator: SimulatedPrinter, slip: TicketSlip, fault: PrinterHealth
) -> None:
    printer = open_printer(network_config(simulator))
    simulator.health = fault
    assert printer.health() is fault
    assert_polite_failure(printer.print_ticket(slip), fault)
    assert simulator.jobs == []  # nothing was sent to a printer that could not print it

    simulator.health = PrinterHealth.OK
    assert printer.print_ticket(slip).printed
    assert len(simulator.jobs) == 1


def test_unplugged_printer_then_plugged_back(simulator: SimulatedPrinter, slip: TicketSlip) -> None:
    printer = open_printer(network_config(simulator))
    simulator.unplug()
    assert_polite_failure(printer.print_ticket(slip), PrinterHealth.UNPLUGGED)
    assert printer.health() is PrinterHealth.UNPLUGGED
    simulator.plug_in()
    assert printer.print_ticket(slip).printed


def test_cable_pulled_mid_job(simulator: SimulatedPrinter, slip: TicketSlip) -> None:
    printer = open_printer(network_config(simulator))
    simulator.unplug_after(120)
    assert_polite_failure(printer.print_ticket(slip), PrinterHealth.UNPLUGGED)
    assert [len(job) for job in simulator.jobs] == [120]  # the printer got part of the ticket
    simulator.plug_in()
    assert printer.print_ticket(slip).printed
    assert "A012" in ops_text(render_escpos_ops(simulator.jobs[-1]))


def test_paper_running_out_during_the_ticket_is_not_printed(simulator: SimulatedPrinter, slip: TicketSlip) -> None:
    printer = open_printer(network_config(simulator))
    simulator.fault_after(200, PrinterHealth.PAPER_OUT)
    assert_polite_failure(printer.print_ticket(slip), PrinterHealth.PAPER_OUT)
    simulator.health = PrinterHealth.OK
    assert printer.print_ticket(slip).printed


def test_silent_printer_is_offline(slip: TicketSlip) -> None:
    with SimulatedPrinter(answers_status=False) as simulator:
        printer = open_printer(network_config(simulator).model_copy(update={"timeout_seconds": 0.2}))
        assert_polite_failure(printer.print_ticket(slip), PrinterHealth.OFFLINE)


def test_health_listener_hears_each_change_once(simulator: SimulatedPrinter, slip: TicketSlip) -> None:
    heard: list[PrinterHealth] = []
    printer = open_printer(network_config(simulator), on_health=heard.append)
    printer.print_ticket(slip)
    printer.print_ticket(slip)
    simulator.health = PrinterHealth.PAPER_OUT
    printer.print_ticket(slip)
    printer.health()
    simulator.health = PrinterHealth.OK
    printer.health()
    assert heard == [PrinterHealth.OK, PrinterHealth.PAPER_OUT, PrinterHealth.OK]
    assert printer.last_health is PrinterHealth.OK


def test_serial_printer_on_a_pty(slip: TicketSlip) -> None:
    simulator = SimulatedSerialPrinter().start()
    try:
        printer = open_printer(PrinterConfig(kind="serial", target=simulator.device_path, timeout_seconds=1))
        assert printer.print_ticket(slip).printed
        assert "A012" in ops_text(render_escpos_ops(simulator.received))
        simulator.health = PrinterHealth.COVER_OPEN
        assert_polite_failure(printer.print_ticket(slip), PrinterHealth.COVER_OPEN)
        simulator.unplug()
        assert_polite_failure(printer.print_ticket(slip), PrinterHealth.UNPLUGGED)
    finally:
        simulator.stop()


def test_file_printer_writes_the_job(tmp_path, slip: TicketSlip) -> None:
    path = tmp_path / "lp0"
    printer = open_printer(PrinterConfig(kind="file", target=str(path)))
    assert printer.print_ticket(slip).printed
    assert "不动产登记" in ops_text(render_escpos_ops(path.read_bytes()))
    missing = open_printer(PrinterConfig(kind="file", target=str(tmp_path / "no" / "such" / "lp0")))
    assert_polite_failure(missing.print_ticket(slip), PrinterHealth.UNPLUGGED)


@pytest.mark.usefixtures("cjk_font")
def test_preview_printer_saves_png_tickets(tmp_path, slip: TicketSlip) -> None:
    printer = open_printer(PrinterConfig(kind="preview", target=str(tmp_path), profile="image-58mm"))
    assert printer.print_ticket(slip).printed
    (png,) = tmp_path.glob("ticket-A012-*.png")
    with Image.open(png) as image:
        assert image.width == 384
        assert [c.text for c in zxingcpp.read_barcodes(image)] == [STATUS_URL]


def test_no_printer_configured(slip: TicketSlip) -> None:
    printer = open_printer(PrinterConfig())
    assert_polite_failure(printer.print_ticket(slip), PrinterHealth.UNPLUGGED)


def test_usb_printer_that_is_not_there(slip: TicketSlip) -> None:
    printer = open_printer(PrinterConfig(kind="usb", target="04b8:0e15"))
    result = printer.print_ticket(slip)
    assert not result.printed
    assert result.health in (PrinterHealth.UNPLUGGED, PrinterHealth.ERROR)  # ERROR where libusb is missing


def test_layout_failure_is_a_result_not_an_exception(monkeypatch, simulator: SimulatedPrinter, slip) -> None:
    monkeypatch.setattr(fonts, "CJK_FONT_CANDIDATES", ())
    monkeypatch.delenv("HALL_CJK_FONT", raising=False)
    fonts.cjk_font.cache_clear()
    try:
        result = open_printer(network_config(simulator, profile="image-80mm")).print_ticket(slip)
    finally:
        fonts.cjk_font.cache_clear()
    assert_polite_failure(result, PrinterHealth.ERROR)
    assert "fonts-wqy-microhei" in result.detail


def test_config_takes_a_profile_by_name() -> None:
    config = PrinterConfig.model_validate({"kind": "network", "target": "10.0.0.9", "profile": "gbk-58mm-rasterqr"})
    assert config.profile.width_dots == 384 and not config.profile.native_qr
    with pytest.raises(ValidationError):
        PrinterConfig(kind="network", profile="no-such-printer")


def test_a_notice_and_a_prepared_job_go_through_the_same_checks(simulator: SimulatedPrinter) -> None:
    """The caller's notices print like the kiosk's tickets: a fault is a result, the job is sent whole."""
    printer = open_printer(network_config(simulator))
    notice = notice_of("supplement", missing_materials=["公司章程"])
    simulator.health = PrinterHealth.PAPER_OUT
    assert_polite_failure(printer.print_notice(notice), PrinterHealth.PAPER_OUT)
    simulator.health = PrinterHealth.OK
    assert printer.print_notice(notice, "applicant").printed
    assert printer.print_job(notice_job(notice, printer.profile), "notice-KS-2026-000045").printed
    first, whole = simulator.jobs
    assert ops_text(render_escpos_ops(first)).count("补办件通知书") == 1  # the applicant's copy alone
    assert ops_text(render_escpos_ops(whole)).count("补办件通知书") == 3


@pytest.mark.usefixtures("cjk_font")
def test_preview_printer_keeps_each_job_as_png_and_bytes(tmp_path) -> None:
    printer = open_printer(PrinterConfig(kind="preview", target=str(tmp_path)))
    assert printer.print_notice(notice_of("returned", reason="主件未提供")).printed
    (png,) = tmp_path.glob("notice-KS-2026-000045-*.png")
    (job,) = tmp_path.glob("notice-KS-2026-000045-*.bin")
    assert "退回件通知书" in ops_text(render_escpos_ops(job.read_bytes()))
    with Image.open(png) as image:
        assert [c.text for c in zxingcpp.read_barcodes(image)] == [STATUS_URL] * 3


def test_printer_options_on_a_command_line() -> None:
    parser = argparse.ArgumentParser()
    add_printer_options(parser)
    config = printer_from_options(parser.parse_args(["--printer", "preview", "--printer-target", "/tmp/paper",
                                                     "--printer-profile", "gbk-58mm-rasterqr"]))
    assert (config.kind, config.target, config.profile.width_dots) == ("preview", "/tmp/paper", 384)
    assert printer_from_options(parser.parse_args([])) == PrinterConfig()
    base = PrinterConfig(kind="network", target="10.0.0.9")
    assert printer_from_options(parser.parse_args(["--printer-target", "10.0.0.10"]), base).target == "10.0.0.10"
    with pytest.raises(ValueError):
        printer_from_options(parser.parse_args(["--printer-profile", "no-such-printer"]))
    with pytest.raises(SystemExit):
        parser.parse_args(["--printer", "fax"])
