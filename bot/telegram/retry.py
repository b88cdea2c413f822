"""Calls to Telegram that must get through: retried on flood limits, network errors and 5xx.

The answer to a user is already committed in the database when it is sent, so a failed send
would lose nothing stored, but the user would wait in vain. Each send is therefore retried a few
times: after Telegram's `retry_after` for a flood limit (429), and with a growing pause for a
network error or a server error (5xx, which the library raises as NetworkError). A 400 or 403
(a bad request, a user who blocked the bot) is final and not retried.

A request that timed out may have reached Telegram all the same, so a retry can, rarely, show a
message twice; that is the better failure than a reply that never comes.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6  # the first try and five more: about half a minute in all
    first_pause: float = 0.5  # seconds after the first network error, doubled each time
    longest_pause: float = 8.0
    longest_retry_after: float = 60.0  # a flood wait longer than this is not waited for


def retry_after_seconds(exc: RetryAfter) -> float:
    """Telegram's wait in seconds (the library is moving it from a number to a timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = exc.retry_after
    return float(wait) if isinstance(wait, (int, float)) else wait.total_seconds()


async def with_retries(what: str, call: Callable[[], Awaitable[T]], policy: RetryPolicy) -> T:
    """The call's result; retried as the policy says, the last error raised if all fail.

    `what` names the API method for the log (never the text being sent).
    """
    pause = policy.first_pause
    for attempt in range(1, policy.attempts + 1):
        try:
            return await call()
        except RetryAfter as exc:
            seconds = retry_after_seconds(exc)
            if attempt == policy.attempts or seconds > policy.longest_retry_after:
                raise
            log.info("%s: flood limit, retrying in %.1f s", what, seconds)
            await asyncio.sleep(seconds + 0.1)
        except BadRequest:
            raise  # a subclass of NetworkError, but trying again would fail the same way
        except NetworkError as exc:
            if attempt == policy.attempts:
                raise
            log.warning(
                "%s failed (%s), retry %d in %.1f s", what, type(exc).__name__, attempt, pause
            )
            await asyncio.sleep(pause)
            pause = min(pause * 2, policy.longest_pause)
    raise AssertionError("unreachable: the loop returns or raises")
