"""A simulated ticket printer that speaks the real bytes, for tests, demos and kiosks without paper.

It listens like a network printer (TCP, port 9100 by default; or on a pty like a serial printer),
records every ESC/POS job it receives (so the preview can draw it) and answers ``DLE EOT n``
from a fault state that a test or an operator scripts: ``health = PAPER_OUT``, ``unplug()``,
``unplug_after(n)`` (cable pulled n bytes into the next job), ``fault_after(n, health)``.

Status queries are answered only at command boundaries, found with the same command reader the
preview uses, so a ``10 04 01`` inside image data is never mistaken for a query.
"""

from __future__ import annotations

import argparse
import os
import select
import socket
import sys
import threading
import tty
from collections.abc import Callable, Sequence
from pathlib import Path

from hardware.printer.escpos_commands import read_command
from hardware.printer.messages import message
from hardware.printer.profile import DEFAULT_PROFILE, profile_named
from hardware.printer.status import PrinterHealth, status_bytes

PHYSICAL_FAULTS = (PrinterHealth.OK, PrinterHealth.OFFLINE, PrinterHealth.PAPER_OUT,
                   PrinterHealth.COVER_OPEN, PrinterHealth.ERROR)


class _Session:
    """One connection's stream: whole commands only; status answered, everything else recorded."""

    def __init__(self, printer: SimulatedPrinter) -> None:
        self.printer = printer
        self.pending = b""
        self.job = printer._new_job()

    def feed(self, chunk: bytes) -> tuple[bytes, bool]:
        """The answers to send back, and whether the line was cut (unplugged mid-job)."""
        data = self.pending + chunk
        replies = bytearray()
        pos = 0
        while pos < len(data):
            parsed = read_command(data, pos)
            if parsed is None:
                break
            command, end = parsed
            if command.name == "DLE EOT":
                answer = self.printer._answer(command.args[0])
                if answer is not None:
                    replies.append(answer)
            elif not command.name.startswith("DLE") and not self.printer._record(self.job, data[pos:end]):
                return bytes(replies), True
            pos = end
        self.pending = data[pos:]
        return bytes(replies), False


class SimulatedPrinter:
    """A network ESC/POS printer on ``host:port`` (port 0 picks a free one) with scriptable faults.

    ``on_job`` receives each connection's job bytes when the connection closes.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        health: PrinterHealth = PrinterHealth.OK,
        paper_near_end: bool = False,
        answers_status: bool = True,
        on_job: Callable[[bytes], None] | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.paper_near_end = paper_near_end
        self.answers_status = answers_status
        self.on_job = on_job
        self._fault = health if health in PHYSICAL_FAULTS else PrinterHealth.OK
        self._lock = threading.Lock()
        self._jobs: list[bytearray] = []
        self._unplug_after: int | None = None
        self._fault_after: tuple[int, PrinterHealth] | None = None
        self._plugged = False
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._acceptor: threading.Thread | None = None

    # -- scripting -------------------------------------------------------------------------
    @property
    def health(self) -> PrinterHealth:
        return self._fault if self._plugged else PrinterHealth.UNPLUGGED

    @health.setter
    def health(self, value: PrinterHealth) -> None:
        if value is PrinterHealth.UNPLUGGED:
            self.unplug()
            return
        self._fault = value
        if not self._plugged:
            self.plug_in()

    def unplug_after(self, job_bytes: int) -> None:
        """Pull the cable once the next job has delivered ``job_bytes`` bytes."""
        self._unplug_after = job_bytes

    def fault_after(self, job_bytes: int, health: PrinterHealth) -> None:
        """Turn to ``health`` (e.g. paper out) once a job has delivered ``job_bytes`` bytes."""
        self._fault_after = (job_bytes, health)

    @property
    def jobs(self) -> list[bytes]:
        """The ESC/POS bytes of each connection that sent any, status queries left out."""
        with self._lock:
            return [bytes(job) for job in self._jobs if job]

    @property
    def received(self) -> bytes:
        return b"".join(self.jobs)

    # -- the printer's behaviour -------------------------------------------------------------
    def _new_job(self) -> int:
        with self._lock:
            self._jobs.append(bytearray())
            return len(self._jobs) - 1

    def _answer(self, n: int) -> int | None:
        if not self.answers_status or not 1 <= n <= 4:
            return None
        return status_bytes(self._fault, self.paper_near_end)[n]

    def _record(self, index: int, raw: bytes) -> bool:
        """Keep ``raw``; False when the cable is pulled part-way through it."""
        with self._lock:
            job = self._jobs[index]
            if self._unplug_after is not None and len(job) + len(raw) >= self._unplug_after:
                job += raw[: max(0, self._unplug_after - len(job))]
                self._unplug_after = None
                return False
            job += raw
            if self._fault_after is not None and len(job) >= self._fault_after[0]:
                self._fault = self._fault_after[1]
                self._fault_after = None
            return True

    def _finish(self, index: int) -> None:
        if self.on_job is not None:
            job = bytes(self._jobs[index])
            if job:
                self.on_job(job)

    # -- transport -------------------------------------------------------------------------
    def plug_in(self) -> None:
        """Start listening (again, on the same port)."""
        if self._plugged:
            return
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(8)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._plugged = True
        self._acceptor = self._spawn(self._accept_loop, listener)

    def unplug(self) -> None:
        """Stop listening and drop every connection, as when the cable is pulled."""
        self._plugged = False
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)  # wakes accept(); close() alone leaves it listening
            except OSError:
                pass
            listener.close()
        if self._acceptor is not None and self._acceptor is not threading.current_thread():
            self._acceptor.join(timeout=2)
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def start(self) -> SimulatedPrinter:
        self.plug_in()
        return self

    def stop(self) -> None:
        self.unplug()
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads.clear()

    def __enter__(self) -> SimulatedPrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[..., None], *args: object) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, daemon=True, name="simulated-printer")
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return thread

    def _accept_loop(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self._connections.add(conn)
            self._spawn(self._serve, conn)

    def _serve(self, conn: socket.socket) -> None:
        session = _Session(self)
        try:
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                replies, cut = session.feed(chunk)
                if replies:
                    conn.sendall(replies)
                if cut:
                    self.unplug()
                    break
        except OSError:
            pass
        finally:
            with self._lock:
                self._connections.discard(conn)
            conn.close()
            self._finish(session.job)


class SimulatedSerialPrinter(SimulatedPrinter):
    """The same printer on a pseudo-terminal, like a printer on a serial port: open
    ``device_path`` with python-escpos ``Serial``. Plugging in again makes a new pty (new path)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._master: int | None = None
        self._slave: int | None = None
        self.device_path = ""

    def plug_in(self) -> None:
        if self._plugged:
            return
        master, slave = os.openpty()
        tty.setraw(slave)
        self._master, self._slave = master, slave
        self.device_path = os.ttyname(slave)
        self._plugged = True
        self._spawn(self._serve_pty, master)

    def unplug(self) -> None:
        self._plugged = False
        for fd in (self._master, self._slave):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._master = self._slave = None

    def _serve_pty(self, master: int) -> None:
        session = _Session(self)
        try:
            while self._master == master:
                ready, _, _ = select.select([master], [], [], 0.05)
                if not ready or self._master != master:
                    continue
                replies, cut = session.feed(os.read(master, 65536))
                if replies:
                    os.write(master, replies)
                if cut:
                    self.unplug()
        except (OSError, ValueError):
            pass
        finally:
            self._finish(session.job)


