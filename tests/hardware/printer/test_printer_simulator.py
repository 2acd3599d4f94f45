"""The simulated printer answers like an Epson-compatible printer, to python-escpos itself as well
as to our device code, and only at command boundaries."""

from __future__ import annotations

import io
import socket

import pytest
from escpos.printer import Network

from hardware.printer import simulator as simulator_module
from hardware.printer.simulator import SimulatedPrinter
from hardware.printer.status import PrinterHealth


@pytest.mark.parametrize(
    ("health", "online", "paper"),
    [(PrinterHealth.OK, True, 2), (PrinterHealth.PAPER_OUT, False, 0), (PrinterHealth.COVER_OPEN, False, 2)],
)
def test_python_escpos_reads_the_simulated_status(health: PrinterHealth, online: bool, paper: int) -> None:
    with SimulatedPrinter(health=health) as simulator:
        printer = Network("127.0.0.1", simulator.port, timeout=2)
        try:
            assert printer.is_online() is online
            assert printer.paper_status() == paper
        finally:
            printer.close()


def test_paper_near_end_is_reported_but_still_prints() -> None:
    with SimulatedPrinter(paper_near_end=True) as simulator:
        printer = Network("127.0.0.1", simulator.port, timeout=2)
        try:
            assert printer.is_online() and printer.paper_status() == 1
        finally:
            printer.close()


def test_status_query_hidden_in_image_data_is_not_answered() -> None:
    image = b"\x1dv0\x00\x03\x00\x02\x00" + b"\x10\x04\x01" * 2
    with SimulatedPrinter() as simulator, socket.create_connection(("127.0.0.1", simulator.port), 2) as conn:
        conn.sendall(image + b"\x10\x04\x02")
        conn.shutdown(socket.SHUT_WR)
        answers = b""
        while chunk := conn.recv(16):
            answers += chunk
        assert answers == b"\x12"  # one answer, to the real DLE EOT 2
        conn.close()
    assert simulator.jobs == [image]


def test_console_changes_the_state_and_stops_on_quit(monkeypatch, capsys) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("paper_out\nunplug\nplug\nnonsense\nquit\n"))
    assert simulator_module.main(["--port", "0", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Printer state: paper_out" in out
    assert "Printer state: unplugged" in out
    assert 'Unrecognised command "nonsense"' in out


def test_console_saves_each_job_as_png(tmp_path) -> None:
    save = simulator_module._job_saver(tmp_path, "gb18030-58mm", "zh")
    save(b"\x1b@" + "窗口".encode("gb18030") + b"\n")
    assert (tmp_path / "job-0001.png").is_file()
