"""Finding the applicant's ticket or case, for rating or for its status: scan the QR code, or type
the ticket number and the check code printed beside it (today's tickets only: numbers restart
every day).

The QR code holds the status URL; a keyboard-mode scanner types it into the focused field and
presses Enter, a serial scanner's code arrives through ``scanned``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from hall_server.client import ApiError
from kiosk.flow.effects import Effect, Find
from kiosk.flow.view import Choice, Group, Part, Text
from kiosk.flow.visit import Screen, Visit
from kiosk.scan import check_code, status_token, ticket_number

Purpose = Literal["rate", "status"]


class FindScreen(Screen):
    kind = "find"
    FIELDS = ("find-number", "find-code", "find-scan")

    def __init__(self, purpose: Purpose) -> None:
        super().__init__()
        self.purpose = purpose
        self.message = ""
        self.looking = False

    def title(self, v: Visit) -> str:
        return v.t("find.rate_title" if self.purpose == "rate" else "find.status_title")

    def parts(self, v: Visit) -> list[Part]:
        return [Text("find-scan-text", v.t("find.scan")),
                self.field(v, "find-scan", "find.scan_placeholder", focus=True, max_length=200),
                Text("find-or", v.t("find.or_number")),
                self.field(v, "find-number", "find.number_placeholder", max_length=8),
                self.field(v, "find-code", "find.code_placeholder", max_length=12),
                Group("find-actions", (Choice("find-submit", v.t("find.submit"), role="primary"),)),
                Text("find-message", v.t("find.looking") if self.looking else self.message,
                     "body" if self.looking else "problem"),
                self.keypad(v)]

    def edited(self, v: Visit, field: str) -> None:
        if field != "find-scan":
            self.message = ""  # the applicant correcting it no longer needs the last error

    def touch(self, v: Visit, choice: str) -> None:
        if choice.startswith("key-") and self.active_field == "find-scan":
            self.active_field = "find-number"  # the keys type the number, not into the scanner's field
        if not self.key(v, choice) and choice == "find-submit":
            self.submit(v, "find-number")

    def submit(self, v: Visit, field: str) -> None:
        if self.looking:
            return
        if field == "find-scan":
            code, self.values["find-scan"] = self.values["find-scan"], ""
            self.scanned(v, code)
            return
        for typed in (self.values["find-number"], self.values["find-code"]):
            if "/s/" in typed:  # a keyboard-mode scanner typed into the wrong field
                self.scanned(v, typed)
                return
        number, code = ticket_number(self.values["find-number"]), check_code(self.values["find-code"])
        if number is None or code is None:
            self.message = v.t("find.need_number")
            return
        self.looking = True
        v.request(Find(self.sid, number=number, code=code))

    def scanned(self, v: Visit, code: str) -> bool:
        token = status_token(code)
        if token is None:
            self.message = v.t("find.unreadable")
        elif not self.looking:
            self.looking = True
            v.request(Find(self.sid, token=token))
        return True

    def arrived(self, v: Visit, effect: Effect, result: object) -> None:
        from kiosk.flow.rating import RatingScreen
        from kiosk.flow.status import StatusScreen

        assert isinstance(result, Mapping) and isinstance(effect, Find)
        self.looking = False
        token = effect.token or str(result["status_token"])
        v.replace(RatingScreen(token, result) if self.purpose == "rate" else StatusScreen(token, result))

    def refused(self, v: Visit, effect: Effect, err: ApiError) -> None:
        self.looking = False
        self.message = err.message(v.lang)
