"""Security: hashed secrets, rate limits, expired and revoked tokens, forbidden phrases."""

import re
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from hall_server.auth.models import AccessToken, User
from hall_server.auth.passwords import new_token
from hall_server.client import ApiError, HallClient
from hall_server.db import Database
from hall_server.messages import MESSAGES

FORBIDDEN = ["不知道", "你去问", "不行,重填", "不行，重填", "有牌子,自己看", "有牌子，自己看", "快点,要下班了",
             "快点，要下班了", "已经告诉你了", "没看我正忙", "有意见找头头去"]


def test_no_message_uses_a_forbidden_phrase():
    for key, texts in MESSAGES.items():
        for phrase in FORBIDDEN:
            assert phrase not in texts["zh"], key


def test_no_source_file_uses_a_forbidden_phrase():
    root = Path(__file__).resolve().parents[2]
    for folder in ("hall_server", "hall_queue", "kiosk", "caller", "display", "hardware"):
        for path in (root / folder).rglob("*"):
            if path.suffix in {".py", ".html", ".js", ".yaml", ".tcss"}:
                text = path.read_text(encoding="utf-8", errors="ignore")
                for phrase in FORBIDDEN:
                    assert phrase not in text, f"{path}: {phrase}"


def test_a_token_can_follow_an_option_on_a_command_line():
    """``hall kiosk --kiosk-token T`` refused one token in 64: those starting with "-"."""
    tokens = [new_token() for _ in range(2000)]
    assert not [t for t in tokens if t.startswith("-")]
    assert len(set(tokens)) == len(tokens) and all(len(t) == 32 for t in tokens)


async def test_passwords_and_tokens_are_stored_only_as_hashes(hall, staff_client):
    w = await staff_client(1)
    db = Database(hall.database_url)
    with db.read_session() as s:
        user = s.scalar(select(User).where(User.username == "staff1"))
        assert user.password_hash.startswith("$argon2") and hall.hall.password not in user.password_hash
        hashes = set(s.scalars(select(AccessToken.token_hash)))
        assert w.token not in hashes and hall.hall.kiosk_token not in hashes
        assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in hashes)
    db.dispose()


async def test_wrong_password_is_refused_politely(hall):
    async with HallClient(hall.url) as c:
        with pytest.raises(ApiError) as exc:
            await c.login("staff1", "not-the-password")
        assert exc.value.status == 401 and "请核对" in exc.value.message_zh


async def test_a_staff_token_expires_after_the_working_day(hall, staff_client):
    w = await staff_client(1)
    hall.clock.advance(timedelta(hours=15))
    with pytest.raises(ApiError) as exc:
        await w.window_desk(hall.hall.windows[1])
    assert exc.value.status == 401


async def test_logout_revokes_the_token(hall, staff_client):
    w = await staff_client(1)
    await w.logout()
    with pytest.raises(ApiError) as exc:
        await w.window_desk(hall.hall.windows[1])
    assert exc.value.status == 401


async def test_a_token_revoked_elsewhere_stops_working_once_its_cached_entry_lapses(hall, staff_client):
    """Another server process (or an admin's tool) revokes a token: this process learns it within seconds."""
    w = await staff_client(1)
    await w.window_desk(hall.hall.windows[1])  # the token is now cached
    db = Database(hall.database_url)
    with db.writing() as s:
        s.execute(AccessToken.__table__.update().values(revoked=True))
        s.commit()
    db.dispose()
    await w.window_desk(hall.hall.windows[1])  # still cached here, for a few seconds at most
    actor, _until, expires_at = hall.ctx.actors[w.token]
    hall.ctx.actors[w.token] = (actor, time.monotonic() - 1, expires_at)  # its cache time is up
    with pytest.raises(ApiError) as exc:
        await w.window_desk(hall.hall.windows[1])
    assert exc.value.status == 401


async def test_public_status_lookups_are_rate_limited(hall, kiosk):
    t = await kiosk.issue_ticket(hall.hall.services["GS-1"])
    hall.ctx.settings.public_rate = "5/minute"
    async with httpx.AsyncClient(base_url=hall.url) as http:
        codes = [(await http.get(f"/api/v1/status/{t['status_token']}")).status_code for _ in range(8)]
    assert codes[:5] == [200] * 5 and codes[5:] == [429] * 3
    body = (await httpx.AsyncClient(base_url=hall.url).get(f"/api/v1/status/{t['status_token']}")).json()
    assert body["error"]["code"] == "rate_limited" and "稍等" in body["error"]["message_zh"]
