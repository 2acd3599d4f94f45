"""Status bytes: what the simulator answers for a fault is what the kiosk decodes, and both
agree with python-escpos's own reading of the Epson bits."""

from __future__ import annotations

import pytest
from escpos.constants import RT_MASK_NOPAPER, RT_MASK_ONLINE

from hardware.printer.status import (
    PRINTER_STATUS,
    PrinterHealth,
    StatusReport,
    is_status_byte,
    status_bytes,
)

FAULTS = [h for h in PrinterHealth if h is not PrinterHealth.UNPLUGGED]


@pytest.mark.parametrize("health", FAULTS)
@pytest.mark.parametrize("near_end", [False, True])
def test_encoded_fault_decodes_to_the_same_health(health: PrinterHealth, near_end: bool) -> None:
    answers = status_bytes(health, paper_near_end=near_end)
    assert all(is_status_byte(b) for b in answers.values())
    report = StatusReport(answers[1], answers[2], answers[3], answers[4])
    assert report.health() is health
    assert report.paper_near_end is (near_end or health is PrinterHealth.PAPER_OUT)


def test_bits_agree_with_python_escpos_masks() -> None:
    paper_out = status_bytes(PrinterHealth.PAPER_OUT)[4]
    assert paper_out & RT_MASK_NOPAPER == RT_MASK_NOPAPER
    assert status_bytes(PrinterHealth.OK)[PRINTER_STATUS] & RT_MASK_ONLINE == 0
    assert status_bytes(PrinterHealth.OFFLINE)[PRINTER_STATUS] & RT_MASK_ONLINE


def test_silent_printer_is_offline_and_cover_comes_before_paper() -> None:
    assert StatusReport(None).health() is PrinterHealth.OFFLINE
    both = StatusReport(0x1A, 0x12 | 0x04 | 0x20, None, 0x72)
    assert both.health() is PrinterHealth.COVER_OPEN
