"""``hall display``: the hall board in a terminal, and the hall's voice.

The board host follows the hall's events through the board model (display/board_model.py)
and draws the same picture as the TV page. It speaks each call with the hardware layer's
queued ``Announcer`` (one at a time, in call order; a recall is spoken again). When the
connection drops it says so, and on return it catches up from the last event it saw.
A list longer than its panel shows a page at a time, in turns (display/paging.py): the lines
each panel gets are counted here, from the terminal's size.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Static

from display.board_model import BoardFilter, BoardState, view
from display.feed import follow
from display.messages import t
from display.paging import PAGE_SECONDS, Pager
from hall_server.client import ApiError, HallClient, Unreachable, add_server_option

NOTICE_STEP_SECONDS = 0.3
RECENT_SHOWN = 8
PANELS = ("calls", "recent", "groups", "paused", "closed")


class BoardApp(App[None]):
    """The terminal board: calls by window (newest highlighted), recent calls, queues, notice, time."""

    CSS_PATH = "board.tcss"
    TITLE = "hall display"

    def __init__(
        self,
        server: str | Iterable[str],
        hall_id: int | None = None,
        board_filter: BoardFilter | None = None,
        *,
        lang: str = "zh",
        announcer: Any | None = None,
        clock: Callable[[], datetime] | None = None,
        clock_text: str | None = None,
        scroll_notice: bool = True,
    ) -> None:
        """``server``: one address or several to fail over (see ``HallClient``); ``announcer``: anything
        with ``announce(number, window, *, recall=False)`` (the hardware's ``Announcer``);
        ``clock_text`` pins the time shown (snapshot tests)."""
        super().__init__()
        self.client = HallClient(server)
        self.hall_id = hall_id
        self.board_filter = board_filter or BoardFilter()
        self.lang = lang
        self.announcer = announcer
        self.clock = clock or (lambda: datetime.now(UTC))
        self.clock_text = clock_text
        self.scroll_notice = scroll_notice
        self.state: BoardState | None = None
        self.connected = False
        self.spoken: list[tuple[str, str, bool]] = []
        self._notice_offset = 0
        self._day: str | None = None
        self.pagers = {panel: Pager() for panel in PANELS}

    # ---- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="header"):
            yield Static("", id="hall-name")
            yield Static(self._scope_text(), id="scope")
            yield Static("", id="clock")
        yield Static(t("loading", self.lang), id="connection")
        with Horizontal(id="body"):
            with Vertical(id="calls-panel"):
                yield Static(t("now_calling", self.lang), id="calls-title", classes="title")
                yield Static("", id="calls")
            with Vertical(id="side"):
                yield Static(t("recent", self.lang), id="recent-title", classes="title")
                yield Static("", id="recent")
                yield Static(t("waiting", self.lang), id="waiting-title", classes="title")
                yield Static("", id="groups")
                yield Static("", id="windows-off")
        yield Static("", id="notice")

    def _scope_text(self) -> str:
        f = self.board_filter
        if f.area:
            return t("area", self.lang, area=f.area)
        if f.windows:
            return t("windows_only", self.lang, windows=",".join(str(n) for n in sorted(f.windows)))
        return ""

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)
        if self.scroll_notice:
            self.set_interval(NOTICE_STEP_SECONDS, self._scroll_notice)
        self.set_interval(PAGE_SECONDS, self.turn_pages)
        self.follow_hall()

    def on_resize(self) -> None:
        self.call_after_refresh(self.draw)  # as many lines as the new size holds

    def turn_pages(self) -> None:
        """The next page of every list that has more than one."""
        for pager in self.pagers.values():
            pager.turn()
        self.draw()

    async def on_unmount(self) -> None:
        await self.client.aclose()

    # ---- the feed -----------------------------------------------------------------------------

    @work(exclusive=True, group="feed")
    async def follow_hall(self) -> None:
        """Snapshot, then every event; a new call is drawn, then spoken."""
        try:
            if self.hall_id is None:
                self.hall_id = (await self.client.list_halls())[0]["id"]
            async for update in follow(self.client, self.hall_id, self.board_filter, on_state=self._on_state):
                if not update.events:
                    self._show_connection("")  # the present is drawn; the event stream connects next
                self.state = update.state
                self._day = self._hall_day()
                self.draw()
                for call in update.calls:
                    self.speak(call.number, call.window, call.recall)
        except ApiError as err:
            self._show_connection(t("hall_missing", self.lang) if err.status == 404 else err.message(self.lang))
        except Unreachable:
            self._show_connection(t("reconnecting", self.lang))

    def speak(self, number: str, window: str, recall: bool) -> None:
        self.spoken.append((number, window, recall))
        if self.announcer is not None:
            self.announcer.announce(number, window, recall=recall)

    def _on_state(self, state: str) -> None:
        self.connected = state == "connected"
        self._show_connection("" if self.connected else t("reconnecting", self.lang))

    def _show_connection(self, text: str) -> None:
        banner = self.query_one("#connection", Static)
        banner.update(text)
        banner.display = bool(text)

    # ---- drawing ------------------------------------------------------------------------------

    def draw(self) -> None:
        if self.state is None:
            return
        v, lang = view(self.state), self.lang
        hall = v["hall"]
        self.query_one("#hall-name", Static).update(
            Text.assemble((hall["name"] if lang == "zh" else hall["name_en"] or hall["name"], "bold"),
                          ("  " + hall["name_en"] if lang == "zh" and hall["name_en"] else "", "dim")))
        room = self._room(v)
        pagers = self.pagers
        calls = pagers["calls"].show(v["calls"], room["calls"], pinned=1)
        self._title("#calls-title", "now_calling", "calls")
        self.query_one("#calls", Static).update(self._calls_table(calls))
        recent = Text(no_wrap=True, overflow="ellipsis")
        for r in pagers["recent"].show(v["recent"][:RECENT_SHOWN], room["recent"]):
            line = t("call_line", lang, number=r["number"], window=r["window"])
            recent.append(line, "bold yellow" if r["newest"] else "")
            recent.append(f"  {t('recalled', lang)}" if r["recalled"] else "", "italic")
            recent.append("\n")
        recent.rstrip()
        self._title("#recent-title", "recent", "recent")
        self._panel("#recent", recent or t("none", lang), room["recent"], pagers["recent"])
        groups = Table.grid(padding=(0, 1), expand=True)
        groups.add_column(style="bold yellow")
        groups.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        groups.add_column(justify="right", style="bold")
        for g in pagers["groups"].show(v["groups"], room["groups"]):
            groups.add_row(g["prefix"], "、".join(g["names"]), t("people", lang, count=g["waiting"]))
        self._title("#waiting-title", "waiting", "groups")
        self._panel("#groups", groups, room["groups"], pagers["groups"])
        off = Text(no_wrap=True, overflow="ellipsis")
        if v["paused"]:
            off.append(self._heading("paused", "paused") + "\n", "bold")
            for p in pagers["paused"].show(v["paused"], room["paused"]):
                key = "paused_window" if p["reason"] else "paused_no_reason"
                off.append(t(key, lang, window=p["window"], reason=p["reason"]) + "\n")
        if v["closed"]:
            off.append(self._heading("closed", "closed") + "\n", "bold")
            lines = pagers["closed"].show(self._closed_lines(v["closed"]), room["closed"])
            off.append("\n".join(lines), "dim")
        off.rstrip()
        self.query_one("#windows-off", Static).update(off)
        self._draw_notice()

    def _room(self, v: dict) -> dict[str, int]:
        """How many lines each list gets on this terminal: the calls their panel less its title;
        beside them a few recent calls, paused and closed windows, and the waiting queues the rest.

        The side column is: a blank line and the title of the recent calls, their lines, a blank
        line and the title of the queues, their lines, a blank line, then the paused windows' title
        and lines, and the closed windows' title and lines (each when there are some)."""
        body = self.query_one("#body").size.height or max(self.size.height - 4, 10)
        side = body - 5 - bool(v["paused"]) - bool(v["closed"])
        paused = min(len(v["paused"]), max(1, side // 8))
        closed = min(len(self._closed_lines(v["closed"])), max(1, side // 6))
        recent = min(len(v["recent"][:RECENT_SHOWN]), max(1, side // 4))
        return {"calls": body - 2, "recent": max(recent, 1), "paused": paused, "closed": closed,
                "groups": max(1, side - max(recent, 1) - paused - closed)}

    def _closed_lines(self, numbers: list[int]) -> list[str]:
        """The closed windows' numbers, as many to a line as the side panel is wide."""
        width = max(self.query_one("#side").content_region.width, 20)
        lines: list[str] = []
        for n in map(str, numbers):
            if lines and len(lines[-1]) + 1 + len(n) <= width:
                lines[-1] += " " + n
            else:
                lines.append(n)
        return lines

    def _heading(self, key: str, panel: str) -> str:
        label = self.pagers[panel].label(self.lang)
        return t(key, self.lang) + (f"  {label}" if label else "")

    def _title(self, selector: str, key: str, panel: str) -> None:
        self.query_one(selector, Static).update(self._heading(key, panel))

    def _panel(self, selector: str, content: Any, room: int, pager: Pager) -> None:
        """A list's page, in a panel kept at its full height while it pages (nothing moves as pages turn)."""
        widget = self.query_one(selector, Static)
        widget.styles.height = room if pager.pages > 1 else "auto"
        widget.update(content)

    def _calls_table(self, calls: list[dict]) -> Table | str:
        if not calls:
            return t("no_calls", self.lang)
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column(no_wrap=True)
        table.add_column(no_wrap=True)
        table.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        table.add_column(justify="right", no_wrap=True)
        for c in calls:
            style = "bold black on yellow" if c["newest"] else ("green" if c["status"] == "serving" else "bold")
            state = t("serving", self.lang) if c["status"] == "serving" else (
                t("recalled", self.lang) if c["recalled"] else t("called", self.lang))
            table.add_row(Text(c["number"], style), Text("→ " + t("window_no", self.lang, window=c["window"]), style),
                          Text(c["location"], "dim"), Text(state, "italic"))
        return table

    def _notice(self) -> str:
        if self.state is None:
            return ""
        return self.state.notice if self.lang == "zh" else (self.state.notice_en or self.state.notice)

    def _draw_notice(self) -> None:
        notice = self._notice()
        if not notice:
            self.query_one("#notice", Static).update("")
            return
        loop = notice + "    "
        start = self._notice_offset % len(loop)
        self.query_one("#notice", Static).update((loop[start:] + loop * 4)[:400])

    def _scroll_notice(self) -> None:
        self._notice_offset += 1
        self._draw_notice()

    # ---- time ---------------------------------------------------------------------------------

    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.state.timezone if self.state else "Asia/Shanghai")

    def _hall_day(self) -> str:
        return self.clock().astimezone(self._zone()).date().isoformat()

    def _tick(self) -> None:
        now = self.clock().astimezone(self._zone())
        with contextlib.suppress(NoMatches):  # a last tick while the app closes
            self.query_one("#clock", Static).update(self.clock_text or now.strftime("%H:%M"))
        if self._day is not None and self.state is not None and self._hall_day() != self._day:
            self._day = None
            self.follow_hall()  # a new business day: numbers and queues start again from a fresh snapshot


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hall display", description="The hall board in a terminal, with voice calls.")
    add_server_option(p)
    p.add_argument("--hall", type=int, default=None, help="hall id (default: the first hall)")
    p.add_argument("--area", default=None, help="show only this area's windows, e.g. 二楼")
    p.add_argument("--windows", default=None, help="show only these windows, e.g. 1,2,3 or 10-20")
    p.add_argument("--voice", action=argparse.BooleanOptionalAction, default=True, help="announce calls")
    p.add_argument("--voice-dir", type=Path, default=None, help="where the announcement WAV files go")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    announcer = None
    if args.voice:
        from hardware.voice.announcer import Announcer

        announcer = Announcer(args.voice_dir, lang=args.lang)
    app = BoardApp(args.server, args.hall, BoardFilter.parse(args.area, args.windows), lang=args.lang,
                   announcer=announcer)
    try:
        app.run()
    finally:
        if announcer is not None:
            with contextlib.suppress(Exception):
                announcer.close()
    return 0
