"""The typed client terminals and tests use to reach the hall server (httpx, async).

Method names are the API's operation ids. Errors come back as :class:`ApiError` carrying the
server's stable code and both messages, so a terminal can show the polite text as it is.
Network failures raise :class:`Unreachable`, which terminals turn into "retrying" screens.

A client may be given several server addresses (processes or hosts serving the same halls on
one database). It keeps to the one that last answered; when that one fails it moves to the
next. A request that is safe to send twice (a GET, a ticket with its idempotency key) is tried
at each address once within the call; any other request raises :class:`Unreachable` at once,
since it may have been done before the connection broke, and the terminal decides whether to
try again (then at the next address). The event stream resumes at the next address after the
last event id it saw.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import ssl
import uuid
from collections.abc import AsyncIterator, Iterable
from typing import Any

import httpx
import orjson

# Events that say the hall or its catalog changed (hall_server/catalog/changes.py): a kiosk or a
# board that sees one reads the hall again, so 业务科's change shows without a restart.
HALL_CHANGES = frozenset({"hall.updated", "catalog.changed"})


class ApiError(Exception):
    def __init__(self, status: int, code: str, message_zh: str, message_en: str,
                 problems: list[dict] | None = None) -> None:
        super().__init__(f"{status} {code}: {message_en}")
        self.status, self.code, self.message_zh, self.message_en = status, code, message_zh, message_en
        self.problems = problems or []  # a refused catalog's mistakes: [{line, path, zh, en}]

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang == "zh" else self.message_en


def _api_error(status: int, body: bytes) -> ApiError:
    """The server's ``{"error": {...}}`` as an ApiError; a body without one (a proxy's page) as its text."""
    try:
        e = orjson.loads(body)["error"]
        return ApiError(status, e["code"], e["message_zh"], e["message_en"], e.get("problems"))
    except (ValueError, KeyError, TypeError):
        text = body[:200].decode("utf-8", "replace")
        return ApiError(status, "http_error", text, text)


class Unreachable(Exception):
    """The server could not be reached (down, restarting, network cut)."""


@functools.cache
def tls() -> ssl.SSLContext:
    """One TLS context for every client: httpx builds a new one per client otherwise (about 6 ms of
    CPU, loading the CA bundle), and boards, callers and the bus make a client per connection."""
    return httpx.create_ssl_context()


def addresses(servers: str | Iterable[str]) -> list[str]:
    """The server addresses in ``servers``: one URL, a comma-separated list, or a list of either
    (``--server a,b`` and ``--server a --server b`` mean the same)."""
    items = [servers] if isinstance(servers, str) else list(servers)
    urls = [url.strip().rstrip("/") for item in items for url in item.split(",") if url.strip()]
    if not urls:
        raise ValueError("no server address given")
    return urls


def add_server_option(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """Every terminal's ``--server``: repeat it or separate addresses by commas to fail over."""
    parser.add_argument("--server", action="append", required=required, metavar="URL",
                        help="the hall server, e.g. http://127.0.0.1:8000; several serving the same hall "
                             "(comma-separated or the option repeated) are tried in turn when one stops answering")


