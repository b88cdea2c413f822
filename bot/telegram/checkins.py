"""Sending the check-ins that fall due, at an hour that suits Finland, within Telegram's limits;
and, on the same round, removing users silent for longer than the retention period.

Every minute, between 9 and 20 Finnish time, due check-ins are claimed a batch at a time (in
one transaction, so no other process takes them too) and each is queued in its chat's turn
(chats.py), behind whatever the user is doing there; each is marked delivered once Telegram has
accepted it. The next batch is claimed only when this one is out, so a process stopped at any
moment holds at most a batch undelivered, and those are claimed again after the lease. Pacing
keeps to about one message a second per chat and a share of the overall rate, so 10,000 due at
once simply take a while. A user who blocked the bot (403) is marked; their check-in waits until
they write again.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from functools import partial
from typing import Any, Protocol

from bot import clock
from bot.engine.followup import FINLAND
from bot.events import Message
from bot.store.repository import CheckinRow
from bot.telegram.chats import ChatQueues
from bot.telegram.send import Delivery, Sender
from bot.telegram.updates import KEY_PREFIX

log = logging.getLogger(__name__)

CHECKINS_EVERY = 60.0  # seconds between looks for due check-ins
BATCH = 30  # claimed at a time: a second's worth of Telegram's overall rate
BATCH_WAIT = 60.0  # seconds at most for a batch to go out (a chat busy with a long backlog)
DAYTIME = (time(9, 0), time(20, 0))  # Finnish time: nobody is woken by a check-in


class CheckinEngine(Protocol):
    """What the sender needs of the engine (bot.engine.engine.Engine)."""

    def due_checkins(self, limit: int, prefix: str) -> list[tuple[CheckinRow, Message]]: ...

    def delivered(self, checkin: CheckinRow) -> None: ...

    def undelivered(self, checkin: CheckinRow) -> None: ...

    def purge_inactive(self, retention: timedelta) -> int: ...


def daytime_in_finland(moment: datetime) -> bool:
    local = moment.astimezone(FINLAND).time()
    return DAYTIME[0] <= local < DAYTIME[1]


class CheckinSender:
    def __init__(
        self,
        engine: CheckinEngine,
        sender: Sender,
        chats: ChatQueues,
        run_in: Callable[[Callable[[], Any]], Awaitable[Any]],
        every: float = CHECKINS_EVERY,
        retention: timedelta | None = None,
    ) -> None:
        self.engine = engine
        self.sender = sender
        self.chats = chats
        self.run_in = run_in  # the engine's thread: the database never blocks the event loop
        self.every = every
        self.retention = retention  # None: kept for ever
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="checkins")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _loop(self) -> None:
        while True:
            try:
                await self.send_due()
                await self.purge()
            except Exception:  # a bug must not end check-ins for good
                log.exception("sending due check-ins failed")
            await asyncio.sleep(self.every)

    async def purge(self) -> None:
        """Users silent for longer than the retention period go, with all that is theirs."""
        retention = self.retention
        if retention is not None:
            await self.run_in(partial(self.engine.purge_inactive, retention))

    async def send_due(self) -> int:
        """Claim what is due (in daytime) and queue each in its chat; how many were claimed."""
        if not daytime_in_finland(clock.now()):
            return 0
        claimed = 0
        while True:  # Telegram's users only: the terminal shows its own at the start
            due: list[tuple[CheckinRow, Message]] = await self.run_in(
                lambda: self.engine.due_checkins(BATCH, KEY_PREFIX)
            )
            loop = asyncio.get_running_loop()
            out: list[asyncio.Future[None]] = []
            for checkin, message in due:
                chat = checkin.user_key.removeprefix(KEY_PREFIX)
                if not chat.lstrip("-").isdigit():  # not a chat of ours: never the batch's end
                    log.warning("a check-in for a user that is no Telegram chat was skipped")
                    continue
                done: asyncio.Future[None] = loop.create_future()
                out.append(done)
                self.chats.submit(int(chat), self._job(int(chat), checkin, message, done))
            claimed += len(due)
            if len(due) < BATCH:
                return claimed
            if out:  # the next batch once this one is out
                await asyncio.wait(out, timeout=BATCH_WAIT)

    def _job(
        self, chat_id: int, checkin: CheckinRow, message: Message, done: asyncio.Future[None]
    ) -> Callable[[], Awaitable[None]]:
        async def send() -> None:
            try:
                outcome = await self.sender.deliver(chat_id, [message], background=True)
                if outcome is Delivery.SENT:
                    await self.run_in(lambda: self.engine.delivered(checkin))
                elif outcome is Delivery.BLOCKED:
                    await self.run_in(lambda: self.engine.undelivered(checkin))
                    log.info("a check-in waits: the user has blocked the bot")
                # FAILED (Telegram down even after retries): claimed again after the lease.
            finally:
                if not done.done():
                    done.set_result(None)

        return send
