"""Which hall an office page works on: the account's own, or for an admin of every hall the one chosen."""

from __future__ import annotations

from sqlalchemy import select

from hall_server.catalog.models import Hall
from hall_server.context import Context
from hall_server.errors import HallError
from hall_server.office.session import Office


def halls(ctx: Context) -> list[tuple[int, str]]:
    return ctx.read(lambda s, now: [(h.id, h.name) for h in s.scalars(select(Hall).order_by(Hall.id))])


def hall_of(ctx: Context, office: Office, chosen: int | None) -> tuple[int, list[tuple[int, str]]]:
    """The hall a page shows and the halls its account may choose among."""
    everything = halls(ctx)
    if office.hall_id is not None:
        if chosen is not None and chosen != office.hall_id:
            raise HallError("forbidden", 403)
        return office.hall_id, [h for h in everything if h[0] == office.hall_id]
    if not everything:  # a new server: its first catalog import makes the halls
        raise HallError("no_hall_yet", 404)
    if chosen is None:
        return everything[0][0], everything
    if chosen not in {h for h, _ in everything}:
        raise HallError("hall_not_found", 404)
    return chosen, everything
