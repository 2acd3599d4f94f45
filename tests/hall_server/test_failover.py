"""Terminals that fail over: given several server addresses, a client moves to the next when one
stops answering, without a second ticket and without missing an event.

The client's rules, each shown against one hall server behind two relays (two addresses, either
of which can be stopped) on SQLite, since they do not depend on the database: reads and keyed
tickets are asked again at the next address within the call; any other write is not (it may have
been done), and the next attempt goes to the next address; the event stream resumes there after
the last id it saw. Then the proof with two ``hall serve`` processes on one PostgreSQL database,
one of them killed (SIGKILL) while kiosks issue, windows call and boards follow the hall.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from display.feed import follow
from hall_server.client import ApiError, HallClient, Unreachable, addresses
from tests.display.support import until
from tests.hall_server.proofs import ServeProcess, all_events, db_tickets, free_port, seed_open_hall
from tests.harness import RunningHall
from tests.kiosk.relay import Relay

T = TypeVar("T")
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
only_postgresql = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
CALL_KINDS = ("ticket.called", "ticket.recalled", "ticket.called_back")


def refused() -> str:
    """An address where nothing listens: the connection is refused at once."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def relays(hall: RunningHall) -> Iterator[tuple[Relay, Relay]]:
    """Two addresses of the one test server; stopping a relay is that address going down."""
    pair = (Relay(hall.url).start(), Relay(hall.url).start())
    yield pair
    for relay in pair:
        relay.stop()


# --- the addresses --------------------------------------------------------------------------------


def test_addresses_come_as_one_url_a_comma_separated_list_or_the_option_repeated() -> None:
    assert addresses("http://a:8000/") == ["http://a:8000"]
    assert addresses("http://a:8000, http://b:8000") == ["http://a:8000", "http://b:8000"]
    assert addresses(["http://a:8000,http://b:8000", "http://c:8000"]) == ["http://a:8000", "http://b:8000",
                                                                          "http://c:8000"]
    with pytest.raises(ValueError):
        addresses(" , ")


def _kiosk(argv: list[str]) -> list[str]:
    from kiosk.app import KioskApp
    from kiosk.config import load_config, parser

    return KioskApp(load_config(parser().parse_args([*argv, "--kiosk-token", "t"]))).client.base_urls


def _caller(argv: list[str]) -> list[str]:
    from caller.app import CallerApp, _parser

    return CallerApp(_parser().parse_args([*argv, "--window", "1"]).server, 1).client.base_urls


def _board(argv: list[str]) -> list[str]:
    from display.app import BoardApp, _parser

    return BoardApp(_parser().parse_args(argv).server).client.base_urls


def _bus(argv: list[str]) -> list[str]:
    from hardware.bus.cli import _parser
    from hardware.bus.process import Bus

    a = _parser().parse_args([*argv, "--port", "loop://", "--token", "t", "--hall", "1"])
    return Bus(a.port, a.server, a.token, a.hall)._client.base_urls


@pytest.mark.parametrize("terminal", [_kiosk, _caller, _board, _bus], ids=["kiosk", "caller", "display", "bus"])
async def test_every_terminal_command_takes_several_servers(terminal: Callable[[list[str]], list[str]]) -> None:
    assert terminal(["--server", "http://a:1,http://b:1", "--server", "http://c:1"]) == \
        ["http://a:1", "http://b:1", "http://c:1"]


# --- the client's rules (one server, two relays, SQLite) ------------------------------------------


@sqlite_only
async def test_a_read_moves_to_the_next_address_and_stays_there(hall: RunningHall, relays) -> None:
    a, b = relays
    async with HallClient([refused(), hall.url], hall.hall.kiosk_token) as c:
        assert (await c.hall_board(hall.hall.hall_id))["hall"]["id"] == hall.hall.hall_id
        assert c.base_url == hall.url
    async with HallClient([a.url, b.url]) as c:
        await c.list_halls()
        assert c.base_url == a.url
        a.stop()
        await c.list_halls()  # a's connection is gone and a new one refused: asked again at b
        assert c.base_url == b.url
        a = Relay(hall.url, port=a.port).start()  # a is back, but b answers: the client keeps to b
        try:
            await c.list_halls()
            assert c.base_url == b.url
            b.stop()
            await c.list_halls()  # from the last address round to the first
            assert c.base_url == a.url
        finally:
            a.stop()


