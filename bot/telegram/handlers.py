"""The one handler: an update in, the engine run, its replies out.

- The handler only queues the update behind its chat's earlier ones and returns (chats.py): one
  chat's backlog never holds the library's update slots, and different chats run side by side.
  A chat's updates are handled one at a time, in the order they came, the button's
  acknowledgement included, so replies never overtake each other.
- The engine's decision (one SQLite transaction) runs in a thread of its own, never on the event
  loop: if another process holds the database's write lock (a backup), acknowledgements,
  "typing...", replies already decided and other chats' sends all go on. A user whose turn
  waits on the lock is told after a few seconds that saving is slow; nothing is lost. One
  thread: writes to SQLite go one at a time anyway, and within one process a queue is fairer
  and quicker than SQLite's busy-waiting. Reading a user's language (for that notice) has a
  thread of its own, so it does not wait behind the decision.
- A button press is acknowledged as soon as its decision is made, or after ACK_WAIT if it takes
  longer, so its spinner stops. A press that needs only a word (a double tap, an old button)
  gets that word on the button (answerCallbackQuery's text) and nothing in the chat.
- Replies slow to make (the radar chart, ~100 ms) are made in a drawing thread, with
  "typing..." shown while they take. One thread: drawing holds the GIL, so more would not be
  faster, while each chart drawn at the same time costs tens of MB.
- Groups and channels are not the place for a personal assessment: in a group the bot answers
  only when addressed, with a pointer to a private chat; everything else is ignored.
- Nothing here may crash the bot: any failure is logged (without message texts) and the next
  update is handled as usual.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, Protocol, TypeVar

from telegram import CallbackQuery, Update
from telegram import Message as TelegramMessage
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import NetworkError
from telegram.ext import ContextTypes

from bot import Lang
from bot.engine.turn import Replies, SlowReply, language_from_hint
from bot.events import Event, Forgotten, Message, Reply, UserRef
from bot.telegram.chats import ChatQueues
from bot.telegram.send import Sender
from bot.telegram.updates import (
    addressed_in_group,
    is_private,
    message_event,
    press_event,
    user_ref,
)

log = logging.getLogger(__name__)

TYPING_AFTER = 0.4  # seconds: a reply slower than this shows "typing..." first
TYPING_REPEAT = 4.5  # Telegram shows the action for about five seconds
ACK_WAIT = 0.5  # seconds a press's acknowledgement waits for the decision (for its notice)
BUSY_AFTER = 3.0  # seconds of waiting on the database before the user is told saving is slow
DRAIN_SECONDS = 8.0  # at shutdown, queued updates are handled for this long (docker stop: 10 s)
_GROUPS = (ChatType.GROUP, ChatType.SUPERGROUP)

Handled = Callable[[int], Awaitable[None]]  # told each update id once it has been dealt with
T = TypeVar("T")


class DialogueEngine(Protocol):
    """What the adapter needs of the engine (bot.engine.engine.Engine)."""

    def decide(self, user: UserRef, event: Event, *, once: str | None = None) -> Replies: ...

    def finish(self, user: UserRef, out: Replies) -> list[Reply]: ...

    def language_of(self, user: UserRef) -> Lang: ...

    def set_blocked(self, user: UserRef, blocked: bool) -> None: ...


class UpdateHandler:
    def __init__(
        self,
        engine: DialogueEngine,
        sender: Sender,
        *,
        typing_after: float = TYPING_AFTER,
        busy_after: float = BUSY_AFTER,
        handled: Handled | None = None,
    ) -> None:
        self.engine = engine
        self.sender = sender
        self.typing_after = typing_after
        self.busy_after = busy_after
        self.handled = handled
        self.chats = ChatQueues()
        self._deciding = ThreadPoolExecutor(1, thread_name_prefix="decide")
        self._reading = ThreadPoolExecutor(1, thread_name_prefix="read")
        self._drawing = ThreadPoolExecutor(1, thread_name_prefix="draw")

    async def close(self) -> None:
        """Handle what is queued, then let the threads finish; when the application stops."""
        left = await self.chats.drain(DRAIN_SECONDS)
        if left:
            log.warning("stopped with %d updates not handled", left)
        for threads in (self._deciding, self._reading, self._drawing):
            threads.shutdown(wait=True)

    async def __call__(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        job = self._job_for(update, context.bot.username)
        chat = update.effective_chat
        if job is None or chat is None or not self.chats.submit(chat.id, job):
            await self._handled(update.update_id)  # nothing to do, or a flood from one chat

    async def in_engine_thread(self, work: Callable[[], T]) -> T:
        """Run engine work (the database) in the engine's thread, off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self._deciding, work)

    def _job_for(self, update: Update, bot_username: str) -> Callable[[], Awaitable[None]] | None:
        """What to do with the update, in its chat's turn; None for what gets no answer."""
        once = f"tg:{update.update_id}"  # applied once, even if Telegram delivers it again
        member = update.my_chat_member
        if member is not None and member.chat.type == ChatType.PRIVATE:
            # The user blocked the bot ("kicked") or let it in again: check-ins wait or resume.
            blocked = member.new_chat_member.status == ChatMemberStatus.BANNED
            return partial(self._membership, update, user_ref(member.from_user), blocked)
        query, message = update.callback_query, update.message
        if query is not None:
            pressed = query.message
            if pressed is None or not is_private(pressed.chat):
                return partial(self._acknowledge_only, update, query)  # not one of ours
            return partial(self._press, update, query, once)
        if message is None:
            return None  # edited messages, channel posts, membership changes
        sender = message.from_user
        if sender is None or sender.is_bot:
            return None
        if is_private(message.chat):
            return partial(self._message, update, message, once)
        if message.chat.type in _GROUPS and addressed_in_group(message, bot_username):
            return partial(self._point_to_private_chat, update, message, bot_username)
        return None

    # --- the jobs, each run in its chat's turn --------------------------------------------------

    async def _message(self, update: Update, message: TelegramMessage, once: str) -> None:
        try:
            assert message.from_user is not None
            user = user_ref(message.from_user)
            decision = self._decide(user, message_event(message), once)
            out = await self._kindly(message.chat.id, user, decision)
            await self.sender.deliver(
                message.chat.id, self._replies_as_made(message.chat.id, user, out)
            )
        except Exception:
            log.exception("update %d could not be handled", update.update_id)
        finally:
            await self._handled(update.update_id)

    async def _press(self, update: Update, query: CallbackQuery, once: str) -> None:
        acknowledged = False
        try:
            assert query.message is not None
            chat_id, pressed = query.message.chat.id, query.message.message_id
            user = user_ref(query.from_user)
            decision = self._decide(user, press_event(query.data), once)
            done, _ = await asyncio.wait({decision}, timeout=ACK_WAIT)
            if done:
                out = decision.result()
                notice = _notice_of(out)
                await self.sender.acknowledge(query, notice)
                acknowledged = True
                if notice is not None:
                    out = out[1:]  # shown on the button, not in the chat
            else:  # a slow decision: stop the spinner now; a notice will go to the chat
                await self.sender.acknowledge(query, None)
                acknowledged = True
                out = await self._kindly(chat_id, user, decision)
            await self.sender.deliver(chat_id, self._replies_as_made(chat_id, user, out), pressed)
        except Exception:
            log.exception("update %d could not be handled", update.update_id)
            if not acknowledged:
                await self.sender.acknowledge(query, None)
        finally:
            await self._handled(update.update_id)

    async def _membership(self, update: Update, user: UserRef, blocked: bool) -> None:
        try:
            await self.in_engine_thread(partial(self.engine.set_blocked, user, blocked))
        finally:
            await self._handled(update.update_id)

    async def _acknowledge_only(self, update: Update, query: CallbackQuery) -> None:
        """A button on an inline message or in a group: not one of ours, but its spinner stops."""
        try:
            await self.sender.acknowledge(query, None)
        finally:
            await self._handled(update.update_id)

    async def _point_to_private_chat(
        self, update: Update, message: TelegramMessage, bot_username: str
    ) -> None:
        try:
            assert message.from_user is not None
            lang = await self._language(user_ref(message.from_user))
            pointer = Message(lang, "group_pointer", {"username": bot_username})
            await self.sender.deliver(message.chat.id, [pointer])
        except Exception:
            log.exception("update %d could not be handled", update.update_id)
        finally:
            await self._handled(update.update_id)

    # --- the engine, off the event loop ---------------------------------------------------------

    def _decide(self, user: UserRef, event: Event, once: str) -> asyncio.Future[Replies]:
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(
            self._deciding, partial(self.engine.decide, user, event, once=once)
        )

    async def _kindly(
        self, chat_id: int, user: UserRef, decision: asyncio.Future[Replies]
    ) -> Replies:
        """The decision; if it waits on the database for long, the user is told meanwhile."""
        done, _ = await asyncio.wait({decision}, timeout=self.busy_after)
        if not done:
            lang = await self._language(user)
            await self.sender.deliver(chat_id, [Message(lang, "store_busy")])
        return await decision

    async def _language(self, user: UserRef) -> Lang:
        """The user's language, read beside a decision that may be waiting for the lock."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._reading, self.engine.language_of, user)
        except Exception:
            return language_from_hint(user.language_hint)

    async def _replies_as_made(
        self, chat_id: int, user: UserRef, out: Replies
    ) -> AsyncIterator[list[Reply]]:
        """The replies in order, in runs: those ready go together at once (the plan), each slow
        one when it is made (the chart)."""
        ready: list[Reply] = []
        for item in out:
            if not callable(item):
                ready.append(item)
                continue
            if ready:
                yield await self._finished(user, ready)
                ready = []
            yield await self._in_thread(chat_id, user, item)
        if ready:
            yield await self._finished(user, ready)

    async def _finished(self, user: UserRef, ready: list[Reply]) -> list[Reply]:
        """Ready replies as they are; after a /delete, once the engine has wiped the traces."""
        if not any(isinstance(reply, Forgotten) for reply in ready):
            return ready
        out: Replies = [*ready]
        return await self.in_engine_thread(partial(self.engine.finish, user, out))

    async def _in_thread(self, chat_id: int, user: UserRef, later: SlowReply) -> list[Reply]:
        """A slow reply made in the drawing thread, with "typing..." shown while it takes."""
        loop = asyncio.get_running_loop()
        out: Replies = [later]
        work = loop.run_in_executor(self._drawing, self.engine.finish, user, out)
        wait = self.typing_after
        while True:
            done, _ = await asyncio.wait({work}, timeout=wait)
            if done:
                return work.result()
            await self.sender.typing(chat_id)
            wait = TYPING_REPEAT

    async def _handled(self, update_id: int) -> None:
        if self.handled is not None:
            await self.handled(update_id)


def _notice_of(out: Replies) -> Message | None:
    first = out[0] if out else None
    return first if isinstance(first, Message) and first.notice else None


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Whatever escaped: logged by kind, never with the update itself (it holds the user's text).

    A failed poll for updates (Telegram unreachable for a moment) is one WARNING line: the
    library tries again by itself, and a traceback for every blip would bury real errors.
    """
    error: Any = context.error
    if update is None and isinstance(error, NetworkError):
        log.warning("fetching updates failed (%s); trying again", type(error).__name__)
        return
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s: %s", update_id, type(error).__name__, exc_info=error)
