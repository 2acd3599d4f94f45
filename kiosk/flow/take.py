"""Taking a ticket: confirm the service, choose priority or the green channel if entitled, issue.

Issuing has a screen of its own: the first touch on "confirm" replaces the confirm button with
"issuing, one moment", so a second tap has nothing to press, and the request (with its one
idempotency key, ``kiosk/ticketing.py``) is retried there until the server answers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hall_server.client import ApiError
from kiosk.flow.effects import Effect, Issue, LoadService
from kiosk.flow.view import Choice, Group, Part, Text
from kiosk.flow.visit import Screen, Visit
from kiosk.messages import localized, windows_line
from kiosk.ticketing import TicketRequest


class ConfirmScreen(Screen):
    kind = "confirm"
    TITLE_KEY = "confirm.title"

    def __init__(self, service: Mapping[str, Any]) -> None:
        super().__init__()
        self.service = service
        self.windows: list[Mapping[str, Any]] | None = service.get("windows")
        self.problem = ""

    def opened(self, v: Visit) -> None:
        if self.windows is None:  # where it is handled is shown when it arrives; confirming does not wait
            v.request(LoadService(self.sid, int(self.service["id"])))

    def arrived(self, v: Visit, effect: Effect, result: object) -> None:
        assert isinstance(result, Mapping)
        self.windows = list(result.get("windows") or [])

    def parts(self, v: Visit) -> list[Part]:
        where = windows_line(self.windows, v.lang) if self.windows else ""
        return [
            Text("confirm-service", v.t("confirm.service", name=localized(self.service, "name", v.lang)), "heading"),
            Text("confirm-where", v.t("confirm.where", where=where) if where else ""),
            Text("confirm-message", self.problem, "problem"),
            Group("confirm-actions", (Choice("confirm-normal", v.t("confirm.normal"), role="primary"),
                                      Choice("confirm-priority", v.t("confirm.priority"), v.t("confirm.priority_hint")),
                                      Choice("confirm-green", v.t("confirm.green"), v.t("confirm.green_hint")))),
        ]

    def request(self, v: Visit, priority: str = "normal", green_code: str | None = None) -> TicketRequest:
        return TicketRequest(int(self.service["id"]), localized(self.service, "name", v.lang), priority,
                             green_code=green_code)

    def touch(self, v: Visit, choice: str) -> None:
        if choice == "confirm-normal":
            self.problem = ""
            v.push(IssuingScreen(self.request(v)))
        elif choice == "confirm-priority":
            v.push(PriorityScreen(self))
        elif choice == "confirm-green":
            v.push(GreenCodeScreen(self))


class PriorityScreen(Screen):
    """Priority is on trust: the applicant confirms they (or the person with them) qualify."""

    kind = "priority"
    TITLE_KEY = "priority.title"

    def __init__(self, confirm: ConfirmScreen) -> None:
        super().__init__()
        self.confirm = confirm

    def parts(self, v: Visit) -> list[Part]:
        return [Text("priority-text", v.t("priority.text")),
                Group("priority-actions", (Choice("priority-yes", v.t("priority.yes"), role="primary"),
                                           Choice("priority-no", v.t("priority.no"))))]

    def touch(self, v: Visit, choice: str) -> None:
        if choice in ("priority-yes", "priority-no"):
            v.replace(IssuingScreen(self.confirm.request(v, "priority" if choice == "priority-yes" else "normal")))


class GreenCodeScreen(Screen):
    """The green channel (绿色通道) needs the code the center gave the applicant: scanned or typed."""

    kind = "green"
    TITLE_KEY = "green.title"
    FIELDS = ("green-code",)

    def __init__(self, confirm: ConfirmScreen) -> None:
        super().__init__()
        self.confirm = confirm
        self.problem = ""

    def parts(self, v: Visit) -> list[Part]:
        return [Text("green-text", v.t("green.text")),
                self.field(v, "green-code", "green.placeholder", focus=True),
                Group("green-actions", (Choice("green-submit", v.t("green.submit"), role="primary"),)),
                Text("green-message", self.problem, "problem"),
                self.keypad(v)]

    def edited(self, v: Visit, field: str) -> None:
        self.problem = ""  # the applicant correcting the code no longer needs the last error

    def touch(self, v: Visit, choice: str) -> None:
        if not self.key(v, choice) and choice == "green-submit":
            self.submit(v, "green-code")

    def submit(self, v: Visit, field: str) -> None:
        code = self.values["green-code"].strip().upper()
        if not code:
            self.problem = v.t("green.empty")
            return
        v.push(IssuingScreen(self.confirm.request(v, "green", code)))

    def scanned(self, v: Visit, code: str) -> bool:
        self.values["green-code"] = code
        self.submit(v, "green-code")
        return True


class IssuingScreen(Screen):
    """Issues one ticket, retrying with the same key; on a refusal it shows the server's polite
    reason (closed, today's tickets gone, code needed) and goes back with it."""

    kind = "issuing"
    TITLE_KEY = "issue.title"
    SHOW_BACK = False  # nothing to go back to while the ticket is on its way: it may be issued already

    def __init__(self, request: TicketRequest) -> None:
        super().__init__()
        self.request = request
        self.problem: ApiError | None = None
        self.retrying_now = False

    def opened(self, v: Visit) -> None:
        v.request(Issue(self.sid, self.request))

    def parts(self, v: Visit) -> list[Part]:
        parts: list[Part] = [Text("issue-service", self.request.service_name, "heading")]
        if self.problem is None:
            parts.append(Text("issue-message", v.t("net.retrying_ticket" if self.retrying_now else "issue.working")))
            return parts
        return parts + [Text("issue-failed", v.t("issue.failed_title"), "heading"),
                        Text("issue-message", self.problem.message(v.lang), "problem"),
                        Group("issue-actions", (Choice("issue-back", v.t("top.back"), role="primary"),))]

    def retrying(self, v: Visit, effect: Effect) -> None:
        self.retrying_now = True

    def arrived(self, v: Visit, effect: Effect, result: object) -> None:
        from kiosk.flow.ticket import TicketScreen

        assert isinstance(result, Mapping)
        v.replace(TicketScreen(result, self.request))

    def refused(self, v: Visit, effect: Effect, err: ApiError) -> None:
        self.problem = err

    def touch(self, v: Visit, choice: str) -> None:
        if choice == "issue-back" and self.problem is not None:
            self.back(v)

    def back(self, v: Visit) -> None:
        """Back to where the applicant confirmed, which now says why there is no ticket."""
        v.pop()
        below = v.screen
        if self.problem is not None and hasattr(below, "problem") and isinstance(below.problem, str):
            below.problem = self.problem.message(v.lang)
