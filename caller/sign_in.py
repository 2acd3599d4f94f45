"""Staff sign in to the window: staff ID and password, or a staff card (swiped or typed).

A card is vouched for by the window's device token (``card_login`` needs a bus token); the
answer is a staff token like a password login gives, and then the window is signed in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from hall_server.client import ApiError, Unreachable

if TYPE_CHECKING:
    from caller.app import CallerApp


class SignInScreen(Screen[None]):
    app: CallerApp

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self._first_message = message

    def compose(self) -> ComposeResult:
        a = self.app
        with Vertical(id="sign-in"):
            yield Static(a.t("sign_in_title", window=a.window_number), id="sign-in-title")
            yield Input(placeholder=a.t("username"), id="username")
            yield Input(placeholder=a.t("password"), password=True, id="password")
            yield Button(a.t("sign_in"), id="sign-in-button", variant="primary")
            yield Static(a.t("card_hint"), id="card-hint")
            with Horizontal(id="card-row"):
                yield Input(placeholder=a.t("card_id"), id="card")
                yield Button(a.t("card_sign_in"), id="card-button")
            yield Static(self._first_message, id="sign-in-message")

    def on_mount(self) -> None:
        self.query_one("#username", Input).focus()
        if not self._first_message and not self.app.located.is_set():
            self.say(self.app.t("connecting"))

    def say(self, text: str) -> None:
        self.query_one("#sign-in-message", Static).update(text)

    @on(Input.Submitted, "#username")
    def _to_password(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in-button")
    def _password_sign_in(self) -> None:
        username = self.query_one("#username", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not username or not password:
            self.say(self.app.t("fill_in"))
            return
        self.say(self.app.t("signing_in"))
        self._sign_in(lambda: self.app.client.login(username, password))

    @on(Input.Submitted, "#card")
    @on(Button.Pressed, "#card-button")
    def _typed_card(self) -> None:
        card = self.query_one("#card", Input).value.strip()
        if card:
            self.sign_in_by_card(card)

    def sign_in_by_card(self, card_id: str) -> None:
        a = self.app
        if not a.device_token:
            self.say(a.t("card_needs_device"))
            return
        self.say(a.t("card_read"))

        async def by_card() -> dict[str, Any]:
            async with a.client.for_token(a.device_token) as device:
                login = await device.card_login(card_id, a.window_id)
            a.client.token = login["access_token"]
            return login

        self._sign_in(by_card)

    @work(exclusive=True, group="sign-in")
    async def _sign_in(self, login) -> None:
        a = self.app
        await a.located.wait()
        try:
            answer = await login()
            await a.client.sign_in_window(a.window_id)
        except ApiError as err:
            a.client.token = None
            self.say(err.message(a.lang))
            return
        except Unreachable:
            self.say(a.t("unreachable_action"))
            return
        self.query_one("#password", Input).value = ""
        a.signed_in(answer)
