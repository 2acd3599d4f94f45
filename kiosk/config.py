"""The kiosk's settings: one TOML file per kiosk, any of it overridden on the command line.

A hall's technician writes ``kiosk.toml`` once (server, device token, printer, scanner) and the
kiosk PC's autostart runs ``hall kiosk --config kiosk.toml``; a quick test on a laptop passes
the same settings as options instead.

    server = "http://10.0.0.2:8000"  # or several serving the hall, tried in turn: ["http://a:8000", "http://b:8000"]
    kiosk_token = "…"            # from `hall demo-data` or the admin's device tokens
    hall_id = 1                  # optional: by default the token's own hall
    language = "zh"              # what the kiosk shows after each applicant: zh | en
    idle_seconds = 60            # untouched this long: back to the home screen
    large_text = false

    [printer]                    # hardware.printer.device.PrinterConfig
    kind = "network"             # usb | serial | network | file | preview | none
    target = "192.168.1.50"
    profile = "gb18030-80mm"

    [scanner]                    # a QR scanner in serial mode (keyboard-mode scanners need nothing)
    url = "/dev/ttyACM0"         # or socket://host:port, loop://
    baudrate = 9600

    [web]                        # hall kiosk --web: the touch page, served to the PC's kiosk-mode browser
    host = "127.0.0.1"
    port = 8080

    [voice]                      # 语音引导: espeak-ng on the PC's speakers (played where a sound card exists)
    dir = "/var/tmp/hall-kiosk-voice"  # where the spoken WAV files go (default: a temporary folder)
"""

from __future__ import annotations

import argparse
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from hall_server.client import add_server_option, addresses
from hardware.printer.device import PrinterConfig, add_printer_options, printer_from_options
from kiosk.messages import LANGUAGES


class ConfigError(ValueError):
    """The configuration cannot run a kiosk; the message says which setting to fix."""


@dataclass(frozen=True)
class KioskConfig:
    server: str | tuple[str, ...] = "http://127.0.0.1:8000"  # several: the client fails over between them
    kiosk_token: str = ""
    hall_id: int | None = None
    language: str = "zh"
    idle_seconds: float = 60.0
    large_text: bool = False
    request_timeout: float = 5.0
    printer: PrinterConfig = field(default_factory=PrinterConfig)
    scanner_url: str | None = None
    scanner_baudrate: int = 9600
    web_host: str = "127.0.0.1"
    web_port: int = 8080
    voice_dir: Path | None = None

    def checked(self) -> KioskConfig:
        if not self.kiosk_token:
            raise ConfigError("kiosk_token is missing: set it in the config file or pass --kiosk-token")
        if self.language not in LANGUAGES:
            raise ConfigError(f"language must be one of {', '.join(LANGUAGES)}, not {self.language!r}")
        if self.idle_seconds <= 0:
            raise ConfigError("idle_seconds must be more than 0")
        return self


def _from_toml(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in ("kiosk_token", "hall_id", "language", "idle_seconds", "large_text", "request_timeout"):
        if key in data:
            out[key] = data[key]
    if "server" in data:
        out["server"] = _servers(data["server"])
    if "printer" in data:
        try:
            out["printer"] = PrinterConfig(**data["printer"])
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"[printer]: {exc}") from None
    scanner = data.get("scanner", {})
    if "url" in scanner:
        out["scanner_url"] = scanner["url"] or None
    if "baudrate" in scanner:
        out["scanner_baudrate"] = int(scanner["baudrate"])
    web = data.get("web", {})
    for src, dst in (("host", "web_host"), ("port", "web_port")):
        if src in web:
            out[dst] = web[src]
    if "dir" in data.get("voice", {}):
        out["voice_dir"] = Path(data["voice"]["dir"])
    unknown = set(data) - {"server", "kiosk_token", "hall_id", "language", "idle_seconds", "large_text",
                           "request_timeout", "printer", "scanner", "web", "voice"}
    if unknown:
        raise ConfigError(f"unknown setting(s) in the config file: {', '.join(sorted(unknown))}")
    return out


def _servers(value: str | list[str]) -> tuple[str, ...]:
    """One address, or several the kiosk fails over between (a TOML list, or ``--server`` repeated)."""
    try:
        return tuple(addresses(value))
    except (ValueError, TypeError, AttributeError):
        raise ConfigError("server must be a URL or a list of URLs") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hall kiosk", description="The touch kiosk of a service hall (取号、办事指南、"
                                "评价、查询), full screen in a terminal or, with --web, in a browser.")
    p.add_argument("--config", type=Path, help="TOML settings file (see kiosk/config.py)")
    add_server_option(p, required=False)
    p.add_argument("--kiosk-token", help="the kiosk's device token")
    p.add_argument("--hall", type=int, dest="hall_id", help="hall id (default: the token's hall)")
    p.add_argument("--lang", choices=LANGUAGES, dest="language", help="language after each applicant")
    p.add_argument("--idle", type=float, dest="idle_seconds", help="seconds untouched before going home")
    p.add_argument("--large-text", action="store_true", default=None, help="start in large-text mode")
    add_printer_options(p, "ticket printer")
    p.add_argument("--scanner", dest="scanner_url", help="serial QR scanner: /dev/ttyACM0, socket://host:port")
    p.add_argument("--web", action="store_true", help="serve the touch page to the PC's browser instead of "
                   "running in this terminal")
    p.add_argument("--host", dest="web_host", help="--web: address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, dest="web_port", help="--web: port (default 8080)")
    p.add_argument("--voice-dir", type=Path, dest="voice_dir", help="where spoken guidance's WAV files go")
    return p


def load_config(args: argparse.Namespace) -> KioskConfig:
    """The file's settings, then every option given on the command line on top."""
    values: dict[str, Any] = {}
    if args.config is not None:
        try:
            values = _from_toml(tomllib.loads(args.config.read_text(encoding="utf-8")))
        except OSError as exc:
            raise ConfigError(f"cannot read {args.config}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{args.config} is not valid TOML: {exc}") from None
    config = KioskConfig(**values)
    overrides = {k: v for k in ("server", "kiosk_token", "hall_id", "language", "idle_seconds", "large_text",
                                "scanner_url", "web_host", "web_port", "voice_dir")
                 if (v := getattr(args, k, None)) is not None}
    if "server" in overrides:
        overrides["server"] = _servers(overrides["server"])
    try:
        overrides["printer"] = printer_from_options(args, config.printer)
    except ValueError as exc:
        raise ConfigError(f"printer: {exc}") from None
    return replace(config, **overrides).checked()