@sqlite_only
async def test_a_ticket_whose_answer_was_lost_is_asked_again_at_the_next_address_with_its_key(
        hall: RunningHall, relays) -> None:
    a, b = relays
    h = hall.hall
    async with HallClient([a.url, b.url], h.kiosk_token) as kiosk:
        start = (await kiosk.hall_board(h.hall_id))["last_event_id"]
        a.lose_responses = 1  # the server issues the ticket; the answer never reaches the kiosk
        ticket = await kiosk.issue_ticket(h.services["GS-1"], idempotency_key="one-confirmation")
        assert a.lost == 1 and kiosk.base_url == b.url
        again = await kiosk.issue_ticket(h.services["GS-1"], idempotency_key="one-confirmation")
        issued = [e for e in await kiosk.list_events(after=start, hall_id=h.hall_id) if e["kind"] == "ticket.issued"]
    assert again == ticket
    assert [e["payload"]["ticket"]["id"] for e in issued] == [ticket["id"]], "one confirmation, one ticket"


@sqlite_only
async def test_a_call_whose_answer_was_lost_is_not_sent_again(hall: RunningHall, relays) -> None:
    """Sent again, the lost call would finish the applicant just called and call the next one."""
    a, b = relays
    h = hall.hall
    async with HallClient(hall.url, h.kiosk_token) as kiosk, HallClient([a.url, b.url]) as staff:
        first, _second = [await kiosk.issue_ticket(h.services["BK-1"]) for _ in range(2)]
        await staff.login(h.staff[10], h.password)
        await staff.sign_in_window(h.windows[10])
        a.lose_responses = 1
        with pytest.raises(Unreachable):
            await staff.call_next(h.windows[10])
        assert staff.base_url == b.url  # the staff member's next try goes to b
        desk = await staff.window_desk(h.windows[10])
    assert desk["current"]["id"] == first["id"], "the call was done once, at a, and not again at b"


@sqlite_only
async def test_a_request_is_unreachable_only_when_every_address_is(hall: RunningHall) -> None:
    async with HallClient([refused(), refused()], hall.hall.kiosk_token) as c:
        with pytest.raises(Unreachable):
            await c.list_halls()
        with pytest.raises(Unreachable):
            await c.issue_ticket(hall.hall.services["GS-1"])


@sqlite_only
async def test_the_event_stream_resumes_at_the_next_address_after_the_last_event(hall: RunningHall, relays) -> None:
    a, b = relays
    h = hall.hall
    seen: list[dict] = []
    states: list[str] = []
    async with HallClient(hall.url, h.kiosk_token) as kiosk, HallClient([a.url, b.url], h.kiosk_token) as board:
        start = (await kiosk.hall_board(h.hall_id))["last_event_id"]

        async def run() -> None:
            async for batch in board.event_batches(h.hall_id, after=start, on_state=states.append):
                seen.extend(batch)

        task = asyncio.create_task(run())
        try:
            await until(lambda: "connected" in states)
            for _ in range(3):
                await kiosk.issue_ticket(h.services["GS-1"])
            await until(lambda: len(seen) == 3)
            a.stop()
            for _ in range(3):  # while the board is between addresses
                await kiosk.issue_ticket(h.services["GS-1"])
            await until(lambda: len(seen) >= 6)
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        log = await kiosk.list_events(after=start, hall_id=h.hall_id)
    assert seen == log, "the board missed, repeated or reordered events across the move"
    assert states[:3] == ["connected", "reconnecting", "connected"] and board.base_url == b.url


# --- the proof: two server processes, one killed ---------------------------------------------------

