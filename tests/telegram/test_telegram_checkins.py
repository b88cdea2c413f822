"""Check-ins over Telegram: sent when due (the clock moved, never slept), at a Finnish daytime
hour, not to a user who blocked the bot, and again once they come back."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.engine.steps import Steps
from tests.companies import CAFE
from tests.telegram.fake_api import FakeTelegram
from tests.telegram.harness import User, parse_token, running_bot

USER = 7001


def blocked_since(db: Path) -> str | None:
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT blocked FROM users WHERE key = ?", (f"tg:{USER}",)).fetchone()
    return None if row is None else row[0]


async def plan_with_checkins(user: User, steps: Steps) -> None:
    await user.say("/assess")
    while any(parse_token(d)[0] == "a" for d in user.chat[-1].data()):
        await user.answer(steps, CAFE)
    offer = next(m for m in reversed(user.chat) if any(d.startswith("c.") for d in m.data()))
    yes = next(d for d in offer.data() if parse_token(d) == ("c", [parse_token(d)[1][0], "yes"]))
    await user.press(offer, yes)


async def test_a_due_check_in_goes_out_and_a_blocked_user_waits(
    server: FakeTelegram, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVISER_CLOCK", datetime(2027, 3, 1, 9, 0, tzinfo=UTC).isoformat())
    async with running_bot(server, db_path, checkins_every=0.2) as bot:
        steps = Steps(bot.adviser.knowledge.assessment)
        user = User(bot, USER)
        await plan_with_checkins(user, steps)
        sent = len(user.chat)

        # Two weeks on, at 03:00 Finnish time: nothing is sent at night.
        monkeypatch.setenv("ADVISER_CLOCK", "2027-03-15T01:00:00+00:00")
        await asyncio.sleep(0.7)  # three rounds of the check-in loop
        assert len(user.chat) == sent

        # The user blocked the bot: Telegram answers 403; the check-in waits for them.
        server.fail("sendMessage", 403, chat_id=USER)
        monkeypatch.setenv("ADVISER_CLOCK", "2027-03-15T08:30:00+00:00")
        await server.wait_for(
            lambda: any(c.status == 403 for c in server.calls_to("sendMessage", USER)), 10
        )
        for _ in range(50):  # marked in the engine's thread just after Telegram's answer
            if blocked_since(bot.adviser.store.path) is not None:
                break
            await asyncio.sleep(0.1)
        assert blocked_since(bot.adviser.store.path) is not None
        assert len(user.chat) == sent

        # They come back: the check-in is sent (once) after their message is answered.
        await user.say("/help")
        await server.wait_for(lambda: any("Your check-in" in m.text for m in user.chat), 10)
        checkins = [m for m in user.chat if "Your check-in" in m.text]
        assert len(checkins) == 1
        assert len(checkins[0].keyboard) == 4  # how is it going: three answers, and "no more"


async def test_a_user_who_blocks_the_bot_is_marked_at_once(
    server: FakeTelegram, db_path: Path
) -> None:
    async with running_bot(server, db_path) as bot:
        user = User(bot, USER)
        await user.say("/assess")  # a user the bot keeps something of
        update = {
            "my_chat_member": {
                "chat": {"id": USER, "type": "private", "first_name": "U"},
                "from": server.user(USER),
                "date": 0,
                "old_chat_member": {"status": "member", "user": server.user(4242)},
                "new_chat_member": {
                    "status": "kicked", "until_date": 0, "user": server.user(4242)
                },
            }
        }  # fmt: skip
        await bot.send(update)
        assert blocked_since(bot.adviser.store.path) is not None


async def test_a_flood_of_due_check_ins_keeps_to_the_rate_and_makes_nobody_wait(
    server: FakeTelegram, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """90 check-ins due at once, against Telegram's 30 a second: each goes out once, none is
    refused, and someone writing meanwhile is answered at once, not behind them."""
    from bench.bench_followup import fill_with_checkins

    due = 90
    fill_with_checkins(db_path, due, 1)
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE checkins SET due = '2027-03-15T07:00:00+00:00', sent = NULL")
    monkeypatch.setenv("ADVISER_CLOCK", "2027-03-15T08:00:00+00:00")  # 10:00 in Finland
    server.enforce_rate(30, 30)

    def checkins_sent() -> list[int]:
        return [
            c.chat_id
            for c in server.calls_to("sendMessage")
            if c.status == 200 and c.chat_id and c.chat_id != USER
        ]

    async with running_bot(server, db_path, rate_limit=30, checkins_every=0.2) as bot:
        user = User(bot, USER)
        waits: list[float] = []
        while len(checkins_sent()) < due:
            started = asyncio.get_running_loop().time()
            await user.say("/help")
            waits.append(asyncio.get_running_loop().time() - started)
            await asyncio.sleep(1.0)  # a person's pace: their own chat's limit is 1 a second
    sent = checkins_sent()
    assert sorted(sent) == sorted(set(sent)) and len(sent) == due  # each once
    assert server.rejected_by_rate == 0
    assert len(waits) >= 2 and max(waits) < 0.5, waits  # behind them: about a second
