"""Fixtures for the Telegram tests: the fake Bot API, and the real bot polling it."""

from __future__ import annotations

import os

# As `python -m bot telegram` does: python-telegram-bot's timedelta form of retry_after.
os.environ.setdefault("PTB_TIMEDELTA", "true")

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.engine.steps import Steps
from tests.telegram.fake_api import FakeTelegram
from tests.telegram.harness import RunningBot, running_bot


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    fake = await FakeTelegram().start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "adviser.sqlite3"


@pytest.fixture
async def bot(server: FakeTelegram, db_path: Path) -> AsyncIterator[RunningBot]:
    async with running_bot(server, db_path) as running:
        yield running


@pytest.fixture
def steps(bot: RunningBot) -> Steps:
    return Steps(bot.adviser.knowledge.assessment)
