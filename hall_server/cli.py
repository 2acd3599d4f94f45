"""The ``hall`` command: a thin dispatcher that imports a part only when its subcommand runs.

A kiosk PC running ``hall kiosk`` loads no server code; each subcommand's module parses its
own arguments in ``main(argv)``.
"""

from __future__ import annotations

import gc
import importlib
import sys

COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("hall_server.serve:main", "serve the hall API (migrates the database first)"),
    "account": ("hall_server.account_cli:main", "create the first admin, or give an account a new password"),
    "demo-data": ("hall_server.demo_data:main", "load the demo halls; print accounts and device tokens as JSON"),
    "demo": ("hall_server.demo:main", "start a living demo hall: server, simulated arrivals and windows"),
    "bench": ("bench.run:main", "measure issue, call and event-delivery latency (docs/PERFORMANCE.md)"),
    "ticket-preview": ("hall_server.ticket_preview:main", "print a sample ticket to a PNG through the real layout"),
    "devices": ("hardware.simulate:main", "device simulators: hall devices simulate keypad|ratingpad|led|…"),
    "bus": ("hardware.bus:main", "drive a shared RS-485 line of keypads, rating pads and LED screens"),
    "kiosk": ("kiosk.app:main", "the touch kiosk (--web: the full-screen touch page; else in a terminal)"),
    "caller": ("caller.app:main", "the soft caller for window staff"),
    "display": ("display.app:main", "the terminal hall board with voice announcements"),
}


def usage() -> str:
    lines = ["usage: hall COMMAND [options]", "", "commands:"]
    lines += [f"  {name:<15} {help_}" for name, (_, help_) in COMMANDS.items()]
    lines += ["", "hall COMMAND --help shows a command's options."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in COMMANDS:
        print(f"hall: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module, func = COMMANDS[name][0].split(":")
    try:
        target = getattr(importlib.import_module(module), func)
    except ModuleNotFoundError as exc:
        print(f"hall {name}: this part is not installed here ({exc.name})", file=sys.stderr)
        return 2
    # What was just imported lives as long as the process: keep it out of the collector's full
    # passes, which otherwise pause a board or the bus for tens of ms in the middle of a burst.
    gc.freeze()
    return int(target(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
