"""A board's live feed: the hall's snapshot, then every event after it, through the board model.

Used by the terminal board, the board benchmark and the reconnect tests, so each of them
catches up the same way: resume after the last event id seen, never from "now".
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from display.board_model import BoardFilter, BoardState, announcement, apply, from_snapshot
from hall_server.client import HallClient, Unreachable

SNAPSHOT_RETRY = (0.5, 5.0)


@dataclass(frozen=True)
class Update:
    """The board after ``event`` (None for the first picture), and the call to speak, if any."""

    state: BoardState
    event: dict[str, Any] | None = None
    call: tuple[str, str, bool] | None = None


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
    """The board now, then after each new event; ``state`` resumes a board without a new snapshot."""
    if state is None:
        state = from_snapshot(await snapshot(client, hall_id, on_state), board_filter)
        yield Update(state)
    async for event in client.events(hall_id=hall_id, after=state.last_event_id, on_state=on_state):
        call = announcement(state, event)
        after = apply(state, event)
        if after is not state:
            state = after
            yield Update(state, event, call)
