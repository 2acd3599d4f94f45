"""服务对象评议: 好 / 较好 / 一般 / 较差, with reasons for a poor rating and a comment.

One rating per ticket, and per case (一事一评: a case is rated by its notice's QR once it is
finished or returned, unless the ticket that brought it was rated at the window). Whether the
levels are offered is decided with the status screen (``kiosk/screens/status.py``). The server
refuses a second rating (``rating_already``) and the screen says so kindly. If the network
failed after the server had recorded the rating, the retry is refused the same way; the
applicant is thanked, since their rating did arrive.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.widgets import Button, Input, Static

from hall_server.client import ApiError
from kiosk.messages import MESSAGES
from kiosk.screens.base import KioskScreen
from kiosk.screens.status import not_ratable, rate_question, refusal

log = logging.getLogger(__name__)

RATINGS = ("good", "fairly_good", "average", "poor")
REASONS = ("attitude", "slow", "unclear", "materials", "environment", "other")


class RatingScreen(KioskScreen):
    TITLE_KEY = "find.rate_title"

    def __init__(self, token: str, status: Mapping[str, Any]) -> None:
        super().__init__()
        self.token = token
        self.status = status
        self.rating: str | None = None
        self.reasons: set[str] = set()
        self.comment = ""
        self.sending = False
        self.outcome: dict[str, str] | None = None  # the thanks, in both languages
        self.problem = ""

    def compose_body(self) -> ComposeResult:
        status = self.status
        with Vertical(id="rate"):
            yield Static(rate_question(status, self.lang), id="rate-question")
            closed = not_ratable(status, self.lang)
            if self.outcome is not None:
                yield Static(self.outcome[self.lang], id="rate-outcome")
            elif closed is not None:
                yield Static(closed, id="rate-outcome")
            else:
                yield from self.compose_form()
                return
            yield Button(self.t("rate.done"), id="rate-done", classes="primary")

    def compose_form(self) -> ComposeResult:
        with Horizontal(id="ratings"):
            for rating in RATINGS:
                selected = " -selected" if rating == self.rating else ""
                yield Button(self.t(f"rating.{rating}"), id=f"rate-{rating}", classes=f"rating{selected}")
        if self.rating == "poor":
            yield Static(self.t("rate.reasons"), id="reasons-text")
            with Grid(id="reasons"):
                for reason in REASONS:
                    selected = " -selected" if reason in self.reasons else ""
                    yield Button(self.t(f"reason.{reason}"), id=f"reason-{reason}", classes=f"reason{selected}")
        yield Input(self.comment, placeholder=self.t("rate.comment"), id="rate-comment", max_length=500)
        yield Button(self.t("rate.submit"), id="rate-submit", classes="primary")
        yield Static(self.problem, id="rate-message", classes="problem")

    @on(Button.Pressed, ".rating")
    def _choose(self, event: Button.Pressed) -> None:
        self.rating = (event.button.id or "").removeprefix("rate-")
        if self.rating != "poor":
            self.reasons.clear()
        self.problem = ""
        self.refresh(recompose=True)

    @on(Button.Pressed, ".reason")
    def _reason(self, event: Button.Pressed) -> None:
        reason = (event.button.id or "").removeprefix("reason-")
        self.reasons ^= {reason}
        event.button.set_class(reason in self.reasons, "-selected")

    @on(Input.Changed, "#rate-comment")
    def _comment(self, event: Input.Changed) -> None:
        self.comment = event.value

    @on(Button.Pressed, "#rate-submit")
    def _submit(self) -> None:
        if self.sending:
            return
        if self.rating is None:
            self.problem = self.t("rate.choose_first")
            self.say("rate-message", self.problem)
            return
        self.sending = True
        self.say("rate-message", self.t("rate.sending"))
        self.send()

    @work(exclusive=True, exit_on_error=False)
    async def send(self) -> None:
        client, rating = self.kiosk.client, self.rating
        assert rating is not None
        retried = False

        def on_retry() -> None:
            nonlocal retried
            retried = True
            self.say("rate-message", self.t("net.retrying"))

        try:
            result = await self.kiosk.reach(
                lambda: client.submit_rating(self.token, rating, reasons=sorted(self.reasons),
                                             comment=self.comment.strip(), channel="kiosk"),
                on_retry=on_retry)
            self.outcome = {"zh": result["message_zh"], "en": result["message_en"]}
        except ApiError as err:
            if err.code == "rating_already" and retried:
                self.outcome = dict(MESSAGES["rate.thanks"])
            else:
                self.problem = refusal(self.status, err, self.lang)
                self.say("rate-message", self.problem)
                self.sending = False
                return
        except Exception:
            log.exception("sending a rating failed")
            self.problem = self.t("error.unexpected")
            self.say("rate-message", self.problem)
            self.sending = False
            return
        self.refresh(recompose=True)

    @on(Button.Pressed, "#rate-done")
    def _done(self) -> None:
        self.kiosk.go_home()
