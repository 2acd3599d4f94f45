"""The window's desk: its state, the current ticket, who waits, held and missed tickets, today,
and the window's open cases (办件).

Everything shown comes from ``window_desk`` in one read (the cases from ``list_cases``); the
hall's events (from this caller, a physical keypad or a supervisor alike) trigger a new read, so
the desk is never out of date for long and never guesses. Each action is one API call with a key
(F1-F12, Shift+F1-F5 for the cases, or a letter); what the state machine forbids comes back as
the server's polite message and is shown as is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from caller.case_dialog import RegisterCaseDialog
from caller.cases import NoticeOutcome, case_detail, case_line, deadline_text, hall_today, print_notice, type_name
from caller.dialogs import AskDialog, PauseDialog, TransferDialog, TransferTarget
from caller.messages import duration
from hall_server.client import ApiError, Unreachable

if TYPE_CHECKING:
    from caller.app import CallerApp

WAITING_SHOWN = 8
RELOAD_COALESCE_SECONDS = 0.15  # a burst of events in a busy hall becomes one read of the desk


@dataclass(frozen=True)
class DeskAction:
    name: str  # the screen's action_<name>
    keys: str  # Textual key names, function key first
    key_label: str
    label: str  # message key of the button


ACTIONS = (
    DeskAction("call_next", "f1,n", "F1", "act_call_next"),
    DeskAction("recall", "f2,r", "F2", "act_recall"),
    DeskAction("start", "f3,s", "F3", "act_start"),
    DeskAction("finish", "f4,f", "F4", "act_finish"),
    DeskAction("skip", "f5,k", "F5", "act_skip"),
    DeskAction("hold", "f6,h", "F6", "act_hold"),
    DeskAction("call_back", "f7,b", "F7", "act_call_back"),
    DeskAction("requeue", "f8,u", "F8", "act_requeue"),
    DeskAction("transfer", "f9,t", "F9", "act_transfer"),
    DeskAction("pause", "f10,p", "F10", "act_pause"),  # resumes when paused
    DeskAction("sign_out", "f12,o", "F12", "act_sign_out"),
)

# The cases box: F11 registers a case for the ticket being served; Shift+F1-F5 (F13-F17 to
# terminals that send them so) act on the case chosen in the list.
CASE_ACTIONS = (
    DeskAction("register_case", "f11,c", "F11", "act_register_case"),
    DeskAction("case_materials", "f13,shift+f1,m", "⇧F1", "act_case_materials"),
    DeskAction("case_finish", "f14,shift+f2,e", "⇧F2", "act_case_finish"),
    DeskAction("case_return", "f15,shift+f3,x", "⇧F3", "act_case_return"),
    DeskAction("case_sign_off", "f16,shift+f4,g", "⇧F4", "act_case_sign_off"),
    DeskAction("case_reprint", "f17,shift+f5,y", "⇧F5", "act_case_reprint"),
)


def _since(now: datetime, iso: str | None) -> float:
    return (now - datetime.fromisoformat(iso)).total_seconds() if iso else 0.0


class DeskScreen(Screen[None]):
    app: CallerApp
    BINDINGS = [Binding(a.keys, a.name, a.name, show=False) for a in ACTIONS + CASE_ACTIONS]

    def __init__(self) -> None:
        super().__init__()
        self.desk: dict[str, Any] | None = None
        self.busy = False
        self.connected = False
        self.rating: tuple[str, bool] | None = None  # (ticket number, rated yet)
        self._following = False
        self._lost = False
        self._reload_pending = False
        self.cases: list[dict[str, Any]] = []  # the window's open cases and its department's joint ones
        self.case_focus: int | None = None  # the case to highlight once the list is read again
        self._cases_pending = False

    # ---- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        a = self.app
        yield Static("", id="window-line")
        with Horizontal(id="status-row"):
            yield Static("", id="window-state")
            yield Static("", id="staff")
            yield Static(a.t("reconnecting"), id="connection")
        with Horizontal(id="desk"):
            with Vertical(id="left"):
                yield Static(a.t("current_title"), classes="title")
                yield Static("", id="current")
                yield Static(a.t("today_title"), classes="title")
                yield Static("", id="today")
                yield Static("", id="rating")
                with Vertical(id="cases"):
                    with Horizontal(id="cases-head"):
                        yield Static(a.t("cases_title"), classes="title")
                        yield Static("", id="cases-count")
                    yield OptionList(id="case-list")
                    yield Static("", id="case-detail")
                    with Horizontal(id="case-actions"):
                        for act in CASE_ACTIONS:
                            yield Button(f"{act.key_label} {a.t(act.label)}", id=f"act-{act.name}",
                                         action=f"screen.{act.name}", compact=True,
                                         disabled=act.name == "register_case")
            with Vertical(id="right"):
                yield Static(a.t("waiting_title"), classes="title")
                yield Static("", id="waiting")
                yield Static(a.t("parked_title"), classes="title")
                yield OptionList(id="parked")
        yield Static("", id="message")
        with Horizontal(id="actions"):
            for act in ACTIONS:
                yield Button(f"{act.key_label} {a.t(act.label)}", id=f"act-{act.name}", action=f"screen.{act.name}",
                             compact=True)

    def on_mount(self) -> None:
        self.query_one("#parked", OptionList).focus()  # arrows and Enter call back a held ticket, as before the cases
        self.reload()
        self.reload_cases()
        self.set_interval(1.0, self._draw_current)

    # ---- reading ------------------------------------------------------------------------------

    @work(exclusive=True, group="desk")
    async def reload(self) -> None:
        """One read of the desk; a newer reload cancels an older one still in flight."""
        a = self.app
        try:
            desk = await a.client.window_desk(a.window_id)
        except Unreachable:
            self._show_connection(False)
            return
        except ApiError as err:
            self._refused(err)
            return
        self.show(desk)
        if not self._following:
            self._following = True
            self.follow_events(desk["last_event_id"])

    def reload_soon(self) -> None:
        """One read for a burst of events (40 windows calling at once are 80 events)."""
        if not self._reload_pending:
            self._reload_pending = True
            self.set_timer(RELOAD_COALESCE_SECONDS, self._reload_now)

    def _reload_now(self) -> None:
        self._reload_pending = False
        self.reload()

    @work(exclusive=True, group="events")
    async def follow_events(self, after: int) -> None:
        a = self.app
        try:
            async for event in a.client.events(hall_id=a.hall_id, after=after, on_state=self._on_stream):
                self.on_hall_event(event)
        except ApiError as err:  # the token was revoked (signed out elsewhere) while the stream was away
            self._refused(err)

    def _refused(self, err: ApiError) -> None:
        """A read refused: a token no longer good is a sign-out, anything else is said on the desk.

        After a sign-out at this desk (the app holds no token) the refused reconnect of the
        stream the logout ended has nothing to add."""
        if self.app.client.token is None:
            return
        if err.status == 401:
            self.app.signed_out(err.message(self.app.lang))
        else:
            self.say(err.message(self.app.lang), error=True)

    def _on_stream(self, state: str) -> None:
        if state == "connected":
            self._show_connection(True)
            if self._lost:  # back after a cut: read the desk again, changes may have been made meanwhile
                self._lost = False
                self.reload()
                self.reload_cases()
        else:
            self._lost = True
            self._show_connection(False)

    def on_hall_event(self, event: dict[str, Any]) -> None:
        a = self.app
        payload = event.get("payload") or {}
        window = payload.get("window") or {}
        ticket = payload.get("ticket") or {}
        mine = window.get("id") == a.window_id or payload.get("window_id") == a.window_id
        if event["kind"] == "ticket.finished" and mine:
            self.rating = (ticket["number"], False)
            self._draw_rating()
        elif event["kind"] == "rating.submitted" and mine and self.rating and payload["number"] == self.rating[0]:
            self.rating = (self.rating[0], True)
            self._draw_rating()
        if event["kind"] == "case.changed":  # any window's: a co-department's sign-off moves our joint case
            self.cases_soon()
            return
        services = {s["id"] for s in (self.desk or {}).get("services", [])}
        if mine or ticket.get("service_id") in services or ticket.get("target_window_id") == a.window_id:
            self.reload_soon()

    # ---- drawing ------------------------------------------------------------------------------

    def show(self, desk: dict[str, Any]) -> None:
        a = self.app
        w = desk["window"]
        if a.user is not None and w["staff_id"] != a.user["user_id"]:
            a.signed_out(a.t("signed_out_elsewhere"))
            return
        self.desk = desk
        self.query_one("#window-line", Static).update(
            Text(a.t("window_line", window=w["number"], name=w["name"], location=w["location"]), "bold"))
        if w["state"] == "paused":
            state = a.t("state_paused", reason=w["pause_reason"]) if w["pause_reason"] else a.t("state_paused_plain")
        else:
            state = a.t("state_open") if w["state"] == "open" else a.t("state_closed")
        state_widget = self.query_one("#window-state", Static)
        state_widget.update(state)
        state_widget.set_class(w["state"] != "open", "attention")
        self.query_one("#staff", Static).update(a.t("staff", name=(a.user or {}).get("display_name", "")))
        pause = self.query_one("#act-pause", Button)
        pause.label = f"F10 {a.t('act_resume' if w['state'] == 'paused' else 'act_pause')}"
        self.query_one("#act-register_case", Button).disabled = desk["current"] is None
        self._draw_current()
        self._draw_waiting(desk)
        self._draw_parked(desk)
        self._draw_today(desk)
        self._draw_rating()

    def _draw_current(self) -> None:
        if self.desk is None:
            return
        a, cur = self.app, self.desk["current"]
        if cur is None:
            self.query_one("#current", Static).update(a.t("no_current"))
            return
        serving = cur["status"] == "serving"
        now = a.clock()
        text = Text()
        text.append(cur["number"], "bold reverse")
        text.append("  " + cur["service_name"] + "\n")
        text.append(a.t("status_serving" if serving else "status_called") + "\n", "bold")
        elapsed = duration(_since(now, cur["started_at"] if serving else cur["called_at"]))
        text.append(a.t("elapsed_serving" if serving else "elapsed_called", time=elapsed))
        if cur["recall_count"]:
            text.append("  " + a.t("recalls", count=cur["recall_count"]))
        self.query_one("#current", Static).update(text)

    def _draw_waiting(self, desk: dict[str, Any]) -> None:
        a = self.app
        text = Text(a.t("waiting_total", count=desk["waiting_count"]), "bold")
        if desk["waiting_count"]:
            text.append("  " + a.t("longest_wait", time=duration(desk["longest_wait_seconds"])))
        for s in desk["services"]:
            text.append("\n" + a.t("waiting_service", prefix=s["prefix"], name=s["name"], count=s["waiting"]))
        numbers = " ".join(tk["number"] for tk in desk["waiting"][:WAITING_SHOWN])
        if numbers:
            text.append("\n" + a.t("waiting_next", numbers=numbers))
        self.query_one("#waiting", Static).update(text)

    def _draw_parked(self, desk: dict[str, Any]) -> None:
        a = self.app
        parked = self.query_one("#parked", OptionList)
        keep = self._selected_parked_id()
        parked.clear_options()
        for tk in desk["parked"]:
            kind = a.t("parked_held" if tk["status"] == "held" else "parked_no_show")
            parked.add_option(Option(f"{tk['number']}  {kind}  {tk['service_name']}", id=str(tk["id"])))
        if keep is not None and any(tk["id"] == keep for tk in desk["parked"]):
            parked.highlighted = parked.get_option_index(str(keep))

    def _draw_today(self, desk: dict[str, Any]) -> None:
        a, today = self.app, desk["today"]
        text = Text(a.t("today_served", count=today["served"]))
        if today["served"]:
            text.append("  " + a.t("today_average", time=duration(today["average_service_seconds"])))
        text.append("\n" + a.t("today_no_shows", count=today["no_shows"]))  # apart: they were not served
        text.append("\n" + a.t("today_ratings", **today["ratings"]))
        self.query_one("#today", Static).update(text)

    def _draw_rating(self) -> None:
        a = self.app
        text = ""
        if self.rating is not None:
            number, rated = self.rating
            text = a.t("rating_received" if rated else "rating_prompt", number=number)
        self.query_one("#rating", Static).update(text)

    def _show_connection(self, connected: bool) -> None:
        self.connected = connected
        if not self.query("#connection"):  # the desk already left (signed out) as the stream spoke
            return
        widget = self.query_one("#connection", Static)
        widget.update(self.app.t("connected" if connected else "reconnecting"))
        widget.set_class(not connected, "attention")

    def say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#message", Static)
        message.update(text)
        message.set_class(error, "error")

    # ---- acting -------------------------------------------------------------------------------

    def act(self, op: Callable[[], Awaitable[Any]], done: Callable[[Any], str],
            after: Callable[[Any], None] | None = None) -> None:
        """Run one API call; one at a time, so a double press does not act twice."""
        if self.busy:
            self.say(self.app.t("busy"))
            return
        self.busy = True
        self._act(op, done, after)

    @work(group="action")
    async def _act(self, op: Callable[[], Awaitable[Any]], done: Callable[[Any], str],
                   after: Callable[[Any], None] | None) -> None:
        a = self.app
        try:
            result = await op()
        except ApiError as err:
            self.say(err.message(a.lang), error=True)
            return
        except Unreachable:
            self.say(a.t("unreachable_action"), error=True)
            return
        finally:
            self.busy = False
        self.say(done(result))
        if after is not None:
            after(result)
        else:
            self.reload()

    def _ticket_action(self, call: Callable[..., Awaitable[dict]], done_key: str) -> None:
        a = self.app
        self.act(lambda: call(a.window_id), lambda r: a.t(done_key, number=r["number"]))

    def action_call_next(self) -> None:
        a = self.app
        self.act(lambda: a.client.call_next(a.window_id),
                 lambda r: a.t("done_called", number=r["number"]) if r else a.t("nobody_waiting"), after=self._called)

    def _called(self, ticket: dict | None) -> None:
        """The answer is who is at the window now: shown, and ready to act on (transfer, recall), at once.

        Staff press F1 and then T in the same breath; waiting for the desk to be read again
        answered that second key with "nothing to transfer".
        """
        if self.desk is not None:
            self.desk = self.desk | {"current": ticket | {"started_at": None} if ticket else None}
            self.query_one("#act-register_case", Button).disabled = ticket is None
            self._draw_current()
        self.reload()

    def action_recall(self) -> None:
        self._ticket_action(self.app.client.recall_ticket, "done_recalled")

    def action_start(self) -> None:
        self._ticket_action(self.app.client.start_service, "done_started")

    def action_finish(self) -> None:
        self._ticket_action(self.app.client.finish_service, "done_finished")

    def action_skip(self) -> None:
        self._ticket_action(self.app.client.skip_ticket, "done_skipped")

    def action_hold(self) -> None:
        self._ticket_action(self.app.client.hold_ticket, "done_held")

    def _selected_parked_id(self) -> int | None:
        parked = self.query_one("#parked", OptionList)
        if parked.highlighted is not None:
            return int(parked.get_option_at_index(parked.highlighted).id)
        if parked.option_count == 1:
            return int(parked.get_option_at_index(0).id)
        return None

    def _parked_action(self, call: Callable[[int, int], Awaitable[dict]], done_key: str) -> None:
        a = self.app
        ticket_id = self._selected_parked_id()
        if ticket_id is None:
            self.say(a.t("choose_parked"), error=True)
            return
        self.act(lambda: call(a.window_id, ticket_id), lambda r: a.t(done_key, number=r["number"]))

    def action_call_back(self) -> None:
        self._parked_action(self.app.client.call_back_ticket, "done_called_back")

    def action_requeue(self) -> None:
        self._parked_action(self.app.client.requeue_ticket, "done_requeued")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a held or missed ticket calls it back."""
        if event.option_list.id == "parked":
            self.action_call_back()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "case-list":
            self._draw_case_detail()

    def action_transfer(self) -> None:
        a = self.app
        current = (self.desk or {}).get("current")
        if current is None:
            self.say(a.t("nothing_to_transfer"), error=True)
            return

        async def targets() -> tuple[list[dict], list[dict]]:
            return await a.client.list_services(a.hall_id), await a.client.list_windows(a.hall_id)

        def ask(answer: tuple[list[dict], list[dict]]) -> None:
            services, windows = answer
            dialog = TransferDialog(current["number"], services, windows, a.window_id, a.lang)
            self.app.push_screen(dialog, callback=self._transfer_to)

        self.act(targets, lambda _: "", after=ask)

    def _transfer_to(self, target: TransferTarget | None) -> None:
        if target is None:
            return
        a = self.app
        self.act(lambda: a.client.transfer_ticket(a.window_id, service_id=target.service_id,
                                                  to_window_id=target.window_id, note=target.note),
                 lambda r: a.t("done_transferred", number=r["number"], target=target.label))

    def action_pause(self) -> None:
        a = self.app
        if (self.desk or {}).get("window", {}).get("state") == "paused":
            self.act(lambda: a.client.resume_window(a.window_id), lambda _: a.t("done_resumed"))
            return

        def pause(reason: str | None) -> None:
            if reason:
                self.act(lambda: a.client.pause_window(a.window_id, reason), lambda _: a.t("done_paused"))

        self.app.push_screen(PauseDialog(a.lang), callback=pause)

    def action_sign_out(self) -> None:
        a = self.app

        async def sign_out() -> None:
            await a.client.sign_out_window(a.window_id)
            await a.client.logout()

        self.act(sign_out, lambda _: "", after=lambda _: a.signed_out())

    # ---- cases (办件) --------------------------------------------------------------------------

    def cases_soon(self) -> None:
        """One read of the cases for a burst of case events."""
        if not self._cases_pending:
            self._cases_pending = True
            self.set_timer(RELOAD_COALESCE_SECONDS, self._cases_now)

    def _cases_now(self) -> None:
        self._cases_pending = False
        self.reload_cases()

    @work(exclusive=True, group="cases")
    async def reload_cases(self) -> None:
        """The window's open cases, and the open joint cases its department leads or helps with
        (a co-department signs off its part from here), soonest deadline first."""
        a = self.app
        department = a.window.get("department_id")
        try:
            found = await a.client.list_cases(a.hall_id, window_id=a.window_id, due="open", limit=500)
            if department is not None:
                found += await a.client.list_cases(a.hall_id, department_id=department, case_type="joint", due="open",
                                                  limit=500)
        except Unreachable:  # the connection line says so; the stream's return reads again
            return
        except ApiError as err:
            self._refused(err)
            return
        by_id = {c["id"]: c for c in found}
        self.cases = sorted(by_id.values(), key=lambda c: (c["deadline"] is None, c["deadline"] or "", -c["id"]))
        self._draw_cases()

    def _draw_cases(self) -> None:
        a = self.app
        if not self.query("#case-list"):  # the desk already left (signed out) as the list arrived
            return
        listed = self.query_one("#case-list", OptionList)
        keep = self.case_focus or self._selected_case_id()
        self.case_focus = None
        listed.clear_options()
        for case in self.cases:
            listed.add_option(Option(case_line(case, a.lang, a.window.get("department_id")), id=str(case["id"])))
        if keep is not None and any(c["id"] == keep for c in self.cases):
            listed.highlighted = listed.get_option_index(str(keep))
        self.query_one("#cases-count", Static).update(a.t("cases_count", count=len(self.cases)))
        self._draw_case_detail()

    def _draw_case_detail(self) -> None:
        case = self._selected_case()
        text = case_detail(case, self.app.lang) if case else "" if self.cases else self.app.t("cases_none")
        self.query_one("#case-detail", Static).update(text)

    def _selected_case_id(self) -> int | None:
        listed = self.query_one("#case-list", OptionList)
        if listed.highlighted is not None:
            return int(listed.get_option_at_index(listed.highlighted).id)
        if listed.option_count == 1:
            return int(listed.get_option_at_index(0).id)
        return None

    def _selected_case(self) -> dict[str, Any] | None:
        chosen = self._selected_case_id()
        return next((c for c in self.cases if c["id"] == chosen), None)

    def _case_moved(self, case: dict[str, Any]) -> None:
        self.case_focus = case["id"]
        self.reload_cases()

    def _case_action(self, op: Callable[[dict[str, Any]], Awaitable[dict[str, Any]]],
                     done: Callable[[dict[str, Any]], str]) -> None:
        case = self._selected_case()
        if case is None:
            self.say(self.app.t("choose_case"), error=True)
            return
        self.act(lambda: op(case), done, after=self._case_moved)

    def action_register_case(self) -> None:
        """The 登记办件 form for the applicant being served: their item's materials and the hall's
        departments are read first, so the form opens complete."""
        a = self.app
        current = (self.desk or {}).get("current")
        if current is None:
            self.say(a.t("no_ticket_for_case"), error=True)
            return
        services = list(self.desk["services"])
        if all(s["id"] != current["service_id"] for s in services):  # transferred here for another item
            services.insert(0, {"id": current["service_id"], "name": current["service_name"]})

        async def read() -> tuple[dict, list[dict]]:
            return await a.client.get_service(current["service_id"]), await a.client.list_departments(a.hall_id)

        def ask(answer: tuple[dict, list[dict]]) -> None:
            service, departments = answer
            a.push_screen(RegisterCaseDialog(current, services, service, departments, a.lang),
                          callback=self._case_registered)

        self.act(read, lambda _: "", after=ask)

    def _case_registered(self, case: dict[str, Any] | None) -> None:
        if case is None:
            return
        a = self.app
        self.say(a.t("done_case_registered", number=case["case_number"], type=type_name(case["case_type"], a.lang)))
        self._case_moved(case)

    def action_case_materials(self) -> None:
        """补办件: the last missing item arrived (today unless another day is typed); the clock starts."""
        a = self.app
        case = self._selected_case()
        if case is None:
            self.say(a.t("choose_case"), error=True)
            return
        today = hall_today(a)

        def check(text: str) -> str | None:
            try:
                date.fromisoformat(text)
            except ValueError:
                return a.t("date_invalid", example=today.isoformat())
            return None

        def complete(day: str | None) -> None:
            if day:
                self.act(lambda: a.client.complete_materials(case["id"], day),
                         lambda c: a.t("done_case_materials", number=c["case_number"],
                                       deadline=deadline_text(c, a.lang)), after=self._case_moved)

        a.push_screen(AskDialog(a.t("materials_title", number=case["case_number"]), a.t("materials_date"),
                                a.t("materials_hint"), value=today.isoformat(), check=check), callback=complete)

    def action_case_finish(self) -> None:
        a = self.app
        self._case_action(lambda c: a.client.finish_case(c["id"]),
                          lambda c: a.t("done_case_finished", number=c["case_number"]))

    def action_case_sign_off(self) -> None:
        """A joint case's department finishes its part; the server knows the window's department."""
        a = self.app
        self._case_action(lambda c: a.client.sign_off_case(c["id"]),
                          lambda c: a.t("done_case_signed_finished" if c["status"] == "finished"
                                        else "done_case_signed", number=c["case_number"]))

    def action_case_return(self) -> None:
        """退回 with its reason; a 退回件 decided now gets its notice, which states the reason."""
        a = self.app
        case = self._selected_case()
        if case is None:
            self.say(a.t("choose_case"), error=True)
            return

        def check(text: str) -> str | None:
            return None if text else a.t("reason_required")

        async def return_it(reason: str) -> tuple[dict, NoticeOutcome | None]:
            returned = await a.client.return_case(case["id"], reason)
            return returned, await print_notice(a, returned) if returned["case_type"] == "returned" else None

        def said(answer: tuple[dict, NoticeOutcome | None]) -> str:
            returned, outcome = answer
            text = a.t("done_case_returned", number=returned["case_number"])
            return f"{text} {outcome.text}" if outcome else text

        def after(answer: tuple[dict, NoticeOutcome | None]) -> None:
            if answer[1] is not None and answer[1].retry:
                self.say(said(answer), error=True)
            self._case_moved(answer[0])

        def reason_given(reason: str | None) -> None:
            if reason:
                self.act(lambda: return_it(reason), said, after=after)

        a.push_screen(AskDialog(a.t("return_title", number=case["case_number"]), a.t("return_reason"),
                                a.t("return_hint"), check=check), callback=reason_given)

    def action_case_reprint(self) -> None:
        """The chosen case's notice again, all its copies (the printer ran out of paper, a copy was spoilt)."""
        a = self.app
        case = self._selected_case()
        if case is None:
            self.say(a.t("choose_case"), error=True)
            return

        async def reprint() -> NoticeOutcome:
            return await print_notice(a, await a.client.get_case(case["id"]))

        def after(outcome: NoticeOutcome) -> None:
            self.say(outcome.text, error=outcome.retry)
            self._case_moved(case)

        self.act(reprint, lambda o: o.text, after=after)
