"""``hall devices simulate keypad|ratingpad|led|cardreader|scanner|bus``: window devices you can press.

Each simulator listens on a TCP port (``socket://HOST:PORT`` for ``hall bus --port``) or a pty,
prints what the LED screens, keypad displays and rating pads show, and takes commands from
``--script`` and then standard input, one per line:

    press 12 call            press 12 transfer 5        press 12 call_back A001
    rate 12 good             rate 12 very_satisfied     rate 12 none   (the prompt timed out)
    swipe 12 CARD123         scan https://hall/t/abc    show 12        sleep 0.5     quit

When standard input ends (e.g. started in the background) it keeps serving until interrupted.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable, Iterable

from hardware.serial_bus.devices import KeypadKey, NationalRatingKey, RatingKey
from hardware.serial_bus.messages import message
from hardware.serial_bus.simulator import (
    Change,
    Endpoint,
    SimBus,
    SimCardLineReader,
    SimScanner,
    make_endpoint,
)

DEFAULT_PORT = 7485
DEVICES = ("bus", "keypad", "ratingpad", "led", "cardreader", "scanner")
Simulator = SimBus | SimScanner | SimCardLineReader


def parse_addresses(text: str) -> list[int]:
    """``"1-12,20"`` -> [1, ..., 12, 20]."""
    addrs: list[int] = []
    for part in text.split(","):
        low, _, high = part.strip().partition("-")
        addrs += range(int(low), int(high or low) + 1)
    if not addrs or not all(1 <= a <= 254 for a in addrs):
        raise argparse.ArgumentTypeError("window addresses are 1..254, e.g. 1-12,20")
    return addrs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hall devices simulate", description=__doc__.split("\n\n")[0])
    parser.add_argument("device", choices=DEVICES)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="TCP port (0: any free port)")
    parser.add_argument("--pty", action="store_true", help="serve on a pseudo-terminal instead of TCP")
    parser.add_argument(
        "--windows", type=parse_addresses, default=parse_addresses("1-12"), help="bus: addresses"
    )
    parser.add_argument("--addr", type=int, default=1, help="the window address of a single device")
    parser.add_argument("--line", action="store_true", help="cardreader: stand-alone line-mode reader")
    parser.add_argument("--script", help="commands to run first, one per line")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    return parser


def build(
    device: str,
    addrs: list[int],
    *,
    line_reader: bool,
    endpoint: Endpoint,
    on_change: Callable[[Change], None],
) -> Simulator:
    if device == "scanner":
        return SimScanner(endpoint)
    if device == "cardreader" and line_reader:
        return SimCardLineReader(endpoint)
    if device == "bus":
        return SimBus.windows(addrs, endpoint=endpoint, on_change=on_change)
    bus = SimBus(endpoint, on_change=on_change)
    kinds = {"keypad": "keypad", "ratingpad": "rating_pad", "led": "led", "cardreader": "card_reader"}
    for addr in addrs:
        bus.add(addr, **{kinds[device]: True})
    return bus


def describe(change: Change, lang: str) -> str:
    value = change.value
    if change.what == "thanks" and not value:
        value = message("rating_thanks", lang)
    return message(f"sim_{change.device}_{change.what}", lang, addr=change.addr, value=value)


class Console:
    """One command line at a time, against one simulator; output goes to ``say``."""

    def __init__(self, sim: Simulator, lang: str = "zh", say: Callable[[str], None] = print) -> None:
        self.sim, self.lang, self.say = sim, lang, say

    def run(self, line: str) -> bool:
        """Carry out ``line``; False when it asks to quit."""
        words = line.split("#", 1)[0].split()
        if not words:
            return True
        verb, args = words[0].lower(), words[1:]
        if verb in ("quit", "exit"):
            return False
        try:
            handled = self._do(verb, args)
        except KeyError as exc:
            self.say(message("sim_no_device", self.lang, addr=exc.args[0]))
            return True
        except ValueError as exc:
            self.say(message("sim_bad_value", self.lang, error=exc))
            return True
        if not handled:
            self.say(message("sim_bad_command", self.lang, line=line.strip()))
        return True

    def _do(self, verb: str, args: list[str]) -> bool:
        sim = self.sim
        if verb == "help":
            self.say(self.help())
        elif verb == "sleep" and len(args) == 1:
            time.sleep(float(args[0]))
        elif verb == "scan" and args and isinstance(sim, SimScanner):
            sim.scan(" ".join(args))
        elif verb == "swipe" and len(args) == 1 and isinstance(sim, SimCardLineReader):
            sim.swipe(args[0])
        elif not isinstance(sim, SimBus):
            return False
        elif verb == "press" and len(args) in (2, 3):
            sim.press(int(args[0]), _key(KeypadKey, args[1]), args[2] if len(args) == 3 else "")
        elif verb == "rate" and len(args) == 2:
            key = None if args[1].lower() == "none" else _rating(args[1])
            if not sim.rate(int(args[0]), key):
                self.say(message("sim_not_prompted", self.lang, addr=int(args[0])))
        elif verb == "swipe" and len(args) == 2:
            sim.swipe(int(args[0]), args[1])
        elif verb == "show" and len(args) <= 1:
            for line in self.state(sim, [int(args[0])] if args else None):
                self.say(line)
        else:
            return False
        return True

    def help(self) -> str:
        keys = " ".join(k.action for k in KeypadKey)
        ratings = " ".join(k.name.lower() for k in (*RatingKey, *NationalRatingKey)) + " none"
        return message("sim_help", self.lang, keys=keys, ratings=ratings)

    def state(self, bus: SimBus, addrs: Iterable[int] | None) -> list[str]:
        every = sorted({*bus.keypads, *bus.rating_pads, *bus.card_readers, *bus.leds})
        lines = []
        for addr in addrs if addrs is not None else every:
            led, keypad = bus.leds.get(addr), bus.keypads.get(addr)
            pad, card = bus.rating_pads.get(addr), bus.card_readers.get(addr)
            lines.append(
                message(
                    "sim_state",
                    self.lang,
                    addr=addr,
                    led=f"「{led.text}」" if led else "-",
                    keypad=f"「{keypad.display}」" if keypad else "-",
                    pad=("…" if pad.prompt else f"「{pad.screen}」") if pad else "-",
                    card={None: "·", True: "✓", False: "✗"}[card.last_result] if card else "-",
                )
            )
        return lines


def _key(keys: type[KeypadKey], name: str) -> KeypadKey:
    try:
        return keys[name.upper().replace("-", "_")]
    except KeyError:
        raise ValueError(name) from None


def _rating(name: str) -> RatingKey | NationalRatingKey:
    name = name.upper().replace("-", "_")
    for keys in (RatingKey, NationalRatingKey):
        if name in keys.__members__:
            return keys[name]
    raise ValueError(name)


def main(argv: list[str] | None = None) -> int:
    """``argv`` as after ``hall devices``: ``simulate bus --port 7485`` ("simulate" may be left out)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv[1:] if argv[:1] == ["simulate"] else argv)
    out_lock = threading.Lock()

    def say(text: str) -> None:
        with out_lock:
            print(text, flush=True)

    endpoint = make_endpoint(pty=args.pty, host=args.host, port=args.port)
    addrs = args.windows if args.device == "bus" else [args.addr]
    sim = build(
        args.device,
        addrs,
        line_reader=args.line,
        endpoint=endpoint,
        on_change=lambda c: say(describe(c, args.lang)),
    )
    say(message("sim_ready", args.lang, url=sim.start()))
    if isinstance(sim, SimBus):
        say(message("sim_windows", args.lang, addrs=",".join(map(str, addrs))))
    console = Console(sim, args.lang, say)
    try:
        if args.script:
            with open(args.script, encoding="utf-8") as script:
                if not all(console.run(line) for line in script):
                    return 0
        for line in sys.stdin:
            if not console.run(line):
                return 0
        threading.Event().wait()  # stdin closed: keep serving until interrupted
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
