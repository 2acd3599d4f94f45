"""A board's live feed: the hall's snapshot, then every event after it, through the board model.

Used by the terminal board, the board benchmark and the reconnect tests, so each of them
catches up the same way: resume after the last event id seen, never from "now".
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from display.board_model import Announcement, BoardFilter, BoardState, apply_all, from_snapshot
from hall_server.client import HALL_CHANGES, HallClient, Unreachable

SNAPSHOT_RETRY = (0.5, 5.0)


@dataclass(frozen=True)
class Update:
    """The board after ``events`` (none for the first picture), and the calls among them to speak, in order.

    The events are as a board sees them (``hub.board_view``): what it draws, not the whole event.
    """

    state: BoardState
    events: tuple[dict[str, Any], ...] = ()
    calls: tuple[Announcement, ...] = ()


async def snapshot(client: HallClient, hall_id: int, on_state: Callable[[str], None] | None = None) -> dict:
    """``hall_board``, retried until the server answers (a board may start before the server)."""
    delay = SNAPSHOT_RETRY[0]
    while True:
        try:
            return await client.hall_board(hall_id)
        except Unreachable:
            if on_state:
                on_state("reconnecting")
            await asyncio.sleep(delay)
            delay = min(delay * 2, SNAPSHOT_RETRY[1])


async def follow(client: HallClient, hall_id: int, board_filter: BoardFilter | None = None, *,
                 on_state: Callable[[str], None] | None = None,
                 state: BoardState | None = None) -> AsyncIterator[Update]:
    """The board now, then after each message of new events; ``state`` resumes a board without a new snapshot.

    One update per message, not per event: 40 windows calling at once are one redraw, not 40.
    When the hall or its catalog changed (its notice, a window retired: ``HALL_CHANGES``), the
    board is read again from a new snapshot, which includes what the message moved.
    """
    if state is None:
        state = from_snapshot(await snapshot(client, hall_id, on_state), board_filter)
        yield Update(state)
    async for batch in client.event_batches(hall_id=hall_id, after=state.last_event_id, on_state=on_state,
                                            view="board"):  # what a board draws, half the bytes
        calls: list[Announcement] = []
        after = apply_all(state, batch, calls)
        if any(e["kind"] in HALL_CHANGES for e in batch):
            after = from_snapshot(await snapshot(client, hall_id, on_state), board_filter)
        if after is not state:
            state = after
            yield Update(state, tuple(batch), tuple(calls))