KIOSKS = 4
WINDOWS = (10, 11, 12)
SERVICES = ("BK-1", "GS-1")
BEFORE_KILL, AFTER_KILL = 40, 40  # tickets acknowledged before the kill, and after it
PATIENCE = 60.0


def busy(exc: ApiError) -> bool:
    """The server's "busy, try again" (503: it rolled the request back, e.g. after a deadlock)."""
    return exc.status == 503


async def reach(call: Callable[[], Awaitable[T]], deadline: float) -> T:
    """``call()`` until a server answers, as the kiosk retries (the client has moved on meanwhile)."""
    while True:
        try:
            return await call()
        except (Unreachable, ApiError) as exc:
            if (isinstance(exc, ApiError) and not busy(exc)) or time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.05)


class Hall:
    """Kiosks, windows and two followers of one hall, each a client of both servers, run as tasks."""

    def __init__(self, servers: list[str], hall) -> None:
        self.servers, self.hall = servers, hall
        self.tickets: list[tuple[str, int, dict]] = []  # (idempotency key, service, ticket) per answer
        self.calls: list[tuple[int, dict]] = []  # (window number, ticket) per call answered
        self.seen: list[dict] = []  # the whole events, as the follower received them
        self.spoken: list[tuple[int, str, str, bool]] = []  # the board's calls: (event id, number, window, recall)
        self.states: dict[str, list[str]] = {"follower": [], "board": []}
        self.board_start: int | None = None
        self.clients: list[HallClient] = []
        self.working = True
        self.deadline = time.monotonic() + 4 * PATIENCE

    def client(self, token: str | None = None) -> HallClient:
        c = HallClient(self.servers, token, timeout=5)
        self.clients.append(c)
        return c

    async def kiosk(self, k: int) -> None:
        c = self.client(self.hall.kiosk_token)
        for j in range(10**6):
            if not self.working:
                return
            key, service = uuid.uuid4().hex, self.hall.services[SERVICES[(k + j) % len(SERVICES)]]
            ticket = await reach(lambda: c.issue_ticket(service, idempotency_key=key), self.deadline)  # noqa: B023
            self.tickets.append((key, service, ticket))

    async def window(self, n: int, staff: HallClient) -> None:
        while self.working:
            try:
                t = await staff.call_next(self.hall.windows[n])
            except (Unreachable, ApiError) as exc:  # maybe called, maybe not, or busy: the staff press again
                if isinstance(exc, ApiError) and not busy(exc):
                    raise
                await asyncio.sleep(0.05)
                continue
            if t is None:
                await asyncio.sleep(0.05)
            else:
                self.calls.append((n, t))
                await asyncio.sleep(0.02)

    async def follower(self, start: int) -> None:
        c = self.client(self.hall.kiosk_token)
        async for batch in c.event_batches(self.hall.hall_id, after=start, on_state=self.states["follower"].append):
            self.seen.extend(batch)

    async def board(self) -> None:
        async for update in follow(self.client(), self.hall.hall_id, on_state=self.states["board"].append):
            if self.board_start is None:
                self.board_start = update.state.last_event_id
            self.spoken += [(c.event_id, c.number, c.window, c.recall) for c in update.calls]

    async def close(self) -> None:
        for c in self.clients:
            await c.aclose()


