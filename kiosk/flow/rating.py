"""服务对象评议: 好 / 较好 / 一般 / 较差, with reasons for a poor rating and a comment.

One rating per ticket, and per case (一事一评). Whether the levels are offered is decided with the
status (``kiosk/flow/status.py``). The server refuses a second rating (``rating_already``) and the
screen says so kindly. If the network failed after the server had recorded the rating, the retry
is refused the same way; the applicant is thanked, since their rating did arrive.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hall_server.client import ApiError
from kiosk.flow.effects import Effect, Rate
from kiosk.flow.status import not_ratable, rate_question, refusal
from kiosk.flow.view import Choice, Field, Group, Part, Text
from kiosk.flow.visit import Screen, Visit
from kiosk.messages import MESSAGES

RATINGS = ("good", "fairly_good", "average", "poor")
REASONS = ("attitude", "slow", "unclear", "materials", "environment", "other")


class RatingScreen(Screen):
    kind = "rate"
    TITLE_KEY = "find.rate_title"
    FIELDS = ("rate-comment",)

    def __init__(self, token: str, status: Mapping[str, Any]) -> None:
        super().__init__()
        self.token = token
        self.status = status
        self.rating: str | None = None
        self.reasons: set[str] = set()
        self.sending = False
        self.retried = False
        self.outcome: dict[str, str] | None = None  # the thanks, in both languages
        self.problem = ""

    def parts(self, v: Visit) -> list[Part]:
        parts: list[Part] = [Text("rate-question", rate_question(self.status, v.lang), "heading")]
        closed = not_ratable(self.status, v.lang)
        if self.outcome is not None or closed is not None:
            said = self.outcome[v.lang] if self.outcome is not None else closed
            return parts + [Text("rate-outcome", said or "", "heading"),
                            Group("rate-actions", (Choice("rate-done", v.t("rate.done"), role="primary"),))]
        parts.append(Group("ratings", tuple(Choice(f"rate-{r}", v.t(f"rating.{r}"), role="rating",
                                                   selected=r == self.rating) for r in RATINGS)))
        if self.rating == "poor":
            parts.append(Text("reasons-text", v.t("rate.reasons")))
            parts.append(Group("reasons", tuple(Choice(f"reason-{r}", v.t(f"reason.{r}"), role="reason",
                                                       selected=r in self.reasons) for r in REASONS)))
        parts += [Field("rate-comment", self.values["rate-comment"], v.t("rate.comment"), max_length=500),
                  Group("rate-actions", (Choice("rate-submit", v.t("rate.submit"), role="primary"),)),
                  Text("rate-message", v.t("net.retrying") if self.sending and self.retried
                       else v.t("rate.sending") if self.sending else self.problem, "problem")]
        return parts

    def touch(self, v: Visit, choice: str) -> None:
        kind, _, value = choice.partition("-")
        if choice == "rate-done":
            v.home(end_visit=True)
        elif self.sending or self.outcome is not None:
            return
        elif kind == "rate" and value in RATINGS:
            self.rating, self.problem = value, ""
            if value != "poor":
                self.reasons.clear()
        elif kind == "reason" and value in REASONS and self.rating == "poor":
            self.reasons ^= {value}
        elif choice == "rate-submit":
            if self.rating is None:
                self.problem = v.t("rate.choose_first")
                return
            self.sending, self.retried = True, False
            v.request(Rate(self.sid, self.token, self.rating, tuple(sorted(self.reasons)),
                           self.values["rate-comment"].strip()))

    def retrying(self, v: Visit, effect: Effect) -> None:
        self.retried = True

    def arrived(self, v: Visit, effect: Effect, result: object) -> None:
        assert isinstance(result, Mapping)
        self.sending = False
        self.outcome = {"zh": str(result["message_zh"]), "en": str(result["message_en"])}

    def refused(self, v: Visit, effect: Effect, err: ApiError) -> None:
        self.sending = False
        if err.code == "rating_already" and self.retried:
            self.outcome = dict(MESSAGES["rate.thanks"])  # the lost answer's rating did arrive
        else:
            self.problem = refusal(self.status, err, v.lang)
