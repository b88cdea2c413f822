"""Nobody waits for anybody: one chat's flood limit, one user's burst and a database held by another
process each stay that chat's problem; an update delivered twice is applied once; a double tap
is one choice and a word on the button.

The real python-telegram-bot Application polls the fake Bot API, as in test_telegram_e2e.py.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from bot.engine.buttons import AnswerButton, DoneButton, MenuButton
from bot.engine.steps import Steps
from bot.events import Message
from tests.chat_helpers import snapshot
from tests.companies import CAFE
from tests.telegram.fake_api import FakeTelegram, SentMessage
from tests.telegram.harness import FAST_RETRIES, RunningBot, User, parse_token, running_bot

SENDS = ("sendMessage", "editMessageText", "sendPhoto", "sendDocument")
FLOODED, OTHER, THIRD = 9001, 9002, 9003


def shown(bot: RunningBot, lang: str, template: str, **values: Any) -> str:
    return bot.adviser.renderer.text(Message(lang, template, values))  # type: ignore[arg-type]


async def reply_after(server: FakeTelegram, update: dict[str, Any], chat_id: int) -> float:
    """Seconds from pushing the update to the first message that reached the chat after it."""
    first = len(server.calls)
    started = time.monotonic()
    await server.push(update)

    def arrived() -> bool:
        return any(
            c.method in SENDS and c.chat_id == chat_id and c.status == 200
            for c in server.calls[first:]
        )

    await server.wait_for(arrived, 30)
    return time.monotonic() - started


async def acknowledged_after(server: FakeTelegram, update: dict[str, Any]) -> float:
    """Seconds from pushing a press to its answerCallbackQuery."""
    query_id = update["callback_query"]["id"]
    started = time.monotonic()
    await server.push(update)
    await server.wait_for(lambda: query_id in server.answered_queries, 30)
    return time.monotonic() - started


async def open_assessment(user: User) -> SentMessage:
    await user.say("/start")
    welcome = user.chat[-1]
    assess = next(d for d in welcome.data() if parse_token(d) == (MenuButton.KIND, ["assess"]))
    await user.press(welcome, assess)
    return user.question()


async def at_a_multi_choice_question(user: User, steps: Steps) -> SentMessage:
    await open_assessment(user)
    while not any(parse_token(d)[0] == DoneButton.KIND for d in user.question().data()):
        await user.answer(steps, CAFE)
    return user.question()


def option_buttons(message: SentMessage) -> list[str]:
    return [d for d in message.data() if parse_token(d)[0] == AnswerButton.KIND]


# --- a flood limit is one chat's problem ---------------------------------------------------------


@pytest.mark.parametrize("rate_limit", [0, 30])
async def test_a_flood_limit_for_one_chat_delays_no_other_chat(
    server: FakeTelegram, db_path: Path, rate_limit: float
) -> None:
    async with running_bot(server, db_path, rate_limit=rate_limit) as bot:
        other = User(bot, OTHER)
        await open_assessment(other)  # a question on screen, to press below
        server.fail("sendMessage", 429, retry_after=3, chat_id=FLOODED)
        flooded = asyncio.create_task(
            reply_after(server, server.message_update(FLOODED, "/help"), FLOODED)
        )
        await server.wait_for(lambda: bool(server.calls_to("sendMessage", FLOODED)))

        # While the flooded chat waits out its 3 s, everyone else is served at once.
        assert await reply_after(server, server.message_update(THIRD, "/help"), THIRD) < 1.0
        press = server.press_update(OTHER, other.question(), option_buttons(other.question())[0])
        assert await acknowledged_after(server, press) < 1.0

        waited = await flooded
        assert waited >= 3.0  # Telegram's retry_after, respected for that chat
        assert [c.status for c in server.calls_to("sendMessage", FLOODED)] == [429, 200]


async def test_a_flood_wait_beyond_the_cap_is_handed_back_and_the_answer_kept(
    server: FakeTelegram, db_path: Path
) -> None:
    async with running_bot(server, db_path, rate_limit=30) as bot:
        user = User(bot, FLOODED)
        await open_assessment(user)
        server.fail("editMessageText", 429, retry_after=65, chat_id=FLOODED)
        question = user.question()
        calls = await user.press(question, option_buttons(question)[0])
        # Not waited for (65 s is over the cap), not retried: one attempt, then given up.
        sends = [c.status for c in calls if c.method in SENDS]
        assert sends == [429]
        # The answer is stored all the same: asked again, the bot shows the next question.
        await user.say("/assess")
        assert "2/" in user.chat[-1].text.split("\n")[0]


async def test_a_persistent_flood_limit_is_retried_in_one_place_only(
    server: FakeTelegram, db_path: Path
) -> None:
    async with running_bot(server, db_path, rate_limit=30) as bot:
        user = User(bot, FLOODED)
        server.fail("sendMessage", 429, retry_after=1, times=50, chat_id=FLOODED)
        await user.say("/help")
        # Our retry policy's attempts, no more: no limiter retrying inside each of them.
        assert len(server.calls_to("sendMessage", FLOODED)) == FAST_RETRIES.attempts


# --- one user's burst ----------------------------------------------------------------------------


async def test_a_burst_of_400_messages_from_one_user_holds_up_no_one_else(
    server: FakeTelegram, db_path: Path
) -> None:
    async with running_bot(server, db_path) as bot:
        burst = ["/help" if n % 2 else "/language" for n in range(400)]
        for text in burst:
            await server.push(server.message_update(FLOODED, text))
        await server.wait_for(lambda: bool(server.calls_to("sendMessage", FLOODED)))
        waited = await reply_after(server, server.message_update(OTHER, "/help"), OTHER)
        assert waited < 1.0, f"another user waited {waited:.1f} s behind the burst"
        # And the burst itself is answered in full, in the order it came.
        await server.wait_for(lambda: len(server.chats[FLOODED]) == 400, 60)
        help_text = shown(bot, "en", "help", in_progress=False)
        replies = ["/help" if m.text == help_text else "/language" for m in server.chats[FLOODED]]
        assert replies == burst


# --- a database held by another process ------------------------------------------------------------


async def test_a_database_held_by_another_process_blocks_no_acknowledgement(
    server: FakeTelegram, db_path: Path
) -> None:
    async with running_bot(server, db_path, busy_after=0.5) as bot:
        user, other = User(bot, OTHER), User(bot, THIRD)
        question = await open_assessment(user)
        await other.say("/start")
        before = len(user.chat), len(other.chat)

        backup = sqlite3.connect(db_path, isolation_level=None)
        backup.execute("BEGIN IMMEDIATE")  # another process holds the write lock
        try:
            press = server.press_update(OTHER, question, option_buttons(question)[0])
            assert await acknowledged_after(server, press) < 1.0
            # The waiting user is told kindly, and so is another one whose turn also waits.
            busy = shown(bot, "en", "store_busy")
            await server.wait_for(lambda: any(m.text == busy for m in user.chat[before[0] :]), 5)
            await server.push(server.message_update(THIRD, "/help"))
            await server.wait_for(lambda: any(m.text == busy for m in other.chat[before[1] :]), 5)
            await asyncio.sleep(1.0)
        finally:
            backup.execute("ROLLBACK")
            backup.close()

        # Once the lock is free, both turns are applied and answered: nothing was lost.
        help_text = shown(bot, "en", "help", in_progress=False)
        await server.wait_for(lambda: other.chat[-1].text == help_text, 10)
        await server.wait_for(lambda: "2/" in user.question().text.split("\n")[0], 10)


# --- applied once -----------------------------------------------------------------------------------


async def test_an_update_delivered_again_after_a_restart_changes_and_sends_nothing(
    server: FakeTelegram, db_path: Path
) -> None:
    async with running_bot(server, db_path) as bot:
        steps = Steps(bot.adviser.knowledge.assessment)
        user = User(bot, OTHER)
        question = await at_a_multi_choice_question(user, steps)
        tap = server.press_update(OTHER, question, option_buttons(question)[0])
        await bot.send(tap)  # selects the option
    before = snapshot(db_path)

    await server.redeliver(tap)  # the restart came before Telegram heard the offset
    async with running_bot(server, db_path) as again:
        first = len(server.calls)
        await server.wait_for(lambda: tap["update_id"] in again.handled, 20)
        methods = {c.method for c in server.calls[first:]} - {"getUpdates", "getMe"}
    assert methods <= {"answerCallbackQuery", "setMyCommands", "deleteWebhook"}
    assert snapshot(db_path) == before  # the option is still selected, not taken away again


async def test_a_double_tap_selects_once_and_says_so_on_the_button(
    bot: RunningBot, steps: Steps
) -> None:
    server = bot.server
    user = User(bot, OTHER)
    question = await at_a_multi_choice_question(user, steps)
    option = option_buttons(question)[0]
    edits = question.edits
    taps = [server.press_update(OTHER, question, option) for _ in range(2)]
    for tap in taps:  # both arrive before the first is answered, as a double tap does
        await server.push(tap)
    await server.wait_for(lambda: {t["update_id"] for t in taps} <= bot.handled)

    assert question.edits == edits + 1  # one selection shown, not selected and unselected
    labels = [b["text"] for b in question.buttons]
    assert sum(label.startswith("✓") for label in labels) == 1
    acks = [c for c in server.calls_to("answerCallbackQuery")][-2:]
    assert [c.params.get("text") for c in acks] == [None, shown(bot, "en", "already_selected")]
