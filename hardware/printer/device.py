"""Opening the configured receipt printer and printing on it without ever raising into the terminal.

The kiosk prints queue tickets; a window's caller prints case notices (通知书) on its own receipt
printer through the same code: ``print_ticket``, ``print_notice`` and ``print_job`` differ only in
how the job's bytes are laid out. Every job opens its own connection, asks the printer how it is
(``DLE EOT 1, 2, 4`` and ``3`` when it reports an error), sends the whole job in one write, and
asks again: a fault that arrives during the job (paper runs out, cable pulled) makes ``printed``
False. Because nothing is kept open between jobs, printing resumes by itself once the printer is
back.

Health: a refused or broken connection is ``unplugged``; a printer that is connected but does not
answer its status queries is ``offline`` (set ``reads_status=False`` for printers that never
answer, e.g. a write-only device file).
"""

from __future__ import annotations

import argparse
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from escpos.printer import Dummy, File, Network, Serial, Usb
from pydantic import BaseModel, ConfigDict, field_validator

from hardware.printer.messages import message
from hardware.printer.profile import DEFAULT_PROFILE, PrinterProfile, escpos_capabilities, profile_named
from hardware.printer.status import (
    ERROR_BIT,
    ERROR_CAUSE,
    OFFLINE_CAUSE,
    PAPER_SENSOR,
    PRINTER_STATUS,
    PrinterHealth,
    StatusReport,
    is_status_byte,
    status_query,
)
from hardware.printer.ticket import TicketSlip, ticket_bytes

if TYPE_CHECKING:
    from hall_server.cases.notice import Notice

log = logging.getLogger(__name__)

PrinterKind = Literal["usb", "serial", "network", "file", "preview", "none"]
PRINTER_KINDS: tuple[str, ...] = get_args(PrinterKind)


class PrinterConfig(BaseModel):
    """Where the ticket printer is and what it understands.

    ``target`` by kind: usb ``"04b8:0e15"`` (vendor:product, hex), serial ``"/dev/ttyUSB0"``,
    network ``"192.168.1.50"`` or ``"host:port"`` (port 9100 by default), file a device path such
    as ``"/dev/usb/lp0"``, preview a folder for PNG tickets, none nothing. ``profile`` is a
    ``PrinterProfile`` or the name of one in ``profile.PROFILES``.
    """

    model_config = ConfigDict(frozen=True)

    kind: PrinterKind = "none"
    target: str = ""
    profile: PrinterProfile = DEFAULT_PROFILE
    baudrate: int = 9600
    timeout_seconds: float = 3.0
    reads_status: bool | None = None  # None: usb, serial and network printers are asked

    @field_validator("profile", mode="before")
    @classmethod
    def _profile_by_name(cls, value: Any) -> Any:
        return profile_named(value) if isinstance(value, str) else value

    @property
    def asks_status(self) -> bool:
        if self.reads_status is not None:
            return self.reads_status
        return self.kind in ("usb", "serial", "network")


@dataclass(frozen=True)
class PrintResult:
    """What happened to one ticket. ``detail`` is the technical cause, for logs and staff only."""

    printed: bool
    health: PrinterHealth
    message_zh: str
    message_en: str
    detail: str = ""

    @classmethod
    def of(cls, printed: bool, health: PrinterHealth, detail: str = "") -> PrintResult:
        key = f"health.{health.value}"
        return cls(printed, health, message(key, "zh"), message(key, "en"), detail)


class _Unplugged(ConnectionError):
    """The connection closed under us: the network printer was switched off or unplugged."""


def _no_answer_error(exc: BaseException) -> bool:
    """A read that timed out (the printer is silent) rather than failed (the printer is gone)."""
    if isinstance(exc, TimeoutError):
        return True
    return type(exc).__name__ == "USBTimeoutError"


