"""查询: what one ticket's token reveals, and nothing personal beyond it.

The screen is a list of sections, each a function of the status the server returns; today
there is the ticket's own section. When the server's status grows a case (its stage and next
step), a ``case_lines`` section joins ``STATUS_SECTIONS`` and the screen shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from hall_server.client import ApiError
from kiosk.messages import localized, text, wait_line, windows_line
from kiosk.screens.base import KioskScreen

REFRESH_SECONDS = 15.0


def ticket_lines(status: Mapping[str, Any], lang: str) -> list[str]:
    """Where the ticket stands and what the applicant does next."""
    t = lambda key, **kw: text(key, lang, **kw)  # noqa: E731
    state = status["status"]
    window = {"number": status.get("window_number") or "", "location": localized(status, "window_location", lang)}
    if state == "waiting":
        ahead = int(status.get("waiting_ahead") or 0)
        lines = [t("ticket.ahead", count=ahead) if ahead else t("ticket.next")]
        if (wait := wait_line(status, lang)) is not None:
            lines.append(wait)
        lines.append(t("ticket.where", where=windows_line(status.get("where_to_go") or [], lang)))
        return lines
    if state == "finished":
        if status.get("rating"):
            return [t("status.finished_rated", rating=t(f"rating.{status['rating']}"))]
        return [t("status.finished")]
    if state in ("called", "serving", "held", "no_show"):
        return [t(f"status.{state}", **window)]
    return [t("status.cancelled")]


STATUS_SECTIONS: tuple[Callable[[Mapping[str, Any], str], list[str]], ...] = (ticket_lines,)


class StatusScreen(KioskScreen):
    TITLE_KEY = "find.status_title"

    def __init__(self, token: str, status: Mapping[str, Any]) -> None:
        super().__init__()
        self.token = token
        self.status = status

    def compose_body(self) -> ComposeResult:
        status = self.status
        with Vertical(id="status"):
            yield Static(self.t("status.heading", number=status["number"],
                                service=localized(status, "service_name", self.lang)), id="status-heading")
            yield Static(self.t("status.state", state=self.t(f"state.{status['status']}")), id="status-state")
            for section in STATUS_SECTIONS:
                lines = section(status, self.lang)
                if lines:
                    yield Static("\n".join(lines), classes="status-lines")
            with Horizontal(id="status-actions"):
                if status.get("can_rate"):
                    yield Button(self.t("status.rate_now"), id="status-rate", classes="primary")
                yield Button(self.t("status.refresh"), id="status-refresh")

    def on_mount(self) -> None:
        self.set_interval(REFRESH_SECONDS, self.reload)

    @on(Button.Pressed, "#status-refresh")
    def _refresh(self) -> None:
        self.reload()

    @work(exclusive=True, exit_on_error=False)
    async def reload(self) -> None:
        client = self.kiosk.client
        try:
            self.status = await self.kiosk.reach(lambda: client.lookup_status(self.token))
        except ApiError:
            return
        self.refresh(recompose=True)

    @on(Button.Pressed, "#status-rate")
    def _rate(self) -> None:
        from kiosk.screens.rating import RatingScreen

        self.app.switch_screen(RatingScreen(self.token, self.status))
