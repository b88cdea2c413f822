"""The real Telegram bot, polling the fake Bot API, and a user who talks to it.

`running_bot` starts the application exactly as `python -m bot telegram` builds it, only inside
the test's event loop, and listens to its `handled` hook: once the bot says an update is dealt
with, its replies are out, so a test waits for that instead of sleeping.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from telegram.error import TelegramError

from bot.app import Adviser, build_adviser
from bot.engine.buttons import AnswerButton, BackButton, DoneButton, PauseButton
from bot.engine.steps import Steps
from bot.telegram.app import ALLOWED_UPDATES, TelegramApp, build_application
from bot.telegram.handlers import BUSY_AFTER, TYPING_AFTER
from bot.telegram.retry import RetryPolicy
from bot.telegram.settings import TelegramSettings
from tests.companies import Answers
from tests.telegram.fake_api import Call, FakeTelegram, SentMessage

FAST_RETRIES = RetryPolicy(attempts=4, first_pause=0.05, longest_pause=0.2)
WAIT = 20.0  # seconds: generous, only reached when something is broken


@dataclass
class RunningBot:
    server: FakeTelegram
    app: TelegramApp
    adviser: Adviser
    handled: set[int] = field(default_factory=set)

    async def send(self, update: dict[str, Any]) -> list[Call]:
        """Hand the bot one update and wait until it has handled it; the calls it made meanwhile."""
        first = len(self.server.calls)
        update_id = await self.server.push(update)
        await self.server.wait_for(lambda: update_id in self.handled, WAIT)
        return self.server.calls[first:]


@asynccontextmanager
async def running_bot(
    server: FakeTelegram,
    db_path: Path,
    *,
    rate_limit: float = 0,
    typing_after: float = TYPING_AFTER,
    busy_after: float = BUSY_AFTER,
    checkins_every: float = 60.0,
) -> AsyncIterator[RunningBot]:
    adviser = build_adviser(db_path)
    settings = TelegramSettings(token=server.token, base_url=server.base_url, rate_limit=rate_limit)
    handled: set[int] = set()

    async def mark(update_id: int) -> None:
        handled.add(update_id)
        await server.poke()

    app = build_application(
        settings,
        adviser,
        policy=FAST_RETRIES,
        typing_after=typing_after,
        busy_after=busy_after,
        handled=mark,
        checkins_every=checkins_every,
    )
    bot = RunningBot(server, app, adviser, handled)
    try:
        async with polling(app, poll_timeout=1):
            yield bot
    finally:
        adviser.close()


@asynccontextmanager
async def polling(application: TelegramApp, poll_timeout: float) -> AsyncIterator[TelegramApp]:
    """What `run_polling` does, inside an event loop that is already running (tests, benchmarks)."""

    def poll_failed(exc: TelegramError) -> None:
        # As run_polling does: a failed poll goes to the error handler (one WARNING line).
        application.create_task(application.process_error(error=exc, update=None))

    async with application:  # initialize() ... shutdown()
        if application.post_init is not None:
            await application.post_init(application)
        assert application.updater is not None
        await application.updater.start_polling(
            timeout=timedelta(seconds=poll_timeout),
            allowed_updates=ALLOWED_UPDATES,
            drop_pending_updates=False,
            error_callback=poll_failed,
        )
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
    if application.post_shutdown is not None:
        await application.post_shutdown(application)


def parse_token(data: str) -> tuple[str, list[str]]:
    """A button token's kind and fields ("a.3.size.micro~mac" -> ("a", ["3", "size", "micro"]))."""
    body = data.rpartition("~")[0]
    kind, *fields = body.split(".")
    return kind, fields


@dataclass
class User:
    """One person in a private chat with the bot."""

    bot: RunningBot
    user_id: int
    language_code: str | None = "en"

    @property
    def chat(self) -> list[SentMessage]:
        return self.bot.server.chats[self.user_id]

    async def say(self, text: str) -> list[Call]:
        server = self.bot.server
        update = server.message_update(self.user_id, text, language_code=self.language_code)
        return await self.bot.send(update)

    async def press(self, message: SentMessage, data: str) -> list[Call]:
        server = self.bot.server
        return await self.bot.send(
            server.press_update(self.user_id, message, data, language_code=self.language_code)
        )

    def question(self) -> SentMessage:
        """The message showing the current question (the latest one with answer buttons)."""
        for message in reversed(self.chat):
            if any(parse_token(d)[0] == AnswerButton.KIND for d in message.data()):
                return message
        raise AssertionError("no question on screen")

    def step_key(self, steps: Steps, message: SentMessage) -> str:
        answers = [parse_token(d) for d in message.data() if parse_token(d)[0] == AnswerButton.KIND]
        step = steps.by_token(answers[0][1][1])
        assert step is not None
        return step.key

    async def answer(self, steps: Steps, answers: Answers) -> None:
        """Answer the question on screen as `answers` says, by pressing its buttons."""
        message = self.question()
        key = self.step_key(steps, message)
        multi = any(parse_token(d)[0] == DoneButton.KIND for d in message.data())
        for option in answers[key]:
            data = next(
                d for d in message.data()
                if parse_token(d)[0] == AnswerButton.KIND and parse_token(d)[1][2] == option
            )  # fmt: skip
            await self.press(message, data)
            message = self._same(message)
        if multi:
            done = next(d for d in message.data() if parse_token(d)[0] == DoneButton.KIND)
            await self.press(message, done)

    def _same(self, message: SentMessage) -> SentMessage:
        return next(m for m in self.chat if m.message_id == message.message_id)

    def navigation(self, message: SentMessage) -> dict[str, str]:
        """The back and pause buttons of a question, by kind."""
        found = {}
        for data in message.data():
            kind = parse_token(data)[0]
            if kind in (BackButton.KIND, PauseButton.KIND):
                found[kind] = data
        return found