class TicketPrinter:
    """One ticket printer, safe to share between threads; see the module docstring.

    ``connect`` returns an opened python-escpos printer (None: no printer is configured);
    ``keep`` receives each printed job with a name for it (the preview kind saves it as PNG);
    ``on_health`` is called whenever the health changes, so the kiosk can tell the server.
    """

    def __init__(
        self,
        profile: PrinterProfile,
        connect: Callable[[], Any] | None,
        *,
        reads_status: bool = True,
        eof_is_unplugged: bool = False,
        keep: Callable[[str, bytes], None] | None = None,
        on_health: Callable[[PrinterHealth], None] | None = None,
    ) -> None:
        self.profile = profile
        self._connect = connect
        self._reads_status = reads_status
        self._eof_is_unplugged = eof_is_unplugged
        self._keep = keep
        self._on_health = on_health
        self._lock = threading.Lock()
        self.last_health: PrinterHealth | None = None

    # -- status ----------------------------------------------------------------------------
    def _ask(self, printer: Any, n: int) -> int | None:
        """The answer to ``DLE EOT n``, or None when the printer stays silent."""
        printer._raw(status_query(n))
        try:
            reply = bytes(printer._read())
        except Exception as exc:
            if _no_answer_error(exc):
                return None
            raise
        if not reply:
            if self._eof_is_unplugged:
                raise _Unplugged("the printer closed the connection")
            return None
        answers = [b for b in reply if is_status_byte(b)]
        return answers[-1] if answers else None

    def _check(self, printer: Any) -> PrinterHealth:
        if not self._reads_status:
            return PrinterHealth.OK
        first = self._ask(printer, PRINTER_STATUS)
        if first is None:
            return StatusReport(None).health()
        cause = self._ask(printer, OFFLINE_CAUSE)
        error = self._ask(printer, ERROR_CAUSE) if cause is not None and cause & ERROR_BIT else None
        return StatusReport(first, cause, error, self._ask(printer, PAPER_SENSOR)).health()

    def _record(self, result: PrintResult) -> PrintResult:
        if result.health is not self.last_health:
            if result.health is not PrinterHealth.OK:
                log.warning("ticket printer %s: %s", result.health.value, result.detail)
            self.last_health = result.health
            if self._on_health is not None:
                try:
                    self._on_health(result.health)
                except Exception:  # a listener's failure must not stop the ticket
                    log.exception("printer health listener failed")
        return result

    def _session(self, job: bytes | None) -> PrintResult:
        """Open, check, (send the job, check again), close; every failure becomes a result."""
        if self._connect is None:
            return PrintResult.of(False, PrinterHealth.UNPLUGGED, "no ticket printer is configured")
        printer = None
        try:
            printer = self._connect()
            before = self._check(printer)
            if job is None or before is not PrinterHealth.OK:
                return PrintResult.of(False, before, "status before the job")
            printer._raw(job)
            after = self._check(printer)
            if after is not PrinterHealth.OK:
                return PrintResult.of(False, after, "the fault arrived during the job")
            return PrintResult.of(True, PrinterHealth.OK)
        except OSError as exc:  # socket, serial (SerialException) and USB errors, closed peer
            return PrintResult.of(False, PrinterHealth.UNPLUGGED, f"{type(exc).__name__}: {exc}")
        except Exception as exc:
            unplugged = type(exc).__name__ in ("DeviceNotFoundError", "USBNotFoundError")
            health = PrinterHealth.UNPLUGGED if unplugged else PrinterHealth.ERROR
            return PrintResult.of(False, health, f"{type(exc).__name__}: {exc}")
        finally:
            if printer is not None:
                try:
                    printer.close()
                except Exception:  # the device is gone; forget it so python-escpos's __del__
                    printer._device = False  # does not try again and print to stderr
                    log.debug("closing the printer failed", exc_info=True)

    # -- public ----------------------------------------------------------------------------
    def health(self) -> PrinterHealth:
        """Ask the printer now (opens and closes a connection)."""
        with self._lock:
            return self._record(self._session(None)).health

    def print_ticket(self, slip: TicketSlip) -> PrintResult:
        """Print ``slip``; never raises. ``printed`` is True only if the printer took the whole
        job and still reports no fault afterwards."""
        return self._print(f"ticket-{slip.number}", lambda: ticket_bytes(slip, self.profile))

    def print_notice(self, notice: Notice, copy: str | None = None) -> PrintResult:
        """Print a case notice, every copy (联) or one (see ``Notice.copy``), each ended by a cut;
        never raises, like ``print_ticket``."""
        from hardware.printer.notice import notice_job  # the kiosk never prints notices: not loaded there

        return self._print(f"notice-{notice.case_number}", lambda: notice_job(notice, self.profile, copy))

    def print_job(self, job: bytes, name: str = "job") -> PrintResult:
        """Send a job already laid out for this printer's profile (e.g. ``notice_job``'s bytes)."""
        return self._print(name, lambda: job)

    def _print(self, name: str, layout: Callable[[], bytes]) -> PrintResult:
        """Lay out, send and keep one job (``name`` names the kept copy); every failure is a result."""
        with self._lock:
            try:
                job = layout()
            except Exception as exc:  # e.g. an image-only printer on a machine without a CJK font
                log.exception("layout of %s failed", name)
                return self._record(PrintResult.of(False, PrinterHealth.ERROR, f"layout: {exc}"))
            result = self._record(self._session(job))
            if result.printed and self._keep is not None:
                try:
                    self._keep(name, job)
                except Exception:
                    log.exception("keeping a copy of %s failed", name)
            return result