def serve(host: str = "127.0.0.1", port: int = 9100, **options: object) -> SimulatedPrinter:
    """Start a simulated network printer and return it (running in background threads)."""
    return SimulatedPrinter(host, port, **options).start()  # type: ignore[arg-type]


def _job_saver(folder: Path, profile_name: str | None, lang: str) -> Callable[[bytes], None]:
    profile = profile_named(profile_name) if profile_name else DEFAULT_PROFILE
    counter = iter(range(1, 1 << 30))

    def save(job: bytes) -> None:
        from hardware.printer.preview import profile_decoding, render_escpos

        number = next(counter)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"job-{number:04d}.png"
        render_escpos(job, profile.width_dots, **profile_decoding(profile)).save(path)
        print(message("sim.job", lang, n=number, size=len(job), path=path), flush=True)

    return save


def main(argv: Sequence[str] | None = None) -> int:
    """``hall devices simulate printer``: run until interrupted; type a state name to change it."""
    parser = argparse.ArgumentParser(prog="hall devices simulate printer",
                                     description=message("sim.description", "zh"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--fault", choices=[h.value for h in PHYSICAL_FAULTS], default="ok")
    parser.add_argument("--save", type=Path, help=message("sim.save_help", "zh"))
    parser.add_argument("--profile", help=message("sim.profile_help", "zh"))
    parser.add_argument("--silent", action="store_true", help=message("sim.silent_help", "zh"))
    parser.add_argument("--lang", choices=["zh", "en"], default="zh", help=message("sim.lang_help", "zh"))
    args = parser.parse_args(argv)
    lang = args.lang
    printer = SimulatedPrinter(args.host, args.port, health=PrinterHealth(args.fault),
                               answers_status=not args.silent,
                               on_job=_job_saver(args.save, args.profile, lang) if args.save else None)
    printer.start()
    print(message("sim.listening", lang, host=printer.host, port=printer.port), flush=True)
    try:
        for line in sys.stdin:
            word = line.strip().lower()
            if word in ("quit", "exit"):
                break
            if word == "plug":
                printer.plug_in()
            elif word in ("unplug", *(h.value for h in PrinterHealth)):
                printer.health = PrinterHealth.UNPLUGGED if word == "unplug" else PrinterHealth(word)
            elif word:
                print(message("sim.unknown_command", lang, word=word), flush=True)
                continue
            else:
                continue
            print(message("sim.state", lang, health=printer.health.value), flush=True)
        else:
            threading.Event().wait()  # stdin closed (e.g. run by a service): keep serving
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
