"""The window's desk: its state, the current ticket, who waits, held and missed tickets, today.

Everything shown comes from ``window_desk`` in one read; the hall's events (from this caller,
a physical keypad or a supervisor alike) trigger a new read, so the desk is never out of date
for long and never guesses. Each action is one API call with a key (F1-F12, or a letter);
what the state machine forbids comes back as the server's polite message and is shown as is.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from caller.dialogs import PauseDialog, TransferDialog, TransferTarget
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


def _since(now: datetime, iso: str | None) -> float:
    return (now - datetime.fromisoformat(iso)).total_seconds() if iso else 0.0


class DeskScreen(Screen[None]):
    app: CallerApp
    BINDINGS = [Binding(a.keys, a.name, a.name, show=False) for a in ACTIONS]

    def __init__(self) -> None:
        super().__init__()
        self.desk: dict[str, Any] | None = None
        self.busy = False
        self.connected = False
        self.rating: tuple[str, bool] | None = None  # (ticket number, rated yet)
        self._following = False
        self._lost = False
        self._reload_pending = False

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
                    yield Static(a.t("cases_title"), classes="title")
                    with Horizontal():
                        yield Button(a.t("cases_button"), id="register-case", disabled=True, compact=True)
                        yield Static(a.t("cases_note"), id="cases-note")
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
        self.reload()
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