class _StatusSerial(Serial):
    """python-escpos ``Serial`` whose status read returns as soon as the one-byte answer arrives
    (the library reads 16 bytes, so every query would otherwise wait out the whole timeout)."""

    def _read(self) -> bytes:
        return self.device.read(1)


def _open_network(config: PrinterConfig, caps: Any) -> Any:
    host, sep, port = config.target.rpartition(":")
    device = Network(host if sep else config.target, int(port) if sep else 9100,
                     timeout=config.timeout_seconds, profile=caps)
    device.open()
    return device


def _open_serial(config: PrinterConfig, caps: Any) -> Any:
    device = _StatusSerial(config.target, baudrate=config.baudrate, timeout=config.timeout_seconds, profile=caps)
    device.open()
    return device


def _open_usb(config: PrinterConfig, caps: Any) -> Any:
    vendor, _, product = config.target.partition(":")
    device = Usb(int(vendor, 16), int(product, 16), timeout=int(config.timeout_seconds * 1000), profile=caps)
    device.open()
    return device


def _open_file(config: PrinterConfig, caps: Any) -> Any:
    device = File(config.target, profile=caps)
    device.open()
    return device


def _open_dummy(config: PrinterConfig, caps: Any) -> Any:
    return Dummy(profile=caps)


OPENERS: dict[str, Callable[[PrinterConfig, Any], Any]] = {
    "network": _open_network,
    "serial": _open_serial,
    "usb": _open_usb,
    "file": _open_file,
    "preview": _open_dummy,
}


def _preview_keeper(folder: Path, profile: PrinterProfile) -> Callable[[str, bytes], None]:
    """Each job printed as the paper would look (``<name>-<time>.png``) and as the bytes the printer
    would get (``.bin``, for reading it back through the preview renderer)."""

    def keep(name: str, job: bytes) -> None:
        from hardware.printer.preview import profile_decoding, render_escpos

        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{name}-{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}"
        (folder / f"{stem}.bin").write_bytes(job)
        image = render_escpos(job, profile.width_dots, **profile_decoding(profile))
        image.save(folder / f"{stem}.png")

    return keep


def open_printer(
    config: PrinterConfig, on_health: Callable[[PrinterHealth], None] | None = None
) -> TicketPrinter:
    """The ticket printer described by ``config``. Nothing is opened until the first job, so a
    kiosk starts even when its printer is switched off."""
    opener = OPENERS.get(config.kind)
    caps = escpos_capabilities(config.profile)
    return TicketPrinter(
        config.profile,
        (lambda: opener(config, caps)) if opener else None,
        reads_status=config.asks_status,
        eof_is_unplugged=config.kind == "network",
        keep=_preview_keeper(Path(config.target or "."), config.profile) if config.kind == "preview" else None,
        on_health=on_health,
    )


def add_printer_options(parser: argparse.ArgumentParser, what: str = "receipt printer") -> None:
    """``--printer KIND``, ``--printer-target``, ``--printer-profile``: a terminal's printer on its command line."""
    parser.add_argument("--printer", dest="printer_kind", choices=PRINTER_KINDS, help=f"kind of {what}")
    parser.add_argument("--printer-target", help="printer address: vendor:product, /dev/ttyUSB0, host[:port], "
                        "device file, or the preview folder")
    parser.add_argument("--printer-profile", help="printer profile name (hardware.printer.profile.PROFILES)")


def printer_from_options(args: argparse.Namespace, base: PrinterConfig | None = None) -> PrinterConfig:
    """``base`` (a config file's printer, or none) with the options given on top; ValueError names
    what is wrong (an unknown profile)."""
    config = base or PrinterConfig()
    given = {k: v for k, v in (("kind", args.printer_kind), ("target", args.printer_target),
                               ("profile", args.printer_profile)) if v is not None}
    return PrinterConfig(**(dict(config) | given)) if given else config
