"""``hall bus``: run the device bus process for one line until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal

from hall_server.client import ApiError, add_server_option
from hardware.bus.process import REPAINT_EVERY, run_bus
from hardware.simulate import parse_addresses

TOKEN_ENV = "HALL_BUS_TOKEN"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="hall bus",
        description="Drive a shared RS-485 line of keypads, rating pads, card readers and LED screens.",
    )
    p.add_argument("--port", required=True,
                   help="the line: /dev/ttyUSB0, a pty path, socket://HOST:PORT (the simulator) or loop://")
    add_server_option(p)
    p.add_argument("--token", default=os.environ.get(TOKEN_ENV),
                   help=f"the hall's bus device token (default: ${TOKEN_ENV}, which keeps it out of ps)")
    p.add_argument("--hall", type=int, required=True, help="the hall id")
    p.add_argument("--windows", type=parse_addresses, default=None,
                   help="window numbers on this line, e.g. 1-40 or 1,2,12 (default: every window of the hall)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of the LED screens")
    p.add_argument("--name", help="the line's name in device health (default: the port)")
    p.add_argument("--repaint", type=float, default=REPAINT_EVERY, help="seconds between full repaints")
    p.add_argument("--rating-scale", type=int, choices=(4, 5), default=4,
                   help="4: the hall's pad; 5: the national 好差评 pad")
    p.add_argument("--rating-timeout", type=int, default=30, help="seconds a rating prompt stays lit")
    p.add_argument("--silence-timeout", type=float, default=0,
                   help="reopen a line silent this long (0: never); the first window's keypad is pinged meanwhile")
    p.add_argument("--baudrate", type=int, default=9600)
    return p


async def _run(a: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await run_bus(
        a.port, a.server, a.token, a.hall, stop=stop, windows=a.windows, lang=a.lang, name=a.name,
        repaint_every=a.repaint, rating_scale=a.rating_scale, rating_timeout=a.rating_timeout,
        silence_timeout=a.silence_timeout or None, baudrate=a.baudrate, say=lambda line: print(line, flush=True),
    )


def main(argv: list[str]) -> int:
    p = _parser()
    a = p.parse_args(argv)
    if not a.token:
        p.error(f"a bus token is needed: --token or ${TOKEN_ENV}")
    try:
        asyncio.run(_run(a))
    except ApiError as exc:  # a wrong token or hall: nothing to retry
        print(exc.message(a.lang))
        return 2
    return 0
