"""Rating endpoints: by status token (QR page, kiosk) and by a window's rating pad."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from hall_server.auth.models import Role
from hall_server.auth.service import Actor
from hall_server.context import Context
from hall_server.deps import get_actor, get_ctx
from hall_server.errors import HallError
from hall_server.evaluation.models import Rating
from hall_server.evaluation.service import rate_at_window, rate_by_token
from hall_server.messages import MESSAGES
from hall_server.schemas import PadRatingIn, PathId, RatingIn, RatingOut
from hall_server.tickets.calling import check_window_actor, load_window
from hall_server.tickets.routes import check_ticket_rate

router = APIRouter(prefix="/api/v1", tags=["ratings"])


def _out(r: Rating) -> RatingOut:
    m = MESSAGES["rating_thanks"]
    return RatingOut(id=r.id, ticket_id=r.ticket_id, case_id=r.case_id, rating=r.level, message_zh=m["zh"],
                     message_en=m["en"])


@router.post("/ratings", operation_id="submit_rating", response_model=RatingOut, status_code=201)
def submit_rating(body: RatingIn, request: Request, ctx: Context = Depends(get_ctx)) -> RatingOut:
    """Public: rate a finished service once (一次一评) with the ticket's status token."""
    check_ticket_rate(ctx, request, "rating", body.status_token)
    return ctx.write(
        lambda s, now: _out(rate_by_token(s, now, body.status_token, body.rating, body.channel, body.reasons,
                                          body.comment)),
        conflict=HallError("rating_already", 409),
    )


@router.post("/windows/{window_id}/rating", operation_id="rate_at_window", response_model=RatingOut, status_code=201)
def pad_rating(window_id: PathId, body: PadRatingIn, ctx: Context = Depends(get_ctx),
               actor: Actor = Depends(get_actor)) -> RatingOut:
    """The window's rating pad (评价器), through the device bus: rates the ticket this window finished last.

    Only the pad's device may: ratings feed the staff's monthly assessment, so the staff at the
    window (or anyone else signed in) must not rate their own service; the applicant rates on the
    pad, at the kiosk or by the QR page.
    """
    actor.require(Role.BUS)

    def work(s, now) -> RatingOut:
        w = load_window(s, window_id)
        check_window_actor(w, actor)
        return _out(rate_at_window(s, now, w, body.rating))

    return ctx.write(work, conflict=HallError("rating_already", 409))