class HallClient:
    def __init__(self, base_url: str | Iterable[str], token: str | None = None, *, timeout: float = 10.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        """``base_url``: the server, or several serving the same halls (see :func:`addresses`)."""
        self.base_urls = addresses(base_url)
        self._current = 0
        self.token = token
        self._timeout, self._transport = timeout, transport
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport, verify=tls())

    def for_token(self, token: str | None) -> HallClient:
        """Another client to the same servers, starting at the one that answers now, acting with
        ``token`` (a staff member's, a device's) while this one keeps its own."""
        other = HallClient(self.base_urls, token, timeout=self._timeout, transport=self._transport)
        other._current = self._current
        return other

    @property
    def base_url(self) -> str:
        """The address in use: the one that last answered (or the first, before any answer)."""
        return self.base_urls[self._current]

    @base_url.setter
    def base_url(self, servers: str | Iterable[str]) -> None:
        self.base_urls = addresses(servers)
        self._current = 0

    def _failed(self, url: str) -> None:
        """``url`` stopped answering: move on to the next address. Only if it is still the current
        one, so that requests failing together at one address move the client on once, not past
        the next address as well."""
        if self.base_url == url:
            self._current = (self._current + 1) % len(self.base_urls)

    async def __aenter__(self) -> HallClient:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, *, json_body: Any = None, params: dict | None = None,
                    token: str | None = None, idempotent: bool = False, content: str | None = None,
                    content_type: str | None = None, binary: bool = False) -> Any:
        """One API request. ``idempotent``: sending it twice does it once (a POST with an
        idempotency key), so after a broken connection it is sent to the next address too.
        ``content``: a body sent as it is, of ``content_type``, instead of ``json_body``."""
        headers = {"Content-Type": content_type} if content_type else {}
        tok = token or self.token
        if tok:
            headers["Authorization"] = f"Bearer {tok}"
        tries = len(self.base_urls) if method == "GET" or idempotent else 1
        for attempt in range(tries):
            url = self.base_url
            try:
                r = await self._http.request(method, f"{url}/api/v1{path}", json=json_body, params=params,
                                             headers=headers, content=None if content is None else content.encode())
                break
            except (httpx.TransportError, OSError) as exc:
                self._failed(url)
                if attempt == tries - 1:
                    raise Unreachable(f"{url}: {exc}") from exc
        if r.status_code == 204:
            return None
        if r.status_code >= 400:
            raise _api_error(r.status_code, r.content)
        ctype = r.headers.get("content-type", "")
        if binary:
            return r.content
        return r.json() if ctype.startswith("application/json") else r.text

    # --- public ---------------------------------------------------------------------------
    async def health(self) -> dict:
        return await self._call("GET", "/health")

    async def list_halls(self) -> list[dict]:
        return await self._call("GET", "/halls")

    async def get_hall(self, hall_id: int) -> dict:
        return await self._call("GET", f"/halls/{hall_id}")

    async def list_departments(self, hall_id: int) -> list[dict]:
        return await self._call("GET", f"/halls/{hall_id}/departments")

    async def list_services(self, hall_id: int) -> list[dict]:
        return await self._call("GET", f"/halls/{hall_id}/services")

    async def get_service(self, service_id: int) -> dict:
        return await self._call("GET", f"/services/{service_id}")

    async def list_windows(self, hall_id: int) -> list[dict]:
        return await self._call("GET", f"/halls/{hall_id}/windows")

    async def hall_board(self, hall_id: int) -> dict:
        return await self._call("GET", f"/halls/{hall_id}/board")

    async def lookup_status(self, status_token: str) -> dict:
        return await self._call("GET", f"/status/{status_token}")

    async def lookup_ticket(self, hall_id: int, number: str, code: str) -> dict:
        """Today's ticket by number and check code; the answer includes its status token."""
        return await self._call("GET", f"/halls/{hall_id}/tickets/lookup", params={"number": number, "code": code})

    async def submit_rating(self, status_token: str, rating: str, *, reasons: list[str] | None = None,
                            comment: str = "", channel: str = "qr") -> dict:
        return await self._call("POST", "/ratings", json_body={
            "status_token": status_token, "rating": rating, "reasons": reasons or [], "comment": comment,
            "channel": channel})

    async def list_events(self, after: int = 0, hall_id: int | None = None, limit: int = 500) -> list[dict]:
        params: dict[str, Any] = {"after": after, "limit": limit}
        if hall_id is not None:
            params["hall_id"] = hall_id
        return await self._call("GET", "/events", params=params)

    # --- sign-in --------------------------------------------------------------------------
    async def login(self, username: str, password: str) -> dict:
        """Sign in; the client then acts with the new access token."""
        out = await self._call("POST", "/auth/login", json_body={"username": username, "password": password})
        self.token = out["access_token"]
        return out

    async def card_login(self, card_id: str, window_id: int) -> dict:
        return await self._call("POST", "/auth/card-login", json_body={"card_id": card_id, "window_id": window_id})

    async def logout(self) -> None:
        await self._call("POST", "/auth/logout")

    # --- kiosk ----------------------------------------------------------------------------
    async def issue_ticket(self, service_id: int, priority: str = "normal", *, idempotency_key: str | None = None,
                           green_code: str | None = None) -> dict:
        """Issue a ticket; pass the same ``idempotency_key`` when retrying so one ticket results."""
        body: dict[str, Any] = {"service_id": service_id, "priority": priority,
                                "idempotency_key": idempotency_key or uuid.uuid4().hex}
        if green_code:
            body["green_code"] = green_code
        return await self._call("POST", "/tickets", json_body=body, idempotent=True)

    # --- window ---------------------------------------------------------------------------
    async def sign_in_window(self, window_id: int) -> dict:
        return await self._call("POST", f"/windows/{window_id}/sign-in")

    async def sign_out_window(self, window_id: int) -> dict:
        return await self._call("POST", f"/windows/{window_id}/sign-out")

    async def window_desk(self, window_id: int) -> dict:
        return await self._call("GET", f"/windows/{window_id}/desk")

    async def call_next(self, window_id: int) -> dict | None:
        """The ticket called, or None when no one waits."""
        return await self._call("POST", f"/windows/{window_id}/call-next")

    async def _ticket_op(self, window_id: int, op: str, ticket_id: int | None = None,
                         extra: dict | None = None) -> dict:
        body = {"ticket_id": ticket_id} if ticket_id is not None else {}
        return await self._call("POST", f"/windows/{window_id}/{op}", json_body=body | (extra or {}))

    async def recall_ticket(self, window_id: int, ticket_id: int | None = None) -> dict:
        return await self._ticket_op(window_id, "recall", ticket_id)

    async def skip_ticket(self, window_id: int, ticket_id: int | None = None) -> dict:
        return await self._ticket_op(window_id, "skip", ticket_id)

    async def hold_ticket(self, window_id: int, ticket_id: int | None = None) -> dict:
        return await self._ticket_op(window_id, "hold", ticket_id)

    async def start_service(self, window_id: int, ticket_id: int | None = None) -> dict:
        return await self._ticket_op(window_id, "start", ticket_id)

    async def finish_service(self, window_id: int, ticket_id: int | None = None) -> dict:
        return await self._ticket_op(window_id, "finish", ticket_id)

    async def cancel_ticket(self, window_id: int, ticket_id: int | None = None) -> dict:
        return await self._ticket_op(window_id, "cancel", ticket_id)

    async def call_back_ticket(self, window_id: int, ticket_id: int) -> dict:
        return await self._ticket_op(window_id, "call-back", ticket_id)

    async def requeue_ticket(self, window_id: int, ticket_id: int) -> dict:
        return await self._ticket_op(window_id, "requeue", ticket_id)

    async def transfer_ticket(self, window_id: int, ticket_id: int | None = None, *, service_id: int | None = None,
                              to_window_id: int | None = None, note: str = "") -> dict:
        return await self._ticket_op(window_id, "transfer", ticket_id,
                                     {"service_id": service_id, "window_id": to_window_id, "note": note})

    async def pause_window(self, window_id: int, reason: str = "") -> dict:
        return await self._call("POST", f"/windows/{window_id}/pause", json_body={"reason": reason})

    async def resume_window(self, window_id: int) -> dict:
        return await self._call("POST", f"/windows/{window_id}/resume")

    async def rate_at_window(self, window_id: int, rating: str) -> dict:
        return await self._call("POST", f"/windows/{window_id}/rating", json_body={"rating": rating})

    # --- devices --------------------------------------------------------------------------
    async def report_device_health(self, device: str, kind: str, state: str, *, detail: str = "",
                                   window_id: int | None = None) -> dict:
        """Report one device's state (kiosk or bus token); a change becomes a ``device.health`` event."""
        return await self._call("POST", "/devices/health", json_body={
            "device": device, "kind": kind, "state": state, "detail": detail, "window_id": window_id})

    async def list_device_health(self, hall_id: int) -> list[dict]:
        return await self._call("GET", f"/halls/{hall_id}/devices/health")

    # --- admin ----------------------------------------------------------------------------
    async def export_catalog(self, hall_id: int | None = None) -> str:
        return await self._call("GET", "/admin/catalog", params={"hall_id": hall_id} if hall_id else None)

    async def import_catalog(self, yaml_text: str) -> dict:
        """Import the catalog's YAML as it is; a refusal's ``ApiError.problems`` lists every mistake."""
        return await self._call("PUT", "/admin/catalog", content=yaml_text, content_type="application/yaml")

    async def update_hall(self, hall_id: int, **changes: Any) -> dict:
        """Hours, lunch ("12:00-13:00"), notices, queue rules."""
        return await self._call("PATCH", f"/admin/halls/{hall_id}", json_body=changes)

    async def update_service(self, service_id: int, **changes: Any) -> dict:
        """A service's fields; ``active=False`` retires it, ``True`` brings it back."""
        return await self._call("PATCH", f"/admin/services/{service_id}", json_body=changes)

    async def update_window(self, window_id: int, **changes: Any) -> dict:
        """A window's fields; ``active=False`` retires it, ``True`` brings it back."""
        return await self._call("PATCH", f"/admin/windows/{window_id}", json_body=changes)

    async def create_device_token(self, hall_id: int, role: str, name: str = "") -> dict:
        return await self._call("POST", f"/admin/halls/{hall_id}/devices", json_body={"role": role, "name": name})

    async def create_green_pass(self, hall_id: int, label: str = "", valid_days: int = 90) -> dict:
        return await self._call("POST", f"/admin/halls/{hall_id}/green-passes",
                                json_body={"label": label, "valid_days": valid_days})

    # --- events ---------------------------------------------------------------------------
    # --- cases (办件) -----------------------------------------------------------------------
    async def register_case(self, service_id: int, case_type: str, applicant: dict, *,
                            idempotency_key: str | None = None, **fields: Any) -> dict:
        """Register a case; ``fields`` as ``schemas.CaseIn`` (ticket_id, window_id, materials_received,
        missing_materials, reason, subject, departments, accepted_on, urgent_note…). Retried with
        the same key after a lost answer, it gives the case registered the first time."""
        body = {"service_id": service_id, "case_type": case_type, "applicant": applicant,
                "idempotency_key": idempotency_key or uuid.uuid4().hex, **fields}
        return await self._call("POST", "/cases", json_body=body, idempotent=True)

    async def get_case(self, case_id: int) -> dict:
        return await self._call("GET", f"/cases/{case_id}")

    async def list_cases(self, hall_id: int, **filters: Any) -> list[dict]:
        params = {k: v for k, v in filters.items() if v is not None}
        return (await self._call("GET", f"/halls/{hall_id}/cases", params=params))["cases"]

    async def complete_materials(self, case_id: int, completed_on: str) -> dict:
        return await self._call("POST", f"/cases/{case_id}/materials-complete",
                                json_body={"completed_on": completed_on})

    async def finish_case(self, case_id: int, note: str = "") -> dict:
        return await self._call("POST", f"/cases/{case_id}/finish", json_body={"note": note})

    async def sign_off_case(self, case_id: int, department_id: int | None = None) -> dict:
        return await self._call("POST", f"/cases/{case_id}/sign-off", json_body={"department_id": department_id})

    async def return_case(self, case_id: int, reason: str) -> dict:
        return await self._call("POST", f"/cases/{case_id}/return", json_body={"reason": reason})

    async def request_review(self, case_id: int, note: str = "") -> dict:
        return await self._call("POST", f"/cases/{case_id}/review", json_body={"note": note})

    async def decide_review(self, case_id: int, overturned: bool, note: str) -> dict:
        return await self._call("POST", f"/cases/{case_id}/review/decision",
                                json_body={"overturned": overturned, "note": note})

    async def extend_case(self, case_id: int, days: int, reason: str) -> dict:
        return await self._call("POST", f"/cases/{case_id}/extend", json_body={"days": days, "reason": reason})

    async def notice_printed(self, case_id: int, copies: int = 1) -> dict:
        return await self._call("POST", f"/cases/{case_id}/notice-printed", json_body={"copies": copies})

    async def case_notice_pdf(self, case_id: int) -> bytes:
        return await self._call("GET", f"/cases/{case_id}/notice.pdf", binary=True)

    async def get_calendar_days(self, hall_id: int, year: int) -> dict:
        return await self._call("GET", f"/halls/{hall_id}/calendar/{year}")

    async def set_calendar_days(self, hall_id: int, year: int, days: list[dict]) -> dict:
        return await self._call("PUT", f"/halls/{hall_id}/calendar/{year}", json_body={"days": days})

    async def events(self, hall_id: int | None = None, after: int | None = None, *,
                     reconnect: bool = True, on_state: Any = None, view: str | None = None) -> AsyncIterator[dict]:
        """Every event after ``after``, live, in order, once; reconnects and resumes by itself.

        ``on_state("connected" | "reconnecting")`` lets a screen show that it is catching up.
        """
        async for batch in self.event_batches(hall_id, after, reconnect=reconnect, on_state=on_state, view=view):
            for event in batch:
                yield event

    async def event_batches(self, hall_id: int | None = None, after: int | None = None, *,
                            reconnect: bool = True, on_state: Any = None,
                            view: str | None = None) -> AsyncIterator[list[dict]]:
        """``events``, as the server sent them together: a burst of calls comes as one list.

        ``view="board"``: each event as a hall board needs it (see events/routes.py); it needs no
        token. The whole events need the client's token: without one, or with another hall's,
        :class:`ApiError` (401 or 403) is raised at once, not retried. A dropped stream is taken
        up at the next address, after the last event id seen (ids grow in commit order within a
        hall, on every server of it).
        """
        import websockets

        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        last = after
        backoff = 0.2
        while True:
            params = [f"hall_id={hall_id}"] if hall_id is not None else []
            if view is not None:
                params.append(f"view={view}")
            if last is not None:
                params.append(f"after={last}")
            server = self.base_url
            url = server.replace("http", "ws", 1) + "/api/v1/events"
            try:
                async with websockets.connect(url + ("?" + "&".join(params) if params else ""),
                                              additional_headers=headers, open_timeout=5, max_size=2**22,
                                              compression=None) as ws:
                    backoff = 0.2
                    if on_state:
                        on_state("connected")
                    async for raw in ws:
                        msg = orjson.loads(raw)  # a burst is 80 events per board: 2x faster than json
                        if msg["type"] in ("event", "events"):
                            batch = msg["events"] if msg["type"] == "events" else [msg["event"]]
                            last = batch[-1]["id"]
                            yield batch
                        elif msg["type"] == "ping" and last is None:
                            last = msg["last_id"]
            except websockets.InvalidStatus as exc:  # refused before the upgrade, as a call is refused
                refused = _api_error(exc.response.status_code, exc.response.body or b"")
                if refused.status in (401, 403) or not reconnect:
                    raise refused from None
                backoff = 5.0  # too many connections from here (429): wait the longest
            except (TimeoutError, OSError, websockets.WebSocketException):
                if not reconnect:
                    raise Unreachable("event stream lost") from None
            if not reconnect:
                return
            self._failed(server)  # dropped or refused: the next address takes the stream up
            if on_state:
                on_state("reconnecting")
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, 5.0)
