"""The one handler: an update in, the engine run, its replies out.

- The engine is synchronous. Its decision (one SQLite transaction, a millisecond or two) runs
  right here on the event loop: handing it to a thread cost more than it saved, because every
  hop and every GIL hand-off slowed the loop's own network work (bench/bench_telegram.py:
  about 280 against 370 questions a second). Only replies that are slow to make (the radar
  chart, ~100 ms) go to a worker thread, so other users are served while it is drawn. One
  thread: drawing holds the GIL, so more would not be faster, while each chart drawn at the same
  time costs tens of MB.
- One chat's updates are handled one at a time, in the order they came, so replies never
  overtake each other; different chats run side by side.
- A button press is answered at once, before anything else, so its spinner always stops.
- If the engine takes a while (the plan and its chart), the user sees "typing...".
- Groups and channels are not the place for a personal assessment: in a group the bot answers
  only when addressed, with a pointer to a private chat; everything else is ignored.
- Nothing here may crash the bot: any failure is logged (without message texts) and the next
  update is handled as usual.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, Protocol

from telegram import CallbackQuery, Update
from telegram import Message as TelegramMessage
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import Lang
from bot.engine.events import Event, Message, Reply, UserRef
from bot.engine.turn import Later, Out
from bot.telegram.send import Sender
from bot.telegram.updates import (
    addressed_in_group,
    is_private,
    message_event,
    press_event,
    user_ref,
)

log = logging.getLogger(__name__)

ENGINE_THREADS = 1
TYPING_AFTER = 0.4  # seconds: a reply slower than this shows "typing..." first
TYPING_REPEAT = 4.5  # Telegram shows the action for about five seconds
_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)


class DialogueEngine(Protocol):
    """What the adapter needs of the engine (bot.engine.engine.Engine)."""

    def decide(self, user: UserRef, event: Event, *, once: str | None = None) -> Out: ...

    def finish(self, user: UserRef, out: Out) -> list[Reply]: ...

    def language_of(self, user: UserRef) -> Lang: ...


class ChatLocks:
    """One lock per chat while it has updates in flight; forgotten when the chat goes quiet."""

    def __init__(self) -> None:
        self._locks: dict[int, tuple[asyncio.Lock, list[int]]] = {}

    @asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lock, users = self._locks.setdefault(chat_id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:  # asyncio locks are fair: waiters get it in the order they came
                yield
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._locks[chat_id]

    def __len__(self) -> int:
        return len(self._locks)


class UpdateHandler:
    def __init__(
        self, engine: DialogueEngine, sender: Sender, *, typing_after: float = TYPING_AFTER
    ) -> None:
        self.engine = engine
        self.sender = sender
        self.typing_after = typing_after
        self.locks = ChatLocks()
        self._threads = ThreadPoolExecutor(ENGINE_THREADS, thread_name_prefix="engine")

    def close(self) -> None:
        """Let the engine calls in hand finish; called when the application shuts down."""
        self._threads.shutdown(wait=True)

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            once = f"tg:{update.update_id}"  # applied once, even if Telegram delivers it again
            if update.callback_query is not None:
                await self._press(update.callback_query, once)
            elif update.message is not None:
                await self._message(update.message, context.bot.username, once)
            # Edited messages, channel posts, membership changes: nothing to answer.
        except Exception:
            log.exception("update %d could not be handled", update.update_id)

    async def _message(self, message: TelegramMessage, bot_username: str, once: str) -> None:
        sender = message.from_user
        if sender is None or sender.is_bot:
            return
        if not is_private(message.chat):
            if message.chat.type in _GROUPS and addressed_in_group(message, bot_username):
                await self._point_to_private_chat(message, bot_username)
            return
        await self._run(message.chat.id, user_ref(sender), message_event(message), None, once)

    async def _press(self, query: CallbackQuery, once: str) -> None:
        try:
            await query.answer()  # first of all: the button stops spinning whatever follows
        except TelegramError as exc:
            log.warning("a button press could not be acknowledged: %s", type(exc).__name__)
        message = query.message
        if message is None or not is_private(message.chat):
            return  # a button on an inline message or in a group: not one of ours
        event = press_event(query.data)
        await self._run(message.chat.id, user_ref(query.from_user), event, message.message_id, once)

    async def _run(
        self, chat_id: int, user: UserRef, event: Event, pressed: int | None, once: str
    ) -> None:
        async with self.locks.hold(chat_id):
            out = self.engine.decide(user, event, once=once)
            await self.sender.deliver(chat_id, self._made(chat_id, user, out), pressed)

    async def _made(self, chat_id: int, user: UserRef, out: Out) -> AsyncIterator[Reply]:
        """The replies in order: those ready go out at once (the plan), each slow one when made."""
        for item in out:
            if callable(item):
                for reply in await self._in_thread(chat_id, user, item):
                    yield reply
            else:
                yield item

    async def _in_thread(self, chat_id: int, user: UserRef, later: Later) -> list[Reply]:
        """A slow reply made in the worker thread, with "typing..." shown while it takes."""
        loop = asyncio.get_running_loop()
        out: Out = [later]
        work = loop.run_in_executor(self._threads, self.engine.finish, user, out)
        wait = self.typing_after
        while True:
            done, _ = await asyncio.wait({work}, timeout=wait)
            if done:
                return work.result()
            await self.sender.typing(chat_id)
            wait = TYPING_REPEAT

    async def _point_to_private_chat(self, message: TelegramMessage, bot_username: str) -> None:
        sender = message.from_user
        assert sender is not None
        lang = self.engine.language_of(user_ref(sender))
        pointer = Message(lang, "group_pointer", {"username": bot_username})
        await self.sender.deliver(message.chat.id, [pointer])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Whatever escaped: logged by kind, never with the update itself (it holds the user's text)."""
    error: Any = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s: %s", update_id, type(error).__name__, exc_info=error)
