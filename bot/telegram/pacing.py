"""Sending at a pace Telegram accepts: about one message a second per chat, and the bot's overall
rate, so that the bot does not run into flood limits of its own making.

Why not the library's AIORateLimiter: on a 429 it halts *every* request for as long as Telegram
says, so one chat's flood limit froze every other chat (65 s, in the reliability review), and its
retries stacked under ours. Here a 429 is never waited out: it goes straight back to the caller,
and `retry.with_retries`, the one place that retries, waits in that chat's turn only. The
limiters themselves are aiolimiter's leaky buckets, the same the library uses.

Sends nobody is waiting for (check-ins, `BACKGROUND`) take at most BACKGROUND_SHARE of the
overall rate: 10,000 check-ins due at once would otherwise fill the overall queue, and a user
who writes meanwhile would wait behind them (a second or more, measured).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import BaseRateLimiter

# What puts something in a chat, and so counts against Telegram's limits. A button's
# acknowledgement (answerCallbackQuery), polling and the menu are not messages and are never held.
SENDS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendChatAction",
        "editMessageText",
        "editMessageReplyMarkup",
        "editMessageCaption",
    }
)
CHAT_RATE = 1.0  # messages a second in one private chat, on average
CHAT_BURST = 3  # ...but a reply of three pieces (the plan, its chart, its file) goes at once
GROUP_RATE = 20 / 60  # Telegram's limit in a group: 20 messages a minute
OVERALL_BURST_SECONDS = 0.1  # the overall rate in slices of a tenth of a second, not bursts of 1 s
TRACKED_CHATS = 10_000  # per-chat buckets kept; the quietest are forgotten (they are full anyway)
BACKGROUND = "background"  # rate_limit_args of a send nobody is waiting for
BACKGROUND_SHARE = 0.8  # of the overall rate; the rest is kept for replies to people


def _sliced(rate: float) -> AsyncLimiter:
    """`rate` a second, let through in slices of a tenth of a second."""
    burst = max(1.0, rate * OVERALL_BURST_SECONDS)
    return AsyncLimiter(burst, burst / rate)


class Pacing(BaseRateLimiter[str]):
    def __init__(self, overall_rate: float) -> None:
        self.overall = _sliced(overall_rate)
        self.background = _sliced(overall_rate * BACKGROUND_SHARE)
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def busy(self) -> bool:
        """No room for a message right now: courtesies ("typing...") are better left out."""
        return not self.overall.has_capacity()

    def chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if chat_id > 0:  # a private chat's id is the user's, positive
                limiter = AsyncLimiter(CHAT_BURST, CHAT_BURST / CHAT_RATE)
            else:
                limiter = AsyncLimiter(1, 1 / GROUP_RATE)
            self._chats[chat_id] = limiter
            while len(self._chats) > TRACKED_CHATS:
                self._chats.popitem(last=False)
        self._chats.move_to_end(chat_id)
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: str | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        chat_id = data.get("chat_id")
        if endpoint not in SENDS or not isinstance(chat_id, int):
            return await callback(*args, **kwargs)
        # The chat's own turn first, then a slot of the overall rate: a chat that is sending a
        # lot waits for itself without holding a slot that another chat could use. A background
        # send first waits for its own share, so that it never crowds the overall queue.
        async with self.chat_limiter(chat_id):
            if rate_limit_args == BACKGROUND:
                async with self.background, self.overall:
                    return await callback(*args, **kwargs)
            async with self.overall:
                return await callback(*args, **kwargs)