@pytest.mark.postgres
@pytest.mark.slow
@only_postgresql
async def test_kiosks_windows_and_boards_fail_over_when_a_server_process_is_killed(
        database_url: str, tmp_path: Path) -> None:
    h = seed_open_hall(database_url)
    a, b = (ServeProcess(database_url, tmp_path / f"serve-{n}.log") for n in "ab")
    a.start()
    b.start()
    hall = Hall([a.url, b.url], h)
    tasks: list[asyncio.Task] = []
    try:
        staff = {}
        for n in WINDOWS:
            staff[n] = hall.client()
            await staff[n].login(h.staff[n], h.password)
            await staff[n].sign_in_window(h.windows[n])
        start = (await staff[WINDOWS[0]].hall_board(h.hall_id))["last_event_id"]
        tasks += [asyncio.create_task(hall.follower(start)), asyncio.create_task(hall.board())]
        await until(lambda: all("connected" in s for s in hall.states.values()), timeout=PATIENCE)
        assert all(c.base_url == a.url for c in hall.clients), "every terminal starts at the first address"
        tasks += [asyncio.create_task(hall.kiosk(k)) for k in range(KIOSKS)]
        tasks += [asyncio.create_task(hall.window(n, staff[n])) for n in WINDOWS]

        await until(lambda: len(hall.tickets) >= BEFORE_KILL and len(hall.calls) >= len(WINDOWS), timeout=PATIENCE)
        await asyncio.to_thread(a.kill)  # mid-run: requests in flight, streams open
        before = list(hall.tickets)
        calls_before = len(hall.calls)
        await until(lambda: len(hall.tickets) >= len(before) + AFTER_KILL
                    and len(hall.calls) >= calls_before + len(WINDOWS), timeout=PATIENCE)
        hall.working = False
        await asyncio.gather(*tasks[2:])  # kiosks and windows finish their last request
        for failed_over in hall.clients:
            assert failed_over.base_url == b.url

        # a ticket asked for again after the kill with the key it was issued with, by a kiosk that
        # starts at the dead address: the same ticket
        async with HallClient([a.url, b.url], h.kiosk_token) as kiosk:
            for key, service, ticket in before[:: max(1, len(before) // 10)]:
                again = await kiosk.issue_ticket(service, idempotency_key=key)  # as it is now (maybe called)
                printed = ("id", "number", "status_token")
                assert [again[k] for k in printed] == [ticket[k] for k in printed], "a retry gave a second ticket"

        async with HallClient(b.url, h.kiosk_token) as survivor:
            log = await all_events(survivor, h.hall_id, after=start)
        await until(lambda: hall.seen and hall.seen[-1]["id"] >= log[-1]["id"], timeout=PATIENCE)
        await until(lambda: hall.board_start is not None, timeout=PATIENCE)
    finally:
        hall.working = False
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await hall.close()
        a.stop()
        b.stop()

    # every acknowledged ticket exists once, with the number and QR token it was printed with;
    # no number twice, none skipped; no key made two tickets
    rows = db_tickets(database_url)
    kept = {r.id: r for r in rows}
    assert len(rows) == len({key for key, _, _ in hall.tickets}) == len(hall.tickets)
    for _, _, t in hall.tickets:
        assert (kept[t["id"]].number, kept[t["id"]].status_token) == (t["number"], t["status_token"])
    by_series: dict[str, list[int]] = defaultdict(list)
    for r in rows:
        by_series[r.series].append(r.sequence)
    for series, seqs in by_series.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"series {series}: a number twice or skipped"

    # every call answered is on the log once, at its window; no ticket was called twice
    called = Counter(e["payload"]["ticket"]["id"] for e in log if e["kind"] == "ticket.called")
    assert max(called.values()) == 1, "a ticket was called twice"
    at = {e["payload"]["ticket"]["id"]: e["payload"]["window"]["number"] for e in log if e["kind"] == "ticket.called"}
    assert all(at.get(t["id"]) == n for n, t in hall.calls), "an answered call is not on the log"

    # the follower saw every event of the hall, in order, once, across the kill
    assert [e["id"] for e in hall.seen] == [e["id"] for e in log], "the follower missed, repeated or reordered"
    assert hall.seen == log
    # and the board spoke every call after its snapshot, in order, once
    expected = [(e["id"], e["payload"]["ticket"]["number"], str(e["payload"]["window"]["number"]),
                 e["kind"] == "ticket.recalled") for e in log if e["kind"] in CALL_KINDS and e["id"] > hall.board_start]
    assert hall.spoken == expected
    assert all("reconnecting" in s for s in hall.states.values()), "the streams were not cut by the kill"
